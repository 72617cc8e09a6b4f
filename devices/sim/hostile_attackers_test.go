package sim

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestHostileAttackers checks the attacking devices of the hostile
// household: one per attack, each on an address of its own, announcing a
// real family and named after what it does.
func TestHostileAttackers(t *testing.T) {
	ds, err := Household(ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	familyTypes := map[string]bool{}
	for _, b := range builders {
		for _, s := range b.build(0, b.names[0], Addr(0)).Services {
			familyTypes[s.Type] = true
		}
	}
	addrs := map[netip.Addr]string{}
	served := map[Attack]string{}
	for _, d := range ds {
		if other, dup := addrs[d.Addr]; dup {
			t.Errorf("%s and %s share %v", d.Host, other, d.Addr)
		}
		addrs[d.Addr] = d.Host
		if d.Attack == "" {
			continue
		}
		_, isHTTP := httpAttacks[d.Attack]
		_, isTCP := tcpAttacks[d.Attack]
		if isHTTP == isTCP {
			t.Errorf("%s: attack %q is served over HTTP %v, below HTTP %v; want exactly one", d.Host, d.Attack, isHTTP, isTCP)
		}
		if other, dup := served[d.Attack]; dup {
			t.Errorf("%s and %s both serve %q", d.Host, other, d.Attack)
		}
		served[d.Attack] = d.Host
		if d.Family != Hostile || d.Handler() != nil || len(d.HTTPPorts) == 0 {
			t.Errorf("%s: family %q, family API %v, ports %v; want a hostile device with ports and no family API",
				d.Host, d.Family, d.Handler() != nil, d.HTTPPorts)
		}
		if !strings.Contains(d.Host, string(d.Attack)) {
			t.Errorf("host %q does not say it serves %q", d.Host, d.Attack)
		}
		if !slices.ContainsFunc(d.Services, func(s Service) bool { return familyTypes[s.Type] && s.Port > 0 }) {
			t.Errorf("%s announces %+v, no real family's service", d.Host, d.Services)
		}
	}
	if len(served) != len(httpAttacks)+len(tcpAttacks) {
		t.Errorf("%d attacks served, %d exist", len(served), len(httpAttacks)+len(tcpAttacks))
	}
	if _, err := newZone(ds); err != nil {
		t.Errorf("the household cannot be announced: %v", err)
	}
}

// TestHostileManifest checks that the manifest says where each attack is.
func TestHostileManifest(t *testing.T) {
	ds, err := Household(ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := (&Lab{profile: ProfileHostile, devices: ds}).Manifest()
	for _, md := range m.Devices {
		switch {
		case md.Attack == "" && md.Family == Hostile:
			if len(md.HTTP) != 0 {
				t.Errorf("%s: serves %v without an attack", md.Host, md.HTTP)
			}
		case md.Attack == "":
			if len(md.HTTP) == 0 {
				t.Errorf("%s: a lying %s serves nothing", md.Host, md.Family)
			}
		case md.Attack == AttackTLSGarbage:
			if want := []string{"https://" + md.Address + ":443/", "https://" + md.Address + ":8443/"}; !slices.Equal(md.HTTP, want) {
				t.Errorf("%s: %v, want %v", md.Host, md.HTTP, want)
			}
		default:
			if len(md.HTTP) == 0 || !strings.HasPrefix(md.HTTP[0], "http://"+md.Address+":") {
				t.Errorf("%s (%s): %v", md.Host, md.Attack, md.HTTP)
			}
		}
	}
}

// TestHostileLiars checks the lying devices of the hostile household: one
// of each family that names its model or firmware, each serving its
// family's API and reporting hostile text where that family says what it
// is, in its answers and its TXT record.
func TestHostileLiars(t *testing.T) {
	ds, err := Household(ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	families := map[Family]bool{}
	for _, d := range ds {
		if d.Family == Hostile {
			continue
		}
		families[d.Family] = true
		if d.Attack != "" || d.Handler() == nil {
			t.Errorf("%s: attack %q, family API %v; want a %s that answers as one", d.Host, d.Attack, d.Handler() != nil, d.Family)
		}
		if !strings.Contains(d.Model, "\x1b[2J") || !strings.Contains(d.Firmware, "\u202e") {
			t.Errorf("%s: model %q firmware %q, want hostile text", d.Host, d.Model, d.Firmware)
		}
		for _, s := range d.Services {
			for _, kv := range s.TXT {
				if len(kv) > 255 {
					t.Errorf("%s: TXT string of %d bytes", d.Host, len(kv))
				}
				if key, v, _ := strings.Cut(kv, "="); liarTXT[strings.ToLower(key)] && !strings.Contains(v, liarText) {
					t.Errorf("%s: TXT %s=%q, want hostile text", d.Host, key, v)
				}
			}
		}
	}
	for _, b := range builders {
		if !families[b.family] && b.family != Matter {
			t.Errorf("no lying %s", b.family)
		}
	}
}

// TestHomeHasNoAttackers guards the other households.
func TestHomeHasNoAttackers(t *testing.T) {
	for _, p := range []Profile{ProfileHome, ProfileLarge} {
		ds, err := Household(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Attack != "" {
				t.Errorf("%s device %s attacks (%s)", p, d.Host, d.Attack)
			}
		}
	}
}
