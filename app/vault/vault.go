// Package vault keeps Porchlight's device passwords in the operating
// system's keyring: Credential Manager on Windows, the Keychain on macOS and
// the Secret Service (GNOME Keyring, KWallet, KeePassXC) on Linux.
//
// It is the only code in Porchlight that talks to the keyring. The rest of
// the app depends on the small [Store] interface; [Keyring] is the real
// implementation and [Fake] an in-memory one for tests. Every entry lives
// under the service name [Service] with an account built by [Account] from
// a device identity and a purpose, for example "shelly-a8032ab12345/admin".
//
// The vault never logs, prints or formats a secret, and no error it returns
// contains one. When no usable keyring exists it says so with an error that
// matches [ErrUnavailable]; it never falls back to storing passwords
// anywhere else. The vault does not remember which accounts it stored:
// callers (the inventory) keep that list and hand it to [DeleteAll] when a
// device is forgotten or wiped. [Probe] tells the UI and CLI whether a
// working keyring is present, with a sentence and a fix to show.
//
// A Keyring call can take up to its timeout (15 s by default), so the UI
// must not make one on its own goroutine. The texts of [UnavailableError]
// are English; a translated UI picks its own wording from its Op and
// Timeout fields.
package vault

import (
	"context"
	"errors"
	"fmt"
)

// Service is the keyring service name under which every Porchlight entry
// is stored.
const Service = "Porchlight"

// MaxSecretBytes is the largest secret, in bytes, the vault accepts. It is
// the Windows Credential Manager limit, applied on every platform so that a
// password that works on one computer works on all of them.
const MaxSecretBytes = 2560

// Store keeps secrets, one per account. Implementations are safe for
// concurrent use. Accounts must pass [CheckAccount]; secrets may be at most
// [MaxSecretBytes] long.
type Store interface {
	// Set stores secret for account, replacing any previous value.
	Set(ctx context.Context, account, secret string) error
	// Get returns the secret stored for account, or an error matching
	// ErrNotFound when there is none.
	Get(ctx context.Context, account string) (string, error)
	// Delete removes the secret stored for account, or returns an error
	// matching ErrNotFound when there is none.
	Delete(ctx context.Context, account string) error
}

var (
	// ErrNotFound means no secret is stored for the account.
	ErrNotFound = errors.New("no password stored in the keyring")
	// ErrTooLarge means a secret is longer than MaxSecretBytes; it is
	// refused before the keyring is asked.
	ErrTooLarge = fmt.Errorf("password too long for the keyring (the limit is %d bytes)", MaxSecretBytes)
	// ErrInvalidAccount means an account name is empty, malformed, too
	// long or contains control characters; see CheckAccount.
	ErrInvalidAccount = errors.New("invalid keyring account name")
	// ErrUnavailable means the keyring is locked, missing or not
	// answering. Errors matching it are *UnavailableError values that
	// carry a plain-language explanation and the fix.
	ErrUnavailable = errors.New("keyring locked or unavailable")
)

// checkSet validates the arguments of a Set before any keyring is asked.
func checkSet(account, secret string) error {
	if err := CheckAccount(account); err != nil {
		return err
	}
	if len(secret) > MaxSecretBytes {
		return fmt.Errorf("vault: save %q: %w (this one has %d bytes)", account, ErrTooLarge, len(secret))
	}
	return nil
}

// cancelled reports that the caller's context ended before op finished;
// the error matches ctx.Err() and, if it differs, the context's cause.
func cancelled(ctx context.Context, op, account string) error {
	err := ctx.Err()
	if cause := context.Cause(ctx); cause != err {
		return fmt.Errorf("vault: %s %q: %w: %w", op, account, err, cause)
	}
	return fmt.Errorf("vault: %s %q: %w", op, account, err)
}
