package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// readableTheme is Fyne's default theme with the colours that carry status
// (success, warning, error) and the outlines of inputs and unticked
// checkboxes chosen per variant, so that they reach WCAG AA contrast against
// the background: 4.5:1 for text, 3:1 for outlines. The default theme's
// success green and warning orange are made for dark backgrounds, and its
// light input border is barely visible on white. Widgets never pick colours
// themselves; they name a theme colour (through Importance or a themed
// resource) and get these.
type readableTheme struct {
	fyne.Theme
	// variant is the variant always shown; follow shows the system's instead.
	variant fyne.ThemeVariant
	follow  bool
}

// readableColors are the colours readableTheme changes, per variant; the
// others are the default theme's. Contrast ratios (against the background,
// and against the input background for the border) are checked by
// TestThemeContrast.
var readableColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1f, G: 0x7a, B: 0x33, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0xa1, G: 0x5c, B: 0x00, A: 0xff},
		theme.ColorNameError:       color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNameInputBorder: color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff},
	},
	theme.VariantDark: {
		theme.ColorNameInputBorder: color.NRGBA{R: 0x85, G: 0x85, B: 0x85, A: 0xff},
	},
}

// Color returns the colour named n in variant v, or in the theme's own
// variant when it does not follow the system.
func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.follow {
		v = t.variant
	}
	if v != theme.VariantLight { // as the default theme: anything else is dark
		v = theme.VariantDark
	}
	if c, ok := readableColors[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// themeFor returns the theme a preference names: "light", "dark", or ""
// to follow the system.
func themeFor(name string) fyne.Theme {
	switch name {
	case "light":
		return readableTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight}
	case "dark":
		return readableTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark}
	}
	return readableTheme{Theme: theme.DefaultTheme(), follow: true}
}
