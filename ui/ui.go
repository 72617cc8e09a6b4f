// Package ui holds Porchlight's desktop screens, built with Fyne: the
// guided setup, the household dashboard, the device page and the settings.
// It is the only package that touches widgets; the work behind them lives in
// app and always runs off the UI goroutine.
package ui

import (
	"context"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/releases"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/watch"
	"github.com/porchlight/porchlight/assets"
)

// Options configures the app.
type Options struct {
	// OpenDemo opens the demo household; the setup offers it when a scan
	// finds nothing. Nil hides the offer.
	OpenDemo func() (Household, error)
	// Autostart starts Porchlight with the computer; nil hides the setting.
	Autostart Autostart
	// Tray keeps watch from the system tray without a window (see
	// RunBackground): closing the window when the person chose to keep
	// watching ends Run with InTray. Nil, or no tray on the desktop:
	// the window only hides.
	Tray Tray
	// Show receives a value when a Porchlight started later asks this
	// one to show its window (nil: none does).
	Show <-chan struct{}
	// Makers asks the makers' public release pages for their newest
	// versions, for the household's checkup, once the person turns it on
	// in the settings (off by default); nil hides the setting.
	Makers releases.Source
}

// Next says what comes after Porchlight's window or tray ended.
type Next int

// What comes next.
const (
	// Done: Porchlight quits.
	Done Next = iota
	// InTray: Porchlight goes on watching from the system tray alone
	// (RunBackground, started afresh).
	InTray
	// Window: Porchlight opens its window (Run, started afresh).
	Window
)

// Run opens Porchlight's window on a for household h and blocks until it
// closes; InTray when the person closed it to keep watching from the tray.
func Run(a fyne.App, h Household, opts Options) Next {
	u := newUI(a, h, opts)
	u.win.ShowAndRun()
	u.close()
	return u.next
}

// ui is the running app: one window, one household, the screen shown.
type ui struct {
	app   fyne.App
	win   fyne.Window
	h     Household
	opts  Options
	prefs settings
	// lang is the language of checkup results ("en" or "de").
	lang string

	ctx    context.Context
	cancel context.CancelFunc
	// busy counts background work, so tests can wait for it.
	busy sync.WaitGroup
	// watching counts the goroutines that keep watch, which run until the
	// app closes or the household changes; close waits for them.
	watching sync.WaitGroup
	// checkup is the latest household checkup (UI goroutine only).
	checkup *app.Checkup
	// dash is the dashboard when it is the screen shown (UI goroutine only).
	dash *dashboard
	// screen lives as long as the screen shown: leaving it cancels the
	// screen's background work (see onScreen). UI goroutine only.
	screen context.Context
	leave  context.CancelFunc
	// stopWatch stops watching the household.
	stopWatch context.CancelFunc
	// watcher keeps watch over the household (nil when it could not).
	watcher *watch.Watcher
	// notify sends desktop notifications.
	notify notifier
	// tray is the system tray, nil when the desktop has none.
	tray desktop.App
	// happening is the "What happened" screen when it is shown (UI
	// goroutine only).
	happening *happenedScreen
	// planNotice says that a damaged wipe plan was set aside (see
	// noticePlanDamaged); the dashboard shows it from then on. UI
	// goroutine only.
	planNotice string
	// next is what Run returns (UI goroutine only).
	next Next
}

func newUI(a fyne.App, h Household, opts Options) *ui {
	u := &ui{app: a, h: h, opts: opts, prefs: settings{a.Preferences()}, notify: a}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.screen, u.leave = context.WithCancel(u.ctx)
	var err error
	if u.lang, err = useLanguage(u.prefs.language()); err != nil {
		slog.Warn("loading translations failed", "err", err)
	}
	h.SetLang(u.lang)
	u.applyAskMakers()
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(themeFor(u.prefs.theme()))
	u.win = a.NewWindow(lang.L("app.title"))
	u.win.Resize(u.prefs.windowSize())
	u.win.SetOnClosed(func() { u.prefs.setWindowSize(u.win.Canvas().Size()) })
	u.win.SetMainMenu(u.menu())
	u.win.Canvas().AddShortcut(happenedShortcut, func(fyne.Shortcut) { u.showHappened() })
	if st, _ := h.Setup(); st.Step == setup.Done {
		u.showDashboard()
	} else {
		u.showSetup()
	}
	u.watchHousehold()
	u.setupTray()
	if opts.Show != nil {
		u.watching.Add(1)
		go func() {
			defer u.watching.Done()
			for {
				select {
				case <-u.ctx.Done():
					return
				case <-opts.Show:
					do(u.openWindow)
				}
			}
		}()
	}
	return u
}

// close stops background work and waits for it.
func (u *ui) close() {
	u.cancel()
	u.busy.Wait()
	u.watching.Wait()
}

// wait returns once all background work has finished and shown its result.
func (u *ui) wait() { u.busy.Wait() }

// uiLock is held by every function that touches widgets from fyne.Do. The
// real driver runs those on the main goroutine, where the lock is never
// contended; the test driver runs them on the calling goroutine, and tests
// hold the lock while they tap, so that widgets are touched by one goroutine
// at a time there too.
var uiLock sync.Mutex

// do runs fn on the UI goroutine (fyne.Do), under uiLock.
func do(fn func()) {
	fyne.Do(func() {
		uiLock.Lock()
		defer uiLock.Unlock()
		fn()
	})
}

// background runs work off the UI goroutine, then shows its result with one
// fyne.Do.
func background[T any](u *ui, work func(context.Context) T, show func(T)) {
	u.busy.Add(1)
	go func() {
		defer u.busy.Done()
		res := work(u.ctx)
		do(func() { show(res) })
	}()
}

// onScreen runs work for the screen shown now, on a context that leaving
// the screen cancels, then shows its result with one fyne.Do, but only if
// the screen is still shown: a late result never changes another screen.
func onScreen[T any](u *ui, work func(context.Context) T, show func(T)) {
	ctx := u.screen
	u.busy.Add(1)
	go func() {
		defer u.busy.Done()
		res := work(ctx)
		do(func() {
			if ctx.Err() == nil {
				show(res)
			}
		})
	}()
}

// ask puts a yes-or-no question to the person from background work and
// waits for the answer; false when ctx ends first.
func (u *ui) ask(ctx context.Context, title, question string) bool {
	answer := make(chan bool, 1)
	do(func() { dialog.ShowConfirm(title, question, func(ok bool) { answer <- ok }, u.win) })
	select {
	case ok := <-answer:
		return ok
	case <-ctx.Done():
		return false
	}
}

// show replaces the window's content with a screen.
func (u *ui) show(content fyne.CanvasObject) {
	u.dash, u.happening = nil, nil
	u.win.SetContent(content)
}

// enter begins a new screen: the work of the one shown until now is
// cancelled, and onScreen work started from here on belongs to the new one.
// Every screen calls it first, before it starts any work.
func (u *ui) enter() {
	u.leave()
	u.screen, u.leave = context.WithCancel(u.ctx)
}

// happenedShortcut opens "What happened" (Ctrl+E, ⌘E on macOS).
var happenedShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}

func (u *ui) menu() *fyne.MainMenu {
	happened := fyne.NewMenuItem(lang.L("menu.happened"), u.showHappened)
	happened.Shortcut = happenedShortcut
	return fyne.NewMainMenu(fyne.NewMenu(lang.L("menu.porchlight"),
		fyne.NewMenuItem(lang.L("menu.dashboard"), u.showDashboard),
		happened,
		fyne.NewMenuItem(lang.L("menu.setup"), u.restartSetup),
		fyne.NewMenuItem(lang.L("menu.settings"), u.showSettings),
	))
}

// page lays out a screen: a title, optional actions, and the body.
func page(title string, body fyne.CanvasObject, actions ...fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	top := container.NewVBox(container.NewHBox(append([]fyne.CanvasObject{heading, layout.NewSpacer()}, actions...)...), widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewPadded(body))
}

// wrapped is a label that wraps its words.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// busyBar is a progress indicator for work that takes a while.
func busyBar() *widget.ProgressBarInfinite {
	b := widget.NewProgressBarInfinite()
	b.Hide()
	return b
}

func startBusy(b *widget.ProgressBarInfinite) {
	b.Show()
	b.Start()
}

func stopBusy(b *widget.ProgressBarInfinite) {
	b.Stop()
	b.Hide()
}
