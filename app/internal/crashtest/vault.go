// Package crashtest helps tests that kill a process in the middle of an
// action and check what the next start finds: a keyring kept in a file that
// the killed child and its parent share, the re-execution of the test
// binary as that child, and points at which the child kills itself, counted
// in its keyring writes and its connections to devices.
package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/vault"
)

// FileVault is a vault.Store kept in a JSON file, for tests only: it stands
// in for the OS keyring, which the processes of a test cannot share, and
// holds the passwords of simulated devices in the test's temporary
// directory. Writes are atomic, as the keyring's are.
type FileVault struct {
	// Path is the file.
	Path string
	mu   sync.Mutex
}

var _ vault.Store = (*FileVault)(nil)

// All returns every account and its secret.
func (v *FileVault) All() (map[string]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.load()
}

func (v *FileVault) load() (map[string]string, error) {
	m := make(map[string]string)
	data, err := os.ReadFile(v.Path)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	return m, json.Unmarshal(data, &m)
}

func (v *FileVault) save(m map[string]string) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return inventory.WriteFileAtomic(v.Path, data, 0o600)
}

// Set stores secret for account.
func (v *FileVault) Set(_ context.Context, account, secret string) error {
	if err := vault.CheckAccount(account); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	m, err := v.load()
	if err != nil {
		return err
	}
	m[account] = secret
	return v.save(m)
}

// Get returns account's secret, or an error wrapping vault.ErrNotFound.
func (v *FileVault) Get(_ context.Context, account string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	m, err := v.load()
	if err != nil {
		return "", err
	}
	s, ok := m[account]
	if !ok {
		return "", fmt.Errorf("test vault: %q: %w", account, vault.ErrNotFound)
	}
	return s, nil
}

// Delete removes account, or returns an error wrapping vault.ErrNotFound.
func (v *FileVault) Delete(_ context.Context, account string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	m, err := v.load()
	if err != nil {
		return err
	}
	if _, ok := m[account]; !ok {
		return fmt.Errorf("test vault: %q: %w", account, vault.ErrNotFound)
	}
	delete(m, account)
	return v.save(m)
}
