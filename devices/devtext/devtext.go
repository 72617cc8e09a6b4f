// Package devtext holds Clean, the one gate every string a device sends
// passes where it enters Porchlight (mDNS names and TXT values, HTTP JSON
// and XML, IPP attributes, certificate names, and SSDP when it comes), and
// the caps on each kind of such text. A device's text is hostile: it may
// carry terminal escape sequences that clear a screen or retitle a window,
// control characters, bidirectional formatting that makes text read
// backwards, or more text than any screen should hold. What Clean returns
// is safe to show in a window, a terminal, a log, JSON or HTML.
package devtext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Caps, in characters (runes), for each kind of device text. A cut stays
// within the cap: the text is shortened to one character less and "…" is
// added.
const (
	// Label bounds an mDNS instance name or a TXT key: a DNS label holds
	// at most 63 bytes, so a real one never needs more.
	Label = 64
	// Name bounds a host name, vendor, model, firmware version or hardware
	// identity: real ones are far shorter, and a longer one is an attack.
	Name = 128
	// Summary bounds the gist of a device's answer kept as evidence.
	Summary = 160
	// Value bounds a TXT value (a TXT string holds at most 255 bytes).
	Value = 255
	// Message bounds an error message or a certificate's subject, which
	// may quote the request and the device's own words.
	Message = 256
)

// Clean makes s, text a device sent, safe to show and at most limit
// characters long (empty when limit < 1):
//   - a terminal escape sequence (ESC, or a C1 CSI, OSC, DCS, SOS, PM or
//     APC, with its parameters or its string up to the terminator) becomes
//     one U+FFFD;
//   - every other control character (C0, DEL, C1), bidirectional
//     formatting character (U+061C, U+200E, U+200F, U+202A–U+202E,
//     U+2066–U+2069), deprecated format character (U+206A–U+206F), byte
//     order mark, interlinear annotation character (U+FFF9–U+FFFB),
//     invisible tag character (U+E0000–U+E007F) and each byte of invalid
//     UTF-8 becomes U+FFFD, so the person sees that something odd was there;
//   - a run of white space of any kind, line breaks included, becomes one
//     space, and none is left at either end;
//   - text longer than limit is cut to limit-1 characters and "…".
//
// Cleaning what Clean returned changes nothing.
func Clean(s string, limit int) string {
	if limit < 1 {
		return ""
	}
	var b strings.Builder
	b.Grow(min(len(s), 4*limit))
	runes := 0
	// keep is b's length before its limit-th character: where a cut ends.
	keep := 0
	// emit writes r, or reports false when r is one character too many.
	emit := func(r rune) bool {
		if runes == limit-1 {
			keep = b.Len()
		}
		if runes == limit {
			return false
		}
		b.WriteRune(r)
		runes++
		return true
	}
	// space is set when white space waits to be written before the next
	// character; leading and trailing white space is never written.
	space := false
	// unterminated is set once a control string was found to have no
	// terminator: none that starts later has one either.
	unterminated := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			r = unicode.ReplacementChar
		case r == esc || isC1Introducer(r):
			size, unterminated = escapeLen(s[i:], unterminated)
			r = unicode.ReplacementChar
		case unicode.IsSpace(r):
			i += size
			space = runes > 0
			continue
		case neutralised(r):
			r = unicode.ReplacementChar
		}
		i += size
		if space && !emit(' ') || !emit(r) {
			return strings.TrimRight(b.String()[:keep], " ") + "…"
		}
		space = false
	}
	return b.String()
}

// The C0 and C1 controls that open an escape sequence (ECMA-48 §5).
const (
	esc = 0x1b
	dcs = 0x90
	sos = 0x98
	csi = 0x9b
	st  = 0x9c
	osc = 0x9d
	pm  = 0x9e
	apc = 0x9f
	bel = 0x07
)

// isC1Introducer reports the C1 controls that open a sequence: CSI, and
// those that open a control string.
func isC1Introducer(r rune) bool {
	switch r {
	case csi, dcs, sos, osc, pm, apc:
		return true
	}
	return false
}

// escapeLen is the length in bytes of the escape sequence at the start of
// s, which starts with ESC or a C1 introducer, read as ECMA-48 §5.3–5.6
// and terminals read it. A control string (DCS, SOS, OSC, PM, APC) runs to
// its terminator, ST or BEL; without one only its introducer is taken.
// unterminated says, and escapeLen updates, whether an earlier control
// string found no terminator, so s is searched for one at most once.
func escapeLen(s string, unterminated bool) (int, bool) {
	r, n := utf8.DecodeRuneInString(s)
	if r == esc {
		if n == len(s) {
			return n, unterminated
		}
		switch s[n] {
		case '[':
			r = csi
		case 'P':
			r = dcs
		case 'X':
			r = sos
		case ']':
			r = osc
		case '^':
			r = pm
		case '_':
			r = apc
		default:
			// Any other escape: intermediate bytes, then a final byte.
			n += span(s[n:], 0x20, 0x2f)
			if n < len(s) && s[n] >= 0x30 && s[n] <= 0x7e {
				n++
			}
			return n, unterminated
		}
		n++
	}
	if r == csi {
		// Parameter bytes, intermediate bytes, a final byte.
		n += span(s[n:], 0x30, 0x3f)
		n += span(s[n:], 0x20, 0x2f)
		if n < len(s) && s[n] >= 0x40 && s[n] <= 0x7e {
			n++
		}
		return n, unterminated
	}
	if unterminated {
		return n, true
	}
	end := stringEnd(s[n:])
	if end < 0 {
		return n, true
	}
	return n + end, false
}

// span is the length of the run of bytes from lo to hi at the start of s.
func span(s string, lo, hi byte) int {
	i := 0
	for i < len(s) && s[i] >= lo && s[i] <= hi {
		i++
	}
	return i
}

// stringEnd is the length of a control string's content and terminator
// (BEL, ESC \ or C1 ST) at the start of s, or -1 when s holds none.
func stringEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == bel:
			return i + 1
		case s[i] == esc && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == st:
			return i + 2
		}
	}
	return -1
}

// neutralised reports the characters, besides escape sequences and white
// space, that must not reach a screen or terminal as they are.
func neutralised(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f': // bidi marks
		return true
	case r >= '\u202a' && r <= '\u202e': // bidi embeddings and overrides
		return true
	case r >= '\u2066' && r <= '\u2069': // bidi isolates
		return true
	case r >= '\u206a' && r <= '\u206f': // deprecated format characters
		return true
	case r == '\ufeff', r >= '\ufff9' && r <= '\ufffb': // BOM, interlinear annotations
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tags: invisible ASCII
		return true
	}
	return false
}
