package identify

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestIdentifyLiars identifies the lying devices of the hostile household,
// one per family, served in the process (sim.NewDemo): each reports escape
// sequences, controls, a bidi override and overlong text as its model and
// firmware, in its family's JSON, XML, IPP answer or TXT record. Every
// field of the identity must be safe to show and within devtext.Name, and
// the fields each family's reader takes from the device must show that
// something odd was there (U+FFFD) rather than drop the text silently.
func TestIdentifyLiars(t *testing.T) {
	demo, err := sim.NewDemo(sim.ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Close() })
	// lied names, per family, the fields that carry the device's lie.
	lied := map[sim.Family][]string{
		sim.ShellyGen1: {"model", "firmware", "new firmware"},
		sim.ShellyGen2: {"model", "firmware", "new firmware"},
		sim.Tasmota:    {"firmware"},
		sim.WLED:       {"model", "firmware"},
		sim.ESPHome:    {"model", "firmware"},
		sim.HueBridge:  {"model", "firmware"},
		sim.IPPPrinter: {"vendor", "model", "firmware"},
		sim.Chromecast: {"model", "firmware"},
		sim.HomeKit:    {"model"}, // md is a model, never taken for the maker
		sim.Sonos:      {"model", "firmware"},
		sim.Elgato:     {"firmware"},
		sim.OctoPrint:  {"model", "firmware"},
	}
	seen := map[sim.Family]bool{}
	for _, sd := range demo.Devices() {
		if sd.Family == sim.Hostile {
			continue
		}
		t.Run(string(sd.Family), func(t *testing.T) {
			seen[sd.Family] = true
			anns := make([]discover.Announcement, len(sd.Services))
			for i, s := range sd.Services {
				anns[i] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
			}
			d := discover.FromAnnouncements(sd.Host, []netip.Addr{sd.Addr}, anns, time.Now())
			id := Identify(context.Background(), demo, d, 2*time.Second)
			if string(id.Family) != string(sd.Family) {
				t.Fatalf("identified as %q, want %q (evidence %+v)", id.Family, sd.Family, id.Evidence)
			}
			fields := map[string]string{"vendor": id.Vendor, "model": id.Model, "firmware": id.Firmware,
				"hardware id": id.HardwareID, "new firmware": id.Reported.NewFirmware}
			for name, v := range fields {
				checkShown(t, name, v, devtext.Name)
			}
			for _, name := range lied[sd.Family] {
				if !strings.Contains(fields[name], "\uFFFD") {
					t.Errorf("%s %+q does not show the device's hostile text", name, fields[name])
				}
			}
			for _, e := range id.Evidence {
				checkShown(t, "evidence asked", e.Asked, devtext.Message)
				checkShown(t, "evidence", e.Saw, devtext.Summary)
			}
		})
	}
	for f := range lied {
		if !seen[f] {
			t.Errorf("the hostile household has no lying %s", f)
		}
	}
}

// checkShown fails the test when s, about to be shown as what, holds a
// character that is not safe to show or is longer than limit.
func checkShown(t *testing.T, what, s string, limit int) {
	t.Helper()
	if r, bad := devtexttest.Unsafe(s); bad {
		t.Errorf("%s %+q holds %U", what, s, r)
	}
	if n := utf8.RuneCountInString(s); n > limit {
		t.Errorf("%s of %d characters, more than %d: %+q", what, n, limit, s)
	}
}
