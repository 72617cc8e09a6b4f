package sim

import (
	"fmt"
	"net"
	"strings"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
)

// metaQueryName is the DNS-SD service type enumeration name (RFC 6763 §9).
const metaQueryName = "_services._dns-sd._udp.local."

// zone answers mDNS questions for every device of a household. Each service
// is a hashicorp/mdns MDNSService, so the records themselves are built by an
// implementation independent of Porchlight's discovery code; the zone adds
// what a multi-device responder needs: the type enumeration without
// duplicates, and case-insensitive names.
type zone struct {
	// byName maps a lower-case owner name (service type, instance or host)
	// to the services that answer for it, in household order.
	byName map[string][]answer
	types  []string // fully qualified service types, in first-seen order
}

// answer is a service that answers for an owner name, and that name as the
// service spells it (MDNSService compares names exactly).
type answer struct {
	svc  *mdns.MDNSService
	name string
}

// newZone builds the zone of a household.
func newZone(devices []*Device) (*zone, error) {
	z := &zone{byName: make(map[string][]answer)}
	seenType := make(map[string]bool)
	for _, d := range devices {
		hostAnswered := false
		for _, s := range d.Services {
			txt := make([]string, 0, len(s.TXT))
			for _, t := range s.TXT {
				txt = append(txt, escapeTXT(t))
			}
			if len(txt) == 0 {
				txt = []string{""} // RFC 6763 §6.1: an empty TXT record holds one empty string
			}
			svc, err := mdns.NewMDNSService(escapeLabel(s.Instance), s.Type, "local.", d.Host+".local.", s.Port, []net.IP{d.Addr.AsSlice()}, txt)
			if err != nil {
				return nil, fmt.Errorf("device %q service %s: %w", d.Name, s.Type, err)
			}
			typ := s.Type + ".local."
			if !seenType[strings.ToLower(typ)] {
				seenType[strings.ToLower(typ)] = true
				z.types = append(z.types, typ)
			}
			host := d.Host + ".local."
			for _, name := range []string{typ, escapeLabel(s.Instance) + "." + typ, host} {
				if name == host {
					// One service of the device is enough to answer for its
					// address; a device that copies the host name (an
					// impostor) answers for it too, with its own address.
					if hostAnswered {
						continue
					}
					hostAnswered = true
				}
				key := nameKey(name)
				z.byName[key] = append(z.byName[key], answer{svc: svc, name: name})
			}
		}
	}
	return z, nil
}

// Records implements mdns.Zone. Records of one service instance are kept
// together and in the order MDNSService gives them.
func (z *zone) Records(q dns.Question) []dns.RR {
	if strings.EqualFold(q.Name, metaQueryName) {
		if q.Qtype != dns.TypePTR && q.Qtype != dns.TypeANY {
			return nil
		}
		rrs := make([]dns.RR, 0, len(z.types))
		for _, t := range z.types {
			rrs = append(rrs, &dns.PTR{
				Hdr: dns.RR_Header{Name: metaQueryName, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 4500},
				Ptr: t,
			})
		}
		return rrs
	}
	var rrs []dns.RR
	for _, a := range z.byName[nameKey(q.Name)] {
		rrs = append(rrs, a.svc.Records(dns.Question{Name: a.name, Qtype: q.Qtype, Qclass: q.Qclass})...)
	}
	return rrs
}

// nameKey is the key of an owner name in the zone: the name as the DNS
// library reads it off the wire (spaces escaped, say), in lower case, so
// that a question matches however its name was written.
func nameKey(name string) string {
	buf := make([]byte, 512)
	if off, err := dns.PackDomainName(name, buf, 0, nil, false); err == nil {
		if wire, _, err := dns.UnpackDomainName(buf[:off], 0); err == nil {
			name = wire
		}
	}
	return strings.ToLower(name)
}

// escapeLabel writes a name as one DNS label in the presentation format the
// DNS library packs: dots and backslashes are escaped; every other byte,
// UTF-8 included, is kept as it is.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `.`, `\.`).Replace(s)
}

// escapeTXT writes a TXT string in the presentation format the DNS library
// packs: backslashes and quotes are escaped.
func escapeTXT(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}
