package catalog

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Kind is what sort of device something is, in one word a person knows.
type Kind string

// The kinds a device can be.
const (
	KindPlug        Kind = "plug"
	KindSwitch      Kind = "switch"
	KindLight       Kind = "light"
	KindCamera      Kind = "camera"
	KindDoorbell    Kind = "doorbell"
	KindTV          Kind = "tv"
	KindMediaPlayer Kind = "media-player"
	KindSpeaker     Kind = "speaker"
	KindPrinter     Kind = "printer"
	KindThermostat  Kind = "thermostat"
	KindClimate     Kind = "climate"
	KindHub         Kind = "hub"
	KindSensor      Kind = "sensor"
	KindNAS         Kind = "nas"
	KindLock        Kind = "lock"
	KindBlinds      Kind = "blinds"
	KindSprinkler   Kind = "sprinkler"
	KindEnergy      Kind = "energy-meter"
	KindVacuum      Kind = "vacuum"
	KindFan         Kind = "fan"
	KindGarageDoor  Kind = "garage-door"
	KindSecurity    Kind = "security-system"
	KindRouter      Kind = "router"
	KindComputer    Kind = "computer"
	Kind3DPrinter   Kind = "3d-printer"
	KindController  Kind = "controller"
	KindAppliance   Kind = "appliance"
	KindOther       Kind = "other"
)

// Kinds lists every kind, in the order above.
var Kinds = []Kind{
	KindPlug, KindSwitch, KindLight, KindCamera, KindDoorbell, KindTV, KindMediaPlayer, KindSpeaker,
	KindPrinter, KindThermostat, KindClimate, KindHub, KindSensor, KindNAS, KindLock, KindBlinds,
	KindSprinkler, KindEnergy, KindVacuum, KindFan, KindGarageDoor, KindSecurity, KindRouter,
	KindComputer, Kind3DPrinter, KindController, KindAppliance, KindOther,
}

// Vendor is one maker Porchlight recognises from what its devices announce,
// with the facts the maker publishes. Optional facts are nil when the maker
// publishes none that could be confirmed.
type Vendor struct {
	// ID is lower-case and matches the file name (data/vendors/<id>.json).
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind is what the maker's devices are, when they are all one kind;
	// empty when the maker makes several (the device's own category, or a
	// matcher's kind, then says).
	Kind Kind `json:"kind,omitempty"`
	// Families are the catalog families whose steps and fixes apply to
	// every device of this maker, when there are any.
	Families []string `json:"families,omitempty"`
	// Matchers recognise the maker's devices; see Matcher.
	Matchers []Matcher `json:"matchers,omitempty"`
	// SecurityContact is where the maker takes reports of vulnerabilities.
	SecurityContact *Link `json:"security_contact,omitempty"`
	// SupportPeriod is how long the maker says it updates its devices.
	SupportPeriod *SupportPeriod `json:"support_period,omitempty"`
	// UpdateMethod says how the maker's devices get their updates.
	UpdateMethod *Statement `json:"update_method,omitempty"`
	// Reset are the maker's steps to reset a device to factory settings.
	Reset *Steps `json:"reset,omitempty"`
	// OUIs are the MAC address blocks the IEEE Registration Authority
	// assigned to the maker. An OUI names the maker of a network
	// interface, never what the device is.
	OUIs []OUIBlock `json:"ouis,omitempty"`
}

// OUIBlock is the MAC address blocks (MA-L, 24-bit OUIs) the IEEE
// Registration Authority lists for one of the maker's organisations.
type OUIBlock struct {
	// Organization is the assignee as the registry writes it.
	Organization string `json:"organization"`
	// Prefixes are the OUIs, upper-case hex octets separated by colons
	// ("48:EE:0C").
	Prefixes []string `json:"prefixes"`
	Provenance
}

// ieeeRegistry is where every OUI must come from: the IEEE Registration
// Authority's public MA-L listing.
const ieeeRegistry = "https://standards-oui.ieee.org/"

// Statement is a fact in a sentence, with its source.
type Statement struct {
	Statement string `json:"statement"`
	Provenance
}

// Matcher is one rule that recognises a maker's devices from what they
// announce over mDNS. Every condition given must hold. Text conditions
// compare case-insensitively and may use "*" for any run of characters.
type Matcher struct {
	// Service is the service type the device announces, e.g. "_hap._tcp".
	Service string `json:"service,omitempty"`
	// Instance is the instance name of that service (of any service when
	// Service is empty).
	Instance string `json:"instance,omitempty"`
	// Host is the device's host name, without ".local".
	Host string `json:"host,omitempty"`
	// TXT maps TXT keys (lower-case) to the value they must have, in the
	// Service's TXT record.
	TXT map[string]string `json:"txt,omitempty"`
	// MatterVendor is the Matter vendor ID (TXT VP before the "+") the
	// Connectivity Standards Alliance assigned to the maker.
	MatterVendor int `json:"matter_vendor,omitempty"`
	// Kind is what the matched devices are, when this rule says more than
	// the vendor's Kind.
	Kind Kind `json:"kind,omitempty"`
	// Model names the model the rule recognises, when it recognises one.
	Model string `json:"model,omitempty"`
	Provenance
}

// Specificity ranks how much a rule says: the rule of several that match
// with the highest specificity wins. A service type alone says least; a
// vendor ID assigned by the Matter registry, or an exact TXT value, most.
func (m Matcher) Specificity() int {
	n := 0
	if m.Service != "" {
		n++
	}
	if m.MatterVendor != 0 {
		n += 4
	}
	for _, s := range append([]string{m.Instance, m.Host}, mapValues(m.TXT)...) {
		switch {
		case s == "":
		case strings.Contains(s, "*"):
			n += 2 + min(len(strings.ReplaceAll(s, "*", "")), 8)/4
		default:
			n += 4
		}
	}
	return n
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Match reports whether s matches pattern: case-insensitive, with "*"
// standing for any run of characters and nothing else special.
func Match(pattern, s string) bool {
	pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// Recognition holds the public tables that turn what a device declares
// about itself into a kind: HomeKit accessory categories (TXT ci), Matter
// device types (TXT DT) and service types that only one kind of device
// announces.
type Recognition struct {
	HomeKitCategories CodeTable     `json:"homekit_categories"`
	MatterDeviceTypes CodeTable     `json:"matter_device_types"`
	ServiceKinds      []ServiceKind `json:"service_kinds"`
	// Software are announcements that software makes on whatever computer
	// it runs on: they say nothing about that computer's maker or kind.
	Software []Software `json:"software,omitempty"`
}

// Software recognises the announcement of one program (Home Assistant's
// HomeKit bridge, shairport-sync) by its own words, so that neither the
// category it declares nor the MAC of the computer it runs on is taken
// for a device's. Its rule names no kind and no model.
type Software struct {
	// Name is the program's name.
	Name string `json:"name"`
	Matcher
}

// CodeTable maps the numbers of one public table to kinds.
type CodeTable struct {
	// Codes maps a decimal code to its kind and name in the table.
	Codes map[string]Code `json:"codes"`
	Provenance
}

// Code is one row of a CodeTable.
type Code struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// Kind returns the kind of code n (decimal), if the table lists it.
func (t CodeTable) Kind(n string) (Code, bool) {
	v, err := strconv.ParseUint(strings.TrimSpace(n), 10, 32)
	if err != nil {
		return Code{}, false
	}
	c, ok := t.Codes[strconv.FormatUint(v, 10)]
	return c, ok
}

// ServiceKind says that only one kind of device announces a service type.
type ServiceKind struct {
	Service string `json:"service"`
	Kind    Kind   `json:"kind"`
	Provenance
}

// Vendors returns every vendor, sorted by ID.
func (c *Catalog) Vendors() []Vendor {
	out := make([]Vendor, len(c.vendors))
	for i, v := range c.vendors {
		out[i] = v.clone()
	}
	return out
}

// Vendor returns the vendor with the given ID.
func (c *Catalog) Vendor(id string) (Vendor, bool) {
	i, ok := slices.BinarySearchFunc(c.vendors, id, func(v Vendor, id string) int { return strings.Compare(v.ID, id) })
	if !ok {
		return Vendor{}, false
	}
	return c.vendors[i].clone(), true
}

// Recognition returns the recognition tables.
func (c *Catalog) Recognition() Recognition {
	return c.recognition
}

func (v Vendor) clone() Vendor {
	out := v
	out.Matchers = slices.Clone(v.Matchers)
	out.Families = slices.Clone(v.Families)
	out.SecurityContact = clonePtr(v.SecurityContact)
	out.SupportPeriod = clonePtr(v.SupportPeriod)
	out.UpdateMethod = clonePtr(v.UpdateMethod)
	out.Reset = cloneSteps(v.Reset)
	out.OUIs = slices.Clone(v.OUIs)
	for i := range out.OUIs {
		out.OUIs[i].Prefixes = slices.Clone(v.OUIs[i].Prefixes)
	}
	return out
}

// VendorByMAC returns the vendor whose OUIs hold the MAC address mac (six
// octets in hex, separated by colons, hyphens or nothing), and the
// registry's organisation for it. A locally administered or group address
// names no maker.
func (c *Catalog) VendorByMAC(mac string) (Vendor, OUIBlock, bool) {
	oui, ok := OUIOf(mac)
	if !ok {
		return Vendor{}, OUIBlock{}, false
	}
	for _, v := range c.vendors {
		for _, b := range v.OUIs {
			if slices.Contains(b.Prefixes, oui) {
				return v.clone(), b, true
			}
		}
	}
	return Vendor{}, OUIBlock{}, false
}

// OUIOf returns the OUI of a MAC address written as six octets in hex,
// separated by colons, hyphens or nothing ("48EE0C649791",
// "48:ee:0c:64:97:91"), in the catalog's form ("48:EE:0C"). It reports
// false for anything else, and for locally administered and group
// addresses, whose first octets no registry assigned.
func OUIOf(mac string) (string, bool) {
	hexDigits := strings.Map(func(r rune) rune {
		if r == ':' || r == '-' {
			return -1
		}
		return r
	}, mac)
	if len(hexDigits) != 12 || (len(mac) != 12 && len(mac) != 17) {
		return "", false
	}
	if len(mac) == 17 {
		for i := 2; i < 17; i += 3 {
			if mac[i] != mac[2] || (mac[i] != ':' && mac[i] != '-') {
				return "", false
			}
		}
	}
	b, err := hex.DecodeString(hexDigits)
	if err != nil || b[0]&0x03 != 0 {
		return "", false
	}
	return fmt.Sprintf("%02X:%02X:%02X", b[0], b[1], b[2]), true
}

// loadVendors reads every dir/vendors/*.json and dir/recognition/tables.json,
// checking vendors' families against families.
func loadVendors(fsys fs.FS, dir string, families map[string]string) ([]Vendor, Recognition, []error) {
	var errs []error
	var rec Recognition
	tables := path.Join(dir, "recognition", "tables.json")
	if data, err := fs.ReadFile(fsys, tables); err == nil {
		if rec, err = parseRecognition(tables, data); err != nil {
			errs = append(errs, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	names, err := fs.Glob(fsys, path.Join(dir, "vendors", "*.json"))
	if err != nil {
		return nil, rec, append(errs, err)
	}
	var vendors []Vendor
	seen := make(map[string]bool)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		v, err := parseVendor(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); v.ID != want {
			errs = append(errs, fmt.Errorf("%s: id: %q does not match the file name (want %q)", name, v.ID, want))
		}
		for _, f := range v.Families {
			if _, ok := families[f]; !ok {
				errs = append(errs, fmt.Errorf("%s: families: %q is not a family of the catalog", name, f))
			}
		}
		if seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		vendors = append(vendors, v)
	}
	slices.SortFunc(vendors, func(a, b Vendor) int { return strings.Compare(a.ID, b.ID) })
	errs = append(errs, sameRules(vendors)...)
	errs = append(errs, sameOUIs(vendors)...)
	return vendors, rec, errs
}

// sameRules reports two vendors with the same rule: neither could win.
func sameRules(vendors []Vendor) []error {
	var errs []error
	seen := make(map[string]string)
	for _, v := range vendors {
		for i, m := range v.Matchers {
			m.Kind, m.Model, m.Provenance = "", "", Provenance{}
			key, _ := json.Marshal(m)
			k := strings.ToLower(string(key))
			if other, ok := seen[k]; ok && other != v.ID {
				errs = append(errs, fmt.Errorf("vendors/%s.json: matchers[%d]: the same rule as vendor %q's", v.ID, i, other))
			}
			seen[k] = v.ID
		}
	}
	return errs
}

// sameOUIs reports an OUI given to two vendors: the registry assigns each
// to one organisation.
func sameOUIs(vendors []Vendor) []error {
	var errs []error
	seen := make(map[string]string)
	for _, v := range vendors {
		for _, b := range v.OUIs {
			for _, p := range b.Prefixes {
				if other, ok := seen[p]; ok && other != v.ID {
					errs = append(errs, fmt.Errorf("vendors/%s.json: ouis: %s is already vendor %q's", v.ID, p, other))
				}
				seen[p] = v.ID
			}
		}
	}
	return errs
}

// decodeStrict decodes one JSON document, refusing unknown fields and
// trailing data.
func decodeStrict(name string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: invalid JSON: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: invalid JSON: data after the document", name)
	}
	return nil
}

// parseVendor decodes and validates one vendor document.
func parseVendor(name string, data []byte) (Vendor, error) {
	var vd Vendor
	if err := decodeStrict(name, data, &vd); err != nil {
		return Vendor{}, err
	}
	v := validator{file: name}
	v.vendor(vd)
	if err := errors.Join(v.errs...); err != nil {
		return Vendor{}, err
	}
	return vd, nil
}

// parseRecognition decodes and validates the recognition tables.
func parseRecognition(name string, data []byte) (Recognition, error) {
	var r Recognition
	if err := decodeStrict(name, data, &r); err != nil {
		return Recognition{}, err
	}
	v := validator{file: name}
	v.codeTable("homekit_categories", r.HomeKitCategories)
	v.codeTable("matter_device_types", r.MatterDeviceTypes)
	for i, s := range r.Software {
		field := fmt.Sprintf("software[%d]", i)
		v.text(field+".name", s.Name, true, maxTextLen)
		v.matcher(field, s.Matcher)
		if s.Kind != "" || s.Model != "" || s.Host != "" {
			v.fail(field, "software names no kind, model or host: it runs on any computer")
		}
	}
	for i, s := range r.ServiceKinds {
		field := fmt.Sprintf("service_kinds[%d]", i)
		v.serviceType(field+".service", s.Service)
		v.kind(field+".kind", s.Kind, true)
		v.provenance(field, s.Provenance)
	}
	if err := errors.Join(v.errs...); err != nil {
		return Recognition{}, err
	}
	return r, nil
}
