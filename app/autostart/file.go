//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/porchlight/porchlight/app/durable"
)

// writeEntry writes the autostart file at p atomically, creating its
// folder with dirMode.
func writeEntry(p string, content []byte, dirMode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(p), dirMode); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(p), err)
	}
	return durable.WriteFile(p, content, 0o644)
}

// enabled reports whether the autostart file at path() exists.
func enabled() bool {
	p, err := path()
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// disable removes the autostart file and says where it was ("" when there
// was none).
func disable() (string, error) {
	p, err := path()
	if err != nil {
		return "", err
	}
	if err := os.Remove(p); errors.Is(err, os.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("removing %s: %w", p, err)
	}
	return p, nil
}
