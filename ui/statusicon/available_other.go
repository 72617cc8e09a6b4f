//go:build !((linux || freebsd || openbsd || netbsd) && !android)

package statusicon

// available: Windows and macOS always have a tray (the notification area,
// the menu bar).
func available() bool { return true }
