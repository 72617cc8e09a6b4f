package lanhost

import (
	"bufio"
	"fmt"
	"os/exec"
	"strings"
	"sync"
)

// Output keeps a daemon's last 40 lines of standard error, for a failing
// test to show. It is safe for concurrent use.
type Output struct {
	mu   sync.Mutex
	tail []string
}

// String is the lines kept, one per line.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.tail, "\n")
}

func (o *Output) add(line string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tail = append(o.tail[max(0, len(o.tail)-39):], line)
}

// Start starts the daemon cmd (name says which, in errors), keeps its
// standard error in out, and returns a channel that receives nil once
// ready has said yes to a line, or an error with its last ten lines when
// it exits first.
func Start(cmd *exec.Cmd, name string, out *Output, ready func(line string) bool) (<-chan error, error) {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() {
		var tail []string
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			tail = append(tail[max(0, len(tail)-9):], line)
			out.add(line)
			if ready(line) {
				select {
				case done <- nil:
				default:
				}
			}
		}
		select {
		case done <- fmt.Errorf("%s exited before it was ready:\n%s", name, strings.Join(tail, "\n")):
		default:
		}
	}()
	return done, nil
}
