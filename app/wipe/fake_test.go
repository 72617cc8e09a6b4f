package wipe_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/driver"
)

// How a fake device answers a factory reset.
const (
	replyAck    = "ack"    // it answers, then resets
	replyDrop   = "drop"   // it resets without answering (the connection drops)
	replyLost   = "lost"   // the command never arrives: no answer, no reset
	replyRefuse = "refuse" // it refuses: nothing happens
)

// fakeDevice is one device of the fake household. Its fields are set up
// before a test and changed only under mu.
type fakeDevice struct {
	mu sync.Mutex
	// family is what Locate identifies; "" means Porchlight has no driver.
	family string
	// password is the password in force, "" for none.
	password string
	reply    string
	// awayAfterReset is how many logins find it away after a reset.
	awayAfterReset int
	// leaves: after a reset it never answers again.
	leaves bool
	// unreachable: it does not answer now; impostor: something else answers in its place.
	unreachable, impostor bool
	// rateLimited is how many more calls it asks to wait.
	rateLimited int

	away int
	// commands counts the reset commands that reached it, resets those it carried out.
	commands, resets int
}

func (d *fakeDevice) counts() (commands, resets int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.commands, d.resets
}

func (d *fakeDevice) set(change func(d *fakeDevice)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	change(d)
}

// fakeDriver acts on the fake devices as a driver of a family that resets.
type fakeDriver struct {
	family  string
	devices map[string]*fakeDevice
}

func (f *fakeDriver) Family() string { return f.family }
func (f *fakeDriver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Password: true, Reset: true}
}
func (f *fakeDriver) PasswordRules() driver.PasswordRules { return driver.PasswordRules{} }

// answering checks whether d answers now, under d.mu.
func (d *fakeDevice) answering() error {
	switch {
	case d.rateLimited > 0:
		d.rateLimited--
		return driver.ErrRateLimited
	case d.unreachable:
		return driver.ErrUnreachable
	case d.away > 0:
		d.away--
		return driver.ErrUnreachable
	}
	return nil
}

func (d *fakeDevice) accepts(creds *driver.Credentials) error {
	if d.password == "" || (creds != nil && creds.Password == d.password) {
		return nil
	}
	return fmt.Errorf("fake: %w", driver.ErrAuth)
}

func (f *fakeDriver) Login(_ context.Context, t driver.Target, creds *driver.Credentials) error {
	d := f.devices[t.ID]
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.answering(); err != nil {
		return err
	}
	return d.accepts(creds)
}

func (f *fakeDriver) FactoryReset(_ context.Context, t driver.Target, creds *driver.Credentials) error {
	d := f.devices[t.ID]
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.answering(); err != nil {
		return err
	}
	d.commands++
	if d.reply == replyLost {
		return fmt.Errorf("fake: %w", driver.ErrUnreachable)
	}
	if err := d.accepts(creds); err != nil {
		return err
	}
	switch d.reply {
	case replyRefuse:
		return fmt.Errorf("fake: %w", driver.ErrRefused)
	case replyDrop:
		d.reset()
		return fmt.Errorf("fake: connection reset: %w", driver.ErrUnreachable)
	}
	d.reset()
	return nil
}

func (d *fakeDevice) reset() {
	d.resets++
	d.password = ""
	d.away = d.awayAfterReset
	d.unreachable = d.leaves
}

func (f *fakeDriver) SetPassword(context.Context, driver.Target, *driver.Credentials, driver.Credentials) error {
	return driver.ErrUnsupported
}
func (f *fakeDriver) CheckUpdate(context.Context, driver.Target, *driver.Credentials) (driver.UpdateInfo, error) {
	return driver.UpdateInfo{}, driver.ErrUnsupported
}
func (f *fakeDriver) StartUpdate(context.Context, driver.Target, *driver.Credentials) error {
	return driver.ErrUnsupported
}

// fakeSpec describes one device of a test household.
type fakeSpec struct {
	id, name, family string
	// unclaimed: the person did not mark it as theirs.
	unclaimed bool
	// password is the password the device has and Porchlight holds.
	password string
	// heldPassword overrides what Porchlight holds when set.
	heldPassword string
	reply        string
	device       *fakeDevice
}

// env is a fake household: a real journal and inventory in a temporary
// directory, vault.Fake, and fake devices.
type env struct {
	t       *testing.T
	dir     string
	vault   *vault.Fake
	drv     *fakeDriver
	devices map[string]*fakeDevice
}

// autoFamily is a catalog family whose reset Porchlight does itself.
const autoFamily = "shelly-gen2"

func newEnv(t *testing.T, specs ...fakeSpec) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), vault: &vault.Fake{}, devices: make(map[string]*fakeDevice)}
	e.drv = &fakeDriver{family: autoFamily, devices: e.devices}
	inv, err := inventory.Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range specs {
		d := s.device
		if d == nil {
			d = &fakeDevice{}
		}
		d.family, d.password, d.reply = s.family, s.password, cmpOr(s.reply, cmpOr(d.reply, replyAck))
		e.devices[s.id] = d
		var secrets []string
		if held := cmpOr(s.heldPassword, s.password); held != "" {
			acct := s.id + "/admin"
			if err := e.vault.Set(ctx, acct, held); err != nil {
				t.Fatal(err)
			}
			secrets = []string{acct}
		}
		err := inv.Update(s.id, func(r *inventory.Device) {
			r.Name, r.Claimed, r.Family, r.Secrets = s.name, !s.unclaimed, s.family, secrets
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func cmpOr(s, otherwise string) string {
	if s != "" {
		return s
	}
	return otherwise
}

// wiper opens the household afresh from disk, as a new process would.
func (e *env) wiper() *wipe.Wiper {
	e.t.Helper()
	inv, err := inventory.Open(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	return &wipe.Wiper{
		Dir: e.dir, Journal: journal.Open(e.dir), Inventory: inv, Vault: e.vault,
		Locate: e.locate,
		Credentials: func(ctx context.Context, id string) (*driver.Credentials, error) {
			pw, err := e.vault.Get(ctx, id+"/admin")
			if errors.Is(err, vault.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return &driver.Credentials{Password: pw}, nil
		},
	}
}

// locate finds a fake device as app.Core's Locator would.
func (e *env) locate(_ context.Context, id string) (driver.Driver, driver.Target, error) {
	d := e.devices[id]
	d.mu.Lock()
	defer d.mu.Unlock()
	t := driver.Target{ID: id}
	switch {
	case d.impostor:
		return nil, driver.Target{}, fmt.Errorf("fake: %w", wipe.ErrIdentity)
	case d.unreachable || d.away > 0:
		return e.drv, t, fmt.Errorf("fake: not found: %w", driver.ErrUnreachable)
	case d.family != autoFamily:
		return nil, driver.Target{}, fmt.Errorf("fake: %w", driver.ErrUnsupported)
	}
	return e.drv, t, nil
}

// opts are quick waits for fake devices.
func opts(events *[]wipe.Event) wipe.Options {
	o := wipe.Options{Wait: 150 * time.Millisecond, Poll: 2 * time.Millisecond}
	if events != nil {
		o.Progress = func(ev wipe.Event) { *events = append(*events, ev) }
	}
	return o
}

// states returns the journal states of device in order.
func (e *env) states(device string) []string {
	e.t.Helper()
	entries, damaged, err := journal.Open(e.dir).Entries()
	if err != nil || damaged > 0 {
		e.t.Fatalf("journal: %v, %d damaged", err, damaged)
	}
	var out []string
	for _, en := range entries {
		if en.Device == device && en.Kind == wipe.Kind {
			out = append(out, en.State)
		}
	}
	return out
}

// held reports whether Porchlight still holds the device's password.
func (e *env) held(id string) bool {
	_, err := e.vault.Get(context.Background(), id+"/admin")
	return err == nil
}

// plan plans a wipe of ids and confirms it with the right phrase.
func (e *env) plan(ids ...string) (*wipe.Wiper, *wipe.Plan, wipe.Confirmation) {
	e.t.Helper()
	w := e.wiper()
	p, err := w.Plan(context.Background(), ids)
	if err != nil {
		e.t.Fatal(err)
	}
	c, err := p.Confirm(p.Phrase())
	if err != nil {
		e.t.Fatal(err)
	}
	return w, p, c
}
