package app

import (
	"context"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
)

// Demo is the simulated household inside the process, for `porchlight
// --demo`: its devices are reached through an in-memory network, so it
// needs no multicast, no privileges and no real network.
type Demo struct {
	sim *sim.Demo
}

// StartDemo serves a household in the process: the home household, or with
// n > 0 a large one of n devices (for benchmarks).
func StartDemo(n int) (*Demo, error) {
	p := sim.ProfileHome
	if n > 0 {
		p = sim.ProfileLarge
	}
	d, err := sim.NewDemo(p, n)
	if err != nil {
		return nil, err
	}
	return &Demo{sim: d}, nil
}

// Context returns ctx with the demo's network: everything Porchlight does
// with that context reaches the demo devices instead of the real network.
func (d *Demo) Context(ctx context.Context) context.Context {
	return devhttp.WithNetwork(ctx, d.sim)
}

// Scan reports the demo devices as a scan would, one by one, as they "answer".
func (d *Demo) Scan(ctx context.Context, _ ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	start := time.Now()
	var res ScanResult
	devices := d.sim.Devices()
	pace := min(40*time.Millisecond, 1500*time.Millisecond/time.Duration(len(devices)))
	for _, sd := range devices {
		anns := make([]discover.Announcement, len(sd.Services))
		for i, s := range sd.Services {
			anns[i] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
		}
		dev := discover.FromAnnouncements(sd.Host, []netip.Addr{sd.Addr}, anns, time.Now())
		res.Devices = append(res.Devices, dev)
		if onEvent != nil {
			onEvent(ScanEvent{Device: dev})
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(pace): // devices answer one after another
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// Close stops the demo household.
func (d *Demo) Close() error { return d.sim.Close() }
