// Package single keeps one Porchlight app per data directory: the one
// running listens on a Unix socket there, and one started after it asks
// it to show its window and ends, so that two never keep watch over the
// same household (and tell the same events twice).
package single

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// SocketName is the socket's file in the data directory.
const SocketName = "porchlight.sock"

// request is what a later start sends; ack what the running one answers.
const (
	request = "show\n"
	ack     = "ok\n"
)

// timeout bounds asking the running app.
const timeout = 2 * time.Second

// Ask asks the Porchlight running on data directory dir to show its
// window, and reports whether one answered.
func Ask(dir string) bool {
	c, err := net.DialTimeout("unix", filepath.Join(dir, SocketName), timeout)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte(request)); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == ack
}

// Listener takes the requests of Porchlights started after this one.
type Listener struct {
	ln   net.Listener
	show chan struct{}
	done sync.WaitGroup
}

// Listen makes this the Porchlight of data directory dir: a socket left by
// one that ended is replaced. It fails when another one answers there.
func Listen(dir string) (*Listener, error) {
	path := filepath.Join(dir, SocketName)
	if Ask(dir) {
		return nil, fmt.Errorf("another Porchlight already runs on %s", dir)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the socket a Porchlight left: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening for Porchlights started later: %w", err)
	}
	l := &Listener{ln: ln, show: make(chan struct{}, 1)}
	l.done.Add(1)
	go l.serve()
	return l, nil
}

// Show receives a value each time a Porchlight started later asks this
// one to show its window (requests that come together are one).
func (l *Listener) Show() <-chan struct{} { return l.show }

func (l *Listener) serve() {
	defer l.done.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		_ = c.SetDeadline(time.Now().Add(timeout))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil && strings.TrimSpace(line) == strings.TrimSpace(request) {
			select {
			case l.show <- struct{}{}:
			default:
			}
			_, _ = c.Write([]byte(ack))
		}
		c.Close()
	}
}

// Close stops listening and removes the socket: a Porchlight started
// from now on is the one.
func (l *Listener) Close() error {
	err := l.ln.Close() // also removes the socket file (net.UnixListener unlinks on Close)
	l.done.Wait()
	return err
}
