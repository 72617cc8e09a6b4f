package vault

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestUnavailableError(t *testing.T) {
	cause := errors.New("dbus: connection refused")
	tests := []struct {
		name string
		err  *UnavailableError
		want []string
	}{
		{"error from keyring", &UnavailableError{Op: opSave, Account: testAccount, Cause: cause},
			[]string{"keyring locked or unavailable: ", "could not save a device password", "is locked or not available", keyringName, fixAdvice, testAccount, cause.Error()}},
		{"no answer", &UnavailableError{Op: opRead, Account: testAccount, Timeout: 15 * time.Second, Cause: cause},
			[]string{"keyring locked or unavailable: ", "could not read a device password", "did not answer within 15s", fixAdvice}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.err.Error()
			if !strings.HasPrefix(msg, "keyring locked or unavailable: ") {
				t.Errorf("message %q does not start with the fixed phrase", msg)
			}
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if !strings.Contains(msg, tt.err.Problem()) || !strings.Contains(msg, tt.err.Fix()) {
				t.Errorf("message %q lacks Problem or Fix", msg)
			}
			var err error = tt.err
			if !errors.Is(err, ErrUnavailable) || !errors.Is(err, cause) {
				t.Errorf("errors.Is fails for ErrUnavailable or the cause")
			}
		})
	}
}
