package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// relativeLuminance is a colour's relative luminance as WCAG 2.x defines
// it: 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels.
func relativeLuminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	linear := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*linear(n.R) + 0.7152*linear(n.G) + 0.0722*linear(n.B)
}

// contrastRatio is the WCAG 2.x contrast ratio of fg drawn over bg,
// (L1 + 0.05) / (L2 + 0.05) with L1 the lighter one's luminance; a
// translucent fg is blended over bg first.
func contrastRatio(fg, bg color.Color) float64 {
	a, b := relativeLuminance(over(fg, bg)), relativeLuminance(bg)
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}

// over is fg drawn over an opaque bg.
func over(fg, bg color.Color) color.Color {
	f, b := color.NRGBAModel.Convert(fg).(color.NRGBA), color.NRGBAModel.Convert(bg).(color.NRGBA)
	mix := func(x, y uint8) uint8 {
		return uint8((float64(x)*float64(f.A) + float64(y)*float64(255-f.A)) / 255)
	}
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

func hex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02X%02X%02X", n.R, n.G, n.B)
}

func TestContrastRatioFormula(t *testing.T) {
	for _, c := range []struct {
		fg, bg color.Color
		want   float64
	}{
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}, color.White, 4.54},
		{color.NRGBA{R: 0x43, G: 0xf4, B: 0x36, A: 0xff}, color.White, 1.48}, // Fyne's success green, the 1.4:1
	} {
		if got := contrastRatio(c.fg, c.bg); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast of %s on %s = %.3f, want %.2f", hex(c.fg), hex(c.bg), got, c.want)
		}
	}
}

// drawnText is the colour a label's text is drawn in.
func drawnText(t *testing.T, l *widget.Label) color.Color {
	t.Helper()
	for _, o := range test.WidgetRenderer(l).Objects() {
		if rt, ok := o.(*widget.RichText); ok {
			for _, o := range test.WidgetRenderer(rt).Objects() {
				if txt, ok := o.(*canvas.Text); ok && txt.Text != "" {
					return txt.Color
				}
			}
		}
	}
	t.Fatalf("label %q draws no text", l.Text)
	return nil
}

// drawnIcon is the colour a themed icon is drawn in.
func drawnIcon(t *testing.T, r fyne.Resource) color.Color {
	t.Helper()
	tr, ok := r.(fyne.ThemedResource)
	if !ok {
		t.Fatalf("icon %s takes no colour from the theme", r.Name())
	}
	return theme.Color(tr.ThemeColorName())
}

// drawnCheckbox is the colour of an unticked checkbox's outline and of its
// inside, as the check draws them.
func drawnCheckbox(t *testing.T) (outline, inside color.Color) {
	t.Helper()
	c := widget.NewCheck("done", nil)
	test.NewWindow(c)
	for _, o := range test.WidgetRenderer(c).Objects() {
		img, ok := o.(*canvas.Image)
		if !ok {
			continue
		}
		tr, ok := img.Resource.(fyne.ThemedResource)
		if !ok {
			continue
		}
		if n := tr.ThemeColorName(); n == theme.ColorNameInputBackground {
			inside = theme.Color(n)
		} else {
			outline = theme.Color(n)
		}
	}
	if outline == nil || inside == nil {
		t.Fatal("the checkbox's outline or inside was not found")
	}
	return outline, inside
}

// TestThemeContrast draws the status badges and an unticked checkbox in
// the light and the dark theme, and checks the WCAG AA contrast of the
// colours they are drawn in against the background: 4.5:1 for text, 3:1
// for icons and outlines (WCAG 1.4.3 and 1.4.11). Text on the status
// colours (warning and danger buttons) is checked too.
func TestThemeContrast(t *testing.T) {
	for _, variant := range []string{"light", "dark"} {
		t.Run(variant, func(t *testing.T) {
			test.NewTempApp(t)
			if _, err := useLanguage("en"); err != nil {
				t.Fatal(err)
			}
			th := themeFor(variant)
			fyne.CurrentApp().Settings().SetTheme(th)
			named := theme.Color
			bg := named(theme.ColorNameBackground)
			type pair struct {
				what   string
				fg, bg color.Color
				min    float64
			}
			var pairs []pair
			for _, s := range []deviceState{stateOK, stateAttention, stateAdvice, stateUnchecked} {
				b := newBadge()
				b.set(s)
				test.NewWindow(b)
				pairs = append(pairs,
					pair{"badge text " + b.word.Text, drawnText(t, b.word), bg, 4.5},
					pair{"badge icon " + b.word.Text, drawnIcon(t, b.icon.Resource), bg, 3})
			}
			outline, inside := drawnCheckbox(t)
			pairs = append(pairs,
				pair{"unticked checkbox outline on the background", outline, bg, 3},
				pair{"unticked checkbox outline on its inside", outline, inside, 3},
				pair{"input border on the input background", named(theme.ColorNameInputBorder), named(theme.ColorNameInputBackground), 3},
				pair{"error text", named(theme.ColorNameError), bg, 4.5},
				pair{"text on a success button", named(theme.ColorNameForegroundOnSuccess), named(theme.ColorNameSuccess), 4.5},
				pair{"text on a warning button", named(theme.ColorNameForegroundOnWarning), named(theme.ColorNameWarning), 4.5},
				pair{"text on a danger button", named(theme.ColorNameForegroundOnError), named(theme.ColorNameError), 4.5},
			)
			for _, p := range pairs {
				got := contrastRatio(p.fg, p.bg)
				t.Logf("%-52s %s on %s  %5.2f:1 (needs %.1f)", p.what, hex(p.fg), hex(p.bg), got, p.min)
				if got < p.min {
					t.Errorf("%s: %s on %s is %.2f:1, below %.1f:1", p.what, hex(p.fg), hex(p.bg), got, p.min)
				}
			}
		})
	}
}

// TestThemeFollowsTheSystem: with no preference, the theme gives each
// variant the colours of that variant.
func TestThemeFollowsTheSystem(t *testing.T) {
	system := themeFor("")
	for _, v := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}} {
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameInputBorder, theme.ColorNameBackground} {
			if got, want := system.Color(n, v.variant), themeFor(v.name).Color(n, v.variant); got != want {
				t.Errorf("%s in the system's %s variant is %s, want %s", n, v.name, hex(got), hex(want))
			}
		}
	}
}
