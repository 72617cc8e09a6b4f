package discover

import "strings"

// The protocols a device can be found over.
const (
	// ProtocolMDNS is mDNS/DNS-SD.
	ProtocolMDNS = "mdns"
	// ProtocolSSDP is SSDP/UPnP.
	ProtocolSSDP = "ssdp"
)

// UPnPTypePrefix begins the Type of a service found over SSDP: "upnp:"
// and the UPnP device type (devices/ssdp builds them). DNS-SD types begin
// with an underscore instead.
const UPnPTypePrefix = "upnp:"

// ProtocolsOf names the protocols services were found over, mDNS first.
func ProtocolsOf(services []Service) []string {
	var mdns, ssdp bool
	for _, s := range services {
		if strings.HasPrefix(s.Type, UPnPTypePrefix) {
			ssdp = true
		} else {
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
	return out
}
