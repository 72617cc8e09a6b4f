// Package statusicon shows Porchlight in the system tray without a window
// (through fyne.io/systray, which Fyne's own tray uses too): an icon with
// the household's state and a menu. It is what keeps watch in the
// background cheap: no window, so no graphics loop waking up sixty times
// a second.
package statusicon

import (
	"sync"

	"fyne.io/systray"
)

// Words are the tray's title and its menu's words.
type Words struct {
	Title, Summary, Open, Look, Pause, Quit string
}

// Actions are what the menu's items do. They run on the tray's own
// goroutine; after Open or Quit the menu takes no more clicks (the caller
// quits the tray).
type Actions struct {
	Open, Look, Pause, Quit func()
}

// Tray is the system tray. Run it once.
type Tray struct {
	mu    sync.Mutex
	icon  []byte
	words Words
	// items are the menu's items once the tray is ready (nil before).
	items *items
}

type items struct {
	summary, open, look, pause, quit *systray.MenuItem
}

// Available reports whether the desktop shows a tray now.
func (t *Tray) Available() bool { return available() }

// Run shows the tray with icon and words, and blocks until Quit.
func (t *Tray) Run(icon []byte, w Words, a Actions) {
	t.mu.Lock()
	t.icon, t.words = icon, w
	t.mu.Unlock()
	run(func() { t.ready(a) })
}

// ready builds the menu, shows what was last set, and passes the clicks
// to a until Open or Quit.
func (t *Tray) ready(a Actions) {
	it := &items{summary: systray.AddMenuItem("", "")}
	it.summary.Disable()
	systray.AddSeparator()
	it.open = systray.AddMenuItem("", "")
	it.look = systray.AddMenuItem("", "")
	it.pause = systray.AddMenuItem("", "")
	systray.AddSeparator()
	it.quit = systray.AddMenuItem("", "")
	t.mu.Lock()
	t.items = it
	t.showLocked()
	t.mu.Unlock()
	for {
		select {
		case <-it.open.ClickedCh:
			a.Open()
			return
		case <-it.look.ClickedCh:
			a.Look()
		case <-it.pause.ClickedCh:
			a.Pause()
		case <-it.quit.ClickedCh:
			a.Quit()
			return
		}
	}
}

// Set changes the icon and the words.
func (t *Tray) Set(icon []byte, w Words) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.icon, t.words = icon, w
	if t.items != nil {
		t.showLocked()
	}
}

func (t *Tray) showLocked() {
	systray.SetIcon(t.icon)
	systray.SetTitle(t.words.Title)
	systray.SetTooltip(t.words.Summary)
	t.items.summary.SetTitle(t.words.Summary)
	t.items.open.SetTitle(t.words.Open)
	t.items.look.SetTitle(t.words.Look)
	t.items.pause.SetTitle(t.words.Pause)
	t.items.quit.SetTitle(t.words.Quit)
}

// Quit removes the tray; Run returns.
func (t *Tray) Quit() { quit() }
