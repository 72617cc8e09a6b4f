//go:build linux

package password

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
	_ "github.com/porchlight/porchlight/devices/driver/all"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// fileVault stands in for the OS keyring across the processes of this test
// only (the keyring is not available here): a JSON file in the test's
// temporary directory, holding the passwords of simulated devices.
type fileVault struct {
	path string
	mu   sync.Mutex
}

func (f *fileVault) load() map[string]string {
	m := map[string]string{}
	if b, err := os.ReadFile(f.path); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func (f *fileVault) save(m map[string]string) error {
	b, _ := json.Marshal(m)
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}

func (f *fileVault) Set(_ context.Context, account, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.load()
	m[account] = secret
	return f.save(m)
}

func (f *fileVault) Get(_ context.Context, account string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.load()[account]; ok {
		return v, nil
	}
	return "", vault.ErrNotFound
}

func (f *fileVault) Delete(_ context.Context, account string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.load()
	if _, ok := m[account]; !ok {
		return vault.ErrNotFound
	}
	delete(m, account)
	return f.save(m)
}

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
	r := &Rotator{Vault: &fileVault{path: os.Getenv(envVault)}, crashAt: Phase(phase)}
	_, err := r.Rotate(context.Background(), d, tgt, "")
	if errors.Is(err, errCrash) {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
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
	v := &fileVault{path: filepath.Join(t.TempDir(), "vault.json")}
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
		child := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		child.Env = append(os.Environ(), envPhase+"="+string(tt.phase), envAddr+"="+dev.Addr.String(), envVault+"="+v.path)
		err := child.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("after %s: the child was not killed: %v", tt.phase, err)
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
	if d.Login(ctx, tgt, nil) == nil {
		return
	}
	for _, purpose := range []string{PurposeAdmin, PurposePending} {
		if pw, err := v.Get(ctx, tgt.ID+"/"+purpose); err == nil && d.Login(ctx, tgt, &driver.Credentials{Password: pw}) == nil {
			return
		}
	}
	t.Fatal("locked out: the device accepts no password Porchlight holds")
}
