//go:build (linux || freebsd || openbsd || netbsd) && !android

package statusicon

import "github.com/godbus/dbus/v5"

// available: a StatusNotifierWatcher (the tray of KDE, of GNOME with its
// AppIndicator extension, of Xfce and others) owns its name on the
// session bus.
func available() bool {
	conn, err := dbus.SessionBus() // shared, never closed
	if err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
