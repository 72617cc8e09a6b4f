package app

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/devhttp"
)

// scripted is a network whose scans find what the test says, and which
// records the options it was given.
type scripted struct {
	found []Device
	opts  []ScanOptions
}

func (n *scripted) Scan(_ context.Context, opts ScanOptions, _ func(ScanEvent)) (ScanResult, error) {
	n.opts = append(n.opts, opts)
	return ScanResult{Devices: n.found}, nil
}

func (n *scripted) Watch(_ context.Context, opts ScanOptions, _ func(ScanEvent)) error {
	n.opts = append(n.opts, opts)
	return nil
}
func (n *scripted) Dialer() devhttp.Network { return nil }
func (n *scripted) Simulated() bool         { return true }

func scriptedCore(t *testing.T, n *scripted) *Core {
	t.Helper()
	c, err := Open(Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestScanKeepsRememberedDevices: a scan, and watching, are told to keep
// every device Porchlight remembers, claimed or only seen, whatever their
// limits.
func TestScanKeepsRememberedDevices(t *testing.T) {
	now := time.Now()
	n := &scripted{found: []Device{
		{ID: "mac-1", Name: "Lamp", Host: "lamp.local", Services: []Service{{Type: "_wled._tcp", Instance: "Lamp"}}, LastSeen: now},
		{ID: "plug", Name: "Plug", Host: "plug.local", LastSeen: now},
	}}
	c := scriptedCore(t, n)
	if _, err := c.Scan(context.Background(), ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if len(n.opts[0].Keep) != 0 {
		t.Errorf("the first scan kept %v, want nothing yet", n.opts[0].Keep)
	}
	if err := c.Inventory.Update("mac-1", func(d *inventory.Device) { d.Claimed = true }); err != nil {
		t.Fatal(err)
	}
	n.found = nil
	if _, err := c.Scan(context.Background(), ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, d := range n.opts[1].Keep {
		hosts = append(hosts, d.Host)
		if d.Host == "lamp.local" && (len(d.Services) != 1 || d.Services[0].Instance != "Lamp") {
			t.Errorf("the lamp is kept without its service: %+v", d)
		}
	}
	slices.Sort(hosts)
	if !slices.Equal(hosts, []string{"lamp.local", "plug.local"}) {
		t.Errorf("the second scan kept %v, want the claimed lamp and the plug seen before", hosts)
	}
	if err := c.Watch(context.Background(), func(Device) {}); err != nil {
		t.Fatal(err)
	}
	if len(n.opts[2].Keep) != 2 {
		t.Errorf("watching kept %v, want both remembered devices", n.opts[2].Keep)
	}
}

// TestRememberForgetsStaleStrangers: remembering a scan forgets devices
// nobody claimed that were not seen for inventory.ForgetAfter, never a
// claimed one, and keeps what the scan found.
func TestRememberForgetsStaleStrangers(t *testing.T) {
	n := &scripted{}
	c := scriptedCore(t, n)
	long := time.Now().Add(-inventory.ForgetAfter - 24*time.Hour)
	for _, id := range []string{"stranger", "mine"} {
		if err := c.Inventory.Update(id, func(d *inventory.Device) { d.Host, d.LastSeen, d.Claimed = id+".local", long, id == "mine" }); err != nil {
			t.Fatal(err)
		}
	}
	var found []Device
	for i := range 3 {
		found = append(found, Device{ID: fmt.Sprint("new-", i), Host: fmt.Sprintf("new-%d.local", i), LastSeen: time.Now()})
	}
	if err := c.Remember(found); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range c.Inventory.Devices() {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	if want := []string{"mine", "new-0", "new-1", "new-2"}; !slices.Equal(ids, want) {
		t.Errorf("remembered %v, want %v", ids, want)
	}
}

// TestRememberRecognisesFromAnnouncements: after a scan, the record says
// what the announcements alone say the device is (no request is made: the
// scripted network has no dialer), until a check replaces it.
func TestRememberRecognisesFromAnnouncements(t *testing.T) {
	now := time.Now()
	printer := Device{ID: "p1", Name: "Brother DCP-T420W", Host: "BRW10B1DFA23670", LastSeen: now, Services: []Service{{
		Type: "_ipp._tcp", Instance: "Brother DCP-T420W",
		TXT: map[string]string{"ty": "Brother DCP-T420W", "usb_mfg": "Brother"},
	}}}
	box := Device{ID: "b1", Name: "Box", Host: "box", LastSeen: now, Services: []Service{{Type: "_foo._tcp", Instance: "Box"}}}
	c := scriptedCore(t, &scripted{found: []Device{printer, box}})
	if _, err := c.Scan(context.Background(), ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	r, _ := c.Record("p1")
	if r.VendorID != "brother" || r.Kind != "printer" || r.Vendor == "" {
		t.Errorf("printer recorded as vendor %q (%q) kind %q, want brother printer", r.VendorID, r.Vendor, r.Kind)
	}
	if r, _ := c.Record("b1"); r.VendorID != "" || r.Kind != "" {
		t.Errorf("unknown box recorded as vendor %q kind %q, want nothing", r.VendorID, r.Kind)
	}
	// A check's answers win over later scans.
	if err := c.Inventory.Update("p1", func(d *inventory.Device) { d.Family, d.Kind, d.VendorID = "ipp-printer", "other", "" }); err != nil {
		t.Fatal(err)
	}
	if err := c.Remember([]Device{printer}); err != nil {
		t.Fatal(err)
	}
	if r, _ := c.Record("p1"); r.Kind != "other" || r.VendorID != "" {
		t.Errorf("a scan replaced what a check found: kind %q vendor %q", r.Kind, r.VendorID)
	}
}
