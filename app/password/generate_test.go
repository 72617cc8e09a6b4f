package password

import (
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/driver"
)

var (
	textRules = driver.PasswordRules{MinLen: 1, MaxLen: 50, Alphabet: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}
	pinRules  = driver.PasswordRules{MinLen: 4, MaxLen: 4, Alphabet: "0123456789"}
	shortText = driver.PasswordRules{MinLen: 1, MaxLen: 8, Alphabet: "ab"}
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name  string
		rules driver.PasswordRules
		want  int
	}{
		{"text", textRules, generatedLength},
		{"four-digit PIN", pinRules, 4},
		{"short maximum", shortText, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 50 {
				pw, err := Generate(tt.rules)
				if err != nil {
					t.Fatal(err)
				}
				if len(pw) != tt.want || Check(pw, tt.rules) != nil {
					t.Fatalf("Generate = %q (len %d), want %d characters that pass Check", pw, len(pw), tt.want)
				}
				seen[pw] = true
			}
			if tt.rules.Alphabet == textRules.Alphabet && len(seen) < 50 {
				t.Errorf("50 generated passwords held %d distinct ones", len(seen))
			}
		})
	}
	if _, err := Generate(driver.PasswordRules{MinLen: 5, MaxLen: 4, Alphabet: "a"}); err == nil {
		t.Error("impossible rules produced a password")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pw      string
		rules   driver.PasswordRules
		wantErr error
		wantMsg string
	}{
		{"Tr0ub4dor3xyz", textRules, nil, ""},
		{"admin", textRules, ErrWeak, ""},
		{"XC3511", textRules, ErrWeak, ""},
		{"wled1234", textRules, ErrWeak, ""},
		{"1234", pinRules, ErrWeak, ""},
		{"0000", pinRules, ErrWeak, ""},
		{"9876", pinRules, ErrWeak, ""},
		{"3817", pinRules, nil, ""},
		{"12a4", pinRules, nil, "character"},
		{"12345", pinRules, nil, "4 to 4"},
		{"", textRules, nil, "1 to 50"},
	}
	for _, tt := range tests {
		err := Check(tt.pw, tt.rules)
		switch {
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("Check(%q) = %v, want %v", tt.pw, err, tt.wantErr)
		case tt.wantMsg != "" && (err == nil || !strings.Contains(err.Error(), tt.wantMsg)):
			t.Errorf("Check(%q) = %v, want an error about %q", tt.pw, err, tt.wantMsg)
		case tt.wantErr == nil && tt.wantMsg == "" && err != nil:
			t.Errorf("Check(%q) = %v, want nil", tt.pw, err)
		}
	}
}
