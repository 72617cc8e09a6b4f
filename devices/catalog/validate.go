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
		}
		if m.SupportPeriod != nil {
			v.supportPeriod(field+".support_period", *m.SupportPeriod)
		}
	}
	if f.LatestFirmware != nil {
		v.firmware("latest_firmware", *f.LatestFirmware)
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

// source checks a fact's source: required text, and a valid https URL when
// it is one.
func (v *validator) source(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "missing: every fact needs a source")
		return
	}
	v.text(field, s, true, maxTextLen)
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		v.url(field, s)
	}
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
