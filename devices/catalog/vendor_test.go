package catalog

import (
	"fmt"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"NL*", "NL29", true},
		{"NL*", "nl42", true},
		{"NL*", "XNL29", false},
		{"*zigate*", "PiZiGate-1", true},
		{"shelly*", "shellyplug-s-1A2B3C", true},
		{"Socket", "Socket", true},
		{"Socket", "Sockets", false},
		{"a*b*c", "a-b-c", true},
		{"a*b*c", "a-c-b", false},
		{"[x]", "[x]", true}, // nothing but "*" is special
	} {
		if got := Match(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestSpecificity(t *testing.T) {
	service := Matcher{Service: "_hap._tcp"}
	glob := Matcher{Service: "_hap._tcp", TXT: map[string]string{"md": "NL*"}}
	exact := Matcher{Service: "_hap._tcp", TXT: map[string]string{"md": "NL29"}}
	matter := Matcher{MatterVendor: 4442}
	if !(service.Specificity() < glob.Specificity() && glob.Specificity() < exact.Specificity()) {
		t.Errorf("specificities service %d, glob %d, exact %d: want increasing", service.Specificity(), glob.Specificity(), exact.Specificity())
	}
	if matter.Specificity() <= service.Specificity() {
		t.Errorf("a Matter vendor ID (%d) must say more than a service type (%d)", matter.Specificity(), service.Specificity())
	}
}

// TestVendorsAreEnough pins the size of the recognition catalog the issue
// asks for: at least 60 vendors over at least 25 service types, every
// vendor with a rule and every rule with a source.
func TestVendorsAreEnough(t *testing.T) {
	c := mustLoad(t)
	vendors := c.Vendors()
	if len(vendors) < 60 {
		t.Errorf("%d vendors, want at least 60", len(vendors))
	}
	types := make(map[string]bool)
	for _, v := range vendors {
		for _, m := range v.Matchers {
			if m.Service != "" {
				types[m.Service] = true
			}
		}
	}
	if len(types) < 25 {
		t.Errorf("rules over %d service types, want at least 25", len(types))
	}
	rec := c.Recognition()
	for _, code := range []string{"5", "7", "17", "31"} {
		if _, ok := rec.HomeKitCategories.Kind(code); !ok {
			t.Errorf("HomeKit category %s missing", code)
		}
	}
	if got, ok := rec.MatterDeviceTypes.Kind("266"); !ok || got.Kind != KindPlug {
		t.Errorf("Matter device type 266 = %+v, want a plug", got)
	}
	if _, ok := c.Vendor("nanoleaf"); !ok {
		t.Error("Vendor(nanoleaf) not found")
	}
}

func TestVendorValidation(t *testing.T) {
	const ok = `{"id": "demo", "name": "Demo", "kind": "plug",
	  "matchers": [{"service": "_demo._tcp", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`
	if _, err := parseVendor("data/vendors/demo.json", []byte(ok)); err != nil {
		t.Fatalf("the base vendor must pass: %v", err)
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"no rules", `{"id": "demo", "name": "Demo", "matchers": []}`, "matchers: missing"},
		{"empty rule", `{"id": "demo", "name": "Demo", "matchers": [{"source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "a rule needs at least one condition"},
		{"rule without source", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "as_of": "2026-12-04"}]}`, "matchers[0].source: missing"},
		{"unknown kind", `{"id": "demo", "name": "Demo", "kind": "toaster", "matchers": [{"service": "_demo._tcp", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, `unknown kind "toaster"`},
		{"bad service type", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_Demo._tcp.local", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "is not a lower-case service type"},
		{"bad UPnP device type", `{"id": "demo", "name": "Demo", "matchers": [{"service": "upnp:urn:schemas-upnp-org:service:WANIPConnection:2", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "is not a UPnP device type"},
		{"TXT without service", `{"id": "demo", "name": "Demo", "matchers": [{"txt": {"md": "x"}, "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "needs a service"},
		{"pattern that matches anything", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "instance": "**", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "matches anything"},
		{"security contact with a note for a source", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "source": "https://example.com/x", "as_of": "2026-12-04"}],
		  "security_contact": {"url": "https://example.com/sec", "source": "read through the code index", "as_of": "2026-12-04"}}`, "security_contact.source"},
		{"OUI in lower case", demoOUIs(`"48:ee:0c"`, ieeeRegistry+"oui/oui.txt"), "upper-case hex octets"},
		{"OUI without colons", demoOUIs(`"48EE0C"`, ieeeRegistry+"oui/oui.txt"), "upper-case hex octets"},
		{"locally administered OUI", demoOUIs(`"8A:71:CA"`, ieeeRegistry+"oui/oui.txt"), "locally administered"},
		{"OUI twice", demoOUIs(`"48:EE:0C", "48:EE:0C"`, ieeeRegistry+"oui/oui.txt"), "appears twice"},
		{"OUI read elsewhere than the registry", demoOUIs(`"48:EE:0C"`, "https://example.com/mac-lookup"), "not the IEEE Registration Authority"},
		{"no OUIs in a block", demoOUIs(``, ieeeRegistry+"oui/oui.txt"), "prefixes: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseVendor("data/vendors/demo.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// demoOUIs is a vendor document with one block of OUIs.
func demoOUIs(prefixes, source string) string {
	return `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "source": "https://example.com/x", "as_of": "2026-12-04"}],
	  "ouis": [{"organization": "Demo Inc.", "prefixes": [` + prefixes + `], "source": "` + source + `", "as_of": "2026-12-04"}]}`
}

func TestOUIOf(t *testing.T) {
	for _, tc := range []struct {
		mac, want string
		ok        bool
	}{
		{"48ee0c649791", "48:EE:0C", true},
		{"48:EE:0C:64:97:91", "48:EE:0C", true},
		{"74-5e-1c-ae-41-d0", "74:5E:1C", true},
		{"826FBC66D82F", "", false},      // locally administered
		{"01:00:5E:00:00:FB", "", false}, // a group address
		{"8A:71:CA:xxxxx", "", false},    // masked
		{"XX:XX:XX:XX:XX:XX", "", false},
		{"48:EE:0C-64:97:91", "", false}, // mixed separators
		{"48EE0C64979", "", false},
		{"", "", false},
	} {
		got, ok := OUIOf(tc.mac)
		if got != tc.want || ok != tc.ok {
			t.Errorf("OUIOf(%q) = %q, %v; want %q, %v", tc.mac, got, ok, tc.want, tc.ok)
		}
	}
}

// TestVendorByMAC checks the lookup against the embedded catalog: a D-Link
// address from the registry names D-Link, a locally administered one
// nobody.
func TestVendorByMAC(t *testing.T) {
	c := mustLoad(t)
	v, b, ok := c.VendorByMAC("48:ee:0c:64:97:91")
	if !ok || v.ID != "dlink" || b.Organization != "D-Link International" {
		t.Errorf("VendorByMAC(48:ee:0c:...) = %q, %q, %v; want dlink, D-Link International", v.ID, b.Organization, ok)
	}
	if v, _, ok := c.VendorByMAC("4A:EE:0C:64:97:91"); ok {
		t.Errorf("a locally administered address named %q", v.ID)
	}
}

// TestSoftwareValidation: a program's rule names the program and nothing a
// device would be.
func TestSoftwareValidation(t *testing.T) {
	const tables = `{"homekit_categories": {"codes": {"2": {"name": "Bridge", "kind": "hub"}}, "source": "https://example.com/t", "as_of": "2026-12-04"},
	  "matter_device_types": {"codes": {"14": {"name": "Aggregator", "kind": "hub"}}, "source": "https://example.com/t", "as_of": "2026-12-04"},
	  "service_kinds": [], "software": [%s]}`
	ok := `{"name": "Prog", "service": "_raop._tcp", "txt": {"am": "Prog"}, "source": "https://example.com/p", "as_of": "2026-12-04"}`
	if _, err := parseRecognition("tables.json", []byte(fmt.Sprintf(tables, ok))); err != nil {
		t.Fatalf("the base software rule must pass: %v", err)
	}
	for _, tc := range []struct{ name, rule, want string }{
		{"no name", `{"service": "_raop._tcp", "txt": {"am": "Prog"}, "source": "https://example.com/p", "as_of": "2026-12-04"}`, "software[0].name: missing"},
		{"a kind", `{"name": "Prog", "service": "_raop._tcp", "kind": "speaker", "source": "https://example.com/p", "as_of": "2026-12-04"}`, "names no kind"},
		{"no condition", `{"name": "Prog", "source": "https://example.com/p", "as_of": "2026-12-04"}`, "at least one condition"},
		{"no source", `{"name": "Prog", "service": "_raop._tcp", "as_of": "2026-12-04"}`, "software[0].source: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseRecognition("tables.json", []byte(fmt.Sprintf(tables, tc.rule)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
