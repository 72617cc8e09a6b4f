package ssdp

import (
	"net/netip"
	"testing"

	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
)

// FuzzParseMessage: any packet is read within its bounds, without a
// panic, into text that is safe to show.
func FuzzParseMessage(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/d.xml\r\nUSN: uuid:a::upnp:rootdevice\r\nST: upnp:rootdevice\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMessage(b)
		if err != nil {
			return
		}
		for _, s := range []string{m.Target, m.USN, m.Location, m.Server} {
			checkSafe(t, s, 255)
		}
		if _, _, err := DescriptionURL(m.Location, netip.MustParseAddr("10.0.0.1")); err == nil && UUID(m.USN) == "" {
			t.Errorf("accepted a message without a UUID")
		}
	})
}

// FuzzParseDescription: any document is read within its bounds, without
// a panic, into text that is safe to show; control URLs never resolve to
// another address.
func FuzzParseDescription(f *testing.F) {
	f.Add([]byte("<root><device><deviceType>urn:x:device:y:1</deviceType><UDN>uuid:a</UDN></device></root>"))
	addr := netip.MustParseAddr("192.168.1.1")
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDescription(b)
		if err != nil {
			return
		}
		if len(d.All()) > maxDevices {
			t.Errorf("%d devices", len(d.All()))
		}
		for _, dev := range d.All() {
			for _, s := range []string{dev.DeviceType, dev.FriendlyName, dev.Manufacturer, dev.ModelName, dev.ModelNumber, dev.SerialNumber, dev.UDN} {
				checkSafe(t, s, 128)
			}
			for _, s := range dev.Services {
				if _, path, err := d.Resolve(s.ControlURL, addr, 80); err == nil && path == "" {
					t.Errorf("control URL %q resolved to no path", s.ControlURL)
				}
			}
		}
		if f := (Found{Addr: addr, UUID: "a", Description: &d}); f.Service().Type == "" {
			t.Errorf("a service without a type")
		}
	})
}

// checkSafe fails when s holds a character devtext.Clean would not let
// through, or more than limit characters.
func checkSafe(t *testing.T, s string, limit int) {
	t.Helper()
	if r, bad := devtexttest.Unsafe(s); bad {
		t.Errorf("%q holds %U", s, r)
	}
	if n := len([]rune(s)); n > limit {
		t.Errorf("%d characters, more than %d", n, limit)
	}
}
