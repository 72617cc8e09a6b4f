package sim

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// TestNewImpostors checks where impostors answer and which requests for
// one are refused.
func TestNewImpostors(t *testing.T) {
	home := homeHousehold()
	host := func(name string) string { return deviceNamed(t, home, name).Host }
	gen2, hue := host("Wohnzimmer Steckdose"), host("Philips Hue")
	for _, tc := range []struct {
		name      string
		household []*Device
		specs     []Impostor
		wantAddrs []netip.Addr // on success
		wantLeft  []string     // hosts of the devices that left
		wantErr   string       // part of the error, "" for success
	}{
		{"next free addresses", home, []Impostor{{Of: gen2}, {Of: hue}},
			[]netip.Addr{Addr(len(home)), Addr(len(home) + 1)}, nil, ""},
		{"a given address", home, []Impostor{{Of: gen2, Addr: netip.MustParseAddr("127.0.9.9")}, {Of: strings.ToUpper(hue)}},
			[]netip.Addr{netip.MustParseAddr("127.0.9.9"), Addr(len(home))}, nil, ""},
		{"the same address", home, []Impostor{{Of: gen2, SameAddress: true}, {Of: gen2}},
			[]netip.Addr{deviceNamed(t, home, "Wohnzimmer Steckdose").Addr, Addr(len(home))}, []string{gen2}, ""},
		{"the same address, given", home, []Impostor{{Of: hue, SameAddress: true, Addr: deviceNamed(t, home, "Philips Hue").Addr}},
			[]netip.Addr{deviceNamed(t, home, "Philips Hue").Addr}, []string{hue}, ""},
		{"unknown host", home, []Impostor{{Of: "nobody"}}, nil, nil, "no device of the household"},
		{"another address with SameAddress", home, []Impostor{{Of: gen2, SameAddress: true, Addr: netip.MustParseAddr("127.0.9.9")}},
			nil, nil, "takes over the address"},
		{"the same address twice", home, []Impostor{{Of: gen2, SameAddress: true}, {Of: gen2, SameAddress: true}},
			nil, nil, "took over the address"},
		{"an address in use", home, []Impostor{{Of: gen2, Addr: deviceNamed(t, home, "Philips Hue").Addr}}, nil, nil, "is taken"},
		{"an address another impostor holds", home,
			[]Impostor{{Of: gen2, Addr: netip.MustParseAddr("127.0.9.9")}, {Of: hue, Addr: netip.MustParseAddr("127.0.9.9")}}, nil, nil, "is taken"},
		{"the responder's address", home, []Impostor{{Of: gen2, Addr: ResponderAddr}}, nil, nil, "is taken"},
		{"the flood's address", home, []Impostor{{Of: gen2, Addr: FloodAddr}}, nil, nil, "is taken"},
		{"an address off loopback", home, []Impostor{{Of: gen2, Addr: netip.MustParseAddr("192.168.1.10")}}, nil, nil, "not an IPv4 loopback"},
		{"IPv6 loopback", home, []Impostor{{Of: gen2, Addr: netip.IPv6Loopback()}}, nil, nil, "not an IPv4 loopback"},
		{"an attacker", hostileHousehold(), []Impostor{{Of: "slow-drip-shelly"}}, nil, nil, "attack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			imps, left, err := newImpostors(tc.household, tc.specs)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var addrs []netip.Addr
			for _, d := range imps {
				addrs = append(addrs, d.Addr)
			}
			if !reflect.DeepEqual(addrs, tc.wantAddrs) {
				t.Errorf("addresses %v, want %v", addrs, tc.wantAddrs)
			}
			var gone []string
			for _, d := range tc.household {
				if left[d] {
					gone = append(gone, d.Host)
				}
			}
			if !reflect.DeepEqual(gone, tc.wantLeft) {
				t.Errorf("left: %v, want %v", gone, tc.wantLeft)
			}
		})
	}
}

// TestImpostorCopies checks that an impostor copies the announcement of
// the device, not its MAC, its state or its memory of credentials.
func TestImpostorCopies(t *testing.T) {
	home := homeHousehold()
	for _, d := range home {
		if d.Handler() != nil {
			callAPI(t, d, apiCall{target: "/", header: map[string]string{"Authorization": "Basic YWRtaW46eA=="}})
		}
	}
	var specs []Impostor
	for _, d := range home {
		specs = append(specs, Impostor{Of: d.Host})
	}
	imps, _, err := newImpostors(home, specs)
	if err != nil {
		t.Fatal(err)
	}
	macs := map[string]bool{}
	for i, imp := range imps {
		orig := home[i]
		if imp.Family != orig.Family || imp.Name != orig.Name || imp.Host != orig.Host || !reflect.DeepEqual(imp.Services, orig.Services) {
			t.Errorf("%s: impostor announces %s %q %s %+v, want a copy of %s %q %s %+v", orig.Host,
				imp.Family, imp.Name, imp.Host, imp.Services, orig.Family, orig.Name, orig.Host, orig.Services)
		}
		if orig.Handler() != nil && len(orig.CredentialRequests()) != 1 {
			t.Errorf("%s: the real device recorded %q, want its one request", orig.Host, orig.CredentialRequests())
		}
		if imp.MAC == orig.MAC || macs[imp.MAC] || len(imp.MAC) != 12 {
			t.Errorf("%s: impostor MAC %q, want one of its own", orig.Host, imp.MAC)
		}
		macs[imp.MAC] = true
		if imp.AuthEnabled() {
			t.Errorf("%s: impostor asks for a password", orig.Host)
		}
		if got := imp.CredentialRequests(); got != nil {
			t.Errorf("%s: impostor starts with credential requests %q", orig.Host, got)
		}
		if len(imp.Services) > 0 && len(imp.Services[0].TXT) > 0 {
			imp.Services[0].TXT[0] = "changed"
			if orig.Services[0].TXT[0] == "changed" {
				t.Errorf("%s: impostor shares its TXT with the real device", orig.Host)
			}
		}
	}
}
