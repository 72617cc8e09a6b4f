package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// settings is a typed view of Porchlight's preferences.
type settings struct{ p fyne.Preferences }

// Preference keys.
const (
	prefLanguage     = "language" // "", "en" or "de"
	prefTheme        = "theme"    // "", "light" or "dark"
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

func (s settings) language() string     { return s.p.StringWithFallback(prefLanguage, "") }
func (s settings) setLanguage(l string) { s.p.SetString(prefLanguage, l) }
func (s settings) theme() string        { return s.p.StringWithFallback(prefTheme, "") }
func (s settings) setTheme(t string)    { s.p.SetString(prefTheme, t) }

func (s settings) windowSize() fyne.Size {
	return fyne.NewSize(float32(s.p.FloatWithFallback(prefWindowWidth, 900)), float32(s.p.FloatWithFallback(prefWindowHeight, 640)))
}

func (s settings) setWindowSize(sz fyne.Size) {
	s.p.SetFloat(prefWindowWidth, float64(sz.Width))
	s.p.SetFloat(prefWindowHeight, float64(sz.Height))
}

// variantTheme is the default theme forced to light or dark.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// themeFor returns the theme a preference names ("" follows the system).
func themeFor(name string) fyne.Theme {
	switch name {
	case "light":
		return variantTheme{theme.DefaultTheme(), theme.VariantLight}
	case "dark":
		return variantTheme{theme.DefaultTheme(), theme.VariantDark}
	}
	return theme.DefaultTheme()
}
