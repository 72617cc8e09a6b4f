package discover

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// mdnsPort is the port every mDNS response comes from (RFC 6762 §6).
const mdnsPort = 5353

// The mDNS groups (RFC 6762 §3).
var (
	group4 = netip.AddrFrom4([4]byte{224, 0, 0, 251})
	group6 = netip.MustParseAddr("ff02::fb")
)

// arrival is where an mDNS message came from and how it reached us.
type arrival struct {
	// src is the sender's address and port.
	src netip.AddrPort
	// dst is the destination address in the IP header, and ifIndex the
	// interface the message arrived on; invalid and 0 where the system
	// does not say (Windows).
	dst     netip.Addr
	ifIndex int
}

// fromLink reports whether an mDNS response may be used, as RFC 6762 asks
// of a querier:
//
//   - §6: "Multicast DNS implementations MUST silently ignore any Multicast
//     DNS responses they receive where the source UDP port is not 5353."
//     Porchlight asks from port 5353 only, so no answer to it is a legacy
//     unicast one (§6.7).
//   - §11: a querier "MUST only accept responses to that query that
//     originate from the local link". A response sent to the mDNS group
//     (224.0.0.251, ff02::fb) is "necessarily deemed to have originated on
//     the local link, regardless of source IP address" (routers do not
//     forward link-local multicast); any other (a unicast one, mostly) must
//     come from an address on a local subnet of the interface it arrived
//     on: one of onLink, the prefixes of that interface's addresses. A
//     link-local source (169.254/16, fe80::/10) is on the link by
//     definition (RFC 3927 §7, RFC 4291 §2.5.6: routers do not forward it).
//
// Where the system does not say what the destination was (dst invalid),
// the response is held to the subnet rule, and onLink should then hold
// the prefixes of every interface listened on. RFC 6762 §5.4 would also
// let a querier that never asks for unicast answers ignore every unicast
// one; like avahi-daemon, Porchlight accepts those that pass §11, since
// some devices answer a multicast question unicast.
func fromLink(p arrival, onLink []netip.Prefix) bool {
	if p.src.Port() != mdnsPort {
		return false
	}
	if dst := p.dst.Unmap().WithZone(""); dst == group4 || dst == group6 {
		return true
	}
	src := p.src.Addr().Unmap().WithZone("")
	if src.IsLinkLocalUnicast() {
		return true
	}
	for _, pfx := range onLink {
		if pfx.Contains(src) {
			return true
		}
	}
	return false
}

// linkRefresh is how long the interfaces' prefixes are trusted before
// they are read again (addresses change: DHCP, a new Wi-Fi).
const linkRefresh = 10 * time.Second

// links knows the prefixes of every interface's addresses, read at most
// once per linkRefresh and only when a response needs them: answers to the
// mDNS group, nearly all of them, never do. It is safe for concurrent use.
type links struct {
	mu   sync.Mutex
	read time.Time
	// byIndex holds each interface's prefixes by its index; index 0 those
	// of every interface.
	byIndex map[int][]netip.Prefix
}

// prefixes returns the prefixes of the interface with index ifIndex, or
// of every interface when ifIndex is 0.
func (l *links) prefixes(ifIndex int, now time.Time) []netip.Prefix {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byIndex == nil || now.Sub(l.read) >= linkRefresh {
		l.byIndex, l.read = interfacePrefixes(), now
	}
	return l.byIndex[ifIndex]
}

// interfacePrefixes reads the prefixes of every interface's addresses, by
// interface index, and all of them under index 0.
func interfacePrefixes() map[int][]netip.Prefix {
	out := map[int][]netip.Prefix{}
	ifs, err := net.Interfaces()
	if err != nil {
		return out
	}
	for _, ifi := range ifs {
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipn.IP)
			ones, bits := ipn.Mask.Size()
			if !ok || bits == 0 {
				continue
			}
			ip = ip.Unmap()
			if ip.Is4() && bits == 128 { // an IPv4 address with a 16-byte mask
				ones -= 96
			}
			pfx, err := ip.Prefix(ones)
			if err != nil {
				continue
			}
			out[ifi.Index] = append(out[ifi.Index], pfx)
			out[0] = append(out[0], pfx)
		}
	}
	return out
}
