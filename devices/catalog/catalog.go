// Package catalog is Porchlight's embedded vendor data: one JSON document per
// device family (data/<id>.json) with the latest known firmware, the support
// period where the vendor publishes one, the vulnerability-disclosure and
// privacy links, the vendor-documented default credentials, which fixes
// Porchlight can do itself and the plain-language steps (English and German)
// for the rest.
//
// Every fact carries its source and its age: a Source (a URL or a citation of
// Porchlight's reference notes) and an AsOf date, the day the fact was
// checked. A fact that could not be confirmed is absent rather than guessed;
// the checkup then reports it as unknown. The data are observations about
// vendors, never certificates, and the catalog refuses text that claims
// otherwise.
//
// The catalog is validated when it is loaded; Load reports every problem at
// once, each naming its file and field.
package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed data/*.json data/vendors/*.json data/recognition/*.json
var dataFS embed.FS

// UnknownID is the family every device falls back to when it matches no
// other family; it carries generic advice so that every device gets some.
const UnknownID = "unknown"

// FixMode says how one kind of fix gets done for a family.
type FixMode string

// The fix modes.
const (
	// FixAuto: Porchlight does it through the device's local API.
	FixAuto FixMode = "auto"
	// FixGuided: the person does it, led by the family's steps.
	FixGuided FixMode = "guided"
	// FixNone: it cannot be done on this family (for example a password
	// that is fixed when the firmware is built).
	FixNone FixMode = "none"
	// FixUnknown: Porchlight does not know how the maker has it done (the
	// fallback family, whose maker is unknown); steps, when given, are
	// generic hints, not the maker's.
	FixUnknown FixMode = "unknown"
)

// StepKind names one list of steps in a family's guide.
type StepKind string

// The step kinds.
const (
	StepsPassword     StepKind = "password"
	StepsUpdate       StepKind = "update"
	StepsReset        StepKind = "reset"
	StepsCloudAccount StepKind = "cloud_account"
	StepsAdminPage    StepKind = "admin_page"
)

// Provenance says where a fact comes from and when it was checked.
type Provenance struct {
	// Source is the public https URL of the page the fact was read on,
	// preferably the maker's own.
	Source string `json:"source"`
	// AsOf is the date the fact was checked, YYYY-MM-DD.
	AsOf Date `json:"as_of"`
}

// Model is one model identifier as the device reports it (Shelly Gen1 /shelly
// "type", Gen2 "model", Hue "modelid", Cast TXT "md" …), with a human name.
// Compare identifiers case-insensitively.
type Model struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// LatestFirmware is set where the model's latest firmware differs from
	// the family's.
	LatestFirmware *Firmware `json:"latest_firmware,omitempty"`
	// SupportPeriod is set where the vendor states one for this model alone.
	SupportPeriod *SupportPeriod `json:"support_period,omitempty"`
	Provenance
}

// Firmware is the latest firmware version known to Porchlight.
type Firmware struct {
	Version string `json:"version"`
	// Released is the release date, empty when it could not be confirmed.
	Released Date `json:"released,omitempty"`
	// Note qualifies the fact, for example how far it could be confirmed.
	Note string `json:"note,omitempty"`
	Provenance
}

// SupportPeriod is the support period a vendor publishes (EN 303 645
// provision 5.3-13).
type SupportPeriod struct {
	// Statement is the vendor's promise, paraphrased.
	Statement string `json:"statement"`
	// Until is the end of support where the vendor names a date.
	Until Date `json:"until,omitempty"`
	Provenance
}

// Link is a vendor web page: a vulnerability-disclosure policy, a privacy
// policy or a cloud-account page.
type Link struct {
	URL  string `json:"url"`
	Note string `json:"note,omitempty"`
	Provenance
}

// Credential is a vendor-documented default login of one interface.
// Lists of botnet passwords never belong here.
type Credential struct {
	// Interface is one of "web", "api", "wifi-ap", "ota", "settings-pin".
	Interface string `json:"interface"`
	Username  string `json:"username,omitempty"`
	// Password is the documented default; empty when AuthOffByDefault.
	Password string `json:"password,omitempty"`
	// AuthOffByDefault records that the interface ships with no password
	// at all, so anyone on the network can use it.
	AuthOffByDefault bool   `json:"auth_off_by_default,omitempty"`
	Note             string `json:"note,omitempty"`
	// ChangeSteps tell the person how to change a documented default the
	// device still accepts; required when Password is set.
	ChangeSteps *Steps `json:"change_steps,omitempty"`
	Provenance
}

// CredentialSteps returns how to change the default password of iface in
// the given language (see Family.Steps); nil when none are given.
func (f Family) CredentialSteps(iface, lang string) []string {
	for _, c := range f.DefaultCredentials {
		if c.Interface == iface && c.ChangeSteps != nil {
			return Guide{Password: c.ChangeSteps}.steps(StepsPassword, lang)
		}
	}
	return nil
}

// CloudAccount is the vendor cloud service a device may be tied to.
type CloudAccount struct {
	Service string `json:"service"`
	// URL is where the account is managed or deleted, when known.
	URL string `json:"url,omitempty"`
	Provenance
}

// Fixes says how each kind of fix gets done for a family.
type Fixes struct {
	Password FixMode `json:"password"`
	Update   FixMode `json:"update"`
	Reset    FixMode `json:"reset"`
}

// Steps is one numbered list of plain-language steps, one action each, in
// English and German (formal "Sie").
type Steps struct {
	EN []string `json:"en"`
	DE []string `json:"de"`
	// Source is where the steps come from, when they follow vendor
	// documentation.
	Source string `json:"source,omitempty"`
}

// Guide holds a family's step lists; a nil list means none is given.
type Guide struct {
	Password     *Steps `json:"password,omitempty"`
	Update       *Steps `json:"update,omitempty"`
	Reset        *Steps `json:"reset,omitempty"`
	CloudAccount *Steps `json:"cloud_account,omitempty"`
	AdminPage    *Steps `json:"admin_page,omitempty"`
}

// Family is the catalog entry of one vendor and model family. Optional facts
// are nil or empty when they could not be confirmed.
type Family struct {
	// ID is lower-case and matches the file name and the lab's family name.
	ID     string `json:"id"`
	Vendor string `json:"vendor"`
	// Product is the family name as a householder would recognise it.
	Product string  `json:"product"`
	Models  []Model `json:"models,omitempty"`
	// ReleasePages are the maker's own release pages and update servers
	// (URL prefixes); a newest version must cite one of them.
	ReleasePages            []string       `json:"release_pages,omitempty"`
	LatestFirmware          *Firmware      `json:"latest_firmware,omitempty"`
	SupportPeriod           *SupportPeriod `json:"support_period,omitempty"`
	VulnerabilityDisclosure *Link          `json:"vulnerability_disclosure,omitempty"`
	PrivacyPolicy           *Link          `json:"privacy_policy,omitempty"`
	DefaultCredentials      []Credential   `json:"default_credentials,omitempty"`
	CloudAccount            *CloudAccount  `json:"cloud_account,omitempty"`
	Fixes                   Fixes          `json:"fixes"`
	Guide                   Guide          `json:"steps"`
}

// Steps returns a copy of the steps of one kind in the given language ("en",
// "de", or a tag such as "de-AT"), falling back to English; nil when the
// family gives no such steps.
func (f Family) Steps(kind StepKind, lang string) []string {
	return f.Guide.steps(kind, lang)
}

// steps returns a copy of the steps of one kind in lang, falling back to
// English; nil when there are none.
func (g Guide) steps(kind StepKind, lang string) []string {
	s := g.list(kind)
	if s == nil {
		return nil
	}
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	base, _, _ = strings.Cut(base, "_")
	if base == "de" && len(s.DE) > 0 {
		return slices.Clone(s.DE)
	}
	return slices.Clone(s.EN)
}

// list returns the steps of one kind, nil for none or an unknown kind.
func (g Guide) list(kind StepKind) *Steps {
	switch kind {
	case StepsPassword:
		return g.Password
	case StepsUpdate:
		return g.Update
	case StepsReset:
		return g.Reset
	case StepsCloudAccount:
		return g.CloudAccount
	case StepsAdminPage:
		return g.AdminPage
	}
	return nil
}

// Catalog is a validated set of families, sorted by ID. It is safe for
// concurrent use: it hands out copies only.
type Catalog struct {
	families    []Family
	vendors     []Vendor
	recognition Recognition
}

// Family returns the family with the given ID.
func (c *Catalog) Family(id string) (Family, bool) {
	i, ok := slices.BinarySearchFunc(c.families, id, func(f Family, id string) int {
		return strings.Compare(f.ID, id)
	})
	if !ok {
		return Family{}, false
	}
	return c.families[i].clone(), true
}

// Families returns all families, sorted by ID.
func (c *Catalog) Families() []Family {
	out := make([]Family, len(c.families))
	for i, f := range c.families {
		out[i] = f.clone()
	}
	return out
}

// Load parses and validates every embedded family document and returns the
// catalog, or all problems found, joined.
func Load() (*Catalog, error) {
	return load(dataFS, "data")
}

// Default returns the embedded catalog, parsed and validated once per
// process, or the validation error.
func Default() (*Catalog, error) {
	return loadDefault()
}

var loadDefault = sync.OnceValues(Load)

// load reads every *.json file of dir in fsys.
func load(fsys fs.FS, dir string) (*Catalog, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var errs []error
	var families []Family
	seen := make(map[string]string)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, err := parseFamily(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); f.ID != want {
			errs = append(errs, fmt.Errorf("%s: id: %q does not match the file name (want %q)", name, f.ID, want))
		}
		if first, dup := seen[f.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id: %q is already used by %s", name, f.ID, first))
			continue
		}
		seen[f.ID] = name
		families = append(families, f)
	}
	if _, ok := seen[UnknownID]; !ok && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no %q family: every device needs a fallback", dir, UnknownID))
	}
	vendors, rec, verrs := loadVendors(fsys, dir, seen)
	errs = append(errs, verrs...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(families, func(a, b Family) int { return strings.Compare(a.ID, b.ID) })
	return &Catalog{families: families, vendors: vendors, recognition: rec}, nil
}

// clone returns a deep copy, so callers cannot change the shared catalog.
func (f Family) clone() Family {
	out := f
	out.Models = slices.Clone(f.Models)
	out.ReleasePages = slices.Clone(f.ReleasePages)
	for i := range out.Models {
		out.Models[i].LatestFirmware = clonePtr(out.Models[i].LatestFirmware)
		out.Models[i].SupportPeriod = clonePtr(out.Models[i].SupportPeriod)
	}
	out.LatestFirmware = clonePtr(f.LatestFirmware)
	out.SupportPeriod = clonePtr(f.SupportPeriod)
	out.VulnerabilityDisclosure = clonePtr(f.VulnerabilityDisclosure)
	out.PrivacyPolicy = clonePtr(f.PrivacyPolicy)
	out.DefaultCredentials = slices.Clone(f.DefaultCredentials)
	for i := range out.DefaultCredentials {
		out.DefaultCredentials[i].ChangeSteps = cloneSteps(out.DefaultCredentials[i].ChangeSteps)
	}
	out.CloudAccount = clonePtr(f.CloudAccount)
	for _, s := range []**Steps{&out.Guide.Password, &out.Guide.Update, &out.Guide.Reset, &out.Guide.CloudAccount, &out.Guide.AdminPage} {
		*s = cloneSteps(*s)
	}
	return out
}

func cloneSteps(s *Steps) *Steps {
	if s == nil {
		return nil
	}
	c := *s
	c.EN = slices.Clone(c.EN)
	c.DE = slices.Clone(c.DE)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
