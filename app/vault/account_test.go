package vault

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAccount(t *testing.T) {
	tests := []struct {
		name, identity, purpose string
		want                    string // empty: must be refused
	}{
		{"hardware id", "shelly-a8032ab12345", "admin", "shelly-a8032ab12345/admin"},
		{"host name", "living-room-plug.local", "pending", "living-room-plug.local/pending"},
		{"unicode", "Küche-Lampe", "admin", "Küche-Lampe/admin"},
		{"longest allowed", strings.Repeat("a", MaxAccountBytes-2), "p", strings.Repeat("a", MaxAccountBytes-2) + "/p"},
		{"one byte too long", strings.Repeat("a", MaxAccountBytes-1), "p", ""},
		{"empty identity", "", "admin", ""},
		{"empty purpose", "shelly-1", "", ""},
		{"slash in identity", "a/b", "admin", ""},
		{"slash in purpose", "shelly-1", "admin/x", ""},
		{"newline", "shelly-1\n", "admin", ""},
		{"NUL", "shelly-1", "ad\x00min", ""},
		{"escape sequence", "\x1b[31mshelly", "admin", ""},
		{"DEL", "shelly\x7f", "admin", ""},
		{"C1 control", "shelly\u0085", "admin", ""},
		{"bidi override", "gpj\u202Eexe", "admin", ""},
		{"bidi isolate", "shelly\u2066", "admin", ""},
		{"invalid UTF-8", "shelly\xff", "admin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Account(tt.identity, tt.purpose)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidAccount) {
					t.Fatalf("Account(%q, %q) = %q, %v; want ErrInvalidAccount", tt.identity, tt.purpose, got, err)
				}
				if got != "" {
					t.Errorf("Account returned %q along with an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Account(%q, %q) = %q, %v; want %q", tt.identity, tt.purpose, got, err, tt.want)
			}
			if err := CheckAccount(got); err != nil {
				t.Errorf("CheckAccount(%q) = %v for an account Account built", got, err)
			}
		})
	}
}

func TestCheckAccount(t *testing.T) {
	tests := []struct {
		account string
		ok      bool
	}{
		{"shelly-a8032ab12345/admin", true},
		{"hue-001788fffe123456/pending", true},
		{"no-separator", false},
		{"/admin", false},
		{"shelly-1/", false},
		{"/", false},
		{"", false},
		{"a/b/c", false},
		{"shelly-1/admin\r", false},
		{"shelly-1/admin\u200F", false}, // right-to-left mark
		{"shelly-1/admin\u202A", false},
		{strings.Repeat("x", MaxAccountBytes-6) + "/admin", true},
		{strings.Repeat("x", MaxAccountBytes-5) + "/admin", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.account), func(t *testing.T) {
			err := CheckAccount(tt.account)
			if tt.ok && err != nil {
				t.Fatalf("CheckAccount(%q) = %v, want nil", tt.account, err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidAccount) {
				t.Fatalf("CheckAccount(%q) = %v, want ErrInvalidAccount", tt.account, err)
			}
		})
	}
}

// TestErrorsQuoteHostileAccounts checks that control characters in a
// refused account are escaped in the error text, which may be logged.
func TestErrorsQuoteHostileAccounts(t *testing.T) {
	err := CheckAccount("evil\x1b[2J/admin")
	if err == nil || strings.ContainsRune(err.Error(), '\x1b') {
		t.Fatalf("error %q carries a raw escape character", err)
	}
}

// TestLimitsFitMacOSKeychainCommand guards the reason for MaxAccountBytes.
// go-keyring v0.2.8 on macOS refuses Set when the command
// "add-generic-password -U -s <service> -a <account> -w <password>\n" is
// longer than 4096 bytes, where the password is written as
// "go-keyring-base64:" + base64 and every argument is shell-quoted. The
// worst account is all single quotes: each becomes '"'"' (5 bytes) inside
// a pair of quotes.
func TestLimitsFitMacOSKeychainCommand(t *testing.T) {
	password := "go-keyring-base64:" + base64.StdEncoding.EncodeToString(make([]byte, MaxSecretBytes))
	account := "'" + strings.Repeat(`'"'"'`, MaxAccountBytes) + "'"
	command := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", Service, account, password)
	if len(command) > 4096 {
		t.Fatalf("worst-case macOS command is %d bytes, over go-keyring's 4096", len(command))
	}
}
