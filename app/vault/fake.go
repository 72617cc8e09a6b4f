package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Fake is an in-memory Store for tests of the packages that use the vault.
// Its zero value is an empty, working store; it is safe for concurrent use
// (unlike go-keyring's MockInit). It applies the same account and size
// checks as Keyring, can be switched to fail like an unavailable keyring,
// and counts calls.
//
// Fake lives in package vault rather than in a vaulttest package so that
// it runs the very same validation and builds the same *UnavailableError
// as Keyring without exporting internals just for tests; the price is a
// few hundred bytes in the binary that production code never calls.
type Fake struct {
	mu          sync.Mutex
	entries     map[string]string
	unavailable bool
	calls       FakeCalls
}

var _ Store = (*Fake)(nil)

// FakeCalls counts the calls a Fake received, including failed ones.
type FakeCalls struct {
	Set, Get, Delete int
}

// errFakeUnavailable is the cause of the errors a Fake returns while it
// is unavailable.
var errFakeUnavailable = errors.New("fake keyring switched off by the test")

// SetUnavailable makes every later call fail with an *UnavailableError
// (matching ErrUnavailable) when on is true, and work again when it is
// false. Stored entries are kept either way.
func (f *Fake) SetUnavailable(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unavailable = on
}

// Calls returns how many calls of each kind f has received.
func (f *Fake) Calls() FakeCalls {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// Accounts returns the accounts that hold a secret, sorted.
func (f *Fake) Accounts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	accounts := make([]string, 0, len(f.entries))
	for a := range f.entries {
		accounts = append(accounts, a)
	}
	slices.Sort(accounts)
	return accounts
}

// Set implements Store.
func (f *Fake) Set(ctx context.Context, account, secret string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.Set++
	if err := checkSet(account, secret); err != nil {
		return err
	}
	if err := f.usable(ctx, opSave, account); err != nil {
		return err
	}
	if f.entries == nil {
		f.entries = make(map[string]string)
	}
	f.entries[account] = secret
	return nil
}

// Get implements Store.
func (f *Fake) Get(ctx context.Context, account string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.Get++
	if err := CheckAccount(account); err != nil {
		return "", err
	}
	if err := f.usable(ctx, opRead, account); err != nil {
		return "", err
	}
	secret, ok := f.entries[account]
	if !ok {
		return "", fmt.Errorf("vault: %s %q: %w", opRead, account, ErrNotFound)
	}
	return secret, nil
}

// Delete implements Store.
func (f *Fake) Delete(ctx context.Context, account string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls.Delete++
	if err := CheckAccount(account); err != nil {
		return err
	}
	if err := f.usable(ctx, opDelete, account); err != nil {
		return err
	}
	if _, ok := f.entries[account]; !ok {
		return fmt.Errorf("vault: %s %q: %w", opDelete, account, ErrNotFound)
	}
	delete(f.entries, account)
	return nil
}

// usable returns the error a call should fail with before touching the
// entries, if any. f.mu must be held.
func (f *Fake) usable(ctx context.Context, op, account string) error {
	if ctx.Err() != nil {
		return cancelled(ctx, op, account)
	}
	if f.unavailable {
		return &UnavailableError{Op: op, Account: account, Cause: errFakeUnavailable}
	}
	return nil
}
