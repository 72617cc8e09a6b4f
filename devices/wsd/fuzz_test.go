package wsd

import (
	"net/netip"
	"testing"

	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
)

// FuzzParseProbeMatches: any answer is read within its bounds, without a
// panic, into text that is safe to show; XAddrs never lead elsewhere.
func FuzzParseProbeMatches(f *testing.F) {
	f.Add([]byte(axisMatch))
	sender := netip.MustParseAddr("192.168.1.20")
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := ParseProbeMatches(b)
		if err != nil {
			return
		}
		if len(ms) > maxItems {
			t.Errorf("%d matches", len(ms))
		}
		for _, m := range ms {
			for _, s := range append(append(append([]string{m.UUID, Scope(m.Scopes, "name")}, m.Types...), m.Scopes...), m.XAddrs...) {
				if r, bad := devtexttest.Unsafe(s); bad {
					t.Errorf("%q holds %U", s, r)
				}
			}
			for _, x := range m.XAddrs {
				if _, path, err := ServiceURL(x, sender); err == nil && path == "" {
					t.Errorf("XAddr %q with no path", x)
				}
			}
		}
	})
}

// FuzzParseONVIF: any ONVIF answer is read within its bounds, without a
// panic (the parser Identify uses).
func FuzzParseONVIF(f *testing.F) {
	f.Add([]byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Manufacturer>AXIS</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := parse(b)
		if err != nil {
			return
		}
		_ = env.first("Manufacturer")
		_ = env.first("Value")
		for _, p := range env.find("Profiles") {
			if len(p.token) > 64 {
				t.Errorf("a profile token of %d bytes kept", len(p.token))
			}
		}
	})
}
