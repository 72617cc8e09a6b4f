package discover

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
)

func TestDecodeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Plug\ A`, "Plug A"},
		{`K\195\188che`, "Küche"},
		{`Wohnzimmer\.Lampe`, "Wohnzimmer.Lampe"},
		{`back\\slash`, `back\slash`},
		{`\(paren\)`, "(paren)"},
		{`tab\009x`, "tab\tx"},
		{`nul\000x`, "nul\x00x"},
		{`cut\19`, `cut\19`},
		{`big\999`, `big\999`},
		{`trailing\`, `trailing\`},
		{"plain", "plain"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DecodeName(tt.in); got != tt.want {
			t.Errorf("DecodeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzName checks that any escaped name decodes and is cleaned as the
// scanner cleans an instance name: valid UTF-8 free of control, escape and
// bidi characters, within devtext.Label (devtext's own FuzzClean checks
// Clean for any text).
func FuzzName(f *testing.F) {
	for _, s := range []string{`Plug\ A`, `K\195\188che`, `a\.b`, "\x1b[31m", "\u202e", `\999\`, strings.Repeat(`\255`, 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, escaped string) {
		got := devtext.Clean(DecodeName(escaped), devtext.Label)
		if !utf8.ValidString(got) {
			t.Fatalf("the name gave invalid UTF-8 %q", got)
		}
		if n := utf8.RuneCountInString(got); n > devtext.Label {
			t.Fatalf("the name gave %d runes, more than %d", n, devtext.Label)
		}
		if r, bad := devtexttest.Unsafe(got); bad {
			t.Fatalf("the name let %U through in %q", r, got)
		}
	})
}
