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

// TestMergeDualStack: the same root device answering over IPv4 and IPv6
// (the same UUID, its description's UDN agreeing) is one device with both
// addresses, IPv4 first; a root device that claims the UUID but whose
// description names another is a device of its own.
func TestMergeDualStack(t *testing.T) {
	b, err := os.ReadFile("testdata/igd.xml")
	if err != nil {
		t.Fatal(err)
	}
	igd, err := ParseDescription(b)
	if err != nil {
		t.Fatal(err)
	}
	other := igd
	other.Root.UDN = "uuid:0ther"
	const uuid = "75802409-bccb-40e7-8e6c-fa095ecce13e"
	v4 := netip.MustParseAddr("192.168.178.1")
	v6 := netip.MustParseAddr("fe80::1%eth0")
	liar := netip.MustParseAddr("fe80::66%eth0")
	found := []Found{
		{Addr: v4, UUID: uuid, Location: "http://192.168.178.1:49000/igddesc.xml", Port: 49000, Description: &igd},
		{Addr: v6, UUID: uuid, Location: "http://[fe80::1]:49000/igddesc.xml", Port: 49000, Description: &igd},
		{Addr: liar, UUID: uuid, Location: "http://[fe80::66]:49000/igddesc.xml", Port: 49000, Description: &other},
	}
	got := Merge(nil, found)
	if len(got) != 2 {
		t.Fatalf("%d devices, want 2: %+v", len(got), got)
	}
	if !slices.Equal(got[0].Addresses, []netip.Addr{v4, v6}) || len(got[0].Services) != 1 || discover.PreferredAddress(got[0].Addresses) != v4 {
		t.Errorf("dual-stack router: %+v", got[0])
	}
	if !slices.Equal(got[1].Addresses, []netip.Addr{liar}) || got[1].ID == got[0].ID {
		t.Errorf("the device claiming another's UUID: %+v", got[1])
	}
}
