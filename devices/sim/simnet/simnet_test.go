package simnet

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/ssdp"
)

// TestScanFindsUPnPDevices: the demo's scan reports the router, the TV
// and the NAS with what their descriptions say, read through the demo
// network, and "ssdp" among their protocols.
func TestScanFindsUPnPDevices(t *testing.T) {
	n, err := Start(0)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	res, err := n.Scan(context.Background(), discover.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range n.UPnPDevices() {
		i := slices.IndexFunc(res.Devices, func(d discover.Device) bool { return slices.Contains(d.Addresses, want.Addr) })
		if i < 0 {
			t.Errorf("%s (%s) not found", want.Name, want.Addr)
			continue
		}
		d := res.Devices[i]
		if d.Name != want.Name || !slices.Equal(d.Protocols, []string{discover.ProtocolSSDP}) || len(d.Services) != 1 {
			t.Errorf("%s: name %q, protocols %v, %d services", want.Name, d.Name, d.Protocols, len(d.Services))
			continue
		}
		s := d.Services[0]
		if s.Type != discover.UPnPTypePrefix+want.DeviceType || s.TXT[ssdp.KeyManufacturer] != want.Manufacturer || s.TXT[ssdp.KeyModel] != want.Model {
			t.Errorf("%s: service %+v", want.Name, s)
		}
		if want.Kind == sim.UPnPRouter && (!ssdp.IsGateway(s) || !strings.Contains(s.TXT[ssdp.KeyServices], "WANIPConnection:2")) {
			t.Errorf("router: not a gateway with WANIPConnection: %+v", s)
		}
	}
	for _, d := range res.Devices {
		if len(d.Protocols) == 0 {
			t.Errorf("%s: no protocols", d.Name)
		}
	}
}

// TestScanHostileUPnP: descriptions that are entity bombs, huge, or
// elsewhere never become a device's details.
func TestScanHostileUPnP(t *testing.T) {
	n, err := Serve(sim.ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	res, err := n.Scan(context.Background(), discover.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range n.UPnPDevices() {
		i := slices.IndexFunc(res.Devices, func(d discover.Device) bool { return slices.Contains(d.Addresses, want.Addr) })
		switch want.Kind {
		case sim.UPnPHostileElsewhere:
			if i >= 0 {
				t.Errorf("a device whose description is at another address was listed: %+v", res.Devices[i])
			}
		case sim.UPnPHostileXML, sim.UPnPHostileHuge:
			if i < 0 {
				t.Errorf("%s: not listed", want.Name)
				continue
			}
			s := res.Devices[i].Services[0]
			if s.Instance != "" || s.TXT[ssdp.KeyError] == "" || strings.Contains(s.TXT[ssdp.KeyError], "lollol") {
				t.Errorf("%s: %+v", want.Name, s)
			}
		}
	}
}
