package identify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
)

// definiteVendor are the families whose rule already proves the maker from
// the device's own answer or its maker's own service type.
var definiteVendor = map[Family]bool{
	ShellyGen1: true, ShellyGen2: true, Tasmota: true, WLED: true, ESPHome: true, HueBridge: true,
	Sonos: true, Elgato: true, OctoPrint: true,
}

// FromAnnouncement tells what d is from its announcement alone, asking it
// nothing: what a scan knows before any request.
func FromAnnouncement(d discover.Device) Identity {
	return identifyThrough(context.Background(), d, nil)
}

// announcementEvidence is what evidence drawn from everything a device
// announced (its service types, names and TXT records) says it read; no
// request is made for it.
const announcementEvidence = "mDNS announcement"

// match is the rule of one vendor that matched a device best.
type match struct {
	vendor catalog.Vendor
	rule   catalog.Matcher
	score  int
	// tied is set when another vendor's rule matched as specifically.
	tied bool
}

// recognise sets the identity's maker and kind from everything the device
// announced, by the catalog's vendor rules: of several matching rules the
// most specific wins, and a tie between two makers names neither. A maker
// the family rule proved stays; the rules then add only its kind.
func (p *prober) recognise(id *Identity) {
	cat, err := catalog.Default()
	if err != nil {
		return
	}
	best := bestMatch(cat.Vendors(), p.d)
	vendorBefore := id.Vendor
	var maker catalog.Vendor // the maker the kind may come from
	if best.score > 0 && !best.tied {
		maker = best.vendor
	}
	if sw, score, ok := softwareMatch(cat.Recognition().Software, p.d); ok && !definiteVendor[id.Family] && score >= best.score {
		// A program's announcement: no maker, no kind, whatever it declares.
		id.VendorID, id.Vendor, id.Kind = "", "", ""
		p.evidence = append(p.evidence, Evidence{Asked: announcementEvidence, Saw: summary(fmt.Sprintf("announced by %s, a program that runs on any computer; the computer's maker and kind stay unknown", sw.Name))})
		return
	}
	switch {
	case definiteVendor[id.Family]:
		if v, ok := familyVendor(cat, id.Family); ok {
			id.VendorID, id.Vendor = v.ID, v.Name
			id.Kind = string(v.Kind)
			if best.rule.Kind != "" && best.vendor.ID == v.ID {
				id.Kind = string(best.rule.Kind)
			}
		}
	case best.score > 0 && !best.tied:
		id.VendorID, id.Vendor = best.vendor.ID, best.vendor.Name
		if id.Model == "" {
			id.Model = best.rule.Model
		}
		p.evidence = append(p.evidence, Evidence{Asked: announcementEvidence, Saw: summary(fmt.Sprintf("recognised as %s by the rule %s", best.vendor.Name, describe(best.rule)))})
	case best.tied:
		id.Vendor = ""
		p.evidence = append(p.evidence, Evidence{Asked: announcementEvidence, Saw: summary("rules of several makers matched equally well; the maker stays unknown")})
	default:
		id.Vendor = ""
		if v, b, mac, ok := p.macMaker(cat); ok {
			id.VendorID, id.Vendor = v.ID, v.Name
			maker = v
			p.evidence = append(p.evidence, Evidence{Asked: announcementEvidence, Saw: summary(fmt.Sprintf("its MAC address %s is in a block the IEEE registry lists for %s", mac, b.Organization))})
		}
	}
	if id.Vendor == "" && vendorBefore != "" && id.Family != HomeKit {
		// What the device said about its maker, in its own words.
		id.Vendor = vendorBefore
	}
	if id.Kind == "" {
		id.Kind = string(p.kind(cat.Recognition(), best, maker))
	}
	if id.Family == Unknown && id.VendorID == "" {
		p.announced()
	}
}

// familyVendor is the vendor whose devices all belong to family f.
func familyVendor(cat *catalog.Catalog, f Family) (catalog.Vendor, bool) {
	for _, v := range cat.Vendors() {
		if slices.Contains(v.Families, string(f)) {
			return v, true
		}
	}
	return catalog.Vendor{}, false
}

// kind is what the device is: a matched rule's kind, else the category the
// device declares (HomeKit ci, Matter DT), else the kind of everything its
// maker makes, else the kind of a service type only one kind of device
// announces.
func (p *prober) kind(rec catalog.Recognition, best match, maker catalog.Vendor) catalog.Kind {
	if best.score > 0 && !best.tied && best.rule.Kind != "" {
		return best.rule.Kind
	}
	for _, typ := range []string{"_hap._tcp", "_hap._udp"} {
		if s, ok := p.service(typ); ok {
			if c, ok := rec.HomeKitCategories.Kind(s.TXT["ci"]); ok && c.Kind != catalog.KindOther {
				return c.Kind
			}
		}
	}
	for _, typ := range []string{"_matterc._udp", "_matter._tcp"} {
		if s, ok := p.service(typ); ok {
			if c, ok := rec.MatterDeviceTypes.Kind(s.TXT["dt"]); ok {
				return c.Kind
			}
		}
	}
	if maker.Kind != "" {
		return maker.Kind
	}
	for _, sk := range rec.ServiceKinds {
		if _, ok := p.service(sk.Service); ok {
			return sk.Kind
		}
	}
	return ""
}

// macMaker names the maker of the device's network interface from a MAC
// address it announced, where a public specification says the address is
// the device's own (see announcedMACs), by the OUIs the IEEE registry
// assigned. It says nothing about what the device is.
func (p *prober) macMaker(cat *catalog.Catalog) (catalog.Vendor, catalog.OUIBlock, string, bool) {
	for _, mac := range announcedMACs(p.d) {
		if v, b, ok := cat.VendorByMAC(mac); ok {
			return v, b, mac, true
		}
	}
	return catalog.Vendor{}, catalog.OUIBlock{}, "", false
}

// announcedMACs are the MAC addresses a device announced as its own: an
// AirPlay audio receiver's RAOP instance name begins with its MAC address
// and "@", and its AirPlay TXT deviceid is that address
// (https://openairplay.github.io/airplay-spec/service_discovery.html); an
// Axis camera's TXT macaddress is its own, as Home Assistant's zeroconf
// table matches it (homeassistant/generated/zeroconf.py). An AirPlay
// receiver that is software (shairport-sync on a Raspberry Pi) announces
// the MAC of the computer it runs on, so the maker named is the
// computer's; the catalog lists OUIs only of makers of devices. No other
// service's MAC is taken.
func announcedMACs(d discover.Device) []string {
	var macs []string
	for _, s := range d.Services {
		switch s.Type {
		case "_raop._tcp":
			if mac, _, ok := strings.Cut(s.Instance, "@"); ok {
				macs = append(macs, mac)
			}
		case "_airplay._tcp":
			if mac, ok := txtValue(s.TXT, "deviceid"); ok {
				macs = append(macs, mac)
			}
		case "_axis-video._tcp":
			if mac, ok := txtValue(s.TXT, "macaddress"); ok {
				macs = append(macs, mac)
			}
		}
	}
	return macs
}

// announced records, for a device no rule placed, what it announced.
func (p *prober) announced() {
	var types []string
	for _, s := range p.d.Services {
		if !slices.Contains(types, s.Type) {
			types = append(types, s.Type)
		}
	}
	if len(types) == 0 {
		return
	}
	p.evidence = append(p.evidence, Evidence{Asked: announcementEvidence, Saw: summary("announced " + strings.Join(types, ", ") + "; no rule names its maker")})
}

// softwareMatch finds the most specific software rule that matches d.
func softwareMatch(rules []catalog.Software, d discover.Device) (catalog.Software, int, bool) {
	var best catalog.Software
	score := 0
	for _, r := range rules {
		if s := r.Specificity(); matches(r.Matcher, d) && s > score {
			best, score = r, s
		}
	}
	return best, score, score > 0
}

// bestMatch finds the most specific rule of all vendors that matches d.
func bestMatch(vendors []catalog.Vendor, d discover.Device) match {
	var best match
	for _, v := range vendors {
		for _, m := range v.Matchers {
			if !matches(m, d) {
				continue
			}
			switch s := m.Specificity(); {
			case s > best.score:
				best = match{vendor: v, rule: m, score: s}
			case s == best.score && v.ID != best.vendor.ID:
				best.tied = true
			}
		}
	}
	return best
}

// matches reports whether every condition of m holds for d.
func matches(m catalog.Matcher, d discover.Device) bool {
	if m.Host != "" && !catalog.Match(m.Host, strings.TrimSuffix(strings.TrimSuffix(d.Host, "."), ".local")) {
		return false
	}
	for _, s := range d.Services {
		if serviceMatches(m, s) {
			return true
		}
	}
	return len(d.Services) == 0 && m.Service == "" && m.Instance == "" && len(m.TXT) == 0 && m.MatterVendor == 0
}

// serviceMatches reports whether the service-level conditions of m hold
// for s.
func serviceMatches(m catalog.Matcher, s discover.Service) bool {
	if m.Service != "" && !strings.EqualFold(m.Service, s.Type) {
		return false
	}
	if m.Instance != "" && !catalog.Match(m.Instance, s.Instance) {
		return false
	}
	for k, pat := range m.TXT {
		v, ok := txtValue(s.TXT, k)
		if !ok || !(catalog.Match(pat, v) || homeKitModelVariant(s.Type, k, pat, v)) {
			return false
		}
	}
	if m.MatterVendor != 0 {
		if s.Type != "_matterc._udp" && s.Type != "_matter._tcp" {
			return false
		}
		vp, _ := txtValue(s.TXT, "vp")
		vid, _, _ := strings.Cut(vp, "+")
		n, err := strconv.ParseUint(vid, 10, 16)
		if err != nil || int(n) != m.MatterVendor {
			return false
		}
	}
	return true
}

// homeKitModelVariant reports whether v, the model a HomeKit accessory
// announces (TXT md), is a variant of the model pat names: a HomeKit model
// rule without "*" also matches the model followed by a blank or a hyphen
// ("TRADFRI gateway" for "TRADFRI", "Smart Bridge 2" for "Smart Bridge"),
// as Home Assistant, whose public table these rules come from, applies it
// (homeassistant/components/zeroconf/__init__.py).
func homeKitModelVariant(typ, key, pat, v string) bool {
	if !strings.EqualFold(key, "md") || !strings.HasPrefix(strings.ToLower(typ), "_hap.") || strings.Contains(pat, "*") {
		return false
	}
	v, pat = strings.ToLower(v), strings.ToLower(pat)
	return strings.HasPrefix(v, pat+" ") || strings.HasPrefix(v, pat+"-")
}

// txtValue reads key k of a TXT record, whatever case the device wrote it
// in (discover lower-cases keys; tests may not).
func txtValue(txt map[string]string, k string) (string, bool) {
	if v, ok := txt[k]; ok {
		return v, true
	}
	for key, v := range txt {
		if strings.EqualFold(key, k) {
			return v, true
		}
	}
	return "", false
}

// describe says in a few words what a rule looked at.
func describe(m catalog.Matcher) string {
	var parts []string
	if m.Service != "" {
		parts = append(parts, m.Service)
	}
	if m.Instance != "" {
		parts = append(parts, "instance "+m.Instance)
	}
	if m.Host != "" {
		parts = append(parts, "host "+m.Host)
	}
	keys := make([]string, 0, len(m.TXT))
	for k := range m.TXT {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+m.TXT[k])
	}
	if m.MatterVendor != 0 {
		parts = append(parts, fmt.Sprintf("Matter vendor %d", m.MatterVendor))
	}
	return strings.Join(parts, " ")
}
