package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"text/template"

	"github.com/porchlight/porchlight/assets"
)

// languages are the languages the command line speaks, English first (the
// fallback).
var languages = []string{"en", "de"}

// words are the command line's own sentences in one language, read from
// the translation files the app uses (assets/translations/<lang>.json)
// without Fyne: a message is a text/template string with named values
// ("Found {{.Count}} devices"), or an object with "one" and "other" forms
// chosen by Count, as in Fyne's lang package.
type words struct {
	lang string
	msgs map[string]json.RawMessage
}

var (
	loadOnce sync.Once
	loaded   map[string]*words
	loadErr  error
)

// wordsFor returns the words of lang, English when Porchlight does not speak it.
func wordsFor(lang string) *words {
	loadOnce.Do(func() {
		loaded = make(map[string]*words)
		for _, l := range languages {
			data, err := assets.Translations.ReadFile("translations/" + l + ".json")
			if err != nil {
				loadErr = err
				return
			}
			w := &words{lang: l}
			if err := json.Unmarshal(data, &w.msgs); err != nil {
				loadErr = fmt.Errorf("translations/%s.json: %w", l, err)
				return
			}
			loaded[l] = w
		}
	})
	if loadErr != nil {
		// The files are embedded and tested: this cannot happen in a build
		// whose tests passed.
		panic(loadErr)
	}
	if w, ok := loaded[lang]; ok {
		return w
	}
	return loaded["en"]
}

// t says the message key with the named values kv ("Name", name, "Count",
// 3, …), in w's language, else in English; a key no file has is shown as
// itself, so a missing translation is visible, never a crash (a test
// checks every key the command line uses).
func (w *words) t(key string, kv ...any) string {
	raw, ok := w.msgs[key]
	if !ok && w.lang != "en" {
		return wordsFor("en").t(key, kv...)
	}
	if !ok {
		return key
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		var forms struct{ One, Other string }
		if err := json.Unmarshal(raw, &forms); err != nil {
			return key
		}
		text = forms.Other
		if n, ok := data["Count"].(int); ok && n == 1 && forms.One != "" {
			text = forms.One
		}
	}
	tmpl, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}

// lookup is t for a message that may not exist: false when no file has key.
func (w *words) lookup(key string, kv ...any) (string, bool) {
	if _, ok := w.msgs[key]; !ok {
		if _, ok := wordsFor("en").msgs[key]; !ok {
			return "", false
		}
	}
	return w.t(key, kv...), true
}
