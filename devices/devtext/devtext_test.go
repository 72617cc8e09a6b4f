package devtext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	const r = "\uFFFD"
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"plain", "Küche Licht", Label, "Küche Licht"},
		{"emoji and joiners kept", "Lampe 👨‍👩‍👧 ✓", Label, "Lampe 👨‍👩‍👧 ✓"},
		{"replacement character kept", "a" + r + "b", Label, "a" + r + "b"},

		// Escape sequences become one U+FFFD each.
		{"CSI erase screen", "Evil\x1b[2J!", Label, "Evil" + r + "!"},
		{"CSI colour with parameters", "\x1b[1;31mRED\x1b[0m", Label, r + "RED" + r},
		{"CSI private mode", "a\x1b[?1049hb", Label, "a" + r + "b"},
		{"CSI cut off", "a\x1b[31", Label, "a" + r},
		{"CSI without a final byte", "a\x1b[31\u00e9", Label, "a" + r + "\u00e9"},
		{"OSC title ended by BEL", "x\x1b]0;pwned\x07y", Label, "x" + r + "y"},
		{"OSC title ended by ST", "x\x1b]2;pwned\x1b\\y", Label, "x" + r + "y"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", Label, r + "click" + r},
		{"OSC without terminator keeps the rest inert", "x\x1b]0;title", Label, "x" + r + "0;title"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", Label, "a" + r + "b"},
		{"APC and PM", "a\x1b_hidden\x07b\x1b^note\x1b\\c", Label, "a" + r + "b" + r + "c"},
		{"two-character escape (reset)", "a\x1bcb", Label, "a" + r + "b"},
		{"escape with intermediate (charset)", "a\x1b(0lqk\x1b(Bb", Label, "a" + r + "lqk" + r + "b"},
		{"lone ESC at the end", "a\x1b", Label, "a" + r},
		{"ESC before a control", "a\x1b\x00b", Label, "a" + r + r + "b"},
		{"C1 CSI", "a\u009b2Jb", Label, "a" + r + "b"},
		{"C1 OSC ended by C1 ST", "a\u009d0;pwned\u009cb", Label, "a" + r + "b"},
		{"C1 ST alone", "a\u009cb", Label, "a" + r + "b"},

		// Controls and formatting characters become U+FFFD.
		{"C0 controls", "a\x00b\x07c\x08d", Label, "a" + r + "b" + r + "c" + r + "d"},
		{"DEL", "a\x7fb", Label, "a" + r + "b"},
		{"C1 controls", "a\u0080b\u009ac", Label, "a" + r + "b" + r + "c"},
		{"bidi override", "\u202egpj.exe", Label, r + "gpj.exe"},
		{"every bidi control", "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", Label, strings.Repeat(r, 12)},
		{"deprecated format characters", "a\u206ab\u206fc", Label, "a" + r + "b" + r + "c"},
		{"BOM and annotations", "\ufeffa\ufff9b\ufffbc", Label, r + "a" + r + "b" + r + "c"},
		{"tag characters", "ok\U000E0041\U000E007F", Label, "ok" + r + r},
		{"invalid UTF-8", "a\xffb\xc3", Label, "a" + r + "b" + r},
		{"8-bit CSI byte", "a\x9b2J", Label, "a" + r + "2J"},

		// White space folds.
		{"white space folded", "  a \t  b  ", Label, "a b"},
		{"line breaks become a space", "Plug\r\nrm -rf /", Label, "Plug rm -rf /"},
		{"unicode line separators", "a\u2028b\u2029c\u0085d", Label, "a b c d"},
		{"other spaces", "a\u00a0b\u3000c", Label, "a b c"},
		{"only white space", " \t\n ", Label, ""},

		// Caps: the result never exceeds limit.
		{"exactly the limit", "abc", 3, "abc"},
		{"cut with ellipsis", "abcdef", 3, "ab…"},
		{"cut never leaves a trailing space", "a bcdef", 3, "a…"},
		{"trailing space is no reason to cut", "abc ", 3, "abc"},
		{"cut counts characters, not bytes", "ÜÜÜÜ", 3, "ÜÜ…"},
		{"a limit of one", "abc", 1, "…"},
		{"no room at all", "abc", 0, ""},
		{"negative limit", "abc", -1, ""},
		{"replacements count", "\x00\x00\x00\x00", 3, r + r + "…"},
		{"overlong", strings.Repeat("x", 10000), Name, strings.Repeat("x", Name-1) + "…"},
		{"empty", "", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in, tt.limit)
			if got != tt.want {
				t.Errorf("Clean(%+q, %d) = %+q, want %+q", tt.in, tt.limit, got, tt.want)
			}
			if again := Clean(got, tt.limit); again != got {
				t.Errorf("cleaning %+q again gave %+q", got, again)
			}
		})
	}
}

// TestCleanBoundsWork checks that hostile input costs time in proportion
// to its length: many control strings without a terminator are searched
// for one once, not once each.
func TestCleanBoundsWork(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("\x1b]", 1<<19),
		strings.Repeat("\u009d", 1<<19),
		"\x1b" + strings.Repeat(" ", 1<<20),
		strings.Repeat(" ", 1<<20) + "x",
	} {
		if allocs := testing.AllocsPerRun(1, func() { Clean(in, Summary) }); allocs > 4 {
			t.Errorf("%d allocations cleaning %d bytes", int(allocs), len(in))
		}
	}
}

// FuzzClean checks what Clean promises for any input and cap: the result
// is valid UTF-8 that is safe to show (no control, escape, bidi or other
// neutralised character, no white space but single inner spaces), within
// the cap, and cleaning it again changes nothing.
func FuzzClean(f *testing.F) {
	f.Add("Küche Licht", Label)
	f.Add("Evil\x1b[2J\u202egpj.exe", Name)
	f.Add("\x1b]0;pwned\x07\x1b]8;;http://evil/\x1b\\x", Summary)
	f.Add("\u009b31m\u009d0;t\u009c\u0085", Label)
	f.Add("a \t\r\n b\u2028", 3)
	f.Add("\xff\xc3\x1b", 1)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit %= 2 * Message
		got := Clean(s, limit)
		if !utf8.ValidString(got) {
			t.Fatalf("Clean(%+q, %d) = %+q: invalid UTF-8", s, limit, got)
		}
		if n := utf8.RuneCountInString(got); n > max(limit, 0) {
			t.Fatalf("Clean(%+q, %d) = %+q: %d characters", s, limit, got, n)
		}
		for _, r := range got {
			if r == esc || isC1Introducer(r) || neutralised(r) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("Clean(%+q, %d) = %+q lets %U through", s, limit, got, r)
			}
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Clean(%+q, %d) = %+q: white space not folded", s, limit, got)
		}
		if again := Clean(got, limit); again != got {
			t.Fatalf("Clean(%+q, %d) = %+q, and cleaning it again gives %+q", s, limit, got, again)
		}
	})
}
