package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// familyIDs are the families the lab and the checkup rely on.
var familyIDs = []string{
	"shelly-gen1", "shelly-gen2", "tasmota", "wled", "esphome", "hue-bridge",
	"ipp-printer", "chromecast", "homekit", "matter", "sonos", "elgato",
	"octoprint", UnknownID,
}

// TestEmbeddedCatalogValidates is the test that validates the whole catalog.
func TestEmbeddedCatalogValidates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatalf("the embedded catalog does not validate:\n%v", err)
	}
	d1, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	d2, _ := Default()
	if d1 != d2 {
		t.Error("Default parsed the catalog twice")
	}
	if got, want := len(c.Families()), len(d1.Families()); got != want {
		t.Errorf("Load has %d families, Default %d", got, want)
	}
}

func TestEveryFamilyIsPresent(t *testing.T) {
	c := mustLoad(t)
	for _, id := range familyIDs {
		t.Run(id, func(t *testing.T) {
			f, ok := c.Family(id)
			if !ok {
				t.Fatalf("family %q missing", id)
			}
			if f.ID != id {
				t.Errorf("Family(%q).ID = %q", id, f.ID)
			}
		})
	}
	var got []string
	for _, f := range c.Families() {
		got = append(got, f.ID)
	}
	if !slices.IsSorted(got) {
		t.Errorf("families not sorted by ID: %v", got)
	}
	want := slices.Sorted(slices.Values(familyIDs))
	if !slices.Equal(got, want) {
		t.Errorf("families = %v, want exactly %v", got, want)
	}
	if _, ok := c.Family("no-such-family"); ok {
		t.Error("Family found an ID that does not exist")
	}
}

// TestFixesMatchTheLocalAPIs pins which fixes Porchlight does itself, as
// documented in reference/device-apis.md §3.12.
func TestFixesMatchTheLocalAPIs(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		id   string
		want Fixes
	}{
		{"shelly-gen1", Fixes{FixAuto, FixAuto, FixAuto}},
		{"shelly-gen2", Fixes{FixAuto, FixAuto, FixAuto}},
		{"tasmota", Fixes{FixAuto, FixAuto, FixAuto}},
		{"wled", Fixes{FixAuto, FixGuided, FixAuto}},
		{"hue-bridge", Fixes{FixNone, FixAuto, FixGuided}},
		{"esphome", Fixes{FixNone, FixGuided, FixNone}},
		// No maker is known, so neither are its erase steps (checkup 5.11).
		{UnknownID, Fixes{FixGuided, FixGuided, FixUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			f, _ := c.Family(tt.id)
			if f.Fixes != tt.want {
				t.Errorf("fixes = %+v, want %+v", f.Fixes, tt.want)
			}
		})
	}
}

// TestUnknownGivesEveryKindOfAdvice: every device gets advice, so the
// fallback has all step lists in both languages.
func TestUnknownGivesEveryKindOfAdvice(t *testing.T) {
	f, _ := mustLoad(t).Family(UnknownID)
	for _, kind := range []StepKind{StepsPassword, StepsUpdate, StepsReset, StepsCloudAccount, StepsAdminPage} {
		for _, lang := range []string{"en", "de"} {
			if len(f.Steps(kind, lang)) == 0 {
				t.Errorf("no %s steps in %s", kind, lang)
			}
		}
	}
}

// TestDefaultCredentialsAreSourced guards the rule that only
// vendor-documented defaults are listed, each with a source.
func TestDefaultCredentialsAreSourced(t *testing.T) {
	for _, f := range mustLoad(t).Families() {
		for i, c := range f.DefaultCredentials {
			if c.Source == "" || c.AsOf == "" {
				t.Errorf("%s: default_credentials[%d] has no source or date", f.ID, i)
			}
		}
	}
	wled, _ := mustLoad(t).Family("wled")
	var pws []string
	for _, c := range wled.DefaultCredentials {
		pws = append(pws, c.Password)
	}
	for _, want := range []string{"wled1234", "wledota"} {
		if !slices.Contains(pws, want) {
			t.Errorf("wled: documented default %q missing", want)
		}
	}
}

// TestCredentialSteps: how to change a default, per interface and
// language; the catalog hands out copies.
func TestCredentialSteps(t *testing.T) {
	wled, _ := mustLoad(t).Family("wled")
	en, de := wled.CredentialSteps("ota", "en"), wled.CredentialSteps("ota", "de-AT")
	if len(en) == 0 || len(en) != len(de) || en[0] == de[0] {
		t.Fatalf("ota steps: en %q, de %q", en, de)
	}
	if got := wled.CredentialSteps("ota", "fr"); !slices.Equal(got, en) {
		t.Errorf("fr: %q, want the English steps", got)
	}
	if got := wled.CredentialSteps("web", "en"); got != nil {
		t.Errorf("web (no password by default): %q", got)
	}
	for _, c := range wled.DefaultCredentials {
		for _, step := range append(wled.CredentialSteps(c.Interface, "en"), wled.CredentialSteps(c.Interface, "de")...) {
			if c.Password != "" && strings.Contains(step, c.Password) {
				t.Errorf("%s: a step quotes the factory password: %q", c.Interface, step)
			}
		}
	}
	en[0] = "changed"
	wled.DefaultCredentials[1].ChangeSteps.EN[0] = "changed"
	again, _ := mustLoad(t).Family("wled")
	if again.CredentialSteps("ota", "en")[0] == "changed" || again.CredentialSteps("wifi-ap", "en")[0] == "changed" {
		t.Error("the catalog handed out its own steps")
	}
}

func TestSteps(t *testing.T) {
	f := Family{Guide: Guide{
		Password: &Steps{EN: []string{"one", "two"}, DE: []string{"eins", "zwei"}},
		Update:   &Steps{EN: []string{"only english"}},
	}}
	tests := []struct {
		kind StepKind
		lang string
		want []string
	}{
		{StepsPassword, "en", []string{"one", "two"}},
		{StepsPassword, "de", []string{"eins", "zwei"}},
		{StepsPassword, "de-AT", []string{"eins", "zwei"}},
		{StepsPassword, "DE_ch", []string{"eins", "zwei"}},
		{StepsPassword, "fr", []string{"one", "two"}},
		{StepsPassword, "", []string{"one", "two"}},
		{StepsUpdate, "de", []string{"only english"}},
		{StepsReset, "en", nil},
		{StepKind("nonsense"), "en", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.lang, func(t *testing.T) {
			if got := f.Steps(tt.kind, tt.lang); !slices.Equal(got, tt.want) {
				t.Errorf("Steps(%q, %q) = %q, want %q", tt.kind, tt.lang, got, tt.want)
			}
		})
	}
	f.Steps(StepsPassword, "en")[0] = "changed"
	if f.Guide.Password.EN[0] != "one" {
		t.Error("Steps returned the family's own slice")
	}
}

func TestCatalogHandsOutCopies(t *testing.T) {
	c := mustLoad(t)
	f, _ := c.Family("wled")
	f.DefaultCredentials[0].Password = "changed"
	f.LatestFirmware.Version = "changed"
	f.Guide.Password.EN[0] = "changed"
	again, _ := c.Family("wled")
	if again.DefaultCredentials[0].Password == "changed" || again.LatestFirmware.Version == "changed" || again.Guide.Password.EN[0] == "changed" {
		t.Error("a caller changed the shared catalog")
	}
}

// validDoc is a minimal family document that passes validation; each case
// below breaks it in one way.
const validDoc = `{
  "id": "demo",
  "vendor": "Demo maker",
  "product": "Demo plug",
  "models": [{"id": "DP-1", "name": "Demo Plug", "source": "https://example.com/models", "as_of": "2026-11-27"}],
  "release_pages": ["https://example.com/releases"],
  "latest_firmware": {"version": "1.2.3", "released": "2026-10-01", "source": "https://example.com/releases/1.2.3", "as_of": "2026-11-27"},
  "support_period": {"statement": "Updates for five years.", "until": "2030-01-01", "source": "https://example.com/support", "as_of": "2026-11-27"},
  "vulnerability_disclosure": {"url": "https://example.com/security", "source": "https://example.com/security", "as_of": "2026-11-27"},
  "default_credentials": [{"interface": "web", "username": "admin", "auth_off_by_default": true, "source": "https://example.com/manual", "as_of": "2026-11-27"}],
  "cloud_account": {"service": "Demo Cloud", "url": "https://example.com/account", "source": "https://example.com/account", "as_of": "2026-11-27"},
  "fixes": {"password": "auto", "update": "guided", "reset": "none"},
  "steps": {
    "password": {"en": ["Porchlight sets a password."], "de": ["Porchlight setzt ein Passwort."]},
    "update": {"en": ["Open the app.", "Install the update."], "de": ["Öffnen Sie die App.", "Installieren Sie das Update."]},
    "cloud_account": {"en": ["Delete the account."], "de": ["Löschen Sie das Konto."]}
  }
}`

// edit applies a change to the decoded validDoc and encodes it again.
func edit(t *testing.T, change func(d map[string]any)) []byte {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(validDoc), &d); err != nil {
		t.Fatal(err)
	}
	change(d)
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func obj(d map[string]any, key string) map[string]any { return d[key].(map[string]any) }

func TestValidDocPasses(t *testing.T) {
	if _, err := parseFamily("data/demo.json", []byte(validDoc)); err != nil {
		t.Fatalf("the base document must pass, or the cases below prove nothing: %v", err)
	}
}

// TestValidationCatchesEachProblem feeds broken documents through the same
// validator as the catalog; each must fail with exactly the intended problem.
func TestValidationCatchesEachProblem(t *testing.T) {
	tests := []struct {
		name   string
		doc    func(t *testing.T) []byte
		reason string
	}{
		{"broken JSON", func(*testing.T) []byte { return []byte(`{"id": "demo",`) }, "data/demo.json: invalid JSON"},
		{"source that is a note, not a URL", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "support_period")["source"] = "device-apis.md §3.4" })
		}, `support_period.source: "device-apis.md §3.4" is not an https URL`},
		{"source over plain http", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "support_period")["source"] = "http://example.com/support" })
		}, `support_period.source: "http://example.com/support" is not an https URL`},
		{"newest version from someone else's release page", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				obj(d, "latest_firmware")["source"] = "https://github.com/someone/else/releases/tag/2026.11.2"
			})
		}, `latest_firmware.source: "https://github.com/someone/else/releases/tag/2026.11.2" is not one of the maker's release pages`},
		{"newest version from a page that only starts like the maker's", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				obj(d, "latest_firmware")["source"] = "https://example.com/releases-fake/1.2.3"
			})
		}, `is not one of the maker's release pages`},
		{"data after the document", func(*testing.T) []byte { return []byte(validDoc + " {}") }, "data after the document"},
		{"unknown field", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["colour"] = "blue" })
		}, `unknown field "colour"`},
		{"missing source", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "latest_firmware"), "source") })
		}, "latest_firmware.source: missing: every fact needs a source"},
		{"credential without source", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(d["default_credentials"].([]any)[0].(map[string]any), "source") })
		}, "default_credentials[0].source: missing"},
		{"vulnerability disclosure without source", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "vulnerability_disclosure")["source"] = " " })
		}, "vulnerability_disclosure.source: missing"},
		{"missing as_of", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "support_period"), "as_of") })
		}, "support_period.as_of: missing"},
		{"bad date", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "latest_firmware")["released"] = "2026-13-01" })
		}, `latest_firmware.released: "2026-13-01" is not a date`},
		{"date in another format", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "support_period")["until"] = "01.01.2030" })
		}, `support_period.until: "01.01.2030" is not a date`},
		{"released after as_of", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "latest_firmware")["released"] = "2026-12-24" })
		}, "latest_firmware.released: 2026-12-24 is after as_of 2026-11-27"},
		{"unknown fix value", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "fixes")["reset"] = "magic" })
		}, `fixes.reset: unknown fix mode "magic"`},
		{"missing fix value", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "fixes"), "reset") })
		}, `fixes.reset: unknown fix mode ""`},
		{"guided fix without steps", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "steps"), "update") })
		}, `steps.update: missing: fix "guided" needs steps`},
		{"auto fix without steps", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "steps"), "password") })
		}, `steps.password: missing: fix "auto" needs steps`},
		{"de steps missing", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(obj(d, "steps"), "update"), "de") })
		}, "steps.update.de: missing: no steps"},
		{"mismatched step counts", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				obj(obj(d, "steps"), "update")["de"] = []any{"Öffnen Sie die App und installieren Sie das Update."}
			})
		}, "steps.update: en has 2 steps but de has 1"},
		{"empty step", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(obj(d, "steps"), "update")["en"] = []any{"Open the app.", "  "} })
		}, "steps.update.en[1]: missing"},
		{"step too long", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				obj(obj(d, "steps"), "password")["en"] = []any{strings.Repeat("x", 301)}
			})
		}, "steps.password.en[0]: 301 characters, more than 300"},
		{"compliant in text", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["product"] = "Demo plug, EN 303 645 Compliant" })
		}, `product: contains "compliant"`},
		{"konform in German step", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				obj(obj(d, "steps"), "password")["de"] = []any{"Danach ist das Gerät normkonform."}
			})
		}, `steps.password.de[0]: contains "konform"`},
		{"control character", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["vendor"] = "Demo\x1b[31m maker" })
		}, "vendor: contains control character U+001B"},
		{"bidi override", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(obj(d, "steps"), "password")["en"] = []any{"Open \u202egpj.exe"} })
		}, "steps.password.en[0]: contains control character U+202E"},
		{"upper-case id", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["id"] = "Demo" })
		}, `id: "Demo" is not a lower-case id`},
		{"http URL", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "vulnerability_disclosure")["url"] = "http://example.com/security" })
		}, "vulnerability_disclosure.url: \"http://example.com/security\": scheme must be https"},
		{"source URL without host", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { obj(d, "latest_firmware")["source"] = "https:///releases" })
		}, "latest_firmware.source: \"https:///releases\": no host"},
		{"unknown credential interface", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["default_credentials"].([]any)[0].(map[string]any)["interface"] = "telnet" })
		}, `default_credentials[0].interface: unknown interface "telnet"`},
		{"password and auth off together", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { d["default_credentials"].([]any)[0].(map[string]any)["password"] = "admin" })
		}, "default_credentials[0].password: set although auth_off_by_default"},
		{"default password without steps to change it", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				c := d["default_credentials"].([]any)[0].(map[string]any)
				delete(c, "auth_off_by_default")
				c["password"] = "admin"
			})
		}, "default_credentials[0].change_steps: missing"},
		{"change steps in one language only", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				c := d["default_credentials"].([]any)[0].(map[string]any)
				delete(c, "auth_off_by_default")
				c["password"] = "admin"
				c["change_steps"] = map[string]any{"en": []any{"Open its page."}, "de": []any{}}
			})
		}, "default_credentials[0].change_steps.de: missing"},
		{"credential without password", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				delete(d["default_credentials"].([]any)[0].(map[string]any), "auth_off_by_default")
			})
		}, "default_credentials[0].password: missing"},
		{"cloud account without deletion steps", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "steps"), "cloud_account") })
		}, "steps.cloud_account: missing"},
		{"duplicate model", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) {
				m := d["models"].([]any)
				d["models"] = append(m, map[string]any{"id": "dp-1", "name": "Again", "source": "https://example.com", "as_of": "2026-11-27"})
			})
		}, `models[1].id: "dp-1" is listed twice`},
		{"support period without statement", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(obj(d, "support_period"), "statement") })
		}, "support_period.statement: missing"},
		{"missing vendor", func(t *testing.T) []byte {
			return edit(t, func(d map[string]any) { delete(d, "vendor") })
		}, "vendor: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFamily("data/demo.json", tt.doc(t))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("error %q does not say %q", err, tt.reason)
			}
			if n := countErrors(err); n != 1 {
				t.Errorf("want exactly the intended problem, got %d:\n%v", n, err)
			}
			if !strings.HasPrefix(err.Error(), "data/demo.json: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestFixModesAndSteps: "auto" and "guided" need steps; "none" and
// "unknown" need none, and "unknown" may give general ones.
func TestFixModesAndSteps(t *testing.T) {
	resetSteps := map[string]any{"en": []any{"Find the reset steps."}, "de": []any{"Suchen Sie die Schritte."}}
	tests := []struct {
		mode   FixMode
		steps  bool
		reason string // "" when accepted
	}{
		{FixAuto, true, ""},
		{FixAuto, false, `steps.reset: missing: fix "auto" needs steps`},
		{FixGuided, true, ""},
		{FixGuided, false, `steps.reset: missing: fix "guided" needs steps`},
		{FixNone, false, ""},
		{FixNone, true, ""},
		{FixUnknown, false, ""},
		{FixUnknown, true, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/steps=%v", tt.mode, tt.steps), func(t *testing.T) {
			doc := edit(t, func(d map[string]any) {
				obj(d, "fixes")["reset"] = string(tt.mode)
				if tt.steps {
					obj(d, "steps")["reset"] = resetSteps
				}
			})
			f, err := parseFamily("data/demo.json", doc)
			switch {
			case tt.reason == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.reason == "" && f.Fixes.Reset != tt.mode:
				t.Errorf("fixes.reset = %q", f.Fixes.Reset)
			case tt.reason != "" && (err == nil || !strings.Contains(err.Error(), tt.reason)):
				t.Errorf("error %v, want %q", err, tt.reason)
			}
		})
	}
}

// TestLoadChecksTheWholeCatalog covers the checks across files.
func TestLoadChecksTheWholeCatalog(t *testing.T) {
	unknown := strings.Replace(validDoc, `"id": "demo"`, `"id": "unknown"`, 1)
	tests := []struct {
		name   string
		files  fstest.MapFS
		reason []string
	}{
		{"duplicate id", fstest.MapFS{
			"data/demo.json":    {Data: []byte(validDoc)},
			"data/demo2.json":   {Data: []byte(validDoc)},
			"data/unknown.json": {Data: []byte(unknown)},
		}, []string{
			`data/demo2.json: id: "demo" does not match the file name`,
			`data/demo2.json: id: "demo" is already used by data/demo.json`,
		}},
		{"id differs from file name", fstest.MapFS{
			"data/other.json":   {Data: []byte(validDoc)},
			"data/unknown.json": {Data: []byte(unknown)},
		}, []string{`data/other.json: id: "demo" does not match the file name (want "other")`}},
		{"no fallback family", fstest.MapFS{
			"data/demo.json": {Data: []byte(validDoc)},
		}, []string{`data: no "unknown" family`}},
		{"problems in two files are all reported", fstest.MapFS{
			"data/demo.json":    {Data: []byte(strings.Replace(validDoc, `"reset": "none"`, `"reset": "nope"`, 1))},
			"data/unknown.json": {Data: []byte(strings.Replace(unknown, `"vendor": "Demo maker"`, `"vendor": ""`, 1))},
		}, []string{`data/demo.json: fixes.reset: unknown fix mode "nope"`, "data/unknown.json: vendor: missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(tt.files, "data")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, r := range tt.reason {
				if !strings.Contains(err.Error(), r) {
					t.Errorf("error %q does not say %q", err, r)
				}
			}
			if n := countErrors(err); n != len(tt.reason) {
				t.Errorf("want %d problems, got %d:\n%v", len(tt.reason), n, err)
			}
		})
	}
	good := fstest.MapFS{"data/demo.json": {Data: []byte(validDoc)}, "data/unknown.json": {Data: []byte(unknown)}}
	c, err := load(good, "data")
	if err != nil {
		t.Fatalf("a valid catalog was refused: %v", err)
	}
	if _, ok := c.Family("demo"); !ok {
		t.Error("demo family missing")
	}
}

// countErrors counts the problems in a joined error.
func countErrors(err error) int {
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return 1
	}
	n := 0
	for _, e := range joined.Unwrap() {
		n += countErrors(e)
	}
	return n
}

func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
