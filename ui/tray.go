package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/assets"
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

// closeWindow hides the window while Porchlight keeps watching from the
// tray, else quits.
func (u *ui) closeWindow() {
	u.prefs.setWindowSize(u.win.Canvas().Size())
	switch {
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
	attention := 0
	if u.watcher != nil {
		attention = u.watcher.Attention()
	}
	summary := lang.L("tray.ok")
	icon := trayOK
	if attention > 0 {
		summary = lang.L("tray.attention", map[string]any{"Count": attention})
		icon = trayAttention
	}
	if u.prefs.watchPaused() {
		summary += " " + lang.L("tray.paused")
	}
	state := fyne.NewMenuItem(summary, nil)
	state.Disabled = true
	pause := fyne.NewMenuItem(lang.L("tray.pause"), func() { u.setPaused(true) })
	if u.prefs.watchPaused() {
		pause = fyne.NewMenuItem(lang.L("tray.resume"), func() { u.setPaused(false) })
	}
	quit := fyne.NewMenuItem(lang.L("tray.quit"), u.app.Quit)
	quit.IsQuit = true
	u.tray.SetSystemTrayMenu(fyne.NewMenu(lang.L("app.title"), state, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("tray.open"), u.openWindow),
		fyne.NewMenuItem(lang.L("tray.look"), u.lookNow),
		pause, fyne.NewMenuItemSeparator(), quit))
	u.tray.SetSystemTrayIcon(icon)
}
