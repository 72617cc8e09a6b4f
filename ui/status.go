package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
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
)

// stateOf reads a device's state from the latest checkup.
func stateOf(c *app.Checkup, id string) deviceState {
	if c == nil {
		return stateUnchecked
	}
	for _, sc := range c.Devices {
		if sc.Device.ID == id {
			if sc.Problems > 0 {
				return stateAttention
			}
			return stateOK
		}
	}
	return stateUnchecked
}

// badge shows a state with an icon and a word, never colour alone.
func badge(s deviceState) (fyne.Resource, string, widget.Importance) {
	switch s {
	case stateOK:
		return theme.ConfirmIcon(), lang.L("badge.ok"), widget.SuccessImportance
	case stateAttention:
		return theme.WarningIcon(), lang.L("badge.attention"), widget.WarningImportance
	}
	return theme.QuestionIcon(), lang.L("badge.unchecked"), widget.LowImportance
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

// newBadge builds an icon-and-word badge that can be updated. It is as wide
// as its longest word in the current language, so rows of a list line up
// whichever state each shows.
func newBadge() (*fyne.Container, func(deviceState)) {
	icon := widget.NewIcon(theme.QuestionIcon())
	word := widget.NewLabel("")
	set := func(s deviceState) {
		res, text, imp := badge(s)
		icon.SetResource(res)
		word.Importance = imp
		word.SetText(text)
	}
	widest := fyne.NewSize(0, 0)
	for _, s := range []deviceState{stateUnchecked, stateOK, stateAttention} {
		set(s)
		widest = widest.Max(container.NewHBox(icon, word).MinSize())
	}
	set(stateUnchecked)
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(widest)
	return container.NewStack(spacer, container.NewHBox(icon, word)), set
}
