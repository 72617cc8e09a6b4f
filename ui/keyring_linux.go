//go:build linux

package ui

// keyringKey picks this system's words for its keyring in the translations
// (keyring.name.*, keyring.fix.*).
const keyringKey = "linux"
