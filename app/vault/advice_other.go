//go:build !linux && !darwin && !windows

package vault

// keyringName names the keyring in Problem sentences.
const keyringName = "the system keyring"

// fixAdvice tells a householder how to get a working keyring on systems
// other than Linux, macOS and Windows, where Porchlight can only use a
// Secret Service keyring (and only in builds made with cgo).
const fixAdvice = "To fix it, install, start and unlock a keyring that offers the Secret Service, " +
	"such as GNOME Keyring or KeePassXC with Secret Service integration turned on, then try again."
