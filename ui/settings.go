package ui

import "fyne.io/fyne/v2"

// settings is a typed view of Porchlight's preferences.
type settings struct{ p fyne.Preferences }

// Preference keys.
const (
	prefLanguage     = "language" // "", "en" or "de"
	prefTheme        = "theme"    // "", "light" or "dark"
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefKeepWatching = "watch.keep" // keep watching when the window is closed
	prefAskMakers    = "makers.ask" // ask the makers' release pages (off by default)
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

func (s settings) keepWatching() bool      { return s.p.BoolWithFallback(prefKeepWatching, false) }
func (s settings) setKeepWatching(on bool) { s.p.SetBool(prefKeepWatching, on) }

func (s settings) askMakers() bool      { return s.p.BoolWithFallback(prefAskMakers, false) }
func (s settings) setAskMakers(on bool) { s.p.SetBool(prefAskMakers, on) }
