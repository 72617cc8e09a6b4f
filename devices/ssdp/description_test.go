package ssdp

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
)

func TestParseDescription(t *testing.T) {
	b, err := os.ReadFile("testdata/igd.xml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDescription(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Root.DeviceType != "urn:schemas-upnp-org:device:InternetGatewayDevice:2" || d.Root.FriendlyName != "Heimrouter" ||
		d.Root.Manufacturer != "Lab Networks" || d.Root.ModelName != "HomeGate 7" || d.Root.ModelNumber != "7.57" {
		t.Errorf("root %+v", d.Root)
	}
	if len(d.Embedded) != 2 {
		t.Fatalf("%d embedded devices, want 2", len(d.Embedded))
	}
	s, ok := d.Find("urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANIPConnection:2")
	if !ok || s.ControlURL != "/ctl/IPConn" {
		t.Errorf("WANIPConnection: %+v %v", s, ok)
	}
	addr := netip.MustParseAddr("192.168.178.1")
	port, path, err := d.Resolve(s.ControlURL, addr, 49000)
	if err != nil || port != 49000 || path != "/ctl/IPConn" {
		t.Errorf("Resolve: %d %q %v", port, path, err)
	}
	if _, _, err := d.Resolve("http://192.168.178.9/ctl", addr, 49000); !errors.Is(err, ErrLocation) {
		t.Errorf("a control URL at another address: %v, want ErrLocation", err)
	}
	ll := netip.MustParseAddr("fe80::1%eth0") // a router heard over IPv6
	if port, path, err := d.Resolve(s.ControlURL, ll, 49000); err != nil || port != 49000 || path != "/ctl/IPConn" {
		t.Errorf("Resolve at a link-local address: %d %q %v", port, path, err)
	}
	d.URLBase = "http://192.168.178.1:5000/base/"
	if port, path, err := d.Resolve("ctl/x", addr, 49000); err != nil || port != 5000 || path != "/base/ctl/x" {
		t.Errorf("Resolve with URLBase: %d %q %v", port, path, err)
	}
}

// TestParseDescriptionHostile: entity bombs, external entities, deep
// nesting, size, and broken XML are refused, never expanded or fetched.
func TestParseDescriptionHostile(t *testing.T) {
	device := "<device><deviceType>urn:x:device:y:1</deviceType><UDN>uuid:a</UDN><friendlyName>%s</friendlyName></device>"
	laughs := `<?xml version="1.0"?><!DOCTYPE root [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><root>` + strings.Replace(device, "%s", "&lol3;", 1) + `</root>`
	xxe := `<?xml version="1.0"?><!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><root>` + strings.Replace(device, "%s", "&xxe;", 1) + `</root>`
	undeclared := `<root>` + strings.Replace(device, "%s", "&lol3;", 1) + `</root>`
	deep := "<root>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</root>"
	huge := "<root>" + strings.Repeat(" ", MaxDescription) + "</root>"
	for name, tc := range map[string]struct {
		doc string
		err error
	}{
		"billion laughs":    {laughs, ErrDTD},
		"external entity":   {xxe, ErrDTD},
		"undeclared entity": {undeclared, ErrDescription},
		"deep nesting":      {deep, ErrDescription},
		"huge":              {huge, ErrDescription},
		"cut short":         {"<root><device><deviceType>x", ErrDescription},
		"not xml":           {"{\"json\": true}", ErrDescription},
		"no device type":    {"<root><device><UDN>uuid:a</UDN></device></root>", ErrDescription},
		"wrong root":        {"<html><device/></html>", ErrDescription},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseDescription([]byte(tc.doc)); !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
		})
	}
}

func TestParseDescriptionBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("<root><device><deviceType>urn:x:device:y:1</deviceType><UDN>uuid:a</UDN><friendlyName>")
	b.WriteString(strings.Repeat("n", 500) + "\u202e\u009b2J")
	b.WriteString("</friendlyName><serviceList>")
	for range 100 {
		b.WriteString("<service><serviceType>urn:x:service:s:1</serviceType></service>")
	}
	b.WriteString("</serviceList><deviceList>")
	for range 40 {
		b.WriteString("<device><deviceType>urn:x:device:e:1</deviceType></device>")
	}
	b.WriteString("</deviceList></device></root>")
	d, err := ParseDescription([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(d.Root.FriendlyName)); n > 64 || strings.ContainsAny(d.Root.FriendlyName, "\u202e\u009b") {
		t.Errorf("friendly name not cleaned: %d runes %q", n, d.Root.FriendlyName)
	}
	if len(d.Root.Services) != maxServices || len(d.All()) != maxDevices {
		t.Errorf("%d services, %d devices; want %d, %d", len(d.Root.Services), len(d.All()), maxServices, maxDevices)
	}
}
