package driver

import (
	"errors"
	"strings"
	"testing"
)

// TestPasswordRulesCheck accepts what fits and refuses, without quoting the
// password, what does not.
func TestPasswordRulesCheck(t *testing.T) {
	r := PasswordRules{MinLen: 4, MaxLen: 6, Alphabet: "abc123"}
	for pw, ok := range map[string]bool{
		"abc1": true, "abc123": true, "cab": false, "abc1234": false, "abcd": false, "ab c1": false, "äbc1": false, "": false,
	} {
		err := r.Check(pw)
		if (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", pw, err, ok)
		}
		if err != nil && !errors.Is(err, ErrPasswordRules) {
			t.Errorf("Check(%q) = %v, not ErrPasswordRules", pw, err)
		}
		if err != nil && pw != "" && strings.Contains(err.Error(), pw) {
			t.Errorf("Check(%q) quotes the password: %v", pw, err)
		}
	}
	if err := (PasswordRules{}).Check("x"); !errors.Is(err, ErrPasswordRules) {
		t.Errorf("a family without passwords took one: %v", err)
	}
}
