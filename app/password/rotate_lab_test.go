package password

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestWLEDChangesInARow changes a simulated WLED's PIN three times in a
// row through the real driver: each change starts within the cooldown the
// previous one left (WLED's PIN_RETRY_COOLDOWN, 3 s). The home household is
// served in memory inside a synctest bubble, so the cooldown lasts exactly
// WLED's 3 s on the fake clock and waiting it out takes no real time.
func TestWLEDChangesInARow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		demo, err := sim.NewDemo(sim.ProfileHome, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { demo.Close() })
		i := slices.IndexFunc(demo.Devices(), func(d *sim.Device) bool { return d.Family == sim.WLED && !d.AuthEnabled() })
		if i < 0 {
			t.Fatal("the household has no WLED without a PIN")
		}
		dev := demo.Devices()[i]
		if cd := dev.Timing().PINRetryCooldown; cd != sim.DefaultTiming().PINRetryCooldown {
			t.Fatalf("the WLED's cooldown is %v, want WLED's own", cd)
		}
		drv, _ := driver.For(string(sim.WLED))
		tgt := driver.Target{ID: dev.Host, Addr: dev.Addr, Port: dev.HTTPPorts[0], Net: demo}
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
	})
}
