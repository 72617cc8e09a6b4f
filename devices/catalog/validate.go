package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on catalog text.
const (
	// maxStepLen bounds one step, in characters: one action per step.
	maxStepLen = 300
	// maxTextLen bounds any other text field, in characters.
	maxTextLen = 1000
)

// forbiddenWords never appear in catalog text: results are observations,
// never certificates.
var forbiddenWords = []string{"compliant", "konform"}

// credentialInterfaces are the interfaces a default credential can belong to.
var credentialInterfaces = []string{"web", "api", "wifi-ap", "ota", "settings-pin"}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// parseFamily decodes one family document strictly (unknown fields and
// trailing data are errors) and validates it. Every problem is returned,
// joined, each prefixed with name and the JSON field.
func parseFamily(name string, data []byte) (Family, error) {
	var f Family
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Family{}, fmt.Errorf("%s: invalid JSON: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Family{}, fmt.Errorf("%s: invalid JSON: data after the document", name)
	}
	v := validator{file: name}
	v.family(f)
	if err := errors.Join(v.errs...); err != nil {
		return Family{}, err
	}
	return f, nil
}

// validator collects every problem of one document.
type validator struct {
	file string
	errs []error
}

func (v *validator) fail(field, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s: %s", v.file, field, fmt.Sprintf(format, args...)))
}

func (v *validator) family(f Family) {
	if !idPattern.MatchString(f.ID) {
		v.fail("id", "%q is not a lower-case id (letters, digits and single dashes)", f.ID)
	}
	v.text("vendor", f.Vendor, true, maxTextLen)
	v.text("product", f.Product, true, maxTextLen)

	models := make(map[string]bool)
	for i, m := range f.Models {
		field := fmt.Sprintf("models[%d]", i)
		v.text(field+".id", m.ID, true, maxTextLen)
		v.text(field+".name", m.Name, true, maxTextLen)
		v.provenance(field, m.Provenance)
		if key := strings.ToLower(m.ID); models[key] {
			v.fail(field+".id", "%q is listed twice", m.ID)
		} else {
			models[key] = true
		}
		if m.LatestFirmware != nil {
			v.firmware(field+".latest_firmware", *m.LatestFirmware)
			v.releasePage(field+".latest_firmware.source", m.LatestFirmware.Source, f.ReleasePages)
		}
		if m.SupportPeriod != nil {
			v.supportPeriod(field+".support_period", *m.SupportPeriod)
		}
	}
	if f.LatestFirmware != nil {
		v.firmware("latest_firmware", *f.LatestFirmware)
		v.releasePage("latest_firmware.source", f.LatestFirmware.Source, f.ReleasePages)
	}
	for i, p := range f.ReleasePages {
		v.url(fmt.Sprintf("release_pages[%d]", i), p)
	}
	if f.SupportPeriod != nil {
		v.supportPeriod("support_period", *f.SupportPeriod)
	}
	if f.VulnerabilityDisclosure != nil {
		v.link("vulnerability_disclosure", *f.VulnerabilityDisclosure)
	}
	if f.PrivacyPolicy != nil {
		v.link("privacy_policy", *f.PrivacyPolicy)
	}
	for i, c := range f.DefaultCredentials {
		v.credential(fmt.Sprintf("default_credentials[%d]", i), c)
	}
	if f.CloudAccount != nil {
		v.text("cloud_account.service", f.CloudAccount.Service, true, maxTextLen)
		if f.CloudAccount.URL != "" {
			v.url("cloud_account.url", f.CloudAccount.URL)
		}
		v.provenance("cloud_account", f.CloudAccount.Provenance)
		if f.Guide.CloudAccount == nil {
			v.fail("steps.cloud_account", "missing: the family has a cloud account, so it needs steps to delete it")
		}
	}
	v.fix("fixes.password", f.Fixes.Password, StepsPassword, f.Guide)
	v.fix("fixes.update", f.Fixes.Update, StepsUpdate, f.Guide)
	v.fix("fixes.reset", f.Fixes.Reset, StepsReset, f.Guide)
	for _, kind := range []StepKind{StepsPassword, StepsUpdate, StepsReset, StepsCloudAccount, StepsAdminPage} {
		if s := f.Guide.list(kind); s != nil {
			v.steps("steps."+string(kind), *s)
		}
	}
}

// fix checks a fix mode; "auto" and "guided" need steps (for "auto" they
// say what Porchlight will do); "unknown" may give generic ones.
func (v *validator) fix(field string, mode FixMode, kind StepKind, g Guide) {
	switch mode {
	case FixAuto, FixGuided:
		if g.list(kind) == nil {
			v.fail("steps."+string(kind), "missing: fix %q needs steps in en and de", mode)
		}
	case FixNone, FixUnknown:
	default:
		v.fail(field, "unknown fix mode %q (want auto, guided, none or unknown)", mode)
	}
}

func (v *validator) steps(field string, s Steps) {
	if len(s.EN) == 0 {
		v.fail(field+".en", "missing: no steps")
	}
	if len(s.DE) == 0 {
		v.fail(field+".de", "missing: no steps")
	}
	if len(s.EN) > 0 && len(s.DE) > 0 && len(s.EN) != len(s.DE) {
		v.fail(field, "en has %d steps but de has %d", len(s.EN), len(s.DE))
	}
	for i, step := range s.EN {
		v.text(fmt.Sprintf("%s.en[%d]", field, i), step, true, maxStepLen)
	}
	for i, step := range s.DE {
		v.text(fmt.Sprintf("%s.de[%d]", field, i), step, true, maxStepLen)
	}
	if s.Source != "" {
		v.source(field+".source", s.Source)
	}
}

func (v *validator) firmware(field string, fw Firmware) {
	v.text(field+".version", fw.Version, true, maxTextLen)
	v.text(field+".note", fw.Note, false, maxTextLen)
	asOf, okAsOf := v.provenance(field, fw.Provenance)
	if fw.Released == "" {
		return
	}
	released, ok := v.date(field+".released", fw.Released)
	if ok && okAsOf && released.After(asOf) {
		v.fail(field+".released", "%s is after as_of %s", fw.Released, fw.AsOf)
	}
}

// releasePage checks that a newest version's source is one of the maker's
// own release pages or update servers (the family's release_pages): a
// newest version read anywhere else may be someone else's guess.
func (v *validator) releasePage(field, source string, pages []string) {
	if u, err := url.Parse(source); err != nil || u.Scheme != "https" || u.Host == "" {
		return // reported as a bad source
	}
	for _, p := range pages {
		if strings.HasPrefix(source, p) && (len(source) == len(p) || strings.HasSuffix(p, "/") || strings.ContainsAny(source[len(p):len(p)+1], "/?#")) {
			return
		}
	}
	v.fail(field, "%q is not one of the maker's release pages (release_pages): a newest version must come from the maker", source)
}

func (v *validator) supportPeriod(field string, sp SupportPeriod) {
	v.text(field+".statement", sp.Statement, true, maxTextLen)
	v.provenance(field, sp.Provenance)
	if sp.Until != "" {
		v.date(field+".until", sp.Until)
	}
}

func (v *validator) link(field string, l Link) {
	v.url(field+".url", l.URL)
	v.text(field+".note", l.Note, false, maxTextLen)
	v.provenance(field, l.Provenance)
}

func (v *validator) credential(field string, c Credential) {
	if !slices.Contains(credentialInterfaces, c.Interface) {
		v.fail(field+".interface", "unknown interface %q (want one of %s)", c.Interface, strings.Join(credentialInterfaces, ", "))
	}
	v.text(field+".username", c.Username, false, maxTextLen)
	v.text(field+".password", c.Password, false, maxTextLen)
	v.text(field+".note", c.Note, false, maxTextLen)
	switch {
	case c.AuthOffByDefault && c.Password != "":
		v.fail(field+".password", "set although auth_off_by_default says there is none")
	case !c.AuthOffByDefault && c.Password == "":
		v.fail(field+".password", "missing: give the documented default or set auth_off_by_default")
	}
	switch {
	case c.ChangeSteps != nil:
		v.steps(field+".change_steps", *c.ChangeSteps)
	case c.Password != "" && !c.AuthOffByDefault:
		v.fail(field+".change_steps", "missing: a documented default password needs steps to change it")
	}
	v.provenance(field, c.Provenance)
}

// provenance checks a fact's source and age and returns its as_of date.
func (v *validator) provenance(field string, p Provenance) (asOf time.Time, ok bool) {
	v.source(field+".source", p.Source)
	if p.AsOf == "" {
		v.fail(field+".as_of", "missing: every fact needs the date it was checked")
		return time.Time{}, false
	}
	return v.date(field+".as_of", p.AsOf)
}

// source checks a fact's source: a public https URL a person can open, never
// a file of this repository or a note on how it was found.
func (v *validator) source(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "missing: every fact needs a source")
		return
	}
	if !strings.HasPrefix(s, "https://") || strings.ContainsAny(s, " \t") {
		v.fail(field, "%q is not an https URL: every fact cites a public page a person can open", s)
		return
	}
	v.url(field, s)
}

// url checks an absolute https URL with a host.
func (v *validator) url(field, s string) {
	u, err := url.Parse(s)
	switch {
	case s == "":
		v.fail(field, "missing")
	case err != nil:
		v.fail(field, "not a URL: %v", err)
	case u.Scheme != "https":
		v.fail(field, "%q: scheme must be https", s)
	case u.Host == "":
		v.fail(field, "%q: no host", s)
	default:
		v.text(field, s, true, maxTextLen)
	}
}

func (v *validator) date(field string, d Date) (time.Time, bool) {
	t, ok := d.Time()
	if !ok {
		v.fail(field, "%q is not a date (want YYYY-MM-DD)", d)
	}
	return t, ok
}

// text checks one piece of text: present when required, valid UTF-8, no
// control or bidi characters, not too long, and no certification claims.
func (v *validator) text(field, s string, required bool, limit int) {
	if strings.TrimSpace(s) == "" {
		if required {
			v.fail(field, "missing")
		}
		return
	}
	if !utf8.ValidString(s) {
		v.fail(field, "not valid UTF-8")
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) {
			v.fail(field, "contains control character %U", r)
			return
		}
	}
	if n := utf8.RuneCountInString(s); n > limit {
		v.fail(field, "%d characters, more than %d", n, limit)
	}
	lower := strings.ToLower(s)
	for _, w := range forbiddenWords {
		if strings.Contains(lower, w) {
			v.fail(field, "contains %q: results are observations, never certificates", w)
		}
	}
}

// isBidiControl reports the Unicode bidirectional formatting characters,
// which can make displayed text lie about its order.
func isBidiControl(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// vendor checks one vendor document.
func (v *validator) vendor(vd Vendor) {
	if !idPattern.MatchString(vd.ID) {
		v.fail("id", "%q is not a lower-case id (letters, digits and single dashes)", vd.ID)
	}
	v.text("name", vd.Name, true, maxTextLen)
	v.kind("kind", vd.Kind, false)
	if len(vd.Matchers) == 0 && len(vd.OUIs) == 0 {
		v.fail("matchers", "missing: a vendor needs at least one rule or OUI that recognises its devices")
	}
	for i, m := range vd.Matchers {
		v.matcher(fmt.Sprintf("matchers[%d]", i), m)
	}
	if vd.SecurityContact != nil {
		v.link("security_contact", *vd.SecurityContact)
	}
	if vd.SupportPeriod != nil {
		v.supportPeriod("support_period", *vd.SupportPeriod)
	}
	if vd.UpdateMethod != nil {
		v.text("update_method.statement", vd.UpdateMethod.Statement, true, maxTextLen)
		v.provenance("update_method", vd.UpdateMethod.Provenance)
	}
	if vd.Reset != nil {
		v.steps("reset", *vd.Reset)
		if vd.Reset.Source == "" {
			v.fail("reset.source", "missing: a maker's reset steps need the page they follow")
		}
	}
	seen := make(map[string]bool)
	for i, b := range vd.OUIs {
		v.ouiBlock(fmt.Sprintf("ouis[%d]", i), b, seen)
	}
}

// ouiPattern is an OUI as the catalog writes it.
var ouiPattern = regexp.MustCompile(`^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$`)

// ouiBlock checks one vendor's OUIs: each written "48:EE:0C", once, one the
// registry can assign (not locally administered, not a group address), and
// read in the IEEE Registration Authority's own listing.
func (v *validator) ouiBlock(field string, b OUIBlock, seen map[string]bool) {
	v.text(field+".organization", b.Organization, true, maxTextLen)
	if len(b.Prefixes) == 0 {
		v.fail(field+".prefixes", "missing")
	}
	for j, p := range b.Prefixes {
		f := fmt.Sprintf("%s.prefixes[%d]", field, j)
		if !ouiPattern.MatchString(p) {
			v.fail(f, "%q is not an OUI written as three upper-case hex octets with colons (48:EE:0C)", p)
			continue
		}
		if oui, ok := OUIOf(p + ":00:00:00"); !ok || oui != p {
			v.fail(f, "%q is a locally administered or group address: no registry assigns it", p)
		}
		if seen[p] {
			v.fail(f, "%q appears twice", p)
		}
		seen[p] = true
	}
	v.provenance(field, b.Provenance)
	if !strings.HasPrefix(b.Source, ieeeRegistry) {
		v.fail(field+".source", "%q is not the IEEE Registration Authority's listing (%s...): who holds an OUI only the registry says", b.Source, ieeeRegistry)
	}
}

// matcher checks one recognition rule: it must say something more than
// nothing, and every pattern must be text a device could announce.
func (v *validator) matcher(field string, m Matcher) {
	if m.Service == "" && m.Instance == "" && m.Host == "" && len(m.TXT) == 0 && m.MatterVendor == 0 {
		v.fail(field, "empty: a rule needs at least one condition")
	}
	if len(m.TXT) > 0 && m.Service == "" {
		v.fail(field+".txt", "needs a service: TXT records belong to one service")
	}
	if m.Service != "" {
		v.serviceType(field+".service", m.Service)
	}
	if m.MatterVendor < 0 || m.MatterVendor > 0xFFFF {
		v.fail(field+".matter_vendor", "%d is not a 16-bit vendor ID", m.MatterVendor)
	}
	for _, p := range []struct{ name, s string }{{"instance", m.Instance}, {"host", m.Host}, {"model", m.Model}} {
		v.text(field+"."+p.name, p.s, false, maxTextLen)
		if p.name != "model" && strings.Trim(p.s, "*") == "" && p.s != "" {
			v.fail(field+"."+p.name, "%q matches anything", p.s)
		}
	}
	for k, pat := range m.TXT {
		if k != strings.ToLower(k) || k == "" {
			v.fail(field+".txt", "key %q: write TXT keys in lower case", k)
		}
		v.text(field+".txt."+k, pat, true, maxTextLen)
	}
	v.kind(field+".kind", m.Kind, false)
	v.provenance(field, m.Provenance)
}

// serviceType checks a service type such as "_hap._tcp", or a UPnP
// device type as SSDP discovery names it ("upnp:" and the device type's
// URN, "urn:schemas-upnp-org:device:Basic:1", UPnP Device Architecture 2.0
// §2.5).
func (v *validator) serviceType(field, s string) {
	if urn, ok := strings.CutPrefix(s, "upnp:"); ok {
		parts := strings.Split(urn, ":")
		if len(parts) != 5 || parts[0] != "urn" || parts[2] != "device" || parts[1] == "" || parts[3] == "" || parts[4] == "" || len(s) > 200 {
			v.fail(field, "%q is not a UPnP device type like \"upnp:urn:schemas-upnp-org:device:Basic:1\"", s)
		}
		return
	}
	name, proto, ok := strings.Cut(s, ".")
	if !ok || (proto != "_tcp" && proto != "_udp") || len(name) < 2 || len(name) > 63 || name[0] != '_' || s != strings.ToLower(s) {
		v.fail(field, "%q is not a lower-case service type like \"_http._tcp\"", s)
	}
}

// kind checks a kind against Kinds.
func (v *validator) kind(field string, k Kind, required bool) {
	switch {
	case k == "" && required:
		v.fail(field, "missing")
	case k != "" && !slices.Contains(Kinds, k):
		v.fail(field, "unknown kind %q", k)
	}
}

// codeTable checks one public table of codes.
func (v *validator) codeTable(field string, t CodeTable) {
	if len(t.Codes) == 0 {
		v.fail(field+".codes", "missing")
	}
	for code, c := range t.Codes {
		if n, err := strconv.ParseUint(code, 10, 32); err != nil || strconv.FormatUint(n, 10) != code {
			v.fail(field+".codes", "%q is not a decimal code", code)
		}
		v.text(field+".codes."+code+".name", c.Name, true, maxTextLen)
		v.kind(field+".codes."+code+".kind", c.Kind, true)
	}
	v.provenance(field, t.Provenance)
}
