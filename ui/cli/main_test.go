package cli

import (
	"os"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
)

// TestMain keeps every test's data out of the real configuration folder:
// a command that is not given --data-dir uses a temporary one.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "porchlight-cli-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("PORCHLIGHT_DATA_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// useFakeVault makes the commands keep passwords in an in-memory keyring
// until the test ends, and returns it.
func useFakeVault(t *testing.T) *vault.Fake {
	t.Helper()
	fake := &vault.Fake{}
	saved := openVault
	openVault = func() vault.Store { return fake }
	t.Cleanup(func() { openVault = saved })
	return fake
}
