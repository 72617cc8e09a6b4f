package discover

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what the scanner keeps of a name; anything longer is cut with "…".
const (
	// MaxNameRunes bounds a displayed instance or host name. A DNS label holds
	// at most 63 bytes, so a real name never needs more.
	MaxNameRunes = 64
	// MaxValueRunes bounds a displayed TXT value (a TXT string holds 255 bytes).
	MaxValueRunes = 255
)

// DecodeName undoes the presentation-format escapes of a DNS label, as the
// mDNS library hands names over: "\ " and "\." become the character itself,
// "\DDD" becomes the byte with that decimal value. An escape that is cut off
// or out of range is kept as written. The result may hold any bytes; pass it
// through Display before showing it.
func DecodeName(escaped string) string {
	if strings.IndexByte(escaped, '\\') < 0 {
		return escaped
	}
	out := make([]byte, 0, len(escaped))
	for i := 0; i < len(escaped); i++ {
		c := escaped[i]
		if c != '\\' || i+1 >= len(escaped) {
			out = append(out, c)
			continue
		}
		if v, ok := decimalEscape(escaped[i+1:]); ok {
			out = append(out, v)
			i += 3
			continue
		}
		if isDigit(escaped[i+1]) {
			// "\1" or "\999": not a valid escape, keep the backslash.
			out = append(out, c)
			continue
		}
		out = append(out, escaped[i+1])
		i++
	}
	return string(out)
}

// decimalEscape reads the DDD of a "\DDD" escape at the start of s.
func decimalEscape(s string) (byte, bool) {
	if len(s) < 3 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) {
		return 0, false
	}
	v := int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	if v > 255 {
		return 0, false
	}
	return byte(v), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Display makes a decoded name safe to show to a person: invalid UTF-8, control
// characters (C0, DEL, C1, line and paragraph separators) and the bidirectional
// formatting characters that can make text read backwards are each replaced by
// U+FFFD, so the person sees that something odd was there; runs of white space
// become one space; the result is cut to limit runes with a trailing "…".
func Display(s string, limit int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*limit))
	runes := 0
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if (r == utf8.RuneError && size <= 1) || neutralised(r) {
			r = unicode.ReplacementChar
		}
		if r == ' ' || r == '\t' || r == '\u00a0' {
			if space || runes == 0 {
				continue
			}
			r = ' '
		}
		space = r == ' '
		if runes == limit {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		b.WriteRune(r)
		runes++
	}
	return strings.TrimRight(b.String(), " ")
}

// neutralised reports whether r must not reach a screen or terminal as is.
func neutralised(r rune) bool {
	switch {
	case r < 0x20 && r != '\t', r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f': // bidi marks
		return true
	case r >= '\u202a' && r <= '\u202e': // bidi embeddings and overrides
		return true
	case r >= '\u2066' && r <= '\u2069': // bidi isolates
		return true
	case r == '\ufeff', r >= '\ufff9' && r <= '\ufffb': // BOM, interlinear annotations
		return true
	}
	return false
}
