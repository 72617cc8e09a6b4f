package vault

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAccountBytes is the longest account name, in bytes, that CheckAccount
// accepts. It keeps every entry within the macOS Keychain's command-line
// limit even with a MaxSecretBytes secret and an account that needs heavy
// shell quoting.
const MaxAccountBytes = 120

// Account builds the keyring account for one device and purpose: identity
// + "/" + purpose, for example Account("shelly-a8032ab12345", "admin") is
// "shelly-a8032ab12345/admin". The identity is the device's stable identity
// (hardware id, else mDNS host name); the purpose says which secret of the
// device it is. Neither part may be empty or contain "/" or control
// characters, and the result must pass CheckAccount.
func Account(identity, purpose string) (string, error) {
	account := identity + "/" + purpose
	if err := checkPart("device identity", identity); err != nil {
		return "", fmt.Errorf("vault: %w %q: %s", ErrInvalidAccount, account, err)
	}
	if err := checkPart("purpose", purpose); err != nil {
		return "", fmt.Errorf("vault: %w %q: %s", ErrInvalidAccount, account, err)
	}
	if len(account) > MaxAccountBytes {
		return "", fmt.Errorf("vault: %w %q: longer than %d bytes", ErrInvalidAccount, account, MaxAccountBytes)
	}
	return account, nil
}

// CheckAccount reports whether account is a valid keyring account: exactly
// one "/" separating a non-empty device identity from a non-empty purpose,
// valid UTF-8 without control or bidirectional-formatting characters, and
// at most MaxAccountBytes bytes. The error matches ErrInvalidAccount.
func CheckAccount(account string) error {
	identity, purpose, ok := strings.Cut(account, "/")
	if !ok {
		return fmt.Errorf("vault: %w %q: no \"/\" between device identity and purpose", ErrInvalidAccount, account)
	}
	_, err := Account(identity, purpose)
	return err
}

// checkPart validates one part of an account; what names it in the error.
func checkPart(what, part string) error {
	if part == "" {
		return fmt.Errorf("empty %s", what)
	}
	if !utf8.ValidString(part) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	for _, r := range part {
		switch {
		case r == '/':
			return fmt.Errorf("%s contains \"/\"", what)
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			return fmt.Errorf("%s contains control character %U", what, r)
		}
	}
	return nil
}
