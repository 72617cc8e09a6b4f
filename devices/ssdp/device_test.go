package ssdp

import (
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
)

// TestMerge: a root device at the address of an mDNS device joins it
// (its name and ID stay mDNS's); one at a new address becomes a device
// of its own, named by its friendly name; two at one address are one.
func TestMerge(t *testing.T) {
	b, err := os.ReadFile("testdata/igd.xml")
	if err != nil {
		t.Fatal(err)
	}
	igd, err := ParseDescription(b)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	shelly := netip.MustParseAddr("192.168.178.30")
	router := netip.MustParseAddr("192.168.178.1")
	mdns := []discover.Device{{ID: "shelly1-abc", Name: "Küche Licht", Host: "shelly1-abc.local", Addresses: []netip.Addr{shelly},
		Services: []discover.Service{{Type: "_http._tcp", Instance: "shelly1-abc"}}, Protocols: []string{"mdns"}}}
	found := []Found{
		{Addr: shelly, UUID: "s1", Location: "http://192.168.178.30/d.xml", Port: 80, Path: "/d.xml", Err: "no description", FirstSeen: now, LastSeen: now},
		{Addr: router, UUID: "75802409", Location: "http://192.168.178.1:49000/igddesc.xml", Port: 49000, Description: &igd, FirstSeen: now, LastSeen: now},
		{Addr: router, UUID: "tr64", Location: "http://192.168.178.1:49000/tr64desc.xml", Port: 49000, FirstSeen: now, LastSeen: now},
	}
	got := Merge(mdns, found)
	if len(got) != 2 {
		t.Fatalf("%d devices, want 2", len(got))
	}
	if got[0].ID != "shelly1-abc" || got[0].Name != "Küche Licht" || !slices.Equal(got[0].Protocols, []string{"mdns", "ssdp"}) || len(got[0].Services) != 2 {
		t.Errorf("mDNS device: %+v", got[0])
	}
	if len(mdns[0].Services) != 1 {
		t.Errorf("Merge changed its input")
	}
	r := got[1]
	if r.ID != "upnp-75802409" || r.Name != "Heimrouter" || r.Host != "192.168.178.1" || !slices.Equal(r.Protocols, []string{"ssdp"}) || len(r.Services) != 2 {
		t.Errorf("router: %+v", r)
	}
	if !IsGateway(r.Services[0]) || r.Services[0].TXT[KeyServices] != "Layer3Forwarding:1,WANIPConnection:2" || r.Services[0].TXT[KeyDevices] != "WANDevice:2,WANConnectionDevice:2" {
		t.Errorf("router service: %+v", r.Services[0])
	}
}
