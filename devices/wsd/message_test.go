package wsd

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

const axisMatch = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
	`<SOAP-ENV:Header><wsa:RelatesTo>urn:uuid:1</wsa:RelatesTo><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>` +
	`<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:5F5A69C2-E0AE-504F-829B-00408C1A2B3C</wsa:Address></wsa:EndpointReference>` +
	`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>onvif://www.onvif.org/name/Haust%C3%BCr%20Kamera onvif://www.onvif.org/hardware/M1065-LW</d:Scopes>` +
	`<d:XAddrs>http://192.168.1.20/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`

func TestParseProbeMatches(t *testing.T) {
	ms, err := ParseProbeMatches([]byte(axisMatch))
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	m := ms[0]
	if m.UUID != "5f5a69c2-e0ae-504f-829b-00408c1a2b3c" || !slices.Equal(m.Types, []string{"NetworkVideoTransmitter", "Device"}) || len(m.XAddrs) != 2 {
		t.Errorf("%+v", m)
	}
	if Scope(m.Scopes, "name") != "Haustür Kamera" || Scope(m.Scopes, "hardware") != "M1065-LW" || Scope(m.Scopes, "location") != "" {
		t.Errorf("scopes %v", m.Scopes)
	}
	sender := netip.MustParseAddr("192.168.1.20")
	if port, path, err := ServiceURL(m.XAddrs[0], sender); err != nil || port != 80 || path != "/onvif/device_service" {
		t.Errorf("ServiceURL: %d %q %v", port, path, err)
	}
	for _, x := range []string{m.XAddrs[1], "http://192.168.1.21/onvif", "https://192.168.1.20/onvif", "http://cam.local/onvif"} {
		if _, _, err := ServiceURL(x, sender); !errors.Is(err, ErrAddress) {
			t.Errorf("ServiceURL(%q): %v, want ErrAddress", x, err)
		}
	}
}

func TestParseProbeMatchesHostile(t *testing.T) {
	for name, doc := range map[string]string{
		"dtd":       `<!DOCTYPE x [<!ENTITY a "b">]>` + axisMatch,
		"entity":    strings.Replace(axisMatch, "M1065-LW", "&a;", 1),
		"deep":      "<Envelope>" + strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40) + "</Envelope>",
		"huge":      "<Envelope>" + strings.Repeat(" ", MaxMessage) + "</Envelope>",
		"not soap":  "<html/>",
		"no match":  `<Envelope><Body/></Envelope>`,
		"cut short": axisMatch[:300],
	} {
		if _, err := ParseProbeMatches([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A match without a UUID endpoint is skipped; matches are bounded.
	many := strings.Repeat(`<d:ProbeMatch><wsa:EndpointReference><wsa:Address>urn:uuid:abc</wsa:Address></wsa:EndpointReference></d:ProbeMatch>`, 40)
	ms, err := ParseProbeMatches([]byte(`<e:Envelope xmlns:e="x" xmlns:d="y" xmlns:wsa="z"><e:Body><d:ProbeMatches>` + many +
		`<d:ProbeMatch><wsa:EndpointReference><wsa:Address>http://evil</wsa:Address></wsa:EndpointReference></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>`))
	if err != nil || len(ms) != maxItems {
		t.Errorf("%d matches, %v; want %d", len(ms), err, maxItems)
	}
}

func TestCollectorBounds(t *testing.T) {
	c := newCollector()
	flood := netip.MustParseAddr("192.168.1.66")
	for i := range 20 {
		doc := strings.Replace(axisMatch, "5F5A69C2-E0AE-504F-829B-00408C1A2B3C", "00000000-0000-0000-0000-0000000000"+string(rune('a'+i/16))+string("0123456789abcdef"[i%16]), 1)
		doc = strings.ReplaceAll(doc, "192.168.1.20", flood.String())
		c.add([]byte(doc), flood, timeNow())
	}
	c.add([]byte(axisMatch), netip.MustParseAddr("8.8.8.8"), timeNow())      // not a home address
	c.add([]byte(axisMatch), netip.MustParseAddr("192.168.1.21"), timeNow()) // XAddr elsewhere
	c.add([]byte(axisMatch), netip.MustParseAddr("192.168.1.20"), timeNow()) // the camera
	res := c.result(timeNow())
	if len(res.Found) != MaxPerSender+1 || res.Dropped != 20-MaxPerSender {
		t.Errorf("%d found, %d dropped", len(res.Found), res.Dropped)
	}
}

func timeNow() time.Time { return time.Now() }
