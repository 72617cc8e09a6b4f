package catalog

import (
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
		{"TXT without service", `{"id": "demo", "name": "Demo", "matchers": [{"txt": {"md": "x"}, "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "needs a service"},
		{"pattern that matches anything", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "instance": "**", "source": "https://example.com/x", "as_of": "2026-12-04"}]}`, "matches anything"},
		{"security contact with a note for a source", `{"id": "demo", "name": "Demo", "matchers": [{"service": "_demo._tcp", "source": "https://example.com/x", "as_of": "2026-12-04"}],
		  "security_contact": {"url": "https://example.com/sec", "source": "read through the code index", "as_of": "2026-12-04"}}`, "security_contact.source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseVendor("data/vendors/demo.json", []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
