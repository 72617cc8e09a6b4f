package password

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/driver"
)

// generatedLength is the length of a generated password when the family
// allows it: 20 characters from 62 give about 119 bits.
const generatedLength = 20

// ErrWeak: the password is one attackers try first.
var ErrWeak = errors.New("this password is on the public lists attackers try first")

// Generate returns a random password within rules, never one on the public
// default or botnet lists, and for a short numeric PIN never a guessable one.
func Generate(rules driver.PasswordRules) (string, error) {
	if rules.Alphabet == "" || rules.MaxLen < 1 || rules.MinLen > rules.MaxLen {
		return "", fmt.Errorf("no password can meet these rules: %+v", rules)
	}
	n := min(max(generatedLength, rules.MinLen), rules.MaxLen)
	alphabet := []rune(rules.Alphabet)
	for range 100 {
		var b strings.Builder
		for range n {
			i, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", fmt.Errorf("generating a password: %w", err)
			}
			b.WriteRune(alphabet[i.Int64()])
		}
		if pw := b.String(); Check(pw, rules) == nil {
			return pw, nil
		}
	}
	return "", errors.New("could not generate a password that is not easily guessed")
}

// Check returns nil when pw meets rules and is not easily guessed.
func Check(pw string, rules driver.PasswordRules) error {
	n := utf8.RuneCountInString(pw)
	if n < rules.MinLen || n > rules.MaxLen {
		return fmt.Errorf("the password must have %d to %d characters", rules.MinLen, rules.MaxLen)
	}
	for _, r := range pw {
		if !strings.ContainsRune(rules.Alphabet, r) {
			return fmt.Errorf("the device does not accept the character %q in a password", r)
		}
	}
	if denied[strings.ToLower(pw)] || guessable(pw) {
		return ErrWeak
	}
	return nil
}

// guessable reports a PIN-like password of one repeated character or a
// straight run ("0000", "1234", "9876").
func guessable(pw string) bool {
	if len(pw) < 2 || len(pw) > 8 {
		return false
	}
	same, up, down := true, true, true
	for i := 1; i < len(pw); i++ {
		same = same && pw[i] == pw[0]
		up = up && pw[i] == pw[i-1]+1
		down = down && pw[i] == pw[i-1]-1
	}
	return same || up || down
}

// denied are passwords attackers try first: the Mirai botnet's telnet list
// (decoded from its published source, see ../shared/reference/
// default-credentials.md §4.1) and vendor defaults of the families
// Porchlight manages (WLED's "wled1234" and "wledota").
var denied = func() map[string]bool {
	m := make(map[string]bool)
	for _, pw := range strings.Fields(`xc3511 vizxv admin 888888 xmhdipc default juantech 123456 54321
		support password root 12345 anko user pass admin1234 1111 smcadmin 666666 1234 klv123 meinsm
		service supervisor guest 7ujmko0admin 7ujmko0vizxv klv1234 zte521 hi3518 jvbzd zlxx. system ikwb
		dreambox realtek 00000000 1111111 4321 tech ubnt wled1234 wledota`) {
		m[pw] = true
	}
	return m
}()
