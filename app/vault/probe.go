package vault

import (
	"context"
	"crypto/rand"
	"errors"
	"time"
)

// probeIdentity is the device identity of the throwaway accounts Probe
// uses, so that a leftover probe entry is recognisable in a keyring app.
const probeIdentity = "porchlight-probe"

// errProbeMismatch means the keyring gave back something other than what
// Probe had just stored.
var errProbeMismatch = errors.New("the keyring returned a different value than the one just stored")

// Status is what Probe found out about a Store, ready to show to a person.
type Status struct {
	// Available is true when a secret could be stored, read back and
	// deleted.
	Available bool
	// Problem is one plain-language sentence saying what is wrong; empty
	// when Available.
	Problem string
	// Fix says what the person can do about it; empty when Available.
	Fix string
	// Waited is how long Porchlight waited for a keyring that never
	// answered; zero when it answered (with an error) or was available.
	Waited time.Duration
	// Stopped is set when the probe was stopped before it finished.
	Stopped bool
	// Problem and Fix are in English, for the command line and logs; a
	// screen in another language says the same from Waited and Stopped.
	// Err is the error behind Problem, for logs and details; nil when
	// Available. It matches ErrUnavailable unless ctx ended first.
	Err error
}

// Probe reports whether s is a working keyring by storing a random
// throwaway secret under a fresh account "porchlight-probe/<random>",
// reading it back and deleting it. It never touches device entries. If the
// keyring stops answering, Probe does not wait for it again to clean up.
func Probe(ctx context.Context, s Store) Status {
	account := probeIdentity + "/" + rand.Text()
	secret := rand.Text()
	if err := s.Set(ctx, account, secret); err != nil {
		return statusOf(err, opSave, account)
	}
	got, getErr := s.Get(ctx, account)
	var ue *UnavailableError
	if errors.As(getErr, &ue) && ue.Timeout > 0 {
		return statusOf(getErr, opRead, account)
	}
	delErr := s.Delete(context.WithoutCancel(ctx), account)
	switch {
	case getErr != nil:
		return statusOf(getErr, opRead, account)
	case got != secret:
		return statusOf(errProbeMismatch, opRead, account)
	case delErr != nil:
		return statusOf(delErr, opDelete, account)
	}
	return Status{Available: true}
}

// statusOf describes a failed probe step. Any error that is not already
// an *UnavailableError (say, the entry just stored is missing) means the
// keyring cannot be trusted and is reported as unavailable, except for
// the caller's context ending.
func statusOf(err error, op, account string) Status {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Status{
			Problem: "Porchlight stopped checking the keyring before it finished.",
			Fix:     "Try again.",
			Stopped: true,
			Err:     err,
		}
	}
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		ue = &UnavailableError{Op: op, Account: account, Cause: err}
		err = ue
	}
	return Status{Problem: ue.Problem(), Fix: ue.Fix(), Waited: ue.Timeout, Err: err}
}
