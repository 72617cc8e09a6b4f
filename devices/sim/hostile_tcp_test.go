package sim

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// dialAttack connects to addr for the rest of the test.
func dialAttack(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestHostileTLSGarbage checks that a TLS handshake fails on the answer to
// its ClientHello, not on a timeout.
func TestHostileTLSGarbage(t *testing.T) {
	_, addrs := serveOnLoopback(t, AttackTLSGarbage)
	c := dialAttack(t, addrs[0])
	_ = c.SetDeadline(time.Now().Add(time.Second))
	err := tls.Client(c, &tls.Config{InsecureSkipVerify: true}).Handshake() //nolint:gosec // the handshake must fail before any certificate
	if err == nil {
		t.Fatal("the TLS handshake succeeded")
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the handshake timed out (%v), want it to fail on the garbage", err)
	}

	// The garbage is what the attack says it is, whatever asked.
	c = dialAttack(t, addrs[0])
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte{0x16, 0x03, 0x01}); err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, garbageBytes)
	if _, err := io.ReadFull(c, garbage); err != nil {
		t.Fatalf("read %v, want %d bytes of garbage", err, garbageBytes)
	}
	if garbage[0] >= 20 && garbage[0] <= 24 {
		t.Errorf("the garbage starts with a TLS record type, %d", garbage[0])
	}
}

// TestHostileStall checks that the device accepts, reads, and says nothing.
func TestHostileStall(t *testing.T) {
	_, addrs := serveOnLoopback(t, AttackStall)
	c := dialAttack(t, addrs[0])
	if _, err := io.WriteString(c, "GET /setup/eureka_info HTTP/1.1\r\nHost: cast-stall\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	n, err := c.Read(make([]byte, 1))
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read %d bytes, %v; want nothing within 300 ms", n, err)
	}
}

// TestHostileHangUp checks that the connection is reset at once: the
// reset may even come before the dialer has seen the connection up.
func TestHostileHangUp(t *testing.T) {
	_, addrs := serveOnLoopback(t, AttackHangUp)
	c, err := net.DialTimeout("tcp", addrs[0], 2*time.Second)
	if err == nil {
		defer c.Close()
		// Nothing is written first: a write could take the reset's error.
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		var n int
		if n, err = c.Read(make([]byte, 1)); n != 0 {
			t.Fatalf("read %d bytes", n)
		}
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v, want the connection reset", err)
	}
}
