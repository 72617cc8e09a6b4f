package discover

import "strings"

// The protocols a device can be found over.
const (
	// ProtocolMDNS is mDNS/DNS-SD.
	ProtocolMDNS = "mdns"
	// ProtocolSSDP is SSDP/UPnP.
	ProtocolSSDP = "ssdp"
	// ProtocolWSD is WS-Discovery (ONVIF cameras).
	ProtocolWSD = "ws-discovery"
)

// UPnPTypePrefix begins the Type of a service found over SSDP: "upnp:"
// and the UPnP device type (devices/ssdp builds them). DNS-SD types begin
// with an underscore instead.
const UPnPTypePrefix = "upnp:"

// WSDTypePrefix begins the Type of a service found over WS-Discovery:
// "wsd:" and its type's local name (devices/wsd builds them).
const WSDTypePrefix = "wsd:"

// ProtocolsOf names the protocols services were found over: mDNS, SSDP,
// WS-Discovery, in that order.
func ProtocolsOf(services []Service) []string {
	var mdns, ssdp, wsd bool
	for _, s := range services {
		switch {
		case strings.HasPrefix(s.Type, UPnPTypePrefix):
			ssdp = true
		case strings.HasPrefix(s.Type, WSDTypePrefix):
			wsd = true
		default:
			mdns = true
		}
	}
	out := []string{}
	if mdns {
		out = append(out, ProtocolMDNS)
	}
	if ssdp {
		out = append(out, ProtocolSSDP)
	}
	if wsd {
		out = append(out, ProtocolWSD)
	}
	return out
}
