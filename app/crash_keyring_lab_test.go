//go:build linux && keyring_integration

package app_test

import (
	"os"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
)

// crashVault is where the crash test's processes keep passwords, with the
// keyring_integration tag: the real Secret Service of the session bus,
// which parent and child share. It must be the private one .ci/in-keyring
// starts (a fresh gnome-keyring in a temporary home), never the keyring of
// the person running the test.
func crashVault(t *testing.T, _ string) vault.Store {
	if os.Getenv("PORCHLIGHT_IN_KEYRING") == "" {
		t.Fatal("with the keyring_integration tag, run the crash test in a private keyring: .ci/in-netns .ci/in-keyring go test -tags keyring_integration -run TestLabCrash ./app/")
	}
	return vault.NewKeyring(0)
}
