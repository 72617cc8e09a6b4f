package vault

// keyringName names the keyring in Problem sentences.
const keyringName = "the macOS Keychain"

// fixAdvice tells a householder how to get a working keyring on macOS.
const fixAdvice = "To fix it, open the Keychain Access app, unlock your login keychain, and try again; " +
	"if macOS asks whether Porchlight may use the keychain, choose Allow."
