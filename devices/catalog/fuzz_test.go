package catalog

import (
	"encoding/json"
	"io/fs"
	"testing"
)

// FuzzParse feeds arbitrary documents to the family parser and validator:
// they must never panic, and a document they accept must survive being
// encoded and parsed again.
func FuzzParse(f *testing.F) {
	names, err := fs.Glob(dataFS, "data/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(dataFS, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(validDoc))
	f.Fuzz(func(t *testing.T, data []byte) {
		fam, err := parseFamily("data/fuzz.json", data)
		if err != nil {
			return
		}
		again, err := json.Marshal(fam)
		if err != nil {
			t.Fatalf("an accepted family does not encode: %v", err)
		}
		if _, err := parseFamily("data/fuzz.json", again); err != nil {
			t.Fatalf("an accepted family fails after a round trip: %v\n%s", err, again)
		}
		for _, kind := range []StepKind{StepsPassword, StepsUpdate, StepsReset, StepsCloudAccount, StepsAdminPage} {
			fam.Steps(kind, "de")
		}
	})
}

// FuzzOUIOf feeds arbitrary text, as a device may announce it for a MAC
// address, to OUIOf: it must never panic, and what it returns is always an
// OUI the catalog could hold.
func FuzzOUIOf(f *testing.F) {
	for _, s := range []string{"48ee0c649791", "48:EE:0C:64:97:91", "74-5e-1c-ae-41-d0", "8A:71:CA:xxxxx", "", "\x00\xff:", "48:EE:0C-64:97:91"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, mac string) {
		oui, ok := OUIOf(mac)
		if !ok {
			return
		}
		if !ouiPattern.MatchString(oui) {
			t.Fatalf("OUIOf(%q) = %q, not an OUI as the catalog writes it", mac, oui)
		}
		if again, ok := OUIOf(oui + ":00:00:00"); !ok || again != oui {
			t.Fatalf("OUIOf(%q) = %q, which does not read back (%q, %v)", mac, oui, again, ok)
		}
	})
}
