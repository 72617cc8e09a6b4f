// Package events keeps what Porchlight noticed while it kept watch over the
// household: a bounded log of events (a new device, a device gone or back,
// an update or a problem that appeared), each under a stable key so that
// the same event is never recorded or told twice, also after a restart,
// and the little the watcher remembers to tell one event from the next.
// Events are typed data, never sentences: whoever shows them renders them
// in the person's language. Writes are atomic, like the inventory's.
package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/durable"
	"github.com/porchlight/porchlight/app/inventory"
)

// FileName is the log's file in the data directory.
const FileName = "events.json"

// MaxEvents bounds the log: beyond it, the oldest events are dropped.
const MaxEvents = 500

// schema is the version of the file format.
const schema = 1

// Kind is what happened.
type Kind string

// The kinds of events.
const (
	// NewDevice: a device joined the network for the first time.
	NewDevice Kind = "new-device"
	// Gone: a device the person claimed has not been seen for more than a day.
	Gone Kind = "gone"
	// Back: a device that was gone is back (Address says where).
	Back Kind = "back"
	// Update: a firmware update became available for a device.
	Update Kind = "update-available"
	// Problem: the checkup found a problem a device did not have before.
	Problem Kind = "new-problem"
	// PortOpened: a port mapping appeared on the router, opening a port
	// of a device (Name, at Address) to the internet.
	PortOpened Kind = "port-opened"
)

// Kinds lists every kind, in the order they are explained.
var Kinds = []Kind{NewDevice, Gone, Back, Update, Problem, PortOpened}

// Event is one thing that happened to one device.
type Event struct {
	// Key identifies the event: the same event always has the same key.
	Key  string    `json:"key"`
	Kind Kind      `json:"event"`
	Time time.Time `json:"time"`
	// Device is the device's ID; Name what it was called then.
	Device string `json:"device"`
	Name   string `json:"name"`
	// Address is where the device was seen (new, back).
	Address string `json:"address,omitempty"`
	// Previous is where a device that came back was before it went.
	Previous string `json:"previous_address,omitempty"`
	// LastSeen is when a gone device was last seen.
	LastSeen time.Time `json:"last_seen,omitzero"`
	// Firmware is what the device runs; Available the update on offer
	// ("" when the device says there is one without naming it).
	Firmware  string `json:"firmware,omitempty"`
	Available string `json:"available,omitempty"`
	// Provision is the EN 303 645 provision group of a new problem, and
	// Says what the checkup observed (typed reasons).
	Provision string          `json:"provision,omitempty"`
	Says      checkup.Reasons `json:"says,omitempty"`
	// Port is the port a mapping opened ("8080/TCP"), and Router the
	// router's name (port opened).
	Port   string `json:"port,omitempty"`
	Router string `json:"router,omitempty"`
}

// Variant says which form of the sentence about e fits what it knows:
// "same" (back at the address it had), "noaddr" (new, no address known),
// "nover" (an update that names no version), "unnamed" (a port opened for
// an address no device of the household has), or "" for the plain one.
func (e Event) Variant() string {
	switch {
	case e.Kind == PortOpened && e.Name == "":
		return "unnamed"
	case e.Kind == Back && (e.Previous == "" || e.Previous == e.Address):
		return "same"
	case e.Kind == NewDevice && e.Address == "":
		return "noaddr"
	case e.Kind == Update && e.Available == "":
		return "nover"
	}
	return ""
}

// Device is what the watcher remembers about one device between checks.
type Device struct {
	// Checked is set once the device had a checkup: its problems from
	// then on are compared with Problems.
	Checked bool `json:"checked,omitempty"`
	// Problems are the problems of its last checkup, as "provision key".
	Problems []string `json:"problems,omitempty"`
	// Update is the firmware update its last checkup found on offer.
	Update string `json:"update,omitempty"`
	// Mappings are a router's port mappings at its last checkup, as
	// "external port/protocol internal client:port"; MappingsRead is set
	// once they were read.
	Mappings     []string `json:"mappings,omitempty"`
	MappingsRead bool     `json:"mappings_read,omitempty"`
	// GoneSince is set while the device counts as gone; Address is where
	// it was last seen then.
	GoneSince time.Time `json:"gone_since,omitzero"`
	Address   string    `json:"address,omitempty"`
}

// State is what the watcher remembers between runs.
type State struct {
	// Looked is set once the watcher has looked at the household.
	Looked bool `json:"looked,omitempty"`
	// Known are the devices the watcher knows, by ID, with their host
	// names (lower case): a device it does not know is new.
	Known map[string]string `json:"known"`
	// LastFull is when the whole household last had a checkup.
	LastFull time.Time         `json:"last_full,omitzero"`
	Devices  map[string]Device `json:"devices"`
	// Paused is set while the person paused watching (in the app).
	Paused bool `json:"paused,omitempty"`
}

// file is the on-disk format.
type file struct {
	Schema int     `json:"schema"`
	Events []Event `json:"events"`
	State  State   `json:"state"`
}

// ErrCorrupt reports a log that could not be read; it was set aside and
// the watcher starts afresh.
var ErrCorrupt = errors.New("the list of what happened could not be read")

// Log is the event log of a data directory. It is safe for concurrent use.
type Log struct {
	path string

	mu     sync.Mutex
	events []Event
	keys   map[string]bool
	state  State
}

// Open reads the log of dir. An unreadable file is renamed aside and Open
// returns an empty log with an error wrapping ErrCorrupt naming the copy.
func Open(dir string) (*Log, error) {
	l := &Log{path: filepath.Join(dir, FileName), keys: map[string]bool{}, state: cloneState(State{})}
	data, err := os.ReadFile(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", l.path, err)
	}
	var f file
	if err = json.Unmarshal(data, &f); err == nil && f.Schema != schema {
		err = fmt.Errorf("unknown format version %d", f.Schema)
	}
	if err != nil {
		aside := fmt.Sprintf("%s.corrupt-%s", l.path, time.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(l.path, aside); rerr != nil {
			return nil, fmt.Errorf("%w (%v), and it could not be set aside: %w", ErrCorrupt, err, rerr)
		}
		return l, fmt.Errorf("%w (%v); it was kept as %s", ErrCorrupt, err, aside)
	}
	if len(f.Events) > MaxEvents {
		f.Events = f.Events[len(f.Events)-MaxEvents:]
	}
	l.events = f.Events
	for _, e := range l.events {
		l.keys[e.Key] = true
	}
	l.state = cloneState(f.State)
	return l, nil
}

// Path is the log's file.
func (l *Log) Path() string { return l.path }

// Events returns the events kept, oldest first.
func (l *Log) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// Has reports whether an event with key is kept.
func (l *Log) Has(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keys[key]
}

// State returns a copy of what the watcher remembers.
func (l *Log) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return cloneState(l.state)
}

// Commit records the events not recorded before (by key) and the state,
// in one atomic write, and returns the events it recorded, in order. It
// writes nothing when nothing changed. The log keeps the last MaxEvents.
func (l *Log) Commit(evs []Event, st State) ([]Event, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var fresh []Event
	for _, e := range evs {
		if e.Key == "" || l.keys[e.Key] {
			continue
		}
		l.keys[e.Key] = true
		fresh = append(fresh, e)
	}
	if len(fresh) == 0 && equalState(l.state, st) {
		return nil, nil
	}
	l.events = append(l.events, fresh...)
	if over := len(l.events) - MaxEvents; over > 0 {
		for _, e := range l.events[:over] {
			delete(l.keys, e.Key)
		}
		l.events = slices.Clone(l.events[over:])
	}
	l.state = cloneState(st)
	return fresh, l.saveLocked()
}

// Delete removes the log's file and forgets everything in it.
func (l *Log) Delete() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events, l.keys, l.state = nil, map[string]bool{}, cloneState(State{})
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting %s: %w", l.path, err)
	}
	return durable.SyncDir(filepath.Dir(l.path))
}

func (l *Log) saveLocked() error {
	f := file{Schema: schema, Events: l.events, State: l.state}
	if f.Events == nil {
		f.Events = []Event{}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return inventory.WriteFileAtomic(l.path, append(data, '\n'), 0o600)
}

func cloneState(s State) State {
	out := State{Looked: s.Looked, Known: maps.Clone(s.Known), LastFull: s.LastFull, Devices: make(map[string]Device, len(s.Devices)), Paused: s.Paused}
	if out.Known == nil {
		out.Known = map[string]string{}
	}
	for id, d := range s.Devices {
		d.Problems, d.Mappings = slices.Clone(d.Problems), slices.Clone(d.Mappings)
		out.Devices[id] = d
	}
	return out
}

func equalState(a, b State) bool {
	if a.Looked != b.Looked || a.Paused != b.Paused || !maps.Equal(a.Known, b.Known) || !a.LastFull.Equal(b.LastFull) || len(a.Devices) != len(b.Devices) {
		return false
	}
	for id, x := range a.Devices {
		y, ok := b.Devices[id]
		if !ok || x.Checked != y.Checked || x.Update != y.Update || !x.GoneSince.Equal(y.GoneSince) || x.Address != y.Address ||
			!slices.Equal(x.Problems, y.Problems) || x.MappingsRead != y.MappingsRead || !slices.Equal(x.Mappings, y.Mappings) {
			return false
		}
	}
	return true
}
