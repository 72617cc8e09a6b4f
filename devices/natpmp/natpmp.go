// Package natpmp asks a router, read-only, for its external address over
// NAT-PMP (RFC 6886), and whether it speaks PCP (RFC 6887, the same port)
// with an ANNOUNCE request: a router that answers either lets devices of
// the home network ask it to open ports to the internet, as UPnP IGD does.
package natpmp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
)

// Port is the NAT-PMP server port (RFC 6886 §3.1).
const Port = 5351

// Answer is a router's answer to the external address request (RFC 6886 §3.2).
type Answer struct {
	// Result is the result code: 0 success, others an error (§3.5).
	Result int `json:"result"`
	// External is the external IPv4 address (invalid when Result is not 0).
	External netip.Addr `json:"external"`
	// Epoch is the seconds since the router's mapping table was started.
	Epoch uint32 `json:"epoch"`
}

// ErrAnswer reports an answer that is not a NAT-PMP external address answer.
var ErrAnswer = errors.New("not a NAT-PMP answer")

// Parse reads an external address answer: version 0, opcode 128, result
// code, epoch, address; exactly 12 bytes (§3.2).
func Parse(b []byte) (Answer, error) {
	if len(b) != 12 || b[0] != 0 || b[1] != 128 {
		return Answer{}, fmt.Errorf("%w (%d bytes)", ErrAnswer, len(b))
	}
	a := Answer{Result: int(binary.BigEndian.Uint16(b[2:4])), Epoch: binary.BigEndian.Uint32(b[4:8])}
	if a.Result == 0 {
		a.External = netip.AddrFrom4([4]byte(b[8:12]))
	}
	return a, nil
}

// Request is the external address request: version 0, opcode 0 (§3.2).
var Request = []byte{0, 0}

// Dialer dials a UDP "connection" to the router (net.Dialer, or a
// simulated network's).
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// ExternalAddress asks the router at addr (a home-network address only)
// through d (the real network when nil), once, waiting at most timeout:
// RFC 6886 §3.1 retries from 250 ms, but a router that does not answer
// within a second does not speak NAT-PMP for this purpose.
func ExternalAddress(ctx context.Context, d Dialer, addr netip.Addr, timeout time.Duration) (Answer, error) {
	b, err := exchange(ctx, d, addr, timeout, "NAT-PMP", func(netip.Addr) []byte { return Request }, 63)
	if err != nil {
		return Answer{}, err
	}
	return Parse(b)
}

// exchange sends one request to the NAT-PMP and PCP port of the router at
// addr (a home-network address only) through d (the real network when
// nil), and reads one answer of at most max bytes, waiting at most
// timeout in all. request builds the request from this side's address;
// proto names the protocol in errors.
func exchange(ctx context.Context, d Dialer, addr netip.Addr, timeout time.Duration, proto string, request func(client netip.Addr) []byte, max int) ([]byte, error) {
	if err := devhttp.CheckLocal(addr); err != nil {
		return nil, err
	}
	if d == nil {
		d = &net.Dialer{Timeout: timeout}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := d.DialContext(ctx, "udp", net.JoinHostPort(addr.String(), strconv.Itoa(Port)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", proto, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	var client netip.Addr
	if la, ok := c.LocalAddr().(*net.UDPAddr); ok {
		client = la.AddrPort().Addr()
	}
	if _, err := c.Write(request(client)); err != nil {
		return nil, fmt.Errorf("%s: %w", proto, err)
	}
	buf := make([]byte, max+1)
	n, err := c.Read(buf)
	if err != nil {
		return nil, fmt.Errorf("%s: no answer: %w", proto, err)
	}
	return buf[:n], nil
}
