package main

import (
	"fmt"
	"os"
	"os/exec"
)

// restart starts Porchlight afresh with the same options, in the tray alone
// (background) or with its window; this process then ends (Windows has no
// exec).
func restart(background bool) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding Porchlight's program to start it again: %w", err)
	}
	if err := exec.Command(exe, restartArgs(os.Args[1:], background)...).Start(); err != nil {
		return fmt.Errorf("starting Porchlight again: %w", err)
	}
	return nil
}
