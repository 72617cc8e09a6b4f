//go:build !windows && !darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// path is the XDG autostart entry: $XDG_CONFIG_HOME/autostart, where
// XDG_CONFIG_HOME defaults to ~/.config (XDG Base Directory and Desktop
// Application Autostart specifications).
func path() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) { // the specification ignores a relative one
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding your configuration folder: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", ID+".desktop"), nil
}

func enable(exe string) error {
	if !filepath.IsAbs(exe) || strings.ContainsAny(exe, "\n\r") {
		return fmt.Errorf("cannot start %q with the computer: not an absolute path on one line", exe)
	}
	p, err := path()
	if err != nil {
		return err
	}
	return writeEntry(p, []byte(desktopEntry(exe)), 0o700)
}

// desktopEntry is the autostart file for exe.
func desktopEntry(exe string) string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Porchlight\n" +
		"Comment=Keeps watch over your household's smart devices\n" +
		"Comment[de]=Behält die smarten Geräte Ihres Haushalts im Blick\n" +
		"Exec=" + quoteExec(exe) + " " + BackgroundFlag + "\n" +
		"Icon=" + ID + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// quoteExec quotes an argument of an Exec key as the Desktop Entry
// Specification asks: in double quotes, with ", `, $ and \ escaped by a
// backslash, and every backslash doubled once more for the string value;
// a literal % is written %%.
func quoteExec(arg string) string {
	var b strings.Builder
	for _, r := range arg {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`)
			b.WriteRune(r)
		case '\\':
			b.WriteString(`\\\\`)
		case '%':
			b.WriteString("%%")
		default:
			b.WriteRune(r)
		}
	}
	return `"` + b.String() + `"`
}
