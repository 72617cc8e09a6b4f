//go:build linux

package app

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// actingFamilies are the families Porchlight sends secrets to.
var actingFamilies = []sim.Family{sim.ShellyGen1, sim.ShellyGen2, sim.Tasmota, sim.WLED, sim.HueBridge}

// TestImpostorsGetNothing claims one device of each family that receives
// secrets, keeps a password for each, and then lets impostors copy their
// announcements (same mDNS names and TXT records, same family API, another
// MAC): once at another address beside the real device, once at the real
// device's own address after it left. Every action that sends a secret —
// update check, password change, update, reset, factory-password check,
// pairing, wipe — must send the impostor nothing and, where the real device
// is gone, change nothing in the keyring and say that the device could not
// prove its identity.
func TestImpostorsGetNothing(t *testing.T) {
	ctx := context.Background()
	dir, v := t.TempDir(), &vault.Fake{}
	env := Env{Dir: dir, Vault: v, Network: HomeNetwork{Interface: "lo"}}

	// The person claims the devices while they are the real ones.
	claimed := map[sim.Family]string{} // family → device ID
	hosts := map[sim.Family]string{}   // family → sim host
	func() {
		lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
		defer lab.Close()
		c, err := Open(env)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Check(ctx, c.Devices(), CheckOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, f := range actingFamilies {
			i := slices.IndexFunc(lab.Devices(), func(d *sim.Device) bool { return d.Family == f && !d.AuthEnabled() })
			if i < 0 {
				t.Fatalf("the home lab has no %s without a password", f)
			}
			sd := lab.Devices()[i]
			id := idOfHost(t, c, sd.Host)
			if err := c.Claim(ctx, []string{id}, "", ""); err != nil {
				t.Fatal(err)
			}
			if rec, _ := c.Record(id); rec.Pinned.HardwareID == "" || (f == sim.HueBridge) != (rec.Pinned.TLSKey != "") {
				t.Fatalf("%s: claiming pinned %+v", f, rec.Pinned)
			}
			keep(t, c, id, "Kept-secret-"+string(f)+"-1234")
			claimed[f], hosts[f] = id, sd.Host
		}
		c.Close()
	}()

	for _, sc := range []struct {
		name                 string
		sameAddress, sameMAC bool
		families             []sim.Family
		want                 IdentityProblem
	}{
		{"in the real device's place", true, false, actingFamilies, OtherDevice},
		{"beside the real device", false, false, actingFamilies, 0},
		// The bridge's MAC can be replayed; its TLS key cannot.
		{"in the bridge's place with its MAC", true, true, []sim.Family{sim.HueBridge}, NewKey},
	} {
		sameAddress := sc.sameAddress
		t.Run(sc.name, func(t *testing.T) {
			var specs []sim.Impostor
			for _, f := range sc.families {
				specs = append(specs, sim.Impostor{Of: hosts[f], SameAddress: sameAddress, SameMAC: sc.sameMAC})
			}
			lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Impostors: specs})
			c, err := Open(env)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
				t.Fatal(err)
			}
			before := keyringOf(t, c, claimed)
			for _, f := range sc.families {
				id := claimed[f]
				var errs []error
				_, err := c.CheckUpdate(ctx, id)
				errs = append(errs, err)
				errs = append(errs, c.SetPassword(ctx, id, ""))
				_, err = c.ApplyUpdate(ctx, id, UpdateOptions{Wait: time.Second})
				errs = append(errs, err)
				_, err = c.Reset(ctx, id, true, UpdateOptions{Wait: time.Second})
				errs = append(errs, err)
				if len(c.FactoryPasswords(id)) > 0 {
					_, err = c.TryFactoryPasswords(ctx, id, nil)
					errs = append(errs, err)
				}
				if f == sim.HueBridge {
					errs = append(errs, c.Pair(ctx, id))
				}
				if sameAddress {
					for i, err := range errs {
						var idErr *IdentityError
						if !errors.As(err, &idErr) || idErr.Problem != sc.want {
							t.Errorf("%s, action %d: %v, want an IdentityError (%d)", f, i, err, sc.want)
						}
					}
				}
			}
			var ids []string
			for _, f := range sc.families {
				ids = append(ids, claimed[f])
			}
			if p, err := c.PlanWipe(ctx, ids); err == nil {
				for _, d := range p.Devices {
					if sameAddress && d.Method == wipe.Automatic {
						t.Errorf("the wipe plan would reset %s, whose identity is not proven", d.Name)
					}
				}
			}
			for _, imp := range lab.Impostors() {
				if got := imp.CredentialRequests(); len(got) > 0 {
					t.Errorf("the impostor of %s (%s) received credentials: %v", imp.Family, imp.Addr, got)
				}
			}
			if sameAddress {
				if after := keyringOf(t, c, claimed); !mapsEqual(before, after) {
					t.Errorf("the keyring changed although no device proved its identity:\nbefore %v\nafter  %v", before, after)
				}
			}
		})
	}
}

// idOfHost returns the ID of the remembered device with the sim host name.
func idOfHost(t *testing.T, c *Core, host string) string {
	t.Helper()
	for _, d := range c.Devices() {
		if d.Host == host+".local" {
			return d.ID
		}
	}
	t.Fatalf("%s was not found by the scan", host)
	return ""
}

// keep stores pw as the device's admin password, as a password change would.
func keep(t *testing.T, c *Core, id, pw string) {
	t.Helper()
	acct, err := vault.Account(id, password.PurposeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Vault.Set(context.Background(), acct, pw); err != nil {
		t.Fatal(err)
	}
	if err := c.Inventory.Update(id, func(d *inventory.Device) { d.Secrets = []string{acct} }); err != nil {
		t.Fatal(err)
	}
}

// keyringOf returns the kept password of each device, by ID.
func keyringOf(t *testing.T, c *Core, ids map[sim.Family]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range ids {
		pw, err := c.Password(context.Background(), id)
		if err != nil && !errors.Is(err, ErrNoPassword) {
			t.Fatal(err)
		}
		out[id] = pw
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
