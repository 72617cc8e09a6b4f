// Package posixlocale keeps Fyne quiet under a POSIX locale with a
// character set (LANG=C.UTF-8, common in containers, ssh sessions and
// cron). Fyne's lang package reads the locale when it is initialised and
// logs three lines of "Fyne error: Error parsing user locale C" for it,
// before main runs. This package, which imports only os, is initialised
// before it (Go initialises packages in the order of their import paths,
// each after its imports, and this one sorts before golang.org/x/text,
// which Fyne's lang package imports), and shows such a locale to Fyne as
// plain "C", which Fyne takes for English without a word. Main puts the
// environment back with Restore before it runs a command.
package posixlocale

import "os"

// saved is the variable init changed and its value; key is "" when init
// changed nothing.
var saved struct{ key, value string }

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return // Fyne reads LANGUAGE then, and never parses the locale
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		if v != "C" && v != "POSIX" && IsPOSIX(v) {
			saved.key, saved.value = k, v
			os.Setenv(k, "C")
		}
		return
	}
}

// IsPOSIX reports whether locale names the POSIX locale, with or without
// a character set or modifier ("C", "C.UTF-8", "POSIX", "C.utf8@euro").
func IsPOSIX(locale string) bool {
	for i, r := range locale {
		if r == '.' || r == '@' {
			locale = locale[:i]
			break
		}
	}
	return locale == "C" || locale == "POSIX"
}

// Restore puts back the locale variable init changed, if any.
func Restore() {
	if saved.key != "" {
		os.Setenv(saved.key, saved.value)
		saved.key = ""
	}
}
