package discover

import (
	"strings"
	"testing"
)

func TestNormaliseType(t *testing.T) {
	long := "_" + strings.Repeat("a", maxServiceLabel-1)
	for _, tc := range []struct{ in, want string }{
		{"_http._tcp.local.", "_http._tcp"},
		{"_HAP._TCP.local", "_hap._tcp"},
		// Android TVs announce a 16-character name (RFC 6763 §7.2 asks for 15).
		{"_androidtvremote2._tcp.local.", "_androidtvremote2._tcp"},
		{"_meshcop._udp.local.", "_meshcop._udp"},
		{long + "._tcp.local.", long + "._tcp"},
		{long + "a._tcp.local.", ""}, // longer than a DNS label
		{"_._tcp.local.", ""},
		{"http._tcp.local.", ""},
		{"_http._sctp.local.", ""},
		{"_ht tp._tcp.local.", ""},
		{"_http_x._tcp.local.", ""},
		{"_http", ""},
	} {
		if got := normaliseType(tc.in); got != tc.want {
			t.Errorf("normaliseType(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
