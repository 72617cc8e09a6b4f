package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/assets"
)

// languages Porchlight speaks.
var languages = []string{"en", "de"}

// useLanguage loads the translations. With code "" the system's language is
// used (English when it is neither); otherwise code's strings are registered
// for every language Porchlight has, so they win whatever the system says
// (Fyne's lang package offers no other way to choose). It returns the
// language in use, for the checkup's results.
func useLanguage(code string) (string, error) {
	if code == "" {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			return "en", fmt.Errorf("loading the translations: %w", err)
		}
		return systemLanguage(), nil
	}
	data, err := assets.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		return "en", fmt.Errorf("no translations for %q: %w", code, err)
	}
	for _, l := range languages {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			return "en", fmt.Errorf("loading the translations: %w", err)
		}
	}
	return code, nil
}

// systemLanguage is the language of the system's locale if Porchlight speaks
// it, else English.
func systemLanguage() string {
	l := lang.SystemLocale().LanguageString()
	for _, have := range languages {
		if len(l) >= 2 && l[:2] == have {
			return have
		}
	}
	return "en"
}
