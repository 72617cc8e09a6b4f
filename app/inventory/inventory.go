// Package inventory keeps the household's devices on disk: what was found,
// what the person said about each (theirs or not, name, room) and which
// keyring entries Porchlight made for it, so they can all be deleted later.
// It never holds a secret. Writes are atomic (temporary file, fsync,
// rename); a file that cannot be read is set aside, never silently lost.
package inventory

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/durable"
	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/devices/discover"
)

// FileName is the inventory's file in the data directory.
const FileName = "inventory.json"

// Limits on what is remembered of devices nothing hangs on (see Prune): a
// flood of bogus devices must not fill the inventory for good.
const (
	// ForgetAfter is how long such a device is remembered after it was
	// last seen.
	ForgetAfter = 30 * 24 * time.Hour
	// MaxUnclaimed bounds how many such devices are remembered; beyond
	// it, those seen longest ago are forgotten.
	MaxUnclaimed = 2048
)

// schema is the version of the file format.
const schema = 1

// Device is one device of the household as Porchlight remembers it.
type Device struct {
	// ID is the device's stable identity (see discover.Device.ID).
	ID string `json:"id"`
	// Name is the name the person gave it (Named is then set), else the
	// name it reports for itself (ReportedName), else the one it announced.
	Name  string `json:"name"`
	Named bool   `json:"named,omitempty"`
	// ReportedName is the name the device reports for itself, if any.
	ReportedName string `json:"reported_name,omitempty"`
	// Room is where the person said it is.
	Room string `json:"room,omitempty"`
	// Claimed is set when the person confirmed the device is theirs:
	// Porchlight acts only on claimed devices.
	Claimed bool `json:"claimed"`
	// Host and Addresses are where it was last seen.
	Host      string       `json:"host"`
	Addresses []netip.Addr `json:"addresses"`
	// Services are what it announced when last seen.
	Services []discover.Service `json:"services,omitempty"`
	// Family, Vendor, Model and Firmware are what identification found:
	// from the device's announcements alone after a scan, from its answers
	// once checked.
	Family   string `json:"family,omitempty"`
	Vendor   string `json:"vendor,omitempty"`
	Model    string `json:"model,omitempty"`
	Firmware string `json:"firmware,omitempty"`
	// VendorID is the catalog vendor that was recognised, and Kind what
	// sort of device it is (a catalog kind: plug, printer, light...); empty
	// when unknown.
	VendorID string `json:"vendor_id,omitempty"`
	Kind     string `json:"kind,omitempty"`
	// HardwareID is the hardware identity the device last reported (a
	// MAC), as a scan saw it: an observation, not a proof.
	HardwareID string `json:"hardware_id,omitempty"`
	// Pinned is what the device proved about itself when the person
	// claimed it. No scan changes it; a secret goes only to an address
	// where the device proves it again. Zero until the device is claimed.
	Pinned Pinned `json:"pinned,omitzero"`
	// Done lists what Porchlight did to the device, oldest first (the
	// last MaxDone).
	Done []Done `json:"done,omitempty"`
	// Secrets lists the keyring accounts Porchlight stored for this device
	// (names only, never values).
	Secrets []string `json:"secrets,omitempty"`
	// FactoryPasswords is the last time the person had Porchlight try the
	// device's documented factory passwords, and what happened (never the
	// passwords themselves).
	FactoryPasswords *factorypw.Result `json:"factory_passwords,omitempty"`
	FirstSeen        time.Time         `json:"first_seen"`
	LastSeen         time.Time         `json:"last_seen"`
}

// Done is one thing Porchlight did to a device.
type Done struct {
	// Action is "password", "update", "reset" or "pair".
	Action string `json:"action"`
	// To is the firmware an update installed.
	To string    `json:"to,omitempty"`
	At time.Time `json:"at"`
}

// MaxDone bounds the actions remembered per device.
const MaxDone = 20

// Pinned is a claimed device's identity, learned when the person claimed it.
type Pinned struct {
	// Family is the family the device answered as.
	Family string `json:"family"`
	// HardwareID is the hardware identity the device answered with (not
	// one it announced, which anyone can copy); empty when it showed none.
	HardwareID string `json:"hardware_id,omitempty"`
	// TLSKey is the SHA-256 of the public key the device answered with over
	// HTTPS on TLSPort, hex; empty for a device without HTTPS. Every
	// secret then goes over HTTPS to a device holding this key.
	TLSKey  string `json:"tls_key,omitempty"`
	TLSPort int    `json:"tls_port,omitempty"`
	// ProvenAt is the address where the device last proved its identity.
	ProvenAt netip.Addr `json:"proven_at,omitzero"`
	// Learned is when the identity was pinned.
	Learned time.Time `json:"learned"`
}

// file is the on-disk format.
type file struct {
	Schema  int      `json:"schema"`
	Devices []Device `json:"devices"`
}

// Store is the inventory in a data directory. It is safe for concurrent use.
type Store struct {
	path string

	mu      sync.Mutex
	devices map[string]Device
}

// ErrCorrupt reports an inventory file that could not be read; it was
// renamed, not deleted, and Porchlight started with an empty inventory.
var ErrCorrupt = errors.New("the device list could not be read")

// Open reads the inventory of dir, creating dir if needed. An unreadable
// file is renamed to "inventory.json.corrupt-<time>" and Open returns an
// empty store together with an error wrapping ErrCorrupt that names the
// copy, so the person can be told.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data directory %s: %w", dir, err)
	}
	s := &Store{path: filepath.Join(dir, FileName), devices: make(map[string]Device)}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.path, err)
	}
	devices, err := decode(data)
	if err != nil {
		aside := fmt.Sprintf("%s.corrupt-%s", s.path, time.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(s.path, aside); rerr != nil {
			return nil, fmt.Errorf("%w (%v), and it could not be set aside: %w", ErrCorrupt, err, rerr)
		}
		return s, fmt.Errorf("%w (%v); it was kept as %s and Porchlight starts with an empty list", ErrCorrupt, err, aside)
	}
	s.devices = devices
	return s, nil
}

// decode parses the file, by device ID, and checks what the rest of the
// code relies on. A file without its device list is corrupt, not empty:
// Porchlight always writes the list, [] when there is no device.
func decode(data []byte) (map[string]Device, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Schema != schema {
		return nil, fmt.Errorf("unknown format version %d", f.Schema)
	}
	if f.Devices == nil {
		return nil, errors.New("no device list")
	}
	devices := make(map[string]Device, len(f.Devices))
	for _, d := range f.Devices {
		if _, dup := devices[d.ID]; d.ID == "" || dup {
			return nil, fmt.Errorf("device %q is empty or listed twice", d.ID)
		}
		devices[d.ID] = d
	}
	return devices, nil
}

// encode is the file's content for devices.
func encode(devices map[string]Device) ([]byte, error) {
	f := file{Schema: schema, Devices: make([]Device, 0, len(devices))}
	for _, d := range devices {
		f.Devices = append(f.Devices, d)
	}
	slices.SortFunc(f.Devices, func(a, b Device) int { return strings.Compare(a.ID, b.ID) })
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Path is the inventory file's path.
func (s *Store) Path() string { return s.path }

// Devices returns every device, sorted by name then ID.
func (s *Store) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedLocked()
}

// sortedLocked returns copies of every device, sorted by name then ID;
// s.mu must be held.
func (s *Store) sortedLocked() []Device {
	ds := make([]Device, 0, len(s.devices))
	for _, d := range s.devices {
		ds = append(ds, clone(d))
	}
	slices.SortFunc(ds, func(a, b Device) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ds
}

// Get returns the device with id.
func (s *Store) Get(id string) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[id]
	return clone(d), ok
}

// Update applies change to the device with id (a new Device{ID: id} when it
// is unknown) and saves the inventory.
func (s *Store) Update(id string, change func(*Device)) error {
	return s.Batch(func(b *Batch) { b.Update(id, change) })
}

// Remove forgets the devices with the given ids and saves the inventory.
func (s *Store) Remove(ids ...string) error {
	return s.Batch(func(b *Batch) { b.Remove(ids...) })
}

// Batch makes the changes apply makes to b, and saves the inventory once
// if any was made: remembering a scan's devices is one write of the file,
// not one per device. The store is locked while apply runs: apply must
// not call the Store's methods.
func (s *Store) Batch(apply func(b *Batch)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &Batch{s: s}
	apply(b)
	if !b.changed {
		return nil
	}
	return s.saveLocked()
}

// Batch is changes to a Store saved together (see Store.Batch).
type Batch struct {
	s       *Store
	changed bool
}

// Devices returns every device as the batch has left them so far, sorted
// by name then ID.
func (b *Batch) Devices() []Device { return b.s.sortedLocked() }

// Update applies change to the device with id (a new Device{ID: id} when
// it is unknown). A change that leaves a known device as it was is no
// change: nothing is written for it.
func (b *Batch) Update(id string, change func(*Device)) {
	old, ok := b.s.devices[id]
	if !ok {
		old = Device{ID: id}
	}
	d := clone(old)
	change(&d)
	d.ID = id
	if ok && reflect.DeepEqual(old, d) {
		return
	}
	b.s.devices[id] = d
	b.changed = true
}

// Remove forgets the devices with the given ids.
func (b *Batch) Remove(ids ...string) {
	for _, id := range ids {
		if _, ok := b.s.devices[id]; ok {
			delete(b.s.devices, id)
			b.changed = true
		}
	}
}

// Prune forgets, as of now, the devices nothing hangs on that were last
// seen more than ForgetAfter ago, then, while more than MaxUnclaimed of
// them are left, those seen longest ago. It never forgets a device the
// person claimed or named, or one with keyring entries (their names are
// kept here so the entries can be deleted). A device never seen (no
// LastSeen) is not too old, but counts as seen longest ago. It returns the
// IDs of the devices forgotten.
func (b *Batch) Prune(now time.Time) []string {
	var loose []Device
	for _, d := range b.s.devices {
		if !d.Claimed && !d.Named && len(d.Secrets) == 0 {
			loose = append(loose, d)
		}
	}
	// Seen longest ago first; unknown counts as longest ago.
	slices.SortFunc(loose, func(x, y Device) int {
		if c := x.LastSeen.Compare(y.LastSeen); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	var forgotten []string
	for i, d := range loose {
		stale := !d.LastSeen.IsZero() && now.Sub(d.LastSeen) > ForgetAfter
		if stale || len(loose)-i > MaxUnclaimed {
			forgotten = append(forgotten, d.ID)
		}
	}
	b.Remove(forgotten...)
	return forgotten
}

// Delete removes the inventory file and forgets every device.
func (s *Store) Delete() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.devices)
	if err := os.Remove(s.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting %s: %w", s.path, err)
	}
	return durable.SyncDir(filepath.Dir(s.path))
}

func (s *Store) saveLocked() error {
	data, err := encode(s.devices)
	if err != nil {
		return err
	}
	return WriteFileAtomic(s.path, data, 0o600)
}

func clone(d Device) Device {
	d.Addresses = slices.Clone(d.Addresses)
	d.Services = slices.Clone(d.Services)
	d.Secrets = slices.Clone(d.Secrets)
	if d.FactoryPasswords != nil {
		r := *d.FactoryPasswords
		r.Attempts = slices.Clone(r.Attempts)
		d.FactoryPasswords = &r
	}
	return d
}

// WriteFileAtomic replaces path with data so that a crash leaves either the
// old or the new content (see durable.WriteFile).
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return durable.WriteFile(path, data, perm)
}
