package discover

import (
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/devtext"
)

func TestIdentity(t *testing.T) {
	tests := []struct {
		name     string
		host     string
		services []Service
		want     string
	}{
		{"Hue bridge id", "ecb5fa1a2b3c.local", []Service{{Type: "_hue._tcp", TXT: map[string]string{"bridgeid": "ECB5FAFFFE1A2B3C"}}}, "hue-ecb5fafffe1a2b3c"},
		{"HomeKit id", "eve.local", []Service{{Type: "_hap._tcp", TXT: map[string]string{"id": "70:88:6B:00:00:08"}}}, "hap-70886b000008"},
		{"WLED mac", "wled-a1b2c3.local", []Service{{Type: "_http._tcp"}, {Type: "_wled._tcp", TXT: map[string]string{"mac": "246f28a1b2c3"}}}, "mac-246f28a1b2c3"},
		{"Cast id", "x.local", []Service{{Type: "_googlecast._tcp", TXT: map[string]string{"id": "5e4b1c2d"}}}, "cast-5e4b1c2d"},
		{"too short an id falls back to the host", "Shelly1-B929CC.local", []Service{{Type: "_hap._tcp", TXT: map[string]string{"id": "1"}}}, "shelly1-b929cc"},
		{"host name", "shellyplusplugs-a8032ab12345.local", []Service{{Type: "_shelly._tcp"}}, "shellyplusplugs-a8032ab12345"},
		{"hostile host", "evil\uFFFD host.local", nil, "evilhost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := identity(tt.host, tt.services); got != tt.want {
				t.Errorf("identity = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFriendlyName(t *testing.T) {
	tests := []struct {
		name     string
		services []Service
		want     string
	}{
		{"cast friendly name", []Service{{Type: "_googlecast._tcp", Instance: "Chromecast-5e4b", TXT: map[string]string{"fn": "Living Room TV"}}}, "Living Room TV"},
		{"sonos room", []Service{{Type: "_sonos._tcp", Instance: "RINCON_347E5C@Esszimmer"}}, "Esszimmer"},
		{"most specific instance", []Service{{Type: "_hue._tcp", Instance: "Philips Hue - 1A2B3C"}, {Type: "_http._tcp", Instance: "web"}}, "Philips Hue - 1A2B3C"},
		{"host when nothing else", nil, "plug"},
		{"a name from TXT is cut as an instance name is", []Service{{Type: "_googlecast._tcp", TXT: map[string]string{"fn": strings.Repeat("n", 200)}}},
			strings.Repeat("n", devtext.Label-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := friendlyName("plug.local", tt.services); got != tt.want {
				t.Errorf("friendlyName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMergeAndExpire(t *testing.T) {
	now := time.Now()
	d := &Device{Host: "wled-a1b2c3.local", FirstSeen: now}
	a1, a2 := netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.1")
	http := Service{Type: "_http._tcp", Instance: "Treppe", Port: 80, expires: now.Add(time.Minute)}
	wled := Service{Type: "_wled._tcp", Instance: "Treppe", Port: 80, TXT: map[string]string{"mac": "246f28a1b2c3"}, expires: now.Add(time.Hour)}

	if !d.merge(http, []netip.Addr{a1}, now) {
		t.Fatal("first service: merge reported no change")
	}
	if !d.merge(wled, []netip.Addr{a2, a1}, now) {
		t.Fatal("second service: merge reported no change")
	}
	if d.merge(wled, []netip.Addr{a1}, now) {
		t.Error("the same announcement again: merge reported a change")
	}
	if got := []string{d.Services[0].Type, d.Services[1].Type}; !reflect.DeepEqual(got, []string{"_wled._tcp", "_http._tcp"}) {
		t.Errorf("services in order %v, want the specific type first", got)
	}
	if !reflect.DeepEqual(d.Addresses, []netip.Addr{a2, a1}) {
		t.Errorf("addresses = %v, want both, sorted", d.Addresses)
	}
	if d.ID != "mac-246f28a1b2c3" || d.Name != "Treppe" {
		t.Errorf("ID, Name = %q, %q", d.ID, d.Name)
	}
	if !d.expire(now.Add(2 * time.Minute)) {
		t.Fatal("expire after the http TTL removed nothing")
	}
	if len(d.Services) != 1 || d.Services[0].Type != "_wled._tcp" {
		t.Errorf("after expiry services = %+v, want only _wled._tcp", d.Services)
	}
	if d.expire(now.Add(2 * time.Minute)) {
		t.Error("expiring twice removed something again")
	}
}

func TestFromEntry(t *testing.T) {
	now := time.Now()
	e := &entry{
		Instance: `K\195\188che\ Licht`,
		HostName: `shelly1-b929cc.local.`,
		Port:     80,
		Text:     []string{"fw=1.14.0"},
		Expiry:   now.Add(120 * time.Second),
		Addrs:    []net.IP{net.IPv4(127, 0, 0, 2), net.IPv4(127, 0, 0, 2), net.ParseIP("fe80::1"), {1, 2, 3}},
	}
	r, ok := fromEntry(e, "_http._tcp", now)
	if !ok {
		t.Fatal("fromEntry rejected a complete entry")
	}
	if r.hostKey != "shelly1-b929cc.local" || r.service.Instance != "Küche Licht" || r.service.Port != 80 || r.service.TXT["fw"] != "1.14.0" {
		t.Errorf("fromEntry = %+v", r)
	}
	if want := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("fe80::1")}; !reflect.DeepEqual(r.addrs, want) {
		t.Errorf("addresses = %v, want %v (duplicates and invalid ones dropped)", r.addrs, want)
	}
	if _, ok := fromEntry(&entry{}, "_http._tcp", now); ok {
		t.Error("fromEntry accepted an entry without a host")
	}
}

// FuzzFromEntry checks that any entry the assembler might hand over
// converts without panicking into bounded fields.
func FuzzFromEntry(f *testing.F) {
	f.Add(`K\195\188che`, "host.local.", "a=b", 80, []byte{127, 0, 0, 1})
	f.Add("\x1b[2J", `evil\000.local.`, "p=secret", 0, []byte{1, 2, 3})
	f.Add("", "", "", -1, []byte(nil))
	f.Fuzz(func(t *testing.T, instance, host, txt string, port int, ip []byte) {
		e := &entry{Instance: instance, HostName: host, Port: port, Text: []string{txt}, Addrs: []net.IP{ip}}
		r, ok := fromEntry(e, "_http._tcp", time.Now())
		if !ok {
			return
		}
		if r.host == "" || len(r.addrs) > MaxAddressesPerDevice || len(r.service.TXT) > 1 {
			t.Fatalf("unbounded or empty result %+v", r)
		}
	})
}

// TestPreferredAddress prefers a private address over a public one a
// device may announce, IPv4 over IPv6 within a kind, and keeps the list's
// order within a rank.
func TestPreferredAddress(t *testing.T) {
	a := netip.MustParseAddr
	for _, tt := range []struct {
		name  string
		addrs []netip.Addr
		want  netip.Addr
	}{
		{"none", nil, netip.Addr{}},
		{"only IPv6", []netip.Addr{a("fd00::20")}, a("fd00::20")},
		{"private IPv4 after ULA", []netip.Addr{a("fd00::20"), a("192.168.1.20")}, a("192.168.1.20")},
		{"private IPv4 before ULA", []netip.Addr{a("192.168.1.20"), a("fd00::20")}, a("192.168.1.20")},
		{"private IPv4 after public IPv4", []netip.Addr{a("8.8.8.8"), a("10.0.0.7")}, a("10.0.0.7")},
		{"RFC 1918 172.16/12 over public 172.32", []netip.Addr{a("172.32.0.1"), a("172.31.255.1")}, a("172.31.255.1")},
		{"loopback IPv4 over public IPv4", []netip.Addr{a("203.0.113.9"), a("127.77.0.1")}, a("127.77.0.1")},
		{"link-local IPv4 over ULA", []netip.Addr{a("fd00::20"), a("169.254.3.4")}, a("169.254.3.4")},
		{"private IPv4 over link-local IPv4", []netip.Addr{a("169.254.3.4"), a("192.168.1.20")}, a("192.168.1.20")},
		{"ULA over public IPv4", []netip.Addr{a("203.0.113.9"), a("fd12:3456::1")}, a("fd12:3456::1")},
		{"IPv6 loopback over link-local IPv6", []netip.Addr{a("fe80::1"), a("::1")}, a("::1")},
		{"link-local IPv6 over public IPv4", []netip.Addr{a("203.0.113.9"), a("fe80::1")}, a("fe80::1")},
		{"link-local IPv6 over public IPv6", []netip.Addr{a("2001:db8::1"), a("fe80::1")}, a("fe80::1")},
		{"IPv4-mapped private over public IPv4", []netip.Addr{a("203.0.113.9"), a("::ffff:192.168.1.20")}, a("::ffff:192.168.1.20")},
		{"first of the same rank", []netip.Addr{a("8.8.8.8"), a("192.168.1.30"), a("10.0.0.7")}, a("192.168.1.30")},
		{"only public: the first", []netip.Addr{a("2001:db8::1"), a("203.0.113.9")}, a("2001:db8::1")},
	} {
		if got := PreferredAddress(tt.addrs); got != tt.want {
			t.Errorf("%s: PreferredAddress(%v) = %v, want %v", tt.name, tt.addrs, got, tt.want)
		}
	}
}
