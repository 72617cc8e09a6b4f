//go:build linux

package ssdp

import (
	"context"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestScanHomeLab: over real sockets (inside the isolated namespace), a
// scan finds the home household's router, TV and NAS, each once, from
// its own address, with its description read.
func TestScanHomeLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	res, err := Scan(context.Background(), Options{Interface: "lo"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(res.Found) != len(lab.UPnPDevices()) || res.Dropped != 0 {
		t.Errorf("found %d root devices (%d dropped), the lab serves %d", len(res.Found), res.Dropped, len(lab.UPnPDevices()))
	}
	for _, want := range lab.UPnPDevices() {
		i := slices.IndexFunc(res.Found, func(f Found) bool { return f.Addr == want.Addr })
		if i < 0 {
			t.Errorf("%s (%s) not found", want.Name, want.Addr)
			continue
		}
		f := res.Found[i]
		if f.Description == nil || f.Description.Root.FriendlyName != want.Name || f.UUID != want.UUID || f.Server != want.Server {
			t.Errorf("%s: %+v (err %q)", want.Name, f, f.Err)
		}
	}
	merged := Merge(nil, res.Found)
	if len(merged) != len(lab.UPnPDevices()) {
		t.Errorf("merged into %d devices", len(merged))
	}
}

// TestScanHostileLab: the flood of 2000 root devices from one address
// adds at most MaxPerSender, the household's UPnP devices are all found,
// and hostile descriptions are refused.
func TestScanHostileLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHostile})
	res, err := Scan(context.Background(), Options{Interface: "lo"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	flood := 0
	for _, f := range res.Found {
		if f.Addr == sim.SSDPFloodAddr {
			flood++
		}
	}
	if flood > MaxPerSender || res.Dropped == 0 {
		t.Errorf("the flood added %d root devices (%d dropped), at most %d allowed", flood, res.Dropped, MaxPerSender)
	}
	for _, want := range lab.UPnPDevices() {
		i := slices.IndexFunc(res.Found, func(f Found) bool { return f.Addr == want.Addr })
		switch {
		case want.Kind == sim.UPnPHostileElsewhere && i >= 0:
			t.Errorf("a description at another address was accepted")
		case want.Kind == sim.UPnPHostileElsewhere:
		case i < 0:
			t.Errorf("%s not found", want.Name)
		case want.Kind == sim.UPnPHostileXML || want.Kind == sim.UPnPHostileHuge:
			if res.Found[i].Description != nil || res.Found[i].Err == "" {
				t.Errorf("%s: hostile description read: %+v", want.Name, res.Found[i])
			}
		case res.Found[i].Description == nil:
			t.Errorf("%s: description not read: %s", want.Name, res.Found[i].Err)
		}
	}
}
