//go:build linux

package identify

import (
	"context"
	"strings"
	"testing"
	"time"

	"net/netip"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestIdentifyHomeLab identifies every device of the home household and
// compares with what the lab serves.
func TestIdentifyHomeLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	res, err := discover.Scan(context.Background(), discover.Options{Interface: "lo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	byHost := make(map[string]discover.Device)
	for _, d := range res.Devices {
		byHost[d.Host] = d
	}
	// Families whose firmware version a device gives away without a password.
	firmwareKnown := map[sim.Family]bool{
		sim.ShellyGen1: true, sim.ShellyGen2: true, sim.Tasmota: true, sim.WLED: true, sim.ESPHome: true,
		sim.HueBridge: true, sim.Chromecast: true, sim.Sonos: true, sim.Elgato: true, sim.OctoPrint: true,
	}
	for _, want := range lab.Devices() {
		d, ok := byHost[want.Host+".local"]
		if !ok {
			t.Errorf("%s: not discovered", want.Host)
			continue
		}
		id := Identify(context.Background(), d, 2*time.Second)
		if string(id.Family) != string(want.Family) {
			t.Errorf("%s: family %q, want %q (evidence %+v)", want.Host, id.Family, want.Family, id.Evidence)
			continue
		}
		if firmwareKnown[want.Family] && !strings.Contains(id.Firmware, want.Firmware) {
			t.Errorf("%s: firmware %q, want %q", want.Host, id.Firmware, want.Firmware)
		}
		if id.Model == "" || len(id.Evidence) == 0 {
			t.Errorf("%s: model %q with %d pieces of evidence", want.Host, id.Model, len(id.Evidence))
		}
		if id.HardwareID != "" && id.HardwareID != strings.ToLower(want.MAC) && want.Family != sim.HueBridge {
			t.Errorf("%s: hardware id %q, want %q", want.Host, id.HardwareID, strings.ToLower(want.MAC))
		}
		if n := countRequests(id); n > MaxRequests {
			t.Errorf("%s: %d requests, more than %d", want.Host, n, MaxRequests)
		}
	}
}

// TestIdentifyByContent checks that a Tasmota posing under a Shelly name is
// identified by what it answers, and that a silent device stays unknown.
func TestIdentifyByContent(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	var tasmota *sim.Device
	for _, d := range lab.Devices() {
		if d.Family == sim.Tasmota {
			tasmota = d
		}
	}
	posing := discover.Device{Host: "shelly1-c0ffee.local", Addresses: []netip.Addr{tasmota.Addr},
		Services: []discover.Service{{Type: "_http._tcp", Instance: "shelly1-c0ffee", Port: 80}}}
	if id := Identify(context.Background(), posing, time.Second); id.Family != Tasmota || id.Firmware != tasmota.Firmware {
		t.Errorf("Tasmota under a Shelly name identified as %q %q (evidence %+v)", id.Family, id.Firmware, id.Evidence)
	}
	silent := discover.Device{Host: "mystery.local", Addresses: []netip.Addr{sim.Addr(900)},
		Services: []discover.Service{{Type: "_http._tcp", Instance: "Mystery", Port: 80}}}
	if id := Identify(context.Background(), silent, 500*time.Millisecond); id.Family != Unknown || len(id.Evidence) == 0 {
		t.Errorf("a device that answers nothing: %q with evidence %+v, want unknown with the failed requests", id.Family, id.Evidence)
	}
}

func countRequests(id Identity) int {
	n := 0
	for _, e := range id.Evidence {
		if !strings.HasPrefix(e.Asked, "TXT ") {
			n++
		}
	}
	return n
}
