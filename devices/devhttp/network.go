package devhttp

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Network dials devices. A nil Network is the real network; the demo
// household runs its devices inside the process, reached through a Network
// of its own, so it works on any computer. Whoever builds the core chooses
// it, once.
type Network interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Dial connects to address (host:port) on n (the real network when nil)
// within timeout. Like Client, it refuses addresses outside the home network.
func Dial(ctx context.Context, n Network, address string, timeout time.Duration) (net.Conn, error) {
	c := &Client{}
	if ap, err := netip.ParseAddrPort(address); err == nil {
		c.addr = ap.Addr().Unmap()
	}
	if err := c.onlyTheDevice("tcp", address, nil); err != nil {
		return nil, err
	}
	if n != nil {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return n.DialContext(ctx, "tcp", address)
	}
	d := net.Dialer{Timeout: timeout}
	return d.DialContext(ctx, "tcp", address)
}
