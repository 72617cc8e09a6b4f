package sim

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// attackServer serves the attacks of a household's hostile devices, each
// on its device's own address and ports. It keeps every connection it
// accepts, hijacked ones included, and every goroutine it starts, so that
// close ends all attacks at once, whatever their clients do.
type attackServer struct {
	// ctx is the base of every request's context; close cancels it, which
	// wakes the attacks that wait.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	conns   map[*trackedConn]struct{}
	servers []*http.Server // HTTP attacks
	lns     []net.Listener // every listener, HTTP attacks' included
	wg      sync.WaitGroup // serve and accept loops, attack handlers
}

// serveAttacks starts serving the attack of every device that has one.
func serveAttacks(devices []*Device) (*attackServer, error) {
	s := &attackServer{conns: make(map[*trackedConn]struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, d := range devices {
		if d.Attack == "" {
			continue
		}
		for _, port := range d.HTTPPorts {
			if err := s.serve(d, port); err != nil {
				s.close()
				return nil, err
			}
		}
	}
	return s, nil
}

// serve listens on one port of d and serves its attack there.
func (s *attackServer) serve(d *Device, port int) error {
	h, isHTTP := httpAttacks[d.Attack]
	serveConn, isTCP := tcpAttacks[d.Attack]
	if !isHTTP && !isTCP {
		return fmt.Errorf("device %q: no such attack %q", d.Host, d.Attack)
	}
	addr := netip.AddrPortFrom(d.Addr, uint16(port)).String()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("device %q: listening on %s: %w", d.Host, addr, err)
	}
	tl := &trackingListener{TCPListener: ln.(*net.TCPListener), s: s}
	s.lns = append(s.lns, tl)
	if isHTTP {
		srv := &http.Server{
			Handler:           s.counted(h),
			ReadHeaderTimeout: 5 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return s.ctx },
			ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug),
		}
		s.servers = append(s.servers, srv)
		s.spawn(func() {
			if err := srv.Serve(tl); s.ctx.Err() == nil {
				slog.Warn("lab: attack server stopped", "addr", addr, "err", err)
			}
		})
		return nil
	}
	s.spawn(func() { s.accept(tl, serveConn) })
	return nil
}

// accept runs serveConn on every connection ln accepts, until ln closes.
func (s *attackServer) accept(ln net.Listener, serveConn func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.ctx.Err() == nil {
				slog.Warn("lab: attack listener stopped", "addr", ln.Addr(), "err", err)
			}
			return
		}
		if !s.spawn(func() {
			defer c.Close()
			serveConn(c)
		}) {
			c.Close()
		}
	}
}

// counted makes h's calls part of what close waits for; once the server
// is closing, h is not called and the connection is dropped.
func (s *attackServer) counted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			panic(http.ErrAbortHandler)
		}
		defer s.wg.Done()
		h.ServeHTTP(w, r)
	})
}

// enter counts one more goroutine for close to wait for, unless the server
// is closing.
func (s *attackServer) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// spawn runs f in a goroutine close waits for, unless the server is closing.
func (s *attackServer) spawn(f func()) bool {
	if !s.enter() {
		return false
	}
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

// close ends every attack: it wakes the waiting ones, closes every
// listener and connection, and waits for every goroutine to return.
// Errors are of no interest: whatever was open is closed.
func (s *attackServer) close() {
	s.cancel() // first: whoever sees closed set sees the context done
	s.mu.Lock()
	s.closed = true
	conns := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, srv := range s.servers {
		_ = srv.Close()
	}
	for _, ln := range s.lns {
		_ = ln.Close() // a server that had not started serving has not closed its listener
	}
	for _, c := range conns {
		_ = c.Close() // hijacked and raw connections; others are closed already
	}
	s.wg.Wait()
}

// trackingListener records every connection it accepts in its server,
// until the connection is closed.
type trackingListener struct {
	*net.TCPListener
	s *attackServer
}

// Accept returns the next connection, or net.ErrClosed once the server is
// closing.
func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{TCPConn: c, s: l.s}
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if l.s.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	l.s.conns[tc] = struct{}{}
	return tc, nil
}

// trackedConn is a connection its server knows about until it is closed.
// It keeps the methods of *net.TCPConn (SetLinger, CloseWrite).
type trackedConn struct {
	*net.TCPConn
	s *attackServer
}

// Close closes the connection and forgets it.
func (c *trackedConn) Close() error {
	c.s.mu.Lock()
	delete(c.s.conns, c)
	c.s.mu.Unlock()
	return c.TCPConn.Close()
}
