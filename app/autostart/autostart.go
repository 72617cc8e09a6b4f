// Package autostart adds Porchlight to what the person's desktop starts
// when they log in, and takes it away again: an XDG autostart entry on
// Linux and other free desktops, the per-user Run key on Windows, a
// LaunchAgent on macOS. Porchlight then starts in the background
// (BackgroundFlag): in the system tray, keeping watch.
package autostart

// ID is Porchlight's application ID, which names its entry.
const ID = "io.github.porchlight.Porchlight"

// BackgroundFlag is the option the entry starts Porchlight with.
const BackgroundFlag = "--background"

// Login is Porchlight's entry for the executable Exe.
type Login struct {
	// Exe is the program started, an absolute path.
	Exe string
}

// Enabled reports whether the entry exists.
func (l Login) Enabled() bool { return enabled() }

// Enable adds the entry (or replaces it, for a program that moved).
func (l Login) Enable() error { return enable(l.Exe) }

// Disable removes the entry and returns where it was ("" when there was
// none); removing it twice is no error.
func (l Login) Disable() (string, error) { return disable() }
