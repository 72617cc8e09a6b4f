package discover

import (
	"net/netip"
	"testing"
)

// TestFromLink checks RFC 6762's rules for the responses a querier uses:
// the source port must be 5353 (§6); a response to the mDNS group is from
// the link whatever its source, any other must come from a local subnet of
// the interface it arrived on, or from a link-local address (§11).
func TestFromLink(t *testing.T) {
	ap := netip.MustParseAddrPort
	a := netip.MustParseAddr
	home := []netip.Prefix{netip.MustParsePrefix("192.168.1.0/24"), netip.MustParsePrefix("2001:db8:1::/64"), netip.MustParsePrefix("fe80::/64")}
	lo := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name   string
		p      arrival
		onLink []netip.Prefix
		want   bool
	}{
		{"to the IPv4 group from the subnet", arrival{src: ap("192.168.1.20:5353"), dst: group4}, home, true},
		{"to the IPv4 group from another subnet", arrival{src: ap("10.9.8.7:5353"), dst: group4}, home, true},
		{"to the IPv4 group from a public address", arrival{src: ap("203.0.113.9:5353"), dst: group4}, nil, true},
		{"to the IPv6 group from a global address", arrival{src: ap("[2001:db8:9::1]:5353"), dst: group6}, nil, true},
		{"to the IPv6 group, IPv4-mapped", arrival{src: ap("192.0.2.1:5353"), dst: netip.AddrFrom16(group4.As16())}, nil, true},
		{"to the IPv4 group from port 5354", arrival{src: ap("192.168.1.20:5354"), dst: group4}, home, false},
		{"legacy unicast answer (from port 53)", arrival{src: ap("192.168.1.20:53"), dst: a("192.168.1.5")}, home, false},
		{"to the IPv4 group from port 0", arrival{src: ap("192.168.1.20:0"), dst: group4}, home, false},
		{"unicast from the subnet", arrival{src: ap("192.168.1.20:5353"), dst: a("192.168.1.5")}, home, true},
		{"unicast from another subnet", arrival{src: ap("192.168.2.20:5353"), dst: a("192.168.1.5")}, home, false},
		{"unicast from a public address", arrival{src: ap("203.0.113.9:5353"), dst: a("192.168.1.5")}, home, false},
		{"unicast from IPv4 link-local", arrival{src: ap("169.254.77.2:5353"), dst: a("192.168.1.5")}, home, true},
		{"unicast from IPv4 link-local, no prefixes known", arrival{src: ap("169.254.77.2:5353"), dst: a("169.254.77.1")}, nil, true},
		{"unicast from IPv6 link-local with a zone", arrival{src: ap("[fe80::1%eth0]:5353"), dst: a("fe80::2%eth0")}, nil, true},
		{"unicast from the on-link IPv6 prefix", arrival{src: ap("[2001:db8:1::99]:5353"), dst: a("2001:db8:1::5")}, home, true},
		{"unicast from another IPv6 prefix", arrival{src: ap("[2001:db8:2::99]:5353"), dst: a("2001:db8:1::5")}, home, false},
		{"unicast from a ULA not on the link", arrival{src: ap("[fd00::1]:5353"), dst: a("2001:db8:1::5")}, home, false},
		{"to another multicast group", arrival{src: ap("203.0.113.9:5353"), dst: a("224.0.0.1")}, home, false},
		{"to the subnet broadcast from the subnet", arrival{src: ap("192.168.1.20:5353"), dst: a("192.168.1.255")}, home, true},
		{"to the limited broadcast from afar", arrival{src: ap("203.0.113.9:5353"), dst: a("255.255.255.255")}, home, false},
		{"the lab on loopback, to the group", arrival{src: ap("127.77.255.254:5353"), dst: group4}, lo, true},
		{"the lab on loopback, unicast", arrival{src: ap("127.77.0.4:5353"), dst: a("127.0.0.1")}, lo, true},
		{"destination unknown, from the subnet", arrival{src: ap("192.168.1.20:5353")}, home, true},
		{"destination unknown, from afar", arrival{src: ap("203.0.113.9:5353")}, home, false},
		{"destination unknown, port 5354", arrival{src: ap("192.168.1.20:5354")}, home, false},
		{"no sender", arrival{dst: group4}, home, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fromLink(tt.p, tt.onLink); got != tt.want {
				t.Errorf("fromLink(%+v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
