package sim

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
)

// metaQueryName is the DNS-SD service type enumeration name (RFC 6763 §9).
const metaQueryName = "_services._dns-sd._udp.local."

// zone answers mDNS questions for every device of a household. Each service
// is a hashicorp/mdns MDNSService, so the records themselves are built by an
// implementation independent of Porchlight's discovery code; the zone adds
// what a multi-device responder needs: which device sends which records
// (each answers from its own address, as real devices do), the type
// enumeration, and case-insensitive names.
type zone struct {
	// byName maps a lower-case owner name (service type, instance or host)
	// to the services that answer for it, in household order.
	byName map[string][]answer
	types  []string // fully qualified service types, in first-seen order
	// typesOf lists each device's service types (fully qualified), by
	// its address, in household order.
	typesOf []deviceTypes
}

// answer is a service that answers for an owner name, that name as the
// service spells it (MDNSService compares names exactly), and the address
// of the device it belongs to.
type answer struct {
	svc  *mdns.MDNSService
	name string
	from netip.Addr
}

// deviceTypes are the service types one device announces.
type deviceTypes struct {
	from  netip.Addr
	types []string
}

// sent is records a device sends from its address.
type sent struct {
	from netip.Addr
	rrs  []dns.RR
}

// newZone builds the zone of a household.
func newZone(devices []*Device) (*zone, error) {
	z := &zone{byName: make(map[string][]answer)}
	seenType := make(map[string]bool)
	for _, d := range devices {
		hostAnswered := false
		var own []string
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
			if !slices.ContainsFunc(own, func(t string) bool { return strings.EqualFold(t, typ) }) {
				own = append(own, typ)
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
				z.byName[key] = append(z.byName[key], answer{svc: svc, name: name, from: d.Addr})
			}
		}
		if len(own) > 0 {
			z.typesOf = append(z.typesOf, deviceTypes{from: d.Addr, types: own})
		}
	}
	return z, nil
}

// records returns the answers to q, per device that sends them, in
// household order: the type enumeration (RFC 6763 §9) from every device
// for its own types, any other name from the devices that own it. Records
// of one service instance are kept together and in the order MDNSService
// gives them.
func (z *zone) records(q dns.Question) []sent {
	if strings.EqualFold(q.Name, metaQueryName) {
		if q.Qtype != dns.TypePTR && q.Qtype != dns.TypeANY {
			return nil
		}
		out := make([]sent, 0, len(z.typesOf))
		for _, dt := range z.typesOf {
			s := sent{from: dt.from}
			for _, t := range dt.types {
				s.rrs = append(s.rrs, &dns.PTR{
					Hdr: dns.RR_Header{Name: metaQueryName, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 4500},
					Ptr: t,
				})
			}
			out = append(out, s)
		}
		return out
	}
	var out []sent
	for _, a := range z.byName[nameKey(q.Name)] {
		rrs := a.svc.Records(dns.Question{Name: a.name, Qtype: q.Qtype, Qclass: q.Qclass})
		if len(rrs) == 0 {
			continue
		}
		if i := slices.IndexFunc(out, func(s sent) bool { return s.from == a.from }); i >= 0 {
			out[i].rrs = append(out[i].rrs, rrs...)
		} else {
			out = append(out, sent{from: a.from, rrs: rrs})
		}
	}
	return out
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
