//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package statusicon

import "fyne.io/systray"

// run shows the tray with the platform's own loop (the notification
// area's window messages on Windows, the menu bar's run loop on macOS),
// runs ready once it is up, and blocks until quit.
func run(ready func()) { systray.Run(ready, nil) }

func quit() { systray.Quit() }
