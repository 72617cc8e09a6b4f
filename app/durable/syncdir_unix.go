//go:build unix

package durable

import (
	"fmt"
	"os"
)

// SyncDir makes the creation, rename or removal of a file in dir durable:
// until the directory itself is synced, a crash can forget the new name
// even though the file's data is on disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
