package sim

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// SSDPAnswer is one SSDP (or WS-Discovery) message a simulated device
// sent, and its address.
type SSDPAnswer struct {
	From netip.Addr
	Data []byte
}

// serveUPnP serves devices' and cameras' HTTP in the process, beside the
// demo's others.
func (d *Demo) serveUPnP(devices []*UPnPDevice, cameras []*Camera) {
	d.upnp, d.cameras = devices, cameras
	serve := func(addr netip.Addr, port int, h http.Handler, wrap func(net.Listener, int) (net.Listener, error)) {
		ap := netip.AddrPortFrom(addr, uint16(port))
		ln := &pipeListener{addr: net.TCPAddrFromAddrPort(ap), conns: make(chan net.Conn), closed: make(chan struct{})}
		var served net.Listener = ln
		if wrap != nil {
			var err error
			if served, err = wrap(ln, port); err != nil {
				slog.Warn("the demo camera serves no TLS", "addr", ap, "err", err)
				return
			}
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
		d.listeners[ap], d.servers = ln, append(d.servers, srv)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			_ = srv.Serve(served)
		}()
	}
	for _, dev := range devices {
		for _, port := range dev.Ports() {
			serve(dev.Addr, port, dev.Handler(), nil)
		}
	}
	for _, c := range cameras {
		for _, port := range c.Ports() {
			serve(c.Addr, port, c.Handler(), c.Listen)
		}
		ap := netip.AddrPortFrom(c.Addr, RTSPPort)
		ln := &pipeListener{addr: net.TCPAddrFromAddrPort(ap), conns: make(chan net.Conn), closed: make(chan struct{})}
		d.listeners[ap], d.rtsp = ln, append(d.rtsp, ln)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			serveRTSP(ln, c)
		}()
	}
}

// serveRTSP answers RTSP on every connection ln accepts until it is closed.
func serveRTSP(ln net.Listener, c *Camera) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go c.ServeRTSP(conn)
	}
}

// Cameras returns the demo's ONVIF cameras.
func (d *Demo) Cameras() []*Camera { return d.cameras }

// WSDAnswers are what the demo's cameras answer to a WS-Discovery probe,
// each from its camera's address.
func (d *Demo) WSDAnswers() []SSDPAnswer {
	var out []SSDPAnswer
	for _, c := range d.cameras {
		out = append(out, SSDPAnswer{From: c.Addr, Data: c.ProbeMatches("urn:uuid:00000000-0000-4000-8000-000000000000")})
	}
	return out
}

// UPnPDevices returns the demo's devices that announce themselves over SSDP.
func (d *Demo) UPnPDevices() []*UPnPDevice { return d.upnp }

// SSDPAnswers are what the demo's UPnP devices answer to an M-SEARCH for
// ssdp:all, each from its device's address.
func (d *Demo) SSDPAnswers() []SSDPAnswer {
	var out []SSDPAnswer
	for _, dev := range d.upnp {
		for _, m := range dev.SearchResponses("ssdp:all") {
			out = append(out, SSDPAnswer{From: dev.Addr, Data: m})
		}
	}
	return out
}

// dialUDP is a datagram exchange with a demo router's NAT-PMP server: each
// message written is answered with one to read. Any other UDP port is
// silent, as a closed one is (the read times out).
func (d *Demo) dialUDP(ap netip.AddrPort) (net.Conn, error) {
	client, server := net.Pipe()
	var dev *UPnPDevice
	for _, u := range d.upnp {
		if u.Addr == ap.Addr().Unmap() && ap.Port() == natpmpPort && u.Kind == UPnPRouter {
			dev = u
		}
	}
	go func() {
		defer server.Close()
		buf := make([]byte, 1100)
		for {
			n, err := server.Read(buf)
			if err != nil {
				return
			}
			if dev == nil {
				continue
			}
			if ans := dev.NATPMP(buf[:n]); ans != nil {
				if _, err := server.Write(ans); err != nil {
					return
				}
			}
		}
	}()
	return client, nil
}
