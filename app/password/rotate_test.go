package password

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"

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

// slowDevice asks to wait for its first logins, as WLED does right after a change.
type slowDevice struct {
	fakeDevice
	waits int
}

func (s *slowDevice) Login(ctx context.Context, t driver.Target, c *driver.Credentials) error {
	s.mu.Lock()
	if s.waits > 0 && s.password != "" {
		s.waits--
		s.mu.Unlock()
		return driver.ErrRateLimited
	}
	s.mu.Unlock()
	return s.fakeDevice.Login(ctx, t, c)
}

func (s *slowDevice) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if err := s.fakeDevice.SetPassword(ctx, t, current, next); err != nil {
		return err
	}
	s.mu.Lock()
	s.waits = 2
	s.mu.Unlock()
	return nil
}

func TestVerificationWaitsOutACooldown(t *testing.T) {
	dev := &slowDevice{}
	v := &vault.Fake{}
	if _, err := (&Rotator{Vault: v}).Rotate(context.Background(), dev, target, "BrandNewPassword7"); err != nil {
		t.Fatalf("Rotate on a device that asks to wait after a change: %v", err)
	}
	if len(v.Accounts()) != 1 || dev.password != "BrandNewPassword7" {
		t.Errorf("after the cooldown: keyring %v, device password set %v", v.Accounts(), dev.password != "")
	}
}
