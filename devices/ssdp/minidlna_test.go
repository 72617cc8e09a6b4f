//go:build linux

package ssdp

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim/minidlna"
)

// TestScanAgainstMinidlna checks SSDP discovery against minidlna, a UPnP
// media server nobody here wrote, running as a second host joined by a veth
// pair with link-local addresses. minidlna announces itself when it starts
// and then only every notify_interval (900 s here), so after a pause a scan
// hears it answering M-SEARCH. The scan must find it at its own address,
// read its description and identify it as its configuration says.
func TestScanAgainstMinidlna(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	cfg := minidlna.Config{
		FriendlyName: "Wohnzimmer Medien (Keller)",
		ModelName:    "Porchlight Lab Media Box",
		ModelNumber:  "4.2",
		Serial:       "PL-0001",
		Local:        netip.MustParsePrefix("169.254.88.1/16"),
		Peer:         netip.MustParsePrefix("169.254.88.2/16"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := minidlna.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("starting minidlnad: %v", err)
	}
	defer d.Close()
	time.Sleep(time.Second) // past its first announcements

	res, err := Scan(ctx, Options{Interface: d.Interface()})
	if err != nil {
		t.Fatalf("Scan: %v\nminidlnad said:\n%s", err, d.Log())
	}
	t.Logf("%d root devices in %v", len(res.Found), res.Elapsed.Round(time.Millisecond))
	if len(res.Found) != 1 || res.Dropped != 0 {
		t.Fatalf("found %+v (%d dropped), want minidlna alone\nminidlnad said:\n%s", res.Found, res.Dropped, d.Log())
	}
	f := res.Found[0]
	if f.Addr != cfg.Peer.Addr() || f.Port != minidlna.Port {
		t.Errorf("found at %s port %d, want %s port %d", f.Addr, f.Port, cfg.Peer.Addr(), minidlna.Port)
	}
	if f.Description == nil {
		t.Fatalf("description not read: %s", f.Err)
	}
	r := f.Description.Root
	got := [5]string{r.DeviceType, r.FriendlyName, r.Manufacturer, r.ModelName, r.ModelNumber}
	want := [5]string{"urn:schemas-upnp-org:device:MediaServer:1", cfg.FriendlyName, minidlna.Manufacturer, cfg.ModelName, cfg.ModelNumber}
	if got != want {
		t.Errorf("identified as %q, want %q", got, want)
	}
	if r.SerialNumber != cfg.Serial || r.UDN != "uuid:"+f.UUID {
		t.Errorf("serial %q, UDN %q (USN's UUID %q), want serial %q and the same UUID", r.SerialNumber, r.UDN, f.UUID, cfg.Serial)
	}
	if _, ok := f.Description.Find("urn:schemas-upnp-org:service:ContentDirectory:1"); !ok {
		t.Errorf("no ContentDirectory service in %+v", r.Services)
	}
	merged := Merge(nil, res.Found)
	if len(merged) != 1 || merged[0].Name != cfg.FriendlyName || len(merged[0].Protocols) != 1 || merged[0].Protocols[0] != discover.ProtocolSSDP {
		t.Errorf("merged into %+v", merged)
	}
	if err := d.Close(); err != nil {
		t.Error(err)
	}
	if err := netns.Check(); err != nil {
		t.Errorf("after Close: %v", err)
	}
}
