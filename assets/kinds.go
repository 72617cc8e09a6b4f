package assets

import (
	"encoding/json"
	"sync"
)

// kindWords holds the "kind.*" words of each translation, read once.
var kindWords = sync.OnceValue(func() map[string]map[string]string {
	words := map[string]map[string]string{}
	for _, language := range []string{"en", "de"} {
		data, err := Translations.ReadFile("translations/" + language + ".json")
		if err != nil {
			continue
		}
		var all map[string]any
		if json.Unmarshal(data, &all) != nil {
			continue
		}
		words[language] = map[string]string{}
		for k, v := range all {
			if s, ok := v.(string); ok && len(k) > len("kind.") && k[:len("kind.")] == "kind." {
				words[language][k[len("kind."):]] = s
			}
		}
	}
	return words
})

// KindWord is the word for a catalog kind ("plug", "printer"...) in
// language (en or de; English for any other), as the GUI shows it: the
// translations' "kind.<kind>" entry. It is empty for an unknown kind.
func KindWord(language, kind string) string {
	words := kindWords()
	if w, ok := words[language][kind]; ok {
		return w
	}
	return words["en"][kind]
}
