package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/app/watch"
	"github.com/porchlight/porchlight/assets"
	"github.com/porchlight/porchlight/ui/statusicon"
)

// The tray's icons.
var (
	trayOK        = fyne.NewStaticResource("tray-ok.png", assets.TrayOK)
	trayAttention = fyne.NewStaticResource("tray-attention.png", assets.TrayAttention)
)

// setupTray puts Porchlight in the system tray where the desktop has one,
// and makes closing the window hide it when the person chose to keep
// watching. Without a tray, the window behaves as ever.
func (u *ui) setupTray() {
	if desk, ok := u.app.(desktop.App); ok {
		u.tray = desk
	}
	u.win.SetCloseIntercept(u.closeWindow)
	u.refreshTray()
}

// closeWindow quits, or when the person chose to keep watching: leaves
// the watching to the tray alone (the window's graphics cost CPU time even
// when hidden), or hides the window where that cannot be (no tray for it,
// or the demo, which lives only as long as this app).
func (u *ui) closeWindow() {
	u.prefs.setWindowSize(u.win.Canvas().Size())
	switch {
	case u.tray != nil && u.prefs.keepWatching() && u.opts.Tray != nil && !u.h.Demo() && u.opts.Tray.Available():
		u.next = InTray
		u.app.Quit()
	case u.tray != nil && u.prefs.keepWatching():
		u.win.Hide()
	case u.tray != nil:
		u.app.Quit()
	default:
		u.win.Close()
	}
}

// openWindow shows the window again.
func (u *ui) openWindow() {
	u.win.Show()
	u.win.RequestFocus()
}

// refreshTray shows the household's state in the tray: the icon, the
// summary and whether watching is paused (UI goroutine only).
func (u *ui) refreshTray() {
	if u.tray == nil {
		return
	}
	icon, words := trayState(u.watcher)
	state := fyne.NewMenuItem(words.Summary, nil)
	state.Disabled = true
	paused := u.watcher != nil && u.watcher.Paused()
	pause := fyne.NewMenuItem(words.Pause, func() { u.setPaused(!paused) })
	quit := fyne.NewMenuItem(words.Quit, u.app.Quit)
	quit.IsQuit = true
	u.tray.SetSystemTrayMenu(fyne.NewMenu(words.Title, state, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(words.Open, u.openWindow),
		fyne.NewMenuItem(words.Look, u.lookNow),
		pause, fyne.NewMenuItemSeparator(), quit))
	u.tray.SetSystemTrayIcon(icon)
}

// trayState is what the tray shows of the household w watches (nil when
// it could not): the icon, the summary, and the menu's words.
func trayState(w *watch.Watcher) (fyne.Resource, statusicon.Words) {
	attention, paused := 0, false
	if w != nil {
		attention, paused = w.Attention(), w.Paused()
	}
	words := statusicon.Words{Title: lang.L("app.title"), Summary: lang.L("tray.ok"), Open: lang.L("tray.open"),
		Look: lang.L("tray.look"), Pause: lang.L("tray.pause"), Quit: lang.L("tray.quit")}
	icon := trayOK
	if attention > 0 {
		words.Summary = lang.L("tray.attention", map[string]any{"Count": attention})
		icon = trayAttention
	}
	if paused {
		words.Summary += " " + lang.L("tray.paused")
		words.Pause = lang.L("tray.resume")
	}
	return icon, words
}
