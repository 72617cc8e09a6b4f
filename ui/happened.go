package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app/events"
)

// happenedScreen lists what the watcher noticed, newest first.
type happenedScreen struct {
	u      *ui
	events []events.Event // UI goroutine only
	list   *widget.List
	empty  *widget.Label
}

// showHappened shows the "What happened" list.
func (u *ui) showHappened() {
	u.enter()
	s := &happenedScreen{u: u, empty: wrapped(lang.L("happened.none"))}
	s.list = widget.NewList(
		func() int { return len(s.events) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			return container.NewVBox(title, wrapped(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := s.events[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(e.Time.Local().Format(time.DateTime[:16]) + "  " + lang.L("event.title."+string(e.Kind)))
			box.Objects[1].(*widget.Label).SetText(eventText(e, u.lang))
			s.list.SetItemHeight(i, box.MinSize().Height)
		},
	)
	look := widget.NewButtonWithIcon(lang.L("tray.look"), theme.ViewRefreshIcon(), u.lookNow)
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), u.showDashboard)
	u.show(page(lang.L("happened.title"), container.NewBorder(s.empty, nil, nil, nil, s.list), look, back))
	u.happening = s
	s.refresh()
}

// refresh shows the events kept now.
func (s *happenedScreen) refresh() {
	s.events = nil
	if s.u.watcher != nil {
		s.events = newestFirst(s.u.watcher.Events())
	}
	if len(s.events) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.list.Refresh()
}
