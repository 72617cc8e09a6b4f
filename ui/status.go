package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
)

// deviceState is a device's state at a glance.
type deviceState int

const (
	stateUnchecked deviceState = iota
	stateOK
	stateAttention
	// stateAdvice: problems nobody can fix from here; the page says what
	// to do instead.
	stateAdvice
)

// stateOf reads a device's state from the latest checkup.
func stateOf(c *app.Checkup, id string) deviceState {
	if c == nil {
		return stateUnchecked
	}
	for _, sc := range c.Devices {
		if sc.Device.ID == id {
			switch {
			case sc.Actionable > 0:
				return stateAttention
			case sc.Problems > 0:
				return stateAdvice
			}
			return stateOK
		}
	}
	return stateUnchecked
}

// badge shows a state with an icon and a word, never colour alone. Both
// are drawn in the state's theme colour: success, warning, or the text
// colour for a device not checked yet.
func badge(s deviceState) (fyne.Resource, string, widget.Importance) {
	switch s {
	case stateOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon()), lang.L("badge.ok"), widget.SuccessImportance
	case stateAttention:
		return theme.NewWarningThemedResource(theme.WarningIcon()), lang.L("badge.attention"), widget.WarningImportance
	case stateAdvice:
		return theme.InfoIcon(), lang.L("badge.advice"), widget.MediumImportance
	}
	return theme.QuestionIcon(), lang.L("badge.unchecked"), widget.MediumImportance
}

// lineMark shows a scorecard line's status with a symbol and a word.
func lineMark(s checkup.Status) string {
	switch s {
	case checkup.OK:
		return "✓ " + lang.L("status.ok")
	case checkup.Problem:
		return "✗ " + lang.L("status.problem")
	case checkup.NotApplicable:
		return "– " + lang.L("status.na")
	}
	return "? " + lang.L("status.unknown")
}

// statusBadge shows a device's state (see badge), its icon and word
// centred in the height it is given. It is as wide as its longest word in
// the current language, so rows of a list line up whichever state each
// shows.
type statusBadge struct {
	widget.BaseWidget
	icon *widget.Icon
	word *widget.Label
	box  *fyne.Container
}

func newBadge() *statusBadge {
	b := &statusBadge{icon: widget.NewIcon(nil), word: widget.NewLabel("")}
	row := container.NewHBox(b.icon, b.word)
	widest := fyne.NewSize(0, 0)
	for _, s := range []deviceState{stateOK, stateAttention, stateAdvice, stateUnchecked} {
		b.set(s)
		widest = widest.Max(row.MinSize())
	}
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(widest)
	b.box = container.NewStack(spacer, container.NewVBox(layout.NewSpacer(), row, layout.NewSpacer()))
	b.ExtendBaseWidget(b)
	return b
}

// set shows state s.
func (b *statusBadge) set(s deviceState) {
	res, text, imp := badge(s)
	b.icon.SetResource(res)
	b.word.Importance = imp
	b.word.SetText(text)
}

// CreateRenderer is part of fyne.Widget.
func (b *statusBadge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(b.box)
}
