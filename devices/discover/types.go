package discover

import "strings"

// metaQuery is the DNS-SD service type enumeration name (RFC 6763 §9).
const metaQuery = "_services._dns-sd._udp"

// KnownTypes are browsed on every scan, whether or not a responder answers
// the meta-query (some ignore it). They are the service types of the device
// families in ../shared/reference/device-apis.md, most specific first: when
// a device announces several, the earlier type names it.
var KnownTypes = []string{
	"_shelly._tcp",
	"_wled._tcp",
	"_esphomelib._tcp",
	"_hue._tcp",
	"_googlecast._tcp",
	"_hap._tcp",
	"_hap._udp",
	"_matterc._udp",
	"_matter._tcp",
	"_sonos._tcp",
	"_elg._tcp",
	"_octoprint._tcp",
	"_axis-video._tcp",
	"_home-assistant._tcp",
	"_ipps._tcp",
	"_ipp._tcp",
	"_printer._tcp",
	"_pdl-datastream._tcp",
	"_http._tcp",
}

// MaxExtraTypes bounds the service types learned from the meta-query that
// are browsed on top of KnownTypes; each needs its own sockets.
const MaxExtraTypes = 48

// typeRank orders service types for naming a device: known types by their
// place in KnownTypes, then any other type.
func typeRank(t string) int {
	for i, k := range KnownTypes {
		if k == t {
			return i
		}
	}
	return len(KnownTypes)
}

// maxServiceLabel is the longest service label taken, with its leading
// underscore: a DNS label's 63 bytes (RFC 1035 §2.3.4). RFC 6763 §7.2 asks
// for names of at most 15 characters, but real devices announce longer ones
// (Android TVs announce "_androidtvremote2._tcp"), and a name they announce
// is one a person's device has.
const maxServiceLabel = 63

// normaliseType turns a name from the meta-query ("_http._tcp.local") into a
// service type ("_http._tcp"), or "" when it is not one: "_name._tcp" or
// "_name._udp" with a name of letters, digits and hyphens, at most one DNS
// label long.
func normaliseType(name string) string {
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(name, "."), ".local"))
	svc, proto, ok := strings.Cut(name, ".")
	if !ok || (proto != "_tcp" && proto != "_udp") || len(svc) < 2 || len(svc) > maxServiceLabel || svc[0] != '_' {
		return ""
	}
	for _, c := range svc[1:] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return name
}
