package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultTimeout is how long a Keyring waits for the operating system's
// keyring before it reports ErrUnavailable. A locked Secret Service keyring
// can wait forever for an unlock prompt that nobody sees.
const DefaultTimeout = 15 * time.Second

// Keyring is the Store backed by the operating system's keyring, through
// github.com/zalando/go-keyring. Create one with NewKeyring.
//
// Every call runs in its own goroutine and gives up after the configured
// timeout with an *UnavailableError, so a keyring that never answers cannot
// block the caller; when ctx ends first, the error wraps the context's
// cause instead. Calls reach the keyring one at a time: while a call that
// timed out is still stuck inside the keyring, later calls wait for it
// (within their own timeout) instead of piling up more stuck goroutines.
type Keyring struct {
	timeout time.Duration
	backend backend
	// slot holds a token while a backend call is in flight.
	slot chan struct{}
}

var _ Store = (*Keyring)(nil)

// NewKeyring returns a Keyring that waits at most timeout for each call;
// zero or a negative timeout means DefaultTimeout.
func NewKeyring(timeout time.Duration) *Keyring {
	return newKeyring(timeout, goKeyring{})
}

// newKeyring is NewKeyring with an explicit backend, for tests.
func newKeyring(timeout time.Duration, b backend) *Keyring {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Keyring{timeout: timeout, backend: b, slot: make(chan struct{}, 1)}
}

// Set stores secret for account under Service. Secrets longer than
// MaxSecretBytes are refused with ErrTooLarge before the keyring is asked.
func (k *Keyring) Set(ctx context.Context, account, secret string) error {
	if err := checkSet(account, secret); err != nil {
		return err
	}
	_, err := call(ctx, k, opSave, account, secret, func() (struct{}, error) {
		return struct{}{}, k.backend.Set(Service, account, secret)
	})
	return err
}

// Get returns the secret stored for account under Service.
func (k *Keyring) Get(ctx context.Context, account string) (string, error) {
	if err := CheckAccount(account); err != nil {
		return "", err
	}
	return call(ctx, k, opRead, account, "", func() (string, error) {
		return k.backend.Get(Service, account)
	})
}

// Delete removes the secret stored for account under Service.
func (k *Keyring) Delete(ctx context.Context, account string) error {
	if err := CheckAccount(account); err != nil {
		return err
	}
	_, err := call(ctx, k, opDelete, account, "", func() (struct{}, error) {
		return struct{}{}, k.backend.Delete(Service, account)
	})
	return err
}

// outcome carries a backend call's result out of its goroutine.
type outcome[T any] struct {
	value T
	err   error
}

// call runs f in its own goroutine once the keyring is free and returns
// its result with the error mapped by mapError, or gives up when k's
// timeout passes or ctx ends, whichever comes first. f's goroutine always
// finishes on its own (its result channel is buffered) and frees the
// keyring when it does. secret is the value being stored, if any, so that
// it can be scrubbed from errors.
func call[T any](ctx context.Context, k *Keyring, op, account, secret string, f func() (T, error)) (T, error) {
	var zero T
	if ctx.Err() != nil {
		return zero, cancelled(ctx, op, account)
	}
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	timedOut := func() error {
		return &UnavailableError{Op: op, Account: account, Timeout: k.timeout,
			Cause: fmt.Errorf("no answer from the keyring within %s", k.timeout)}
	}

	select {
	case k.slot <- struct{}{}:
	case <-timer.C:
		return zero, timedOut()
	case <-ctx.Done():
		return zero, cancelled(ctx, op, account)
	}

	done := make(chan outcome[T], 1)
	go func() {
		defer func() { <-k.slot }()
		done <- guard(f)
	}()

	select {
	case r := <-done:
		if r.err != nil {
			return zero, mapError(r.err, op, account, secret)
		}
		return r.value, nil
	case <-timer.C:
		return zero, timedOut()
	case <-ctx.Done():
		return zero, cancelled(ctx, op, account)
	}
}

// guard runs f and turns a panic inside the keyring library (for example
// on an unexpected reply from a misbehaving Secret Service) into an error,
// so that it cannot crash Porchlight.
func guard[T any](f func() (T, error)) (r outcome[T]) {
	defer func() {
		if p := recover(); p != nil {
			r = outcome[T]{err: fmt.Errorf("keyring library panicked: %v", p)}
		}
	}()
	v, err := f()
	return outcome[T]{value: v, err: err}
}

// mapError translates a non-nil keyring error into the vault's errors:
// not found becomes ErrNotFound, too big becomes ErrTooLarge, anything else
// an *UnavailableError. secret, when not empty, is scrubbed from the cause.
func mapError(err error, op, account, secret string) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("vault: %s %q: %w", op, account, ErrNotFound)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("vault: %s %q: %w: %w", op, account, ErrTooLarge, err)
	default:
		return &UnavailableError{Op: op, Account: account, Cause: redact(err, secret)}
	}
}

// errRedacted replaces a keyring error whose text contained the secret.
var errRedacted = errors.New("the keyring's error message was withheld because it contained the password")

// redact returns err, or errRedacted when err's text contains secret.
func redact(err error, secret string) error {
	if secret != "" && strings.Contains(err.Error(), secret) {
		return errRedacted
	}
	return err
}
