package ui

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/watch"
)

// notifier sends desktop notifications: the fyne.App, or a fake in tests.
type notifier interface {
	SendNotification(n *fyne.Notification)
}

// Autostart starts Porchlight with the computer (autostart.Login is the
// real one; nil hides the setting).
type Autostart interface {
	Enabled() bool
	Enable() error
	// Disable removes the entry and says where it was ("" for none).
	Disable() (string, error)
}

// firstLook is how long the app waits before the watcher's first look:
// the dashboard has just looked and checked.
const firstLook = watch.MinInterval

// watchHousehold keeps watch over the household shown, until the app
// closes or the household changes (the demo opened): the watcher looks at
// its interval, and devices announced in between are told at once.
func (u *ui) watchHousehold() {
	if u.stopWatch != nil {
		u.stopWatch()
	}
	ctx, stop := context.WithCancel(u.ctx)
	u.stopWatch = stop
	h := u.h
	var w *watch.Watcher
	w, err := watch.New(h, watch.Options{Delay: firstLook, OnEvents: func(evs []events.Event) { u.happened(h, w, evs) },
		OnCheckup: func(app.Checkup, bool) { do(u.refreshTray) }, RememberPause: true})
	if errors.Is(err, events.ErrCorrupt) {
		slog.Warn("the list of what happened was set aside", "err", err)
	} else if err != nil {
		slog.Warn("watching the household failed", "err", err)
		return
	}
	u.watcher = w
	u.watching.Add(2)
	go func() {
		defer u.watching.Done()
		w.Run(ctx)
	}()
	go func() {
		defer u.watching.Done()
		u.watch(ctx, h, w)
	}()
}

// watch tells at once the devices that appear in h, until ctx ends.
func (u *ui) watch(ctx context.Context, h Household, w *watch.Watcher) {
	err := h.Watch(ctx, func(d app.Device) {
		if err := w.Add(watch.NewDeviceEvent(w.Now(), d)); err != nil {
			slog.Warn("keeping what happened failed", "err", err)
		}
		do(func() {
			if u.dash != nil {
				u.dash.add(d)
			}
		})
	})
	if err != nil && ctx.Err() == nil {
		slog.Warn("watching for new devices stopped", "err", err)
	}
}

// happened tells the events the watcher of h recorded: one desktop
// notification per kind of event (grouped when several came together),
// none for the demo household, and on the screens shown.
func (u *ui) happened(h Household, w *watch.Watcher, evs []events.Event) {
	do(func() {
		if !h.Demo() {
			for _, n := range notifications(evs, u.lang) {
				u.notify.SendNotification(n)
			}
		}
		if u.watcher != w {
			return // the household changed
		}
		if u.dash != nil {
			u.dash.notice.SetText(groupText(evs, u.lang))
			u.dash.notice.Show()
		}
		if u.happening != nil {
			u.happening.refresh()
		}
		u.refreshTray()
	})
}

// notifications are the desktop notifications for evs: one per kind,
// in the order the kinds first came, saying the event itself when it is
// alone and how many when there are several.
func notifications(evs []events.Event, l string) []*fyne.Notification {
	var out []*fyne.Notification
	for _, group := range byKind(evs) {
		body := eventText(group[0], l)
		if len(group) > 1 {
			body = lang.L("event.group."+string(group[0].Kind), map[string]any{"Count": len(group)})
		}
		out = append(out, fyne.NewNotification(lang.L("event.title."+string(group[0].Kind)), body))
	}
	return out
}

// groupText says evs in one line: the notification of the first kind.
func groupText(evs []events.Event, l string) string {
	n := notifications(evs, l)
	if len(n) == 0 {
		return ""
	}
	return n[0].Content
}

// byKind groups evs by kind, kinds in the order they first came.
func byKind(evs []events.Event) [][]events.Event {
	var kinds []events.Kind
	groups := map[events.Kind][]events.Event{}
	for _, e := range evs {
		if _, ok := groups[e.Kind]; !ok {
			kinds = append(kinds, e.Kind)
		}
		groups[e.Kind] = append(groups[e.Kind], e)
	}
	out := make([][]events.Event, len(kinds))
	for i, k := range kinds {
		out[i] = groups[k]
	}
	return out
}

// eventText says what happened in the person's language, l.
func eventText(e events.Event, l string) string {
	args := map[string]any{"Name": e.Name, "Address": e.Address, "Previous": e.Previous,
		"Firmware": e.Firmware, "Available": e.Available, "Provision": e.Provision,
		"Since": e.LastSeen.Local().Format(time.DateTime[:16]), "Says": e.Says.In(l),
		"Port": e.Port, "Router": e.Router}
	key := "event." + string(e.Kind)
	if v := e.Variant(); v != "" {
		key += "." + v
	}
	return lang.L(key, args)
}

// setPaused pauses or resumes watching, remembered for next time (in the
// event log, off the UI goroutine).
func (u *ui) setPaused(p bool) {
	w := u.watcher
	if w == nil {
		return
	}
	background(u, func(context.Context) error { return w.SetPaused(p) }, func(err error) {
		if err != nil {
			slog.Warn("keeping whether watching is paused failed", "err", err)
		}
		u.refreshTray()
	})
}

// lookNow asks the watcher to look at once.
func (u *ui) lookNow() {
	if u.watcher != nil {
		u.watcher.LookNow()
	}
}

// newestFirst returns evs newest first.
func newestFirst(evs []events.Event) []events.Event {
	out := slices.Clone(evs)
	slices.Reverse(out)
	return out
}
