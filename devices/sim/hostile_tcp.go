package sim

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"time"
)

// tcpAttacks serves each attack that happens below HTTP, on one accepted
// connection. The caller closes the connection when the function returns,
// and closes it early to end the attack.
var tcpAttacks = map[Attack]func(net.Conn){
	AttackTLSGarbage: serveTLSGarbage,
	AttackStall:      serveStall,
	AttackHangUp:     serveHangUp,
}

const (
	// helloWait bounds the wait for a ClientHello; the garbage is sent
	// anyway when none came.
	helloWait = 5 * time.Second
	// garbageBytes is how much garbage answers a ClientHello.
	garbageBytes = 16 << 10
)

// garbageSeed seeds the TLS garbage, so that every run sends the same bytes.
var garbageSeed = [32]byte{'p', 'o', 'r', 'c', 'h', 'l', 'i', 'g', 'h', 't'}

// serveTLSGarbage reads what the client sends first, then answers with
// random bytes instead of a ServerHello and holds the connection open until
// the client gives up.
func serveTLSGarbage(c net.Conn) {
	buf := make([]byte, garbageBytes)
	_ = c.SetReadDeadline(time.Now().Add(helloWait))
	if _, err := c.Read(buf); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return
	}
	_, _ = rand.NewChaCha8(garbageSeed).Read(buf) // never fails
	if _, err := c.Write(buf); err != nil {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	_, _ = io.Copy(io.Discard, c)
}

// serveStall reads and drops whatever the client sends and never answers.
func serveStall(c net.Conn) {
	_, _ = io.Copy(io.Discard, c)
}

// serveHangUp makes the caller's close a reset (RST) rather than an orderly
// end of the stream.
func serveHangUp(c net.Conn) {
	if tc, ok := c.(interface{ SetLinger(sec int) error }); ok {
		_ = tc.SetLinger(0)
	}
}
