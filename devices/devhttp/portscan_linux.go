package devhttp

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// pollSlice bounds one wait in poll(2), so that a cancelled context is
// noticed soon.
const pollSlice = 100 * time.Millisecond

// openPortsDirect is OpenPorts on Linux without the Go network poller:
// conc non-blocking sockets at a time, connected at once and waited for
// together with one poll(2). It costs about a third of the CPU time of a
// Dial per port, which matters when a whole household is checked. ok is
// false when it cannot be used (an address with a zone); OpenPorts then
// dials.
func openPortsDirect(ctx context.Context, addr netip.Addr, ports []int, timeout time.Duration, conc int) (open []int, ok bool) {
	if addr.Zone() != "" {
		return nil, false
	}
	for start := 0; start < len(ports) && ctx.Err() == nil; start += conc {
		open = append(open, connectBatch(ctx, addr, ports[start:min(start+conc, len(ports))], timeout)...)
	}
	return open, true
}

// connectBatch connects to every port at once and returns those that
// accepted within timeout. Every connection made is reset.
func connectBatch(ctx context.Context, addr netip.Addr, ports []int, timeout time.Duration) []int {
	var (
		open    []int
		waiting []unix.PollFd
		portOf  = map[int32]int{}
		// connected are the sockets with a connection to reset; the
		// others close without a word.
		connected = map[int32]bool{}
	)
	family := unix.AF_INET
	if addr.Is6() {
		family = unix.AF_INET6
	}
	defer func() {
		for fd := range portOf {
			if connected[fd] {
				reset(int(fd))
			}
			_ = unix.Close(int(fd))
		}
	}()
	for _, port := range ports {
		fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
		if err != nil {
			continue // out of descriptors: this port stays unknown, as closed
		}
		portOf[int32(fd)] = port
		err = unix.Connect(fd, sockaddr(addr, port))
		switch {
		case err == nil:
			open, connected[int32(fd)] = append(open, port), true
		case errors.Is(err, unix.EINPROGRESS) || errors.Is(err, unix.EINTR):
			waiting = append(waiting, unix.PollFd{Fd: int32(fd), Events: unix.POLLOUT})
			connected[int32(fd)] = true // unless it fails: a reset is harmless then
		}
	}
	deadline := time.Now().Add(timeout)
	for len(waiting) > 0 && ctx.Err() == nil {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		n, err := unix.Poll(waiting, int(min(left, pollSlice).Milliseconds())+1)
		if errors.Is(err, unix.EINTR) || (err == nil && n == 0) {
			continue
		}
		if err != nil {
			break
		}
		still := waiting[:0]
		for _, p := range waiting {
			if p.Revents == 0 {
				still = append(still, unix.PollFd{Fd: p.Fd, Events: unix.POLLOUT})
				continue
			}
			soErr, err := unix.GetsockoptInt(int(p.Fd), unix.SOL_SOCKET, unix.SO_ERROR)
			if err == nil && soErr == 0 {
				open = append(open, portOf[p.Fd])
			} else {
				connected[p.Fd] = false
			}
		}
		waiting = still
	}
	return open
}

// sockaddr is addr and port as connect(2) takes them.
func sockaddr(addr netip.Addr, port int) unix.Sockaddr {
	if addr.Is4() {
		return &unix.SockaddrInet4{Port: port, Addr: addr.As4()}
	}
	return &unix.SockaddrInet6{Port: port, Addr: addr.As16()}
}

// reset makes closing fd reset its connection: the device sees a reset,
// not a goodbye, and nothing waits out TIME_WAIT here.
func reset(fd int) {
	_ = unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
}
