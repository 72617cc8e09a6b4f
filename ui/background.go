package ui

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/watch"
	"github.com/porchlight/porchlight/assets"
	"github.com/porchlight/porchlight/ui/statusicon"
)

// Tray is the system tray without a window; *statusicon.Tray is the real
// one.
type Tray interface {
	// Available reports whether the desktop shows a tray now.
	Available() bool
	// Run shows the tray and blocks until Quit.
	Run(icon []byte, w statusicon.Words, a statusicon.Actions)
	// Set changes the icon and the words.
	Set(icon []byte, w statusicon.Words)
	Quit()
}

// StartsInTray reports whether Porchlight, started with the computer, keeps
// watch from the tray alone: the person chose to keep watching and the
// desktop has a tray now. Else it opens its window.
func StartsInTray(a fyne.App, opts Options) bool {
	return opts.Tray != nil && settings{a.Preferences()}.keepWatching() && opts.Tray.Available()
}

// RunBackground keeps watch over household h from the system tray alone,
// without a window, and blocks until the person quits (Done) or asks for
// the window (Window). Events become desktop notifications, as in the
// window. It uses a only for its preferences (read, never written: the
// pause is kept by the watcher), translations and notifications, and never
// runs a's graphics loop.
func RunBackground(a fyne.App, h Household, opts Options) Next {
	return runBackground(a, a, h, opts)
}

// runBackground is RunBackground with its notifications sent to notify.
func runBackground(a fyne.App, notify notifier, h Household, opts Options) Next {
	prefs := settings{a.Preferences()}
	l, err := useLanguage(prefs.language())
	if err != nil {
		slog.Warn("loading translations failed", "err", err)
	}
	h.SetLang(l)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	b := &inTray{tray: opts.Tray, notify: notify}
	w, err := watch.New(h, watch.Options{RememberPause: true,
		OnEvents:  func(evs []events.Event) { b.happened(evs, l, h.Demo()) },
		OnCheckup: func(app.Checkup, bool) { b.show() }})
	if errors.Is(err, events.ErrCorrupt) {
		slog.Warn("the list of what happened was set aside", "err", err)
	} else if err != nil {
		slog.Warn("watching the household failed; opening the window", "err", err)
		return Window
	}
	b.w = w
	ctx, stop := context.WithCancel(context.Background())
	var running sync.WaitGroup
	running.Add(1)
	go func() {
		defer running.Done()
		w.Run(ctx)
	}()
	var mu sync.Mutex
	next := Done
	open := func() {
		mu.Lock()
		next = Window
		mu.Unlock()
		opts.Tray.Quit()
	}
	if opts.Show != nil {
		running.Add(1)
		go func() {
			defer running.Done()
			select {
			case <-ctx.Done():
			case <-opts.Show:
				open()
			}
		}()
	}
	icon, words := trayState(w)
	opts.Tray.Run(icon.Content(), words, statusicon.Actions{
		Open: open,
		Look: w.LookNow,
		Pause: func() {
			if err := w.SetPaused(!w.Paused()); err != nil {
				slog.Warn("keeping whether watching is paused failed", "err", err)
			}
			b.show()
		},
		Quit: opts.Tray.Quit,
	})
	stop()
	running.Wait()
	mu.Lock()
	defer mu.Unlock()
	return next
}

// inTray is Porchlight in the tray alone.
type inTray struct {
	tray   Tray
	notify notifier
	w      *watch.Watcher
}

// show shows the household's state in the tray.
func (b *inTray) show() {
	icon, words := trayState(b.w)
	b.tray.Set(icon.Content(), words)
}

// happened tells the events a look recorded: desktop notifications in
// language l (none for the demo), and the tray's state.
func (b *inTray) happened(evs []events.Event, l string, demo bool) {
	if !demo {
		for _, n := range notifications(evs, l) {
			b.notify.SendNotification(n)
		}
	}
	b.show()
}
