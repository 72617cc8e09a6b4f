package assets

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestKindWord(t *testing.T) {
	for _, tc := range []struct{ language, kind, want string }{
		{"en", "plug", "smart plug"},
		{"de", "plug", "Steckdose"},
		{"de", "printer", "Drucker"},
		{"fr", "printer", "printer"},
		{"en", "no-such-kind", ""},
		{"en", "", ""},
	} {
		if got := KindWord(tc.language, tc.kind); got != tc.want {
			t.Errorf("KindWord(%q, %q) = %q, want %q", tc.language, tc.kind, got, tc.want)
		}
	}
}

// TestKindWordsInBothLanguages checks that every kind has a word in
// English and in German.
func TestKindWordsInBothLanguages(t *testing.T) {
	keys := func(language string) map[string]bool {
		data, err := Translations.ReadFile("translations/" + language + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var all map[string]any
		if err := json.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for k := range all {
			if strings.HasPrefix(k, "kind.") {
				out[k] = true
			}
		}
		return out
	}
	en, de := keys("en"), keys("de")
	if len(en) == 0 || len(en) != len(de) {
		t.Fatalf("%d kind words in English, %d in German", len(en), len(de))
	}
	for k := range en {
		if !de[k] {
			t.Errorf("%s has no German word", k)
		}
	}
}
