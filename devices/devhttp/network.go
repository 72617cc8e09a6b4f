package devhttp

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Network dials devices. The real network is used unless a context carries
// another one (see WithNetwork): the demo household runs its devices inside
// the process, reached through such a network, so it works on any computer.
type Network interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

type networkKey struct{}

// WithNetwork returns a context whose device connections go through n.
func WithNetwork(ctx context.Context, n Network) context.Context {
	return context.WithValue(ctx, networkKey{}, n)
}

func networkFrom(ctx context.Context) Network {
	n, _ := ctx.Value(networkKey{}).(Network)
	return n
}

// Dial connects to address (host:port) on the network ctx carries, else on
// the real network, within timeout. Like Client, it refuses addresses
// outside the home network.
func Dial(ctx context.Context, address string, timeout time.Duration) (net.Conn, error) {
	c := &Client{}
	if ap, err := netip.ParseAddrPort(address); err == nil {
		c.addr = ap.Addr().Unmap()
	}
	if err := c.onlyTheDevice("tcp", address, nil); err != nil {
		return nil, err
	}
	if n := networkFrom(ctx); n != nil {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return n.DialContext(ctx, "tcp", address)
	}
	d := net.Dialer{Timeout: timeout}
	return d.DialContext(ctx, "tcp", address)
}
