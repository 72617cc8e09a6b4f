//go:build linux

package password

import (
	"context"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestWLEDChangesInARow changes a simulated WLED's PIN three times in a
// row through the real driver: each change starts within the cooldown the
// previous one left (WLED's PIN_RETRY_COOLDOWN, shortened by FastTiming).
// Run it in an isolated network namespace: .ci/in-netns go test ./app/password/
func TestWLEDChangesInARow(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	i := slices.IndexFunc(lab.Devices(), func(d *sim.Device) bool { return d.Family == sim.WLED && !d.AuthEnabled() })
	if i < 0 {
		t.Fatal("the lab has no WLED without a PIN")
	}
	dev := lab.Devices()[i]
	dev.SetTiming(sim.FastTiming())
	drv, _ := driver.For(string(sim.WLED))
	tgt := driver.Target{ID: dev.Host, Addr: dev.Addr}
	v := &vault.Fake{}
	r := &Rotator{Vault: v}
	ctx := context.Background()
	for _, pin := range []string{"7395", "2846", "5081"} {
		got, err := r.Rotate(ctx, drv, tgt, pin)
		if err != nil || got != pin {
			t.Fatalf("changing the PIN to %s: %q, %v", pin, got, err)
		}
	}
	if err := r.login(ctx, drv, tgt, &driver.Credentials{Password: "5081"}); err != nil {
		t.Errorf("the last PIN does not unlock the device: %v", err)
	}
	if len(v.Accounts()) != 1 {
		t.Errorf("keyring holds %v, want the current PIN only", v.Accounts())
	}
}
