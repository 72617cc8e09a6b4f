package main

import "os/exec"

// relaunch starts exe with args; this process then ends (Windows has no
// exec).
func relaunch(exe string, args []string) error {
	return exec.Command(exe, args...).Start()
}
