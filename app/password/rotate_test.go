package password

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
)

// fakeDevice is a device with a password, reached through a driver.
type fakeDevice struct {
	mu       sync.Mutex
	password string // "" means none
	offline  bool
	// dropAfterSet makes the device apply a new password, then stop answering.
	dropAfterSet bool
	refuse       bool
}

func (f *fakeDevice) Family() string                      { return "fake" }
func (f *fakeDevice) Capabilities() driver.Capabilities   { return driver.Capabilities{Password: true} }
func (f *fakeDevice) PasswordRules() driver.PasswordRules { return textRules }
func (f *fakeDevice) CheckUpdate(context.Context, driver.Target, *driver.Credentials) (driver.UpdateInfo, error) {
	return driver.UpdateInfo{}, driver.ErrUnsupported
}
func (f *fakeDevice) StartUpdate(context.Context, driver.Target, *driver.Credentials) error {
	return driver.ErrUnsupported
}
func (f *fakeDevice) FactoryReset(context.Context, driver.Target, *driver.Credentials) error {
	return driver.ErrUnsupported
}

func (f *fakeDevice) Login(_ context.Context, _ driver.Target, c *driver.Credentials) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.offline:
		return driver.ErrUnreachable
	case f.password == "":
		return nil // a device without a password lets anyone in
	case c != nil && c.Password == f.password:
		return nil
	}
	return driver.ErrAuth
}

func (f *fakeDevice) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if err := f.Login(ctx, t, current); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse {
		return driver.ErrRefused
	}
	f.password = next.Password
	if f.dropAfterSet {
		f.offline = true
		return driver.ErrUnreachable
	}
	return nil
}

var target = driver.Target{ID: "shelly1-00002a", Addr: netip.MustParseAddr("127.77.0.1")}

// heldPasswordWorks asserts the lock-out contract: the device accepts a
// password Porchlight holds (current or pending), or has none.
func heldPasswordWorks(t *testing.T, v vault.Store, dev *fakeDevice) {
	t.Helper()
	dev.mu.Lock()
	pw := dev.password
	dev.mu.Unlock()
	if pw == "" {
		return
	}
	for _, purpose := range []string{PurposeAdmin, PurposePending} {
		acct, _ := vault.Account(target.ID, purpose)
		if held, err := v.Get(context.Background(), acct); err == nil && held == pw {
			return
		}
	}
	t.Fatal("locked out: the device's password is not one Porchlight holds")
}

func TestRotateFromNoPasswordAndAgain(t *testing.T) {
	ctx := context.Background()
	v, dev := &vault.Fake{}, &fakeDevice{}
	inv, err := inventory.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &Rotator{Vault: v, Inventory: inv}
	first, err := r.Rotate(ctx, dev, target, "")
	if err != nil || dev.password != first {
		t.Fatalf("first Rotate = %v; device has the new password: %v", err, dev.password == first)
	}
	second, err := r.Rotate(ctx, dev, target, "AnotherStrongOne42")
	if err != nil || second != "AnotherStrongOne42" || dev.password != second {
		t.Fatalf("second Rotate = %q, %v", second, err)
	}
	if got := v.Accounts(); len(got) != 1 {
		t.Errorf("keyring holds %v, want only the current password", got)
	}
	d, _ := inv.Get(target.ID)
	if len(d.Secrets) != 2 {
		t.Errorf("inventory indexes %v, want the current and pending accounts", d.Secrets)
	}
}

// TestCrashAtEveryPhase stops a change right after each phase, as a crash
// would, and checks that the device stays reachable with a password
// Porchlight holds and that the next run finishes or rolls back cleanly.
func TestCrashAtEveryPhase(t *testing.T) {
	for _, start := range []string{"", "OldPassword9"} {
		for _, tt := range []struct {
			phase Phase
			want  Outcome
		}{
			{PhasePendingStored, RolledBack},
			{PhaseSent, Finished},
			{PhaseVerified, Finished},
			{PhaseCommitted, Nothing},
		} {
			t.Run(fmt.Sprintf("from %q, crash after %s", start, tt.phase), func(t *testing.T) {
				ctx := context.Background()
				v, dev := &vault.Fake{}, &fakeDevice{password: start}
				if start != "" {
					acct, _ := vault.Account(target.ID, PurposeAdmin)
					v.Set(ctx, acct, start)
				}
				crashing := &Rotator{Vault: v, crashAt: tt.phase}
				if _, err := crashing.Rotate(ctx, dev, target, "BrandNewPassword7"); !errors.Is(err, errCrash) {
					t.Fatalf("Rotate = %v, want the simulated crash", err)
				}
				heldPasswordWorks(t, v, dev)

				next := &Rotator{Vault: v}
				outcome, err := next.Recover(ctx, dev, target)
				if err != nil || outcome != tt.want {
					t.Fatalf("Recover = %s, %v; want %s", outcome, err, tt.want)
				}
				heldPasswordWorks(t, v, dev)
				acct, _ := vault.Account(target.ID, PurposeAdmin)
				held, _ := v.Get(ctx, acct)
				if dev.password != held && !(dev.password == "" && held == "") {
					t.Errorf("after recovery the device has %q but Porchlight holds %q", dev.password, held)
				}
				if len(v.Accounts()) > 1 {
					t.Errorf("after recovery the keyring still holds %v", v.Accounts())
				}
			})
		}
	}
}

func TestDeviceDropsOffAfterApplying(t *testing.T) {
	ctx := context.Background()
	v, dev := &vault.Fake{}, &fakeDevice{password: "", dropAfterSet: true}
	r := &Rotator{Vault: v}
	if _, err := r.Rotate(ctx, dev, target, "BrandNewPassword7"); err == nil {
		t.Fatal("Rotate succeeded though the device stopped answering")
	}
	heldPasswordWorks(t, v, dev)
	if outcome, err := r.Recover(ctx, dev, target); !errors.Is(err, ErrUnresolved) {
		t.Fatalf("Recover while offline = %s, %v; want ErrUnresolved and both passwords kept", outcome, err)
	}
	dev.offline = false
	if outcome, err := r.Recover(ctx, dev, target); err != nil || outcome != Finished {
		t.Fatalf("Recover once back = %s, %v; want finished", outcome, err)
	}
	heldPasswordWorks(t, v, dev)
}

func TestRefusalsLeaveNothingBehind(t *testing.T) {
	ctx := context.Background()
	for name, dev := range map[string]*fakeDevice{
		"refused":          {refuse: true},
		"unknown password": {password: "SomethingElse1"},
	} {
		t.Run(name, func(t *testing.T) {
			v := &vault.Fake{}
			if _, err := (&Rotator{Vault: v}).Rotate(ctx, dev, target, ""); err == nil {
				t.Fatal("Rotate succeeded")
			}
			if len(v.Accounts()) != 0 {
				t.Errorf("keyring holds %v after a refusal", v.Accounts())
			}
		})
	}
	if _, err := (&Rotator{Vault: &vault.Fake{}}).Rotate(ctx, &fakeDevice{password: "SomethingElse1"}, target, ""); !errors.Is(err, ErrUnknownPassword) {
		t.Errorf("a device with a password Porchlight does not hold: %v, want ErrUnknownPassword", err)
	}
}

func TestNoKeyringNoChange(t *testing.T) {
	v := &vault.Fake{}
	v.SetUnavailable(true)
	dev := &fakeDevice{}
	if _, err := (&Rotator{Vault: v}).Rotate(context.Background(), dev, target, ""); !errors.Is(err, vault.ErrUnavailable) {
		t.Fatalf("Rotate without a keyring = %v, want ErrUnavailable", err)
	}
	if dev.password != "" {
		t.Error("the device was given a password Porchlight could not keep")
	}
}

// fakeClock is a clock that moves only when Rotator waits on it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	waited time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Wait(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waited += d
	return nil
}

// wledCooldown is WLED's PIN_RETRY_COOLDOWN.
const wledCooldown = 3 * time.Second

// coolingDevice refuses, as WLED does, every login or change sooner than
// cooldown after the previous one while it has a password, on clock.
type coolingDevice struct {
	fakeDevice
	clock    *fakeClock
	cooldown time.Duration
	last     time.Time
}

// attempt refuses a try within the cooldown, else records it (WLED's
// checkSettingsPIN: a refused try does not restart the cooldown).
func (c *coolingDevice) attempt() error {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.password != "" && now.Sub(c.last) < c.cooldown {
		return fmt.Errorf("%w: within the cooldown", driver.ErrRateLimited)
	}
	c.last = now
	return nil
}

func (c *coolingDevice) Login(ctx context.Context, t driver.Target, cr *driver.Credentials) error {
	if err := c.attempt(); err != nil {
		return err
	}
	return c.fakeDevice.Login(ctx, t, cr)
}

func (c *coolingDevice) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if err := c.attempt(); err != nil {
		return err
	}
	return c.fakeDevice.SetPassword(ctx, t, current, next)
}

// TestRotationWaitsOutACooldown: every login and change of a rotation waits
// while the device asks to (WLED refuses PIN attempts for 3 s after the
// last one), on a fake clock, so nothing really sleeps.
func TestRotationWaitsOutACooldown(t *testing.T) {
	const old = "OldPassword9"
	tests := []struct {
		name     string
		start    string        // the device's password, held by Porchlight
		cooldown time.Duration // the device's cooldown
		since    time.Duration // since the device's last attempt, at the start
		changes  int
		wantErr  error // of the last change; nil for success
	}{
		{"verification right after a change from no password", "", wledCooldown, 0, 1, nil},
		{"first login within the cooldown", old, wledCooldown, time.Second, 1, nil},
		{"a second change right after the first", "", wledCooldown, 0, 2, nil},
		{"a third change right after the second", old, wledCooldown, 0, 3, nil},
		{"a device that never stops asking to wait", old, time.Hour, 0, 1, driver.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &fakeClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
			dev := &coolingDevice{fakeDevice: fakeDevice{password: tt.start}, clock: clock, cooldown: tt.cooldown, last: clock.now.Add(-tt.since)}
			v := &vault.Fake{}
			if tt.start != "" {
				acct, _ := vault.Account(target.ID, PurposeAdmin)
				v.Set(ctx, acct, tt.start)
			}
			r := &Rotator{Vault: v, now: clock.Now, wait: clock.Wait}
			var err error
			for i := range tt.changes {
				next := fmt.Sprintf("BrandNewPassword%d", i)
				if _, err = r.Rotate(ctx, dev, target, next); err != nil {
					break
				}
				if dev.password != next {
					t.Fatalf("change %d succeeded but the device does not have the new password", i+1)
				}
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Rotate = %v, want %v", err, tt.wantErr)
			}
			heldPasswordWorks(t, v, &dev.fakeDevice)
			if len(v.Accounts()) != 1 {
				t.Errorf("keyring holds %v, want the current password only", v.Accounts())
			}
			// Each login and change waits at most rateLimitWait and one retry.
			if clock.waited == 0 || clock.waited > time.Duration(tt.changes)*4*(rateLimitWait+rateLimitRetry) {
				t.Errorf("waited %v in all", clock.waited)
			}
		})
	}
}
