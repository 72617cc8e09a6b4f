//go:build linux

package discover

import (
	"context"
	"maps"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestScanHomeLab checks that every device of the home household is found
// once, at its address, with exactly the services it announces, whether
// the responder sends an instance's records together, each in a message
// of its own, or only what was asked for.
func TestScanHomeLab(t *testing.T) {
	for _, tc := range []struct {
		name      string
		answering sim.Answering
	}{{"together", sim.Together}, {"split", sim.Split}, {"minimal", sim.Minimal}} {
		t.Run(tc.name, func(t *testing.T) { scanHomeLab(t, tc.answering) })
	}
}

func scanHomeLab(t *testing.T, answering sim.Answering) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Answering: answering})
	var events []Event
	res, err := Scan(context.Background(), Options{Interface: "lo"}, func(e Event) { events = append(events, e) })
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(events) < len(lab.Devices()) {
		t.Errorf("got %d events while scanning, want at least one per device (%d)", len(events), len(lab.Devices()))
	}
	byHost := make(map[string]Device)
	for _, d := range res.Devices {
		byHost[d.Host] = d
	}
	if len(res.Devices) != len(lab.Devices()) {
		t.Errorf("found %d devices, the lab serves %d", len(res.Devices), len(lab.Devices()))
	}
	for _, want := range lab.Devices() {
		got, ok := byHost[want.Host+".local"]
		if !ok {
			t.Errorf("device %q (%s.local) not found", want.Name, want.Host)
			continue
		}
		if len(got.Addresses) != 1 || got.Addresses[0] != want.Addr {
			t.Errorf("%s: addresses %v, want [%v]", want.Host, got.Addresses, want.Addr)
		}
		if len(got.Services) != len(want.Services) {
			t.Errorf("%s: %d services, want %d", want.Host, len(got.Services), len(want.Services))
		}
		for _, ws := range want.Services {
			i := slices.IndexFunc(got.Services, func(s Service) bool { return s.Type == ws.Type && s.Instance == ws.Instance })
			if i < 0 {
				t.Errorf("%s: service %s %q missing from %+v", want.Host, ws.Type, ws.Instance, got.Services)
				continue
			}
			gs := got.Services[i]
			if wantTXT := ParseTXT(ws.TXT); gs.Port != ws.Port || !maps.Equal(gs.TXT, wantTXT) {
				t.Errorf("%s %s: port %d TXT %v, want port %d TXT %v", want.Host, ws.Type, gs.Port, gs.TXT, ws.Port, wantTXT)
			}
		}
	}
	// Names people wrote survive intact: spaces, dots, UTF-8, parentheses.
	for _, name := range []string{"Kinderzimmer.Nachtlicht", "Brother HL-L2350DW (Büro)", "Living Room TV", "Esszimmer", "Garage Door"} {
		if !slices.ContainsFunc(res.Devices, func(d Device) bool { return d.Name == name }) {
			t.Errorf("no device named %q", name)
		}
	}
}

// TestScanLargeLab checks that a household of 250 devices is found whole.
func TestScanLargeLab(t *testing.T) {
	simtest.Lab(t, sim.Config{Profile: sim.ProfileLarge})
	res, err := Scan(context.Background(), Options{Interface: "lo"}, nil)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(res.Devices) != sim.DefaultLargeDevices || res.Dropped != 0 {
		t.Errorf("found %d devices with %d dropped, want %d and none", len(res.Devices), res.Dropped, sim.DefaultLargeDevices)
	}
}

// TestScanHostileLab checks that malformed packets, hostile names and a
// flood of bogus instances leave the scan bounded, on time and readable,
// and that the flood, from one address, hides no device of the household.
func TestScanHostileLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHostile})
	const timeout = 8 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), timeout+10*time.Second)
	defer cancel()
	res, err := Scan(ctx, Options{Interface: "lo", Timeout: timeout}, nil)
	if err != nil {
		t.Fatalf("Scan did not end on its own within its timeout: %v", err)
	}
	if len(res.Devices) > MaxDevices {
		t.Errorf("kept %d devices, more than the limit %d", len(res.Devices), MaxDevices)
	}
	if res.Dropped == 0 {
		t.Errorf("a flood of %d instances dropped nothing (kept %d)", sim.FloodInstances, len(res.Devices))
	}
	for _, d := range res.Devices {
		for _, s := range append([]string{d.Name, d.Host}, instanceNames(d)...) {
			if strings.ContainsAny(s, "\x00\x07\x1b\n\u202e\u2066") {
				t.Errorf("device %s shows an unsafe name %q", d.ID, s)
			}
		}
		for _, s := range d.Services {
			if v, ok := s.TXT["p"]; ok && v != Redacted {
				t.Errorf("device %s shows a password in TXT", d.ID)
			}
		}
	}
	for _, want := range lab.Devices() {
		if !slices.ContainsFunc(res.Devices, func(d Device) bool { return d.Host == want.Host+".local" || strings.HasPrefix(d.Host, want.Host) }) {
			t.Errorf("device %s of the household was not found beside the flood", want.Host)
		}
	}
	flooded := 0
	for _, d := range res.Devices {
		if strings.HasPrefix(d.Host, "bogus-") {
			flooded++
		}
	}
	if flooded > MaxHostsPerSender {
		t.Errorf("the flood from one address put %d hosts in the scan, more than a sender's share (%d)", flooded, MaxHostsPerSender)
	}
	if !slices.ContainsFunc(res.Devices, func(d Device) bool { return d.Name == `back\slash.and.dots` }) {
		t.Errorf("the name with a backslash and dots was not decoded intact")
	}
}

func instanceNames(d Device) []string {
	names := make([]string, len(d.Services))
	for i, s := range d.Services {
		names[i] = s.Instance
	}
	return names
}

// BenchmarkScanHostile runs discovery alone against the hostile household
// and reports, besides its time and allocations, the devices kept and
// dropped and the share of scans that found every device of the household
// (all-found: 1 when each did).
//
//	go test -exec $PWD/.ci/in-netns -run '^$' -bench ScanHostile -benchtime 10x ./devices/discover/
func BenchmarkScanHostile(b *testing.B) {
	lab := simtest.Lab(b, sim.Config{Profile: sim.ProfileHostile})
	var kept, dropped, allFound float64
	cpu0 := cpuTime()
	b.ReportAllocs()
	for b.Loop() {
		res, err := Scan(context.Background(), Options{Interface: "lo"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		kept += float64(len(res.Devices))
		dropped += float64(res.Dropped)
		found := 0
		for _, want := range lab.Devices() {
			if slices.ContainsFunc(res.Devices, func(d Device) bool { return d.Host == want.Host+".local" }) {
				found++
			}
		}
		if found == len(lab.Devices()) {
			allFound++
		} else {
			b.Logf("found %d of the household's %d devices", found, len(lab.Devices()))
		}
	}
	n := float64(b.N)
	b.ReportMetric((cpuTime()-cpu0).Seconds()/n, "cpu-s")
	b.ReportMetric(kept/n, "kept")
	b.ReportMetric(dropped/n, "dropped")
	b.ReportMetric(allFound/n, "all-found")
}

// cpuTime is the processor time this process has used, user and system;
// the lab's share included.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
