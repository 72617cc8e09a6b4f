package sim

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"
)

// serveOnLoopback serves attacks through an attack server, each on
// 127.0.0.1 at a port the system picks (nothing is announced, so no
// namespace is needed), and returns their addresses in order.
func serveOnLoopback(t *testing.T, attacks ...Attack) (*attackServer, []string) {
	t.Helper()
	ds := make([]*Device, len(attacks))
	for i, a := range attacks {
		ds[i] = &Device{Family: Hostile, Host: "test-" + string(a), Addr: netip.AddrFrom4([4]byte{127, 0, 0, 1}),
			HTTPPorts: []int{0}, Attack: a}
	}
	s, err := serveAttacks(ds)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	addrs := make([]string, len(s.lns))
	for i, ln := range s.lns {
		addrs[i] = ln.Addr().String()
	}
	return s, addrs
}

// engage starts an attack on c and reads its first bytes, if it sends any:
// the attack is under way when engage returns.
func engage(t *testing.T, a Attack, c net.Conn) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	request := "GET / HTTP/1.1\r\nHost: device\r\n\r\n"
	if _, isTCP := tcpAttacks[a]; isTCP {
		request = "\x16\x03\x01\x00\x05hello" // the start of a ClientHello
	}
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if a == AttackStall || a == AttackHangUp {
		return
	}
	first := 1
	if a == AttackHugeBody {
		first = 64 << 10
	}
	if _, err := io.ReadFull(c, make([]byte, first)); err != nil {
		t.Fatalf("%s: reading the first %d bytes: %v", a, first, err)
	}
	_ = c.SetDeadline(time.Time{})
}

// wantClosed fails unless the other end closes c within 5 s (whatever it
// had sent before is read and dropped).
func wantClosed(t *testing.T, what string, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, c); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("%s: the connection is still open after close", what)
	}
}

// closeEnds runs closeFn and fails unless it returns. How long closing
// takes is not asserted (it depends on the machine's load); hangAfter only
// ends the wait for a close that hangs, with a clear message.
func closeEnds(t *testing.T, closeFn func()) {
	t.Helper()
	const hangAfter = time.Minute
	done := make(chan struct{})
	go func() {
		closeFn()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(hangAfter):
		t.Fatalf("close hangs: not returned after %v", hangAfter)
	}
}

// TestHostileServerClosesMidAttack puts every kind of attack under way,
// plain, hijacked and raw connections alike, then closes the server: close
// must end them all.
func TestHostileServerClosesMidAttack(t *testing.T) {
	attacks := []Attack{AttackSlowDrip, AttackHugeBody, AttackHeaderFlood, AttackTLSGarbage, AttackStall}
	s, addrs := serveOnLoopback(t, attacks...)
	conns := make([]net.Conn, len(attacks))
	for i, a := range attacks {
		conns[i] = dialAttack(t, addrs[i])
		engage(t, a, conns[i])
	}
	closeEnds(t, s.close)
	for i, c := range conns {
		wantClosed(t, string(attacks[i]), c)
	}
	s.mu.Lock()
	left := len(s.conns)
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("%d connections still tracked after close", left)
	}
	if c, err := net.DialTimeout("tcp", addrs[0], time.Second); err == nil {
		c.Close()
		t.Error("the server still accepts connections after close")
	}
}
