// Package devtexttest helps tests check that no device text reached an
// output (an identity, a report, a terminal) without devtext.Clean.
package devtexttest

import (
	"encoding/json"
	"fmt"
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

// UnsafeJSON decodes the JSON document doc and checks each of its strings,
// keys included, as Unsafe does: JSON carries any character, escaped, to
// whoever reads it. It describes the first unsafe character found and the
// string holding it, or returns "" when there is none.
func UnsafeJSON(doc []byte) (string, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return "", fmt.Errorf("not a JSON document: %w", err)
	}
	return unsafeIn(v), nil
}

// unsafeIn describes the first unsafe character in the strings of a
// decoded JSON value, or returns "".
func unsafeIn(v any) string {
	switch v := v.(type) {
	case string:
		if r, bad := Unsafe(v); bad {
			return fmt.Sprintf("%U in %+q", r, v)
		}
	case []any:
		for _, e := range v {
			if found := unsafeIn(e); found != "" {
				return found
			}
		}
	case map[string]any:
		for k, e := range v {
			if found := unsafeIn(k); found != "" {
				return found
			}
			if found := unsafeIn(e); found != "" {
				return found
			}
		}
	}
	return ""
}
