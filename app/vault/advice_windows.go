package vault

// keyringName names the keyring in Problem sentences.
const keyringName = "Windows Credential Manager"

// fixAdvice tells a householder how to get a working keyring on Windows.
const fixAdvice = "To fix it, make sure the Credential Manager service is running " +
	"(open Services and start \"Credential Manager\"), then try again."
