package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// demoCore opens a core on the demo household (in the process, no network).
func demoCore(t *testing.T) (*Core, *simnet.Network) {
	t.Helper()
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: n, OnClose: n.Close})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, n
}

// TestDemoChecksWithoutNetwork runs a scan and a checkup of the demo
// household; it needs no network namespace because nothing leaves the process.
func TestDemoChecksWithoutNetwork(t *testing.T) {
	c, _ := demoCore(t)
	res, err := c.Scan(context.Background(), ScanOptions{}, nil)
	if err != nil || len(res.Devices) < 12 {
		t.Fatalf("demo scan: %d devices, %v", len(res.Devices), err)
	}
	h, err := c.Check(context.Background(), res.Devices, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	identified := 0
	for _, card := range h.Devices {
		if card.Device.Family != "unknown" && card.Device.Firmware != "" {
			identified++
		}
	}
	if identified < 10 || h.Summary.NeedAttention == 0 {
		t.Errorf("demo checkup: %d devices identified with firmware, %d need attention", identified, h.Summary.NeedAttention)
	}
	if !c.Demo() {
		t.Error("a core on the demo household does not say so")
	}
}

// TestNoKeyringNoSecret: without a working keyring, a password change and
// a pairing say so and send the device nothing.
func TestNoKeyringNoSecret(t *testing.T) {
	c, n := demoCore(t)
	ctx := context.Background()
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Check(ctx, c.Devices(), CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range c.Devices() {
		ids = append(ids, d.ID)
	}
	if err := c.Claim(ctx, ids, "", ""); err != nil {
		t.Fatal(err)
	}
	c.Vault.(*vault.Fake).SetUnavailable(true)
	for _, id := range ids {
		caps := c.Capabilities(id)
		if caps.Password {
			if err := c.SetPassword(ctx, id, ""); !errors.Is(err, ErrNoKeyring) {
				t.Errorf("%s: password change without a keyring: %v", id, err)
			}
		}
		if caps.Pairing {
			if err := c.Pair(ctx, id); !errors.Is(err, ErrNoKeyring) {
				t.Errorf("%s: pairing without a keyring: %v", id, err)
			}
		}
	}
	for _, d := range n.Devices() {
		if got := d.CredentialRequests(); len(got) > 0 {
			t.Errorf("%s received credentials: %v", d.Name, got)
		}
	}
}

// TestDevicesAreCalledByTheirOwnNames: after a checkup, a device announced
// by its host name is called by the name it reports (a Shelly Plus's,
// a Tasmota's, a WLED's), unless the person named it.
func TestDevicesAreCalledByTheirOwnNames(t *testing.T) {
	c, n := demoCore(t)
	ctx := context.Background()
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var plug, tasmota string
	for _, d := range c.Devices() {
		switch {
		case strings.HasPrefix(d.Host, "shellyplusplugs-") && plug == "":
			plug = d.ID
		case strings.HasPrefix(d.Host, "tasmota-") && tasmota == "":
			tasmota = d.ID
		}
	}
	if err := c.Claim(ctx, []string{tasmota}, "Aquarium", ""); err != nil {
		t.Fatal(err)
	}
	res, err := c.Check(ctx, c.Devices(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, sc := range res.Devices {
		names[sc.Device.ID] = sc.Device.Name
	}
	var want string
	for _, sd := range n.Devices() {
		if strings.HasPrefix(sd.Host, "shellyplusplugs-") && want == "" {
			want = sd.Name
		}
	}
	if rec, _ := c.Record(plug); names[plug] != want || rec.Name != want {
		t.Errorf("the plug is called %q (remembered %q), want the name it reports, %q", names[plug], rec.Name, want)
	}
	if rec, _ := c.Record(tasmota); names[tasmota] != "Aquarium" || rec.Name != "Aquarium" {
		t.Errorf("the Tasmota the person named is called %q (remembered %q)", names[tasmota], rec.Name)
	}
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if rec, _ := c.Record(plug); rec.Name != want {
		t.Errorf("a new scan renamed the plug to %q", rec.Name)
	}
}

func TestDescribeModel(t *testing.T) {
	for _, tt := range []struct{ vendor, model, want string }{
		{"Brother", "Brother HL-L2350DW series", "Brother HL-L2350DW series"},
		{"Philips Hue", "Hue Bridge BSB002", "Philips Hue Bridge BSB002"},
		{"Shelly", "SHSW-1", "Shelly SHSW-1"},
		{"Shelly", "", "Shelly"},
		{"", "Key Light", "Key Light"},
		{"Elgato", "elgato key light", "elgato key light"},
		{"Hue", "Huey Lamp", "Hue Huey Lamp"},
		{"  Bose ", " SoundTouch  10 ", "Bose SoundTouch 10"},
	} {
		if got := DescribeModel(tt.vendor, tt.model); got != tt.want {
			t.Errorf("DescribeModel(%q, %q) = %q, want %q", tt.vendor, tt.model, got, tt.want)
		}
	}
}
