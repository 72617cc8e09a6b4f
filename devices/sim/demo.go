package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Demo is a household served inside the process: its devices' HTTP APIs
// are reached through Demo's DialContext (in-memory connections) instead
// of sockets, and nothing is announced over mDNS. It lets anyone try
// Porchlight on any computer, with no network and no privileges.
type Demo struct {
	devices []*Device
	// listeners maps each device address and port to its server's listener.
	listeners map[netip.AddrPort]*pipeListener
	servers   []*http.Server
	// upnp are the devices announced over SSDP (see UPnPHousehold).
	upnp []*UPnPDevice
	// cameras are the ONVIF cameras (see Cameras); rtsp their RTSP listeners.
	cameras []*Camera
	rtsp    []*pipeListener
	wg      sync.WaitGroup
}

// NewDemo serves the devices of profile p (n as in Household) in the process.
func NewDemo(p Profile, n int) (*Demo, error) {
	devices, err := Household(p, n)
	if err != nil {
		return nil, err
	}
	d, err := serveInMemory(devices)
	if err != nil {
		return nil, err
	}
	d.serveUPnP(UPnPHousehold(p), Cameras(p))
	return d, nil
}

// serveInMemory serves devices in the process, as NewDemo does.
func serveInMemory(devices []*Device) (*Demo, error) {
	var err error
	d := &Demo{devices: devices, listeners: make(map[netip.AddrPort]*pipeListener)}
	for _, dev := range devices {
		h := dev.Handler()
		if h == nil {
			continue
		}
		for _, port := range slices.Concat(dev.HTTPPorts, dev.TLSPorts) {
			ap := netip.AddrPortFrom(dev.Addr, uint16(port))
			ln := &pipeListener{addr: net.TCPAddrFromAddrPort(ap), conns: make(chan net.Conn), closed: make(chan struct{})}
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
			d.listeners[ap], d.servers = ln, append(d.servers, srv)
			var served net.Listener = ln
			if slices.Contains(dev.TLSPorts, port) {
				if served, err = dev.serveTLS(ln); err != nil {
					d.Close()
					return nil, err
				}
			}
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				_ = srv.Serve(served)
			}()
		}
	}
	return d, nil
}

// Devices returns the devices the demo serves.
func (d *Demo) Devices() []*Device { return d.devices }

// DialContext connects to a demo device's port, as if over TCP. A port no
// device serves is refused, as a closed port is.
func (d *Demo) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return nil, fmt.Errorf("demo network: %w", err)
	}
	if strings.HasPrefix(network, "udp") {
		return d.dialUDP(ap)
	}
	ln, ok := d.listeners[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())]
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: net.TCPAddrFromAddrPort(ap), Err: syscall.ECONNREFUSED}
	}
	client, server := net.Pipe()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	select {
	case ln.conns <- &addrConn{Conn: server, local: ln.addr, remote: remote}:
		return &addrConn{Conn: client, local: remote, remote: ln.addr}, nil
	case <-ln.closed:
		client.Close()
		server.Close()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: ln.addr, Err: syscall.ECONNREFUSED}
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, ctx.Err()
	}
}

// Close stops every demo server.
func (d *Demo) Close() error {
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Close())
	}
	for _, ln := range d.rtsp {
		errs = append(errs, ln.Close())
	}
	d.wg.Wait()
	return errors.Join(errs...)
}

// pipeListener hands in-memory connections to an http.Server.
type pipeListener struct {
	addr   *net.TCPAddr
	conns  chan net.Conn
	once   sync.Once
	closed chan struct{}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return l.addr }

// addrConn is an in-memory connection that reports TCP addresses, so
// handlers that look at the local port (IPP) work as over TCP.
type addrConn struct {
	net.Conn
	local, remote net.Addr
}

func (c *addrConn) LocalAddr() net.Addr  { return c.local }
func (c *addrConn) RemoteAddr() net.Addr { return c.remote }
