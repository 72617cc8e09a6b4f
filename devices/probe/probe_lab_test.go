//go:build linux

package probe

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestProbeHomeLab probes every device of the home household and checks
// what it observes against what the lab serves.
func TestProbeHomeLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	res, err := discover.Scan(context.Background(), discover.Options{Interface: "lo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	byHost := make(map[string]discover.Device)
	for _, d := range res.Devices {
		byHost[d.Host] = d
	}
	openManagement := map[sim.Family]bool{sim.ShellyGen1: true, sim.ShellyGen2: true, sim.Tasmota: true, sim.Elgato: true, sim.WLED: true}
	for _, want := range lab.Devices() {
		d := byHost[want.Host+".local"]
		id := identify.Identify(context.Background(), nil, d, time.Second)
		r := Probe(context.Background(), d, id, Options{Timeout: time.Second})
		if r.Address != want.Addr || len(r.Errors) > 0 {
			t.Errorf("%s: probed %v with errors %v", want.Host, r.Address, r.Errors)
		}
		served := slices.Concat(want.HTTPPorts, want.TLSPorts)
		for _, p := range served {
			if !slices.Contains(r.OpenPorts, p) {
				t.Errorf("%s: port %d serves HTTP but was not seen open (open: %v)", want.Host, p, r.OpenPorts)
			}
		}
		for _, p := range r.OpenPorts {
			if !slices.Contains(served, p) {
				t.Errorf("%s: port %d seen open, but the lab does not serve it", want.Host, p)
			}
		}
		// WLED's JSON API has no authentication at all; its PIN and OTA lock guard other pages.
		wantOpen := openManagement[want.Family] && (!want.AuthEnabled() || want.Family == sim.WLED)
		if m := r.Management; wantOpen != (m != nil && m.Open) {
			t.Errorf("%s: management %+v, want open %v", want.Host, m, wantOpen)
		}
		a := r.Announced
		if a.HomeKitUnpaired != (want.Family == sim.HomeKit) || a.MatterCommissioningOpen != (want.Family == sim.Matter) ||
			a.ESPHomeAPIUnencrypted != (want.Family == sim.ESPHome) || (len(a.CredentialKeys) > 0) != (want.Family == sim.OctoPrint) {
			t.Errorf("%s: announced %+v", want.Host, a)
		}
		for _, w := range r.Web {
			tls := slices.Contains(want.TLSPorts, w.Port)
			if w.TLS != tls || w.Status == 0 || (tls && (w.TLSInfo == nil || w.TLSInfo.SPKISHA256 != want.TLSKey())) {
				t.Errorf("%s: web interface %+v, want one that answered, over HTTPS with the device's key: %v", want.Host, w, tls)
			}
		}
	}
}

// TestProbeRefusesPublicAddresses checks that a device announcing a public
// address is never contacted.
func TestProbeRefusesPublicAddresses(t *testing.T) {
	d := discover.Device{Host: "evil.local", Addresses: []netip.Addr{netip.MustParseAddr("8.8.8.8")}}
	r := Probe(context.Background(), d, identify.Identity{Family: identify.ShellyGen1}, Options{})
	if len(r.OpenPorts) != 0 || r.Management != nil || len(r.Errors) != 1 {
		t.Errorf("probe of a public address = %+v; want no contact and one error", r)
	}
}
