//go:build linux

package identify

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

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
		sim.IPPPrinter: true,
	}
	// Families whose hardware id comes from their own HTTP (or IPP) answer;
	// the others announce it, and an announcement proves nothing.
	answeredHardwareID := map[sim.Family]bool{
		sim.ShellyGen1: true, sim.ShellyGen2: true, sim.Tasmota: true, sim.WLED: true, sim.HueBridge: true,
		sim.Chromecast: true, sim.Sonos: true, sim.Elgato: true, sim.IPPPrinter: true,
	}
	printers := 0
	for _, want := range lab.Devices() {
		d, ok := byHost[want.Host+".local"]
		if !ok {
			t.Errorf("%s: not discovered", want.Host)
			continue
		}
		id := Identify(context.Background(), nil, d, 2*time.Second)
		if string(id.Family) != string(want.Family) {
			t.Errorf("%s: family %q, want %q (evidence %+v)", want.Host, id.Family, want.Family, id.Evidence)
			continue
		}
		if firmwareKnown[want.Family] && !strings.Contains(id.Firmware, want.Firmware) {
			t.Errorf("%s: firmware %q, want %q", want.Host, id.Firmware, want.Firmware)
		}
		if (id.Model == "" && want.Family != sim.AnnounceOnly) || len(id.Evidence) == 0 {
			t.Errorf("%s: model %q with %d pieces of evidence", want.Host, id.Model, len(id.Evidence))
		}
		if want.Kind != "" && (id.VendorID != want.Vendor || id.Kind != want.Kind) {
			t.Errorf("%s: recognised as %q %q, want %q %q (evidence %+v)", want.Host, id.VendorID, id.Kind, want.Vendor, want.Kind, id.Evidence)
		}
		wantHardwareID := strings.ToLower(want.MAC)
		if want.Family == sim.IPPPrinter {
			wantHardwareID = strings.ToLower(announced(want, "_ipp._tcp", "UUID"))
		}
		if id.HardwareID != "" && id.HardwareID != wantHardwareID && want.Family != sim.HueBridge {
			t.Errorf("%s: hardware id %q, want %q", want.Host, id.HardwareID, wantHardwareID)
		}
		if answers := answeredHardwareID[want.Family]; id.HardwareIDAnswered != answers {
			t.Errorf("%s: hardware id answered %v, want %v", want.Host, id.HardwareIDAnswered, answers)
		}
		if n := countRequests(id); n > MaxRequests {
			t.Errorf("%s: %d requests, more than %d", want.Host, n, MaxRequests)
		}
		if want.Family == sim.IPPPrinter {
			printers++
			checkLabPrinter(t, want, id)
		}
	}
	if printers == 0 {
		t.Error("the home lab has no printer to identify")
	}
}

// checkLabPrinter checks a lab printer's identity against what the
// simulator announces and serves: the make and model of TXT ty, firmware and
// UUID (as TXT UUID announces it) read with exactly one IPP
// Get-Printer-Attributes request to the announced port and resource.
func checkLabPrinter(t *testing.T, want *sim.Device, id Identity) {
	t.Helper()
	uuid := strings.ToLower(announced(want, "_ipp._tcp", "UUID"))
	if id.Firmware != want.Firmware || id.HardwareID != uuid || uuid == "" ||
		id.Vendor != "Brother" || id.Model != announced(want, "_ipp._tcp", "ty") {
		t.Errorf("%s: identified as %q %q firmware %q hardware id %q, want Brother %q firmware %q hardware id %q (evidence %+v)",
			want.Host, id.Vendor, id.Model, id.Firmware, id.HardwareID, announced(want, "_ipp._tcp", "ty"), want.Firmware, uuid, id.Evidence)
	}
	if n := countRequests(id); n != 1 {
		t.Errorf("%s: %d requests, want one IPP request", want.Host, n)
	}
	asked := "POST http://" + want.Addr.String() + ":631/" + announced(want, "_ipp._tcp", "rp") + " (IPP Get-Printer-Attributes)"
	ok := slices.ContainsFunc(id.Evidence, func(e Evidence) bool {
		return e.Asked == asked && e.Status == 200 && strings.Contains(e.Saw, "printer-firmware-string-version="+want.Firmware)
	})
	if !ok {
		t.Errorf("%s: no evidence of %q answering firmware %s: %+v", want.Host, asked, want.Firmware, id.Evidence)
	}
}

// announced returns the value of key in the TXT record the simulated
// device announces for service typ.
func announced(d *sim.Device, typ, key string) string {
	for _, s := range d.Services {
		if s.Type != typ {
			continue
		}
		for _, kv := range s.TXT {
			if k, v, _ := strings.Cut(kv, "="); k == key {
				return v
			}
		}
	}
	return ""
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
	if id := Identify(context.Background(), nil, posing, time.Second); id.Family != Tasmota || id.Firmware != tasmota.Firmware {
		t.Errorf("Tasmota under a Shelly name identified as %q %q (evidence %+v)", id.Family, id.Firmware, id.Evidence)
	}
	silent := discover.Device{Host: "mystery.local", Addresses: []netip.Addr{sim.Addr(900)},
		Services: []discover.Service{{Type: "_http._tcp", Instance: "Mystery", Port: 80}}}
	if id := Identify(context.Background(), nil, silent, 500*time.Millisecond); id.Family != Unknown || len(id.Evidence) == 0 {
		t.Errorf("a device that answers nothing: %q with evidence %+v, want unknown with the failed requests", id.Family, id.Evidence)
	}
}
