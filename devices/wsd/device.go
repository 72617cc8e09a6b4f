package wsd

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/discover"
)

// TXT keys of the service a camera becomes (see Service).
const (
	KeyXAddr    = "xaddr"
	KeyTypes    = "types"
	KeyHardware = "hardware"
	KeyUUID     = "uuid"
)

// Service is f as one service of a device: its type is
// discover.WSDTypePrefix and its first type, its instance the ONVIF name
// scope, its port the device service's.
func (f Found) Service() discover.Service {
	typ := "NetworkVideoTransmitter"
	if len(f.Types) > 0 && !slices.Contains(f.Types, typ) {
		typ = f.Types[0]
	}
	txt := map[string]string{KeyXAddr: f.XAddr, KeyUUID: "urn:uuid:" + f.UUID,
		KeyTypes: devtext.Clean(strings.Join(f.Types, ","), devtext.Value)}
	if h := Scope(f.Scopes, "hardware"); h != "" {
		txt[KeyHardware] = h
	}
	return discover.Service{Type: discover.WSDTypePrefix + typ, Instance: Scope(f.Scopes, "name"), Port: f.Port, TXT: txt}
}

// IsCamera reports whether s is an ONVIF NetworkVideoTransmitter found
// over WS-Discovery.
func IsCamera(s discover.Service) bool {
	return s.Type == discover.WSDTypePrefix+"NetworkVideoTransmitter"
}

// Merge adds the cameras found to devices: one at the address of a device
// already found becomes one more of its services; the others are devices
// of their own ("onvif-<uuid>"), named by their ONVIF name scope, else
// their hardware scope, else their address.
func Merge(devices []discover.Device, found []Found) []discover.Device {
	out := slices.Clone(devices)
	for _, f := range found {
		s := f.Service()
		i := slices.IndexFunc(out, func(d discover.Device) bool {
			return slices.ContainsFunc(d.Addresses, func(a netip.Addr) bool { return a.Unmap() == f.Addr })
		})
		if i < 0 {
			name := s.Instance
			if name == "" {
				name = s.TXT[KeyHardware]
			}
			if name == "" {
				name = f.Addr.String()
			}
			out = append(out, discover.Device{ID: "onvif-" + f.UUID, Name: name, Host: f.Addr.String(),
				Addresses: []netip.Addr{f.Addr}, FirstSeen: f.FirstSeen, LastSeen: f.FirstSeen})
			i = len(out) - 1
		}
		d := &out[i]
		d.Services = append(slices.Clone(d.Services), s)
		d.Protocols = discover.ProtocolsOf(d.Services)
	}
	return out
}
