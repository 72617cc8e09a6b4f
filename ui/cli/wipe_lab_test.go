//go:build linux

package cli

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestWipeAgainstTheLab wipes a simulated Shelly Plus whose password
// Porchlight holds, through the command line: the device is reset and
// comes back unconfigured, the password is deleted, and the JSON and the
// HTML receipt say so without the password.
func TestWipeAgainstTheLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	i := slices.IndexFunc(lab.Devices(), func(d *sim.Device) bool { return d.Family == sim.ShellyGen2 && !d.AuthEnabled() })
	if i < 0 {
		t.Fatal("the lab has no Shelly Plus without a password")
	}
	sd := lab.Devices()[i]
	sd.SetTiming(sim.FastTiming())

	dir, fake := t.TempDir(), useFakeVault(t)
	h, err := app.Open(app.Env{Dir: dir, Vault: fake, Network: app.HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	anns := make([]discover.Announcement, len(sd.Services))
	for j, s := range sd.Services {
		anns[j] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
	}
	dev := discover.FromAnnouncements(sd.Host, []netip.Addr{sd.Addr}, anns, time.Now())
	if err := h.Remember([]app.Device{dev}); err != nil {
		t.Fatal(err)
	}
	const pw = "Wipe-lab.pass-42"
	ctx := context.Background()
	drv, _ := driver.For(string(sim.ShellyGen2))
	if err := drv.SetPassword(ctx, driver.Target{ID: dev.ID, Addr: sd.Addr, Port: sd.HTTPPorts[0]}, nil, driver.Credentials{Password: pw}); err != nil {
		t.Fatal(err)
	}
	acct := dev.ID + "/admin"
	if err := fake.Set(ctx, acct, pw); err != nil {
		t.Fatal(err)
	}
	if err := h.Claim(ctx, []string{dev.ID}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.Inventory.Update(dev.ID, func(d *inventory.Device) { d.Secrets = []string{acct} }); err != nil {
		t.Fatal(err)
	}

	dry, dryOut, dryErr := runWipeCommand("--data-dir", dir, "--interface", "lo", "--dry-run", dev.ID)
	if dry != 0 || !strings.Contains(dryOut, "Porchlight factory-resets it") || !strings.Contains(dryOut, "✓ same hardware  ✓ password") || !sd.AuthEnabled() {
		t.Fatalf("dry run: exit %d\n%s%s", dry, dryOut, dryErr)
	}
	t.Logf("dry run:\n%s", dryOut)

	receipt := filepath.Join(t.TempDir(), "receipt.html")
	code, out, errOut := runWipeCommand("--data-dir", dir, "--interface", "lo", "--json", "--yes", "--receipt", receipt, dev.ID)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	var doc struct {
		Schema  int `json:"schema"`
		Receipt struct {
			Finished bool `json:"finished"`
			Devices  []struct {
				Outcome     string `json:"outcome"`
				ConfirmedBy string `json:"confirmed_by"`
			} `json:"devices"`
		} `json:"receipt"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != 1 || !doc.Receipt.Finished || len(doc.Receipt.Devices) != 1 || doc.Receipt.Devices[0].Outcome != "wiped" || doc.Receipt.Devices[0].ConfirmedBy != "came_back_unconfigured" {
		t.Errorf("document: %s", out)
	}
	if sd.AuthEnabled() {
		t.Error("the device still has a password")
	}
	if len(fake.Accounts()) != 0 {
		t.Errorf("keyring entries left: %v", fake.Accounts())
	}
	page, err := os.ReadFile(receipt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "came back unconfigured") {
		t.Error("the receipt does not say how the reset was confirmed")
	}
	if strings.Contains(out+errOut+string(page), pw) {
		t.Error("the password was printed or written")
	}
}
