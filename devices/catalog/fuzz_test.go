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
