// Package simnet is the demo household as a network Porchlight's core can
// use: scans report the demo's devices as they "answer", connections reach
// their HTTP APIs inside the process, and nothing touches a real network.
// Only the composition root (main) chooses it.
package simnet

import (
	"context"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/ssdp"
	"github.com/porchlight/porchlight/devices/wsd"
)

// Network serves a simulated household inside the process.
type Network struct {
	demo *sim.Demo
}

// Start serves the home household, or with n > 0 a large one of n devices.
func Start(n int) (*Network, error) {
	if n > 0 {
		return Serve(sim.ProfileLarge, n)
	}
	return Serve(sim.ProfileHome, 0)
}

// Serve serves the household of profile p (n as in sim.Household): the
// hostile one lets tests check what reaches the person from devices that
// lie about themselves.
func Serve(p sim.Profile, n int) (*Network, error) {
	d, err := sim.NewDemo(p, n)
	if err != nil {
		return nil, err
	}
	return &Network{demo: d}, nil
}

// Scan reports the demo devices as a scan would, one by one, as they "answer".
func (n *Network) Scan(ctx context.Context, _ discover.Options, onEvent func(discover.Event)) (discover.Result, error) {
	start := time.Now()
	var res discover.Result
	devices := n.demo.Devices()
	pace := min(40*time.Millisecond, 1500*time.Millisecond/time.Duration(max(len(devices), 1)))
	for _, sd := range devices {
		anns := make([]discover.Announcement, len(sd.Services))
		for i, s := range sd.Services {
			anns[i] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
		}
		dev := discover.FromAnnouncements(sd.Host, []netip.Addr{sd.Addr}, anns, time.Now())
		res.Devices = append(res.Devices, dev)
		if onEvent != nil {
			onEvent(discover.Event{Device: dev})
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(pace): // devices answer one after another
		}
	}
	// The UPnP devices "answer" a search and the cameras a probe: their
	// answers are read, and descriptions fetched, as in a real scan
	// (devices/ssdp, devices/wsd).
	var packets []ssdp.Packet
	for _, a := range n.demo.SSDPAnswers() {
		packets = append(packets, ssdp.Packet{From: a.From, Data: a.Data})
	}
	found := ssdp.Feed(ctx, ssdp.Options{Network: n.demo}, packets)
	var probes []wsd.Packet
	for _, a := range n.demo.WSDAnswers() {
		probes = append(probes, wsd.Packet{From: a.From, Data: a.Data})
	}
	cams := wsd.Feed(probes)
	known := len(res.Devices)
	res.Devices = wsd.Merge(ssdp.Merge(res.Devices, found.Found), cams.Found)
	res.Dropped += found.Dropped + cams.Dropped
	for _, dev := range res.Devices[known:] {
		if onEvent != nil {
			onEvent(discover.Event{Device: dev})
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// Watch reports nothing until ctx ends: the demo household never changes.
func (n *Network) Watch(ctx context.Context, _ discover.Options, _ func(discover.Event)) error {
	<-ctx.Done()
	return nil
}

// Dialer reaches the demo devices' HTTP APIs inside the process.
func (n *Network) Dialer() devhttp.Network { return n.demo }

// Simulated reports that this is the demo household, not a real network.
func (n *Network) Simulated() bool { return true }

// Close stops the demo household.
func (n *Network) Close() error { return n.demo.Close() }

// Cameras returns the simulated ONVIF cameras.
func (n *Network) Cameras() []*sim.Camera { return n.demo.Cameras() }

// UPnPDevices returns the simulated devices announced over SSDP.
func (n *Network) UPnPDevices() []*sim.UPnPDevice { return n.demo.UPnPDevices() }

// Devices returns the simulated devices, for tests that act on them.
func (n *Network) Devices() []*sim.Device { return n.demo.Devices() }
