//go:build !windows

package main

import (
	"fmt"
	"os"
	"syscall"
)

// restart replaces this process by Porchlight started afresh with the same
// options, in the tray alone (background) or with its window: the same
// process ID, so a service manager or a terminal sees one Porchlight.
func restart(background bool) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding Porchlight's program to start it again: %w", err)
	}
	args := append([]string{os.Args[0]}, restartArgs(os.Args[1:], background)...)
	if err := syscall.Exec(exe, args, os.Environ()); err != nil {
		return fmt.Errorf("starting Porchlight again: %w", err)
	}
	return nil
}
