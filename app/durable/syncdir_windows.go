//go:build windows

package durable

// SyncDir does nothing on Windows: directories cannot be opened for
// syncing there, and NTFS journals the creation and renaming of files itself.
func SyncDir(string) error { return nil }
