package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/report"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
)

// Record is what Porchlight remembers about a device (see inventory.Device).
type Record = inventory.Device

// KeyringStatus says whether device passwords can be kept (see vault.Status).
type KeyringStatus = vault.Status

// Session is one run of the desktop app: the household, where its devices
// are reached (the network, or the demo household inside the process), and
// the language of the results.
type Session struct {
	*Household
	dir  string
	demo *Demo
	// temporary is set for a demo session, whose data directory is removed on Close.
	temporary bool
	// Lang is the language of checkup results ("en" or "de").
	Lang string
}

// OpenSession opens the household in dir. With demo set, devices are the
// in-process demo household instead of the network. A corrupt inventory is
// set aside and reported through the returned error, with a usable session.
// demo is the number of demo devices: 0 for none (the network), -1 for the
// home household, n for a large household of n.
func OpenSession(dir string, v vault.Store, demo int) (*Session, error) {
	h, err := OpenHousehold(dir, v)
	if h == nil {
		return nil, err
	}
	s := &Session{Household: h, dir: dir, Lang: "en"}
	if demo != 0 {
		d, derr := StartDemo(max(demo, 0))
		if derr != nil {
			return nil, derr
		}
		s.demo = d
		h.scan = d.Scan
	}
	return s, err
}

// OpenDemoSession opens the demo household with its data apart from the
// person's: a temporary data directory (removed on Close) and an in-memory
// keyring, so trying Porchlight leaves nothing behind.
// With n > 0 the household has n devices instead of the home household's.
func OpenDemoSession(n int) (*Session, error) {
	dir, err := os.MkdirTemp("", "porchlight-demo-")
	if err != nil {
		return nil, err
	}
	demo := -1
	if n > 0 {
		demo = n
	}
	s, err := OpenSession(dir, &vault.Fake{}, demo)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.temporary = true
	return s, nil
}

// Demo reports whether the session runs against the demo household.
func (s *Session) Demo() bool { return s.demo != nil }

// DataDir is where the session keeps its data.
func (s *Session) DataDir() string { return s.dir }

// Context returns ctx ready for device work: with the demo's network in demo mode.
func (s *Session) Context(ctx context.Context) context.Context {
	if s.demo != nil {
		return s.demo.Context(ctx)
	}
	return ctx
}

// Scan finds the household's devices (the demo's, in demo mode), reporting
// each as it arrives, and remembers them.
func (s *Session) Scan(ctx context.Context, onEvent func(ScanEvent)) (ScanResult, error) {
	var res ScanResult
	var err error
	if s.demo != nil {
		res, err = s.demo.Scan(ctx, ScanOptions{}, onEvent)
	} else {
		res, err = Scan(ctx, ScanOptions{}, onEvent)
	}
	if err != nil {
		return res, err
	}
	return res, s.Remember(res.Devices)
}

// Check runs the checkup of devices in the session's language.
func (s *Session) Check(ctx context.Context, devices []Device) (Checkup, error) {
	return s.Household.Check(s.Context(ctx), devices, CheckOptions{Lang: s.Lang})
}

// Record returns what Porchlight remembers about the device with id.
func (s *Session) Record(id string) (Record, bool) { return s.Inventory.Get(id) }

// SetPassword gives the claimed device with id a new, generated password.
func (s *Session) SetPassword(ctx context.Context, id string) error {
	_, err := s.Household.SetPassword(s.Context(ctx), id, "", ScanOptions{})
	return err
}

// Password returns the password Porchlight keeps for the device with id, for
// the person to copy; ErrNoPassword when it keeps none.
func (s *Session) Password(ctx context.Context, id string) (string, error) {
	acct, err := vault.Account(id, password.PurposeAdmin)
	if err != nil {
		return "", err
	}
	pw, err := s.Vault.Get(ctx, acct)
	if errors.Is(err, vault.ErrNotFound) {
		return "", ErrNoPassword
	}
	return pw, err
}

// ErrNoPassword: Porchlight keeps no password for the device.
var ErrNoPassword = errors.New("no password is kept for this device")

// CheckUpdate asks the claimed device with id about its firmware.
func (s *Session) CheckUpdate(ctx context.Context, id string) (UpdateInfo, error) {
	return s.Household.CheckUpdate(s.Context(ctx), id, ScanOptions{})
}

// ApplyUpdate installs the claimed device's update, telling progress what happens.
func (s *Session) ApplyUpdate(ctx context.Context, id string, progress func(string)) (UpdateResult, error) {
	return s.Household.ApplyUpdate(s.Context(ctx), id, ScanOptions{}, UpdateOptions{Progress: progress})
}

// Reset factory-resets the claimed device with id (the person confirmed it).
func (s *Session) Reset(ctx context.Context, id string, progress func(string)) (string, error) {
	return s.Household.Reset(s.Context(ctx), id, true, ScanOptions{}, UpdateOptions{Progress: progress})
}

// FactoryPasswords lists the interfaces of the device with id whose
// documented factory password Porchlight can try (see FactoryPasswords).
func (s *Session) FactoryPasswords(id string) []string {
	r, ok := s.Record(id)
	if !ok {
		return nil
	}
	return FactoryPasswords(r.Family)
}

// TryFactoryPasswords tries the claimed device's documented factory
// passwords, as the person asked (see Household.TryFactoryPasswords).
func (s *Session) TryFactoryPasswords(ctx context.Context, id string, progress func(iface string)) (FactoryResult, error) {
	return s.Household.TryFactoryPasswords(s.Context(ctx), id, ScanOptions{}, progress)
}

// KeyringStatus probes the keyring.
func (s *Session) KeyringStatus(ctx context.Context) KeyringStatus { return vault.Probe(ctx, s.Vault) }

// AdminURL is the address of the device's own web page, "" when it has none.
func (s *Session) AdminURL(id string) string {
	r, ok := s.Record(id)
	if !ok || len(r.Addresses) == 0 {
		return ""
	}
	port := 0
	for _, svc := range r.Services {
		if svc.Type == "_http._tcp" {
			port = svc.Port
		}
	}
	if port == 0 {
		return ""
	}
	u := url.URL{Scheme: "http", Host: fmt.Sprintf("%s:%d", r.Addresses[0], port), Path: "/"}
	if port == 80 {
		u.Host = r.Addresses[0].String()
	}
	return u.String()
}

// WriteReport writes a checkup as HTML or JSON.
func (s *Session) WriteReport(w io.Writer, c Checkup, format string) error {
	if format == "json" {
		return report.WriteJSON(w, c)
	}
	return report.WriteHTML(w, c, s.Lang)
}

// Setup returns the guided setup's saved progress.
func (s *Session) Setup() (setup.State, error) { return setup.Load(s.dir) }

// SaveSetup saves the guided setup's progress.
func (s *Session) SaveSetup(st setup.State) error { return setup.Save(s.dir, st) }

// DeleteAllData removes everything Porchlight keeps: the passwords in the
// keyring, the device list, the setup progress, an unfinished wipe's plan
// and, last, the journal. Receipts the person saved are theirs and stay. It
// returns what it removed, in plain words.
func (s *Session) DeleteAllData(ctx context.Context) ([]string, error) {
	var removed []string
	res, err := s.Forget(ctx, nil, true)
	for _, a := range res.KeyringEntries {
		removed = append(removed, "keyring: "+a)
	}
	if err != nil {
		return removed, err
	}
	removed = append(removed, s.Inventory.Path())
	for _, f := range []string{setup.FileName, wipe.PlanFile} {
		p := filepath.Join(s.dir, f)
		if rerr := os.Remove(p); rerr == nil {
			removed = append(removed, p)
		} else if !errors.Is(rerr, os.ErrNotExist) {
			return removed, rerr
		}
	}
	if err := s.Journal.Delete(); err != nil {
		return removed, err
	}
	return append(removed, s.Journal.Path()), nil
}

// Close stops the demo household, if any, and removes a demo's data.
func (s *Session) Close() error {
	var err error
	if s.demo != nil {
		err = s.demo.Close()
	}
	if s.temporary {
		err = errors.Join(err, os.RemoveAll(s.dir))
	}
	return err
}

// Capabilities says what Porchlight can do itself on a device (see driver.Capabilities).
type Capabilities = driver.Capabilities

// Capabilities returns what Porchlight can do itself on the device with id,
// as its identified family's driver says; nothing when it has none.
func (s *Session) Capabilities(id string) Capabilities {
	r, ok := s.Record(id)
	if !ok {
		return Capabilities{}
	}
	d, ok := driver.For(r.Family)
	if !ok {
		return Capabilities{}
	}
	return d.Capabilities()
}

// knownHost reports whether a remembered device has this host name.
func (s *Session) knownHost(host string) bool {
	return slices.ContainsFunc(s.Inventory.Devices(), func(r Record) bool { return strings.EqualFold(r.Host, host) })
}

// Watch reports, until ctx ends, each device that appears on the network
// and Porchlight did not know; the demo household never changes.
func (s *Session) Watch(ctx context.Context, onNew func(Device)) error {
	if s.demo != nil {
		<-ctx.Done()
		return nil
	}
	return discover.Watch(ctx, ScanOptions{}, func(e ScanEvent) {
		if e.Gone {
			return
		}
		if _, known := s.Record(e.Device.ID); known || s.knownHost(e.Device.Host) {
			return
		}
		if err := s.Remember([]Device{e.Device}); err == nil {
			onNew(e.Device)
		}
	})
}
