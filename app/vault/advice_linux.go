package vault

// keyringName names the keyring in Problem sentences.
const keyringName = "the system keyring (Secret Service)"

// fixAdvice tells a householder how to get a working keyring on Linux.
const fixAdvice = "To fix it, unlock your keyring (for example in the Passwords and Keys app), " +
	"or, if you have none, install and start one that offers the Secret Service: " +
	"GNOME Keyring, KWallet with its Secret Service support enabled, or KeePassXC with Secret Service integration turned on. " +
	"Then try again."
