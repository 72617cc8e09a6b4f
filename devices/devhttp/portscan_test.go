package devhttp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// loopbackPorts listens on n ports of addr and returns them, and n more
// ports that were free a moment ago (closed).
func loopbackPorts(t *testing.T, addr string, n int) (open, closed []int) {
	t.Helper()
	for i := 0; i < 2*n; i++ {
		l, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if i < n {
			open = append(open, port)
			t.Cleanup(func() { l.Close() })
		} else {
			closed = append(closed, port)
			l.Close()
		}
	}
	slices.Sort(open)
	return open, closed
}

// TestOpenPorts finds exactly the listening ports, in batches smaller than
// the list, on IPv4 and IPv6, with the fast path and by dialing.
func TestOpenPorts(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		open, closed := loopbackPorts(t, host, 3)
		ports := append(slices.Clone(closed), open...)
		addr := netip.MustParseAddr(host)
		ctx := context.Background()
		if got := OpenPorts(ctx, nil, addr, ports, time.Second, 2); !slices.Equal(got, open) {
			t.Errorf("%s: OpenPorts = %v, want %v", host, got, open)
		}
		got := openPortsDialing(ctx, nil, addr, ports, time.Second, 2)
		slices.Sort(got)
		if !slices.Equal(got, open) {
			t.Errorf("%s: by dialing = %v, want %v", host, got, open)
		}
	}
}

// countingNetwork answers dials on its open ports and counts connections
// in flight.
type countingNetwork struct {
	open []int

	mu             sync.Mutex
	dialed         []string
	inFlight, most int
}

func (n *countingNetwork) DialContext(ctx context.Context, _, address string) (net.Conn, error) {
	n.mu.Lock()
	n.dialed = append(n.dialed, address)
	n.inFlight++
	n.most = max(n.most, n.inFlight)
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		n.inFlight--
		n.mu.Unlock()
	}()
	time.Sleep(5 * time.Millisecond)
	ap := netip.MustParseAddrPort(address)
	if !slices.Contains(n.open, int(ap.Port())) {
		return nil, errors.New("connection refused")
	}
	a, b := net.Pipe()
	b.Close()
	return a, nil
}

// TestOpenPortsThroughANetwork: the demo household's network is dialed,
// exactly conc at a time. It runs in a synctest bubble: each dial takes 5 ms
// of the fake clock, which moves on only once every dial under way is
// waiting, so how many overlap does not depend on the machine's load.
func TestOpenPortsThroughANetwork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := &countingNetwork{open: []int{80, 443}}
		ports := []int{21, 22, 23, 80, 443, 8080, 8443, 9123}
		got := OpenPorts(context.Background(), n, netip.MustParseAddr("192.168.1.20"), ports, time.Second, 3)
		if !slices.Equal(got, []int{80, 443}) {
			t.Errorf("open %v", got)
		}
		if len(n.dialed) != len(ports) || n.most != 3 {
			t.Errorf("dialed %d ports, at most %d at once (want %d, 3 at once)", len(n.dialed), n.most, len(ports))
		}
	})
}

// TestOpenPortsOnlyAtHome: an address outside the home network is never
// connected to.
func TestOpenPortsOnlyAtHome(t *testing.T) {
	n := &countingNetwork{open: []int{80}}
	for _, a := range []string{"8.8.8.8", "2001:4860:4860::8888", "0.0.0.0", "224.0.0.251"} {
		if got := OpenPorts(context.Background(), n, netip.MustParseAddr(a), []int{80}, time.Second, 8); got != nil {
			t.Errorf("%s: %v", a, got)
		}
		if got := OpenPorts(context.Background(), nil, netip.MustParseAddr(a), []int{80}, time.Second, 8); got != nil {
			t.Errorf("%s, real network: %v", a, got)
		}
	}
	if len(n.dialed) != 0 {
		t.Errorf("dialed %v", n.dialed)
	}
}

// TestOpenPortsCancelled: a cancelled checkup connects to nothing more.
func TestOpenPortsCancelled(t *testing.T) {
	open, _ := loopbackPorts(t, "127.0.0.1", 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := OpenPorts(ctx, nil, netip.MustParseAddr("127.0.0.1"), open, time.Second, 8); len(got) != 0 {
		t.Errorf("open %v after cancel", got)
	}
}
