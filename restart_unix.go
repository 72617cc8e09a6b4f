//go:build !windows

package main

import "syscall"

// relaunch replaces this process by exe started with args: the same
// process ID, so a service manager or a terminal sees one Porchlight.
func relaunch(exe string, args []string) error {
	return syscall.Exec(exe, append([]string{exe}, args...), syscall.Environ())
}
