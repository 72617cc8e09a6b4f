//go:build linux

package discover

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim/avahi"
)

// avahiScans is how many scans TestScanAgainstAvahi runs, each after a
// random pause of up to avahiMaxPause.
const (
	avahiScans    = 3
	avahiMaxPause = 2500 * time.Millisecond
)

// announceQuiet is how long the veth must stay silent before avahi's
// announcements count as over. After it reports its services established,
// avahi repeats its announcements at growing intervals (RFC 6762 §8.3),
// measured here: for about 3 s, the last two 1 and 2 s apart.
const announceQuiet = 5 * time.Second

// TestScanAgainstAvahi checks discovery against avahi-daemon, an mDNS
// responder nobody here wrote, publishing awkward names, several services on
// one host, an empty TXT record and a service on a second host. avahi runs on
// a second host of a simulated home network: a network namespace of its own,
// joined to the test's by a veth pair with link-local addresses. Once it has
// finished announcing, it is heard only answering questions; each of several
// scans, at random moments, must find exactly what it publishes.
func TestScanAgainstAvahi(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	cfg := avahi.Config{
		HostName: "avahi-lab",
		Services: []avahi.Service{
			{Name: "Küche Licht (Decke)", Type: "_http._tcp", Port: 80, TXT: []string{"path=/", "Raum=Küche"}},
			{Name: "Wohnzimmer.Lampe", Type: "_hue._tcp", Port: 443, TXT: []string{"bridgeid=001788FFFE4A1B2C", "modelid=BSB002"}},
			{Name: "Leerer TXT", Type: "_http._tcp", Port: 8080},
			{Name: "Büro Drucker (2. OG)", Type: "_ipp._tcp", Port: 631, Host: "drucker-buero.local", TXT: []string{"ty=Brother HL-L2350DW series", "note=Büro"}},
		},
		Hosts: map[string]string{"drucker-buero.local": "169.254.77.50"},
		LAN: &avahi.LAN{
			Local: netip.MustParsePrefix("169.254.77.1/16"),
			Peer:  netip.MustParsePrefix("169.254.77.2/16"),
		},
	}
	want := []Device{
		{
			ID: "drucker-buero", Name: "Büro Drucker (2. OG)", Host: "drucker-buero.local",
			Addresses: []netip.Addr{netip.MustParseAddr("169.254.77.50")},
			Services: []Service{{Type: "_ipp._tcp", Instance: "Büro Drucker (2. OG)", Port: 631,
				TXT: map[string]string{"ty": "Brother HL-L2350DW series", "note": "Büro"}}},
			Protocols: []string{ProtocolMDNS},
		},
		{
			ID: "hue-001788fffe4a1b2c", Name: "Wohnzimmer.Lampe", Host: "avahi-lab.local",
			Addresses: []netip.Addr{netip.MustParseAddr("169.254.77.2")},
			Services: []Service{
				{Type: "_hue._tcp", Instance: "Wohnzimmer.Lampe", Port: 443, TXT: map[string]string{"bridgeid": "001788FFFE4A1B2C", "modelid": "BSB002"}},
				{Type: "_http._tcp", Instance: "Küche Licht (Decke)", Port: 80, TXT: map[string]string{"path": "/", "raum": "Küche"}},
				{Type: "_http._tcp", Instance: "Leerer TXT", Port: 8080},
			},
			Protocols: []string{ProtocolMDNS},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d, err := avahi.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("starting avahi-daemon: %v", err)
	}
	defer d.Close()
	ifi, err := net.InterfaceByName(d.Interface())
	if err != nil {
		t.Fatal(err)
	}
	established := time.Now()
	heard, err := waitQuiet(ctx, ifi, announceQuiet)
	if err != nil {
		t.Fatalf("%v\navahi-daemon said:\n%s", err, d.Log())
	}
	t.Logf("avahi announced %d messages, then was quiet for %v, %v after it published", heard, announceQuiet,
		time.Since(established).Round(time.Millisecond))

	for i := range avahiScans {
		pause := rand.N(avahiMaxPause)
		time.Sleep(pause)
		res, err := Scan(ctx, Options{Interface: ifi.Name}, nil)
		if err != nil {
			t.Fatalf("scan %d: %v", i+1, err)
		}
		got := withoutTimes(res.Devices)
		t.Logf("scan %d after a pause of %v: %d devices in %v", i+1, pause.Round(time.Millisecond), len(got), res.Elapsed.Round(time.Millisecond))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("scan %d (after a pause of %v) found\n%+v\nwant\n%+v\navahi-daemon said:\n%s", i+1, pause, got, want, d.Log())
		}
	}

	// Nothing of the second host stays behind.
	if err := d.Close(); err != nil {
		t.Error(err)
	}
	if _, err := net.InterfaceByName(ifi.Name); err == nil {
		t.Errorf("%s still exists after Close", ifi.Name)
	}
	if err := netns.Check(); err != nil {
		t.Errorf("after Close: %v", err)
	}
}

// withoutTimes returns devices with the times of their sightings cleared, for
// comparing.
func withoutTimes(devices []Device) []Device {
	out := make([]Device, len(devices))
	for i, dev := range devices {
		dev.FirstSeen, dev.LastSeen = time.Time{}, time.Time{}
		for j := range dev.Services {
			dev.Services[j].expires = time.Time{}
		}
		out[i] = dev
	}
	return out
}

// waitQuiet returns once no mDNS message has crossed ifi for quiet, and how
// many it heard before.
func waitQuiet(ctx context.Context, ifi *net.Interface, quiet time.Duration) (heard int, err error) {
	c, err := net.ListenMulticastUDP("udp4", ifi, mdnsGroup)
	if err != nil {
		return 0, fmt.Errorf("listening for avahi's announcements: %w", err)
	}
	defer c.Close()
	buf := make([]byte, 9000)
	for ctx.Err() == nil {
		_ = c.SetReadDeadline(time.Now().Add(quiet))
		_, _, err := c.ReadFrom(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return heard, nil
		}
		if err != nil {
			return heard, fmt.Errorf("listening for avahi's announcements: %w", err)
		}
		heard++
	}
	return heard, fmt.Errorf("avahi never went quiet for %v: %w", quiet, ctx.Err())
}
