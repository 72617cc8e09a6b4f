//go:build unix

package crashtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// Child is how a child process ended.
type Child struct {
	// Output is what it wrote, standard output and error together.
	Output []byte
	// Killed is set when it was killed (SIGKILL), as Kill does; otherwise
	// it exited with status 0.
	Killed bool
}

// RunChild runs the test named test of this test binary (-test.run=^test$,
// verbose) in a child process, with env added to this process's
// environment, and waits for it. The error reports a child that could not
// start or ended in another way than killed or exit status 0.
func RunChild(ctx context.Context, test string, env ...string) (Child, error) {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	c := Child{Output: out}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return c, nil
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			c.Killed = true
			return c, nil
		}
	}
	return c, fmt.Errorf("the child %s ended neither killed nor well: %w\n%s", test, err, out)
}

// Kill kills this process at once, with SIGKILL, as a crash or a power cut
// would stop it: nothing deferred runs, no buffer is flushed.
func Kill() {
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}
