package vault

import (
	"strings"
	"testing"
)

func TestLinuxAdviceNamesTheProviders(t *testing.T) {
	for _, want := range []string{"unlock", "Secret Service", "GNOME Keyring", "KWallet", "KeePassXC"} {
		if !strings.Contains(fixAdvice, want) {
			t.Errorf("Linux advice %q does not mention %q", fixAdvice, want)
		}
	}
}
