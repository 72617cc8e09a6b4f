package cli

import (
	"github.com/porchlight/porchlight/app"
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
	saved := testEnv.Vault
	testEnv.Vault = fake
	t.Cleanup(func() { testEnv.Vault = saved })
	return fake
}

// testEnv is what main gives the commands, for tests: the real keyring
// (unless a test uses a fake) and the network of the test's namespace.
var testEnv = Env{
	Vault:   vault.NewKeyring(0),
	Network: func(iface string) app.Network { return app.HomeNetwork{Interface: iface} },
}
