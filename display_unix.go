//go:build !windows && !darwin

package main

// hasDisplay reports whether the session has a display the window can
// open on: an X11 display or a Wayland compositor, as the environment names.
func hasDisplay(getenv func(string) string) bool {
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
