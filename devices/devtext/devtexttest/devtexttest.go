// Package devtexttest helps tests check that no device text reached an
// output (an identity, a report, a terminal) without devtext.Clean.
package devtexttest

import (
	"unicode"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Unsafe returns the first character of s that devtext.Clean would not let
// through (a control character, an escape, a bidirectional formatting
// character, invalid UTF-8 as U+FFFD), and false when there is none. White
// space is allowed, line breaks included: they lay out a document, and
// Clean already turned any a device sent into spaces.
func Unsafe(s string) (rune, bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return r, true
			}
		case unicode.IsSpace(r) && !unicode.IsControl(r), r == '\t', r == '\n', r == '\r':
		case devtext.Clean(string(r), 1) != string(r):
			return r, true
		}
	}
	return 0, false
}
