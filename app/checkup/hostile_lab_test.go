//go:build linux

package checkup

import (
	"context"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestCheckupOfHostileDevices checks every attacking device of the hostile
// household: each checkup ends on its own (slow drips, endless bodies, header
// floods, redirect loops and redirects elsewhere, broken JSON, garbage TLS,
// stalls, hang-ups) with a bounded cost, and its lines say "unknown" with a
// reason instead of a result the device never gave.
func TestCheckupOfHostileDevices(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHostile})
	var devices []discover.Device
	attack := make(map[string]sim.Attack)
	for _, d := range lab.Devices() {
		if d.Attack == "" {
			continue
		}
		anns := make([]discover.Announcement, len(d.Services))
		for i, s := range d.Services {
			anns[i] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
		}
		dev := discover.FromAnnouncements(d.Host, []netip.Addr{d.Addr}, anns, time.Now())
		devices = append(devices, dev)
		attack[dev.ID] = d.Attack
	}
	if len(devices) < 9 {
		t.Fatalf("the hostile lab has %d attacking devices", len(devices))
	}
	const timeout = 500 * time.Millisecond
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang fails here, not in the loop
	defer cancel()
	h, err := Run(ctx, devices, Options{Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("the checkup of hostile devices did not end on its own")
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Errorf("the heap grew by %d MB checking %d devices", grew>>20, len(devices))
	}
	for _, sc := range h.Devices {
		a := attack[sc.Device.ID]
		if sc.Device.Firmware != "" {
			t.Errorf("%s (%s): firmware %q read from an attacker", sc.Device.ID, a, sc.Device.Firmware)
		}
		for _, l := range sc.Lines {
			if l.Provision == "5.3" && l.Status != Unknown {
				t.Errorf("%s (%s): 5.3 is %s: %q", sc.Device.ID, a, l.Status, l.Sentence(English))
			}
			for _, e := range l.Evidence.Each(English) {
				if strings.Contains(e, "8.8.8.8") || strings.Contains(e, "192.168.") {
					t.Errorf("%s (%s): evidence names an outside address: %q", sc.Device.ID, a, e)
				}
			}
		}
	}
}
