package devhttp

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// OpenPorts tries a TCP connection to each of ports on addr, at most conc
// at a time, and returns the ports that accepted one, sorted. Nothing is
// sent on a connection; each is reset as soon as it is made. Like Dial, it
// refuses addresses outside the home network (no port is then open), and it
// goes through n (the real network when nil). A port that does not answer
// within timeout counts as closed.
func OpenPorts(ctx context.Context, n Network, addr netip.Addr, ports []int, timeout time.Duration, conc int) []int {
	addr = addr.Unmap()
	if CheckLocal(addr) != nil || len(ports) == 0 {
		return nil
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	conc = max(conc, 1)
	var open []int
	if n == nil {
		var ok bool
		if open, ok = openPortsDirect(ctx, addr, ports, timeout, conc); ok {
			slices.Sort(open)
			return open
		}
	}
	open = openPortsDialing(ctx, n, addr, ports, timeout, conc)
	slices.Sort(open)
	return open
}

// openPortsDialing is OpenPorts with one Dial per port, conc at a time:
// it works on every platform and through any Network.
func openPortsDialing(ctx context.Context, n Network, addr netip.Addr, ports []int, timeout time.Duration, conc int) []int {
	var (
		mu   sync.Mutex
		open []int
		wg   sync.WaitGroup
		sem  = make(chan struct{}, conc)
	)
	for _, port := range ports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			conn, err := Dial(ctx, n, netip.AddrPortFrom(addr, uint16(port)).String(), timeout)
			if err != nil {
				return
			}
			// Reset rather than close politely: nothing was said, and a
			// household's checkup would otherwise leave thousands of
			// sockets waiting out TIME_WAIT.
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			conn.Close()
			mu.Lock()
			open = append(open, port)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return open
}
