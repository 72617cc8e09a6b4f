//go:build linux && !keyring_integration

package app_test

import (
	"path/filepath"
	"testing"

	"github.com/porchlight/porchlight/app/internal/crashtest"
	"github.com/porchlight/porchlight/app/vault"
)

// crashVault is where the crash test's processes keep passwords: a file in
// the data directory dir that parent and child share.
func crashVault(_ *testing.T, dir string) vault.Store {
	return &crashtest.FileVault{Path: filepath.Join(dir, "test-keyring.json")}
}
