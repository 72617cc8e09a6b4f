//go:build linux

package wsd

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestScanHomeLab: over real sockets (inside the isolated namespace), a
// probe finds the home household's two cameras, each once, from its own
// address; asked without credentials, the one with authentication refuses
// GetDeviceInformation and the other tells what it is.
func TestScanHomeLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	res, err := Scan(context.Background(), Options{Interface: "lo"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(res.Found) != len(lab.Cameras()) || res.Dropped != 0 {
		t.Fatalf("found %d cameras (%d dropped), the lab has %d", len(res.Found), res.Dropped, len(lab.Cameras()))
	}
	for _, want := range lab.Cameras() {
		i := slices.IndexFunc(res.Found, func(f Found) bool { return f.Addr == want.Addr })
		if i < 0 {
			t.Errorf("%s not found", want.Name)
			continue
		}
		f := res.Found[i]
		if f.UUID != want.UUID || f.Service().Instance != want.Name || f.XAddr != want.XAddr() {
			t.Errorf("%s: %+v", want.Name, f)
		}
		info := Identify(context.Background(), nil, f.Addr, f.Port, f.Path, 2*time.Second)
		// The open camera is asked for its stream, too (three more calls).
		calls := map[bool]int{true: 2, false: 5}[want.Auth]
		if !info.DateTime || info.Open == want.Auth || info.Refused != want.Auth || len(info.Evidence) != calls {
			t.Errorf("%s (auth %v): %+v", want.Name, want.Auth, info)
		}
		if wantURI := map[bool]string{true: "", false: want.StreamURI()}[want.Auth]; info.StreamURI != wantURI {
			t.Errorf("%s: stream URI %q, want %q", want.Name, info.StreamURI, wantURI)
		}
		if !want.Auth && (info.Manufacturer != want.Manufacturer || info.Model != want.Model || info.Firmware != want.Firmware) {
			t.Errorf("%s: identified as %+v", want.Name, info)
		}
	}
}

// TestScanHostileLab: a flood of 500 bogus cameras from one address adds
// at most MaxPerSender; the household's cameras are all found.
func TestScanHostileLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHostile})
	res, err := Scan(context.Background(), Options{Interface: "lo"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	flood := 0
	for _, f := range res.Found {
		if f.Addr == sim.WSDFloodAddr {
			flood++
		}
	}
	if flood > MaxPerSender || res.Dropped == 0 {
		t.Errorf("the flood added %d cameras (%d dropped), at most %d allowed", flood, res.Dropped, MaxPerSender)
	}
	for _, want := range lab.Cameras() {
		if !slices.ContainsFunc(res.Found, func(f Found) bool { return f.Addr == want.Addr }) {
			t.Errorf("%s not found", want.Name)
		}
	}
}
