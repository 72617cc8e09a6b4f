//go:build linux

package password

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/porchlight/porchlight/app/internal/crashtest"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
	_ "github.com/porchlight/porchlight/devices/driver/all"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// Environment of the child process that is killed.
const (
	envPhase = "PORCHLIGHT_TEST_KILL_AT"
	envAddr  = "PORCHLIGHT_TEST_DEVICE"
	envVault = "PORCHLIGHT_TEST_VAULT"
)

// TestHelperProcess is not a test: it is the child that TestKillAtEveryPhase
// starts; it changes the device's password and kills itself right after
// the phase named in its environment. Without that environment it returns.
func TestHelperProcess(t *testing.T) {
	phase := os.Getenv(envPhase)
	if phase == "" {
		return
	}
	d, _ := driver.For("shelly-gen1")
	tgt := driver.Target{ID: "shelly1-000000", Addr: netip.MustParseAddr(os.Getenv(envAddr))}
	r := &Rotator{Vault: &crashtest.FileVault{Path: os.Getenv(envVault)}, crashAt: Phase(phase)}
	_, err := r.Rotate(context.Background(), d, tgt, "")
	if errors.Is(err, errCrash) {
		crashtest.Kill()
	}
	os.Exit(2) // the phase was never reached
}

// TestKillAtEveryPhase kills a process in the middle of a password change,
// right after each phase, and proves that the device always accepts a
// password Porchlight still holds and that the next run finishes the change
// or rolls it back.
func TestKillAtEveryPhase(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	var dev *sim.Device
	for _, d := range lab.Devices() {
		if d.Host == "shelly1-000000" {
			dev = d
		}
	}
	drv, _ := driver.For("shelly-gen1")
	tgt := driver.Target{ID: dev.Host, Addr: dev.Addr}
	v := &crashtest.FileVault{Path: filepath.Join(t.TempDir(), "vault.json")}
	ctx := context.Background()
	for _, tt := range []struct {
		phase Phase
		want  Outcome
	}{
		{PhasePendingStored, RolledBack},
		{PhaseSent, Finished},
		{PhaseVerified, Finished},
		{PhaseCommitted, Nothing},
	} {
		child, err := crashtest.RunChild(ctx, "TestHelperProcess", envPhase+"="+string(tt.phase), envAddr+"="+dev.Addr.String(), envVault+"="+v.Path)
		if err != nil || !child.Killed {
			t.Fatalf("after %s: the child was not killed: %v\n%s", tt.phase, err, child.Output)
		}
		heldWorks(t, ctx, drv, tgt, v)
		outcome, err := (&Rotator{Vault: v}).Recover(ctx, drv, tgt)
		if err != nil || outcome != tt.want {
			t.Fatalf("killed after %s: Recover = %s, %v; want %s", tt.phase, outcome, err, tt.want)
		}
		heldWorks(t, ctx, drv, tgt, v)
		if _, err := v.Get(ctx, "shelly1-000000/"+PurposePending); !errors.Is(err, vault.ErrNotFound) {
			t.Errorf("killed after %s: a pending password remains after recovery", tt.phase)
		}
	}
}

// heldWorks asserts that the device accepts a password Porchlight holds, or
// has none.
func heldWorks(t *testing.T, ctx context.Context, d driver.Driver, tgt driver.Target, v vault.Store) {
	t.Helper()
	if err := crashtest.NotLockedOut(ctx, d, tgt, v, tgt.ID+"/"+PurposeAdmin, tgt.ID+"/"+PurposePending); err != nil {
		t.Fatal(err)
	}
}
