package vault

import (
	"fmt"
	"time"
)

// What the vault was doing when the keyring failed; UnavailableError.Op
// holds one of these.
const (
	opSave   = "save"
	opRead   = "read"
	opDelete = "delete"
)

// UnavailableError says that the keyring could not be used: it is locked,
// no keyring program is installed or running, or it did not answer in time.
// It matches ErrUnavailable with errors.Is and unwraps to its Cause.
// Error() starts with "keyring locked or unavailable", then gives Problem
// and Fix, then the technical details.
type UnavailableError struct {
	// Op is what Porchlight was doing: "save", "read" or "delete".
	Op string
	// Account is the keyring account involved.
	Account string
	// Timeout is how long Porchlight waited when the keyring never
	// answered; it is zero when the keyring answered with an error.
	Timeout time.Duration
	// Cause is the underlying error; it never contains a secret.
	Cause error
}

// Problem returns one plain-language sentence, for the person using
// Porchlight, saying what went wrong.
func (e *UnavailableError) Problem() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("Porchlight could not %s a device password because %s did not answer within %s; it may be locked and waiting for you to unlock it.",
			e.Op, keyringName, e.Timeout)
	}
	return fmt.Sprintf("Porchlight could not %s a device password because %s is locked or not available.", e.Op, keyringName)
}

// Fix returns plain-language advice on how to make the keyring work on
// this operating system.
func (e *UnavailableError) Fix() string {
	return fixAdvice
}

// Error implements error.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("%s: %s %s (%s %q: %v)", ErrUnavailable, e.Problem(), e.Fix(), e.Op, e.Account, e.Cause)
}

// Unwrap returns ErrUnavailable and the cause, so that errors.Is matches
// both.
func (e *UnavailableError) Unwrap() []error {
	return []error{ErrUnavailable, e.Cause}
}
