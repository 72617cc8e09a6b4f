package cli

import (
	"os"
	"testing"
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
