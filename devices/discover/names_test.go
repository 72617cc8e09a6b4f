package discover

import (
	"strings"
	"testing"
	"unicode/utf8"
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

func TestDisplay(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"plain", "Küche Licht", 64, "Küche Licht"},
		{"ansi escape", "Evil\x1b[2J", 64, "Evil\uFFFD[2J"},
		{"bidi override", "\u202egpj.exe", 64, "\uFFFDgpj.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200fb", 64, "\uFFFDa\uFFFD\uFFFDb"},
		{"newline and nul", "a\nb\x00c", 64, "a\uFFFDb\uFFFDc"},
		{"c1 control", "a\u0085b", 64, "a\uFFFDb"},
		{"invalid utf-8", "a\xffb", 64, "a\uFFFDb"},
		{"white space folded", "  a \t  b  ", 64, "a b"},
		{"cut with ellipsis", "abcdef", 3, "abc…"},
		{"cut never leaves a trailing space", "ab cdef", 3, "ab…"},
		{"exactly the limit", "abc", 3, "abc"},
		{"empty", "", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Display(tt.in, tt.limit); got != tt.want {
				t.Errorf("Display(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}

// FuzzName checks that any escaped name decodes and displays without
// panicking, as valid UTF-8 free of control and bidi characters, within bounds.
func FuzzName(f *testing.F) {
	for _, s := range []string{`Plug\ A`, `K\195\188che`, `a\.b`, "\x1b[31m", "\u202e", `\999\`, strings.Repeat(`\255`, 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, escaped string) {
		got := Display(DecodeName(escaped), MaxNameRunes)
		if !utf8.ValidString(got) {
			t.Fatalf("Display gave invalid UTF-8 %q", got)
		}
		if n := utf8.RuneCountInString(got); n > MaxNameRunes+1 {
			t.Fatalf("Display gave %d runes, more than %d", n, MaxNameRunes+1)
		}
		for _, r := range got {
			if neutralised(r) {
				t.Fatalf("Display let %U through in %q", r, got)
			}
		}
	})
}
