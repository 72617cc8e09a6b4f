//go:build (linux || freebsd || openbsd || netbsd) && !android

package statusicon

import (
	"sync"

	"fyne.io/systray"
)

var (
	quitting = make(chan struct{})
	quitOnce sync.Once
)

// run puts the tray on the session bus, then runs ready on its own
// goroutine, and blocks until quit. The menu is built only once the tray
// is on the bus: systray.Run would run ready while it still sets up its
// connection, which the menu's updates read (a data race in
// fyne.io/systray's D-Bus code).
func run(ready func()) {
	start, end := systray.RunWithExternalLoop(nil, nil)
	start()
	go ready()
	<-quitting
	end()
}

func quit() { quitOnce.Do(func() { close(quitting) }) }
