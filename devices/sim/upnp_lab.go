package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
)

// ssdpGroup is the SSDP multicast group and port (UDA 2.0 §1.1.2).
var ssdpGroup = &net.UDPAddr{IP: net.IPv4(239, 255, 255, 250), Port: 1900}

// wsdGroup is the WS-Discovery multicast group and port (WS-Discovery 1.1 §3.1.1).
var wsdGroup = &net.UDPAddr{IP: net.IPv4(239, 255, 255, 250), Port: 3702}

// WSDFloodSize is how many bogus cameras the hostile household's
// WS-Discovery flood answers each probe with, all from WSDFloodAddr.
const WSDFloodSize = 500

// WSDFloodAddr is where the hostile household's WS-Discovery flood comes from.
var WSDFloodAddr = netip.AddrFrom4([4]byte{127, 77, 250, 98})

// SSDPFloodSize is how many bogus root devices the hostile household's
// flood answers each search with, all from SSDPFloodAddr.
const SSDPFloodSize = 2000

// upnpLab serves the UPnP devices of a lab: their HTTP (description,
// control, admin page) on their own addresses, and SSDP: answers to
// searches and alive announcements, each device's from its own address.
type upnpLab struct {
	devices []*UPnPDevice
	cameras []*Camera
	wsd     *net.UDPConn
	natpmp  []net.PacketConn
	rtsp    []net.Listener
	flood   bool
	servers []*http.Server
	listen  *net.UDPConn
	// out sends each device's SSDP messages from its address, by address.
	out    map[netip.Addr]*ipv4.PacketConn
	iface  *net.Interface
	wg     sync.WaitGroup
	closed chan struct{}
}

// startUPnP serves devices and cameras (flood adds the hostile SSDP
// flood) on iface (nil: the interface the multicast route names).
func startUPnP(devices []*UPnPDevice, cameras []*Camera, flood bool, iface *net.Interface) (*upnpLab, error) {
	u := &upnpLab{devices: devices, cameras: cameras, flood: flood, out: map[netip.Addr]*ipv4.PacketConn{}, iface: iface, closed: make(chan struct{})}
	if len(devices) == 0 {
		return u, nil
	}
	serve := func(name string, addr netip.Addr, port int, h http.Handler, wrap func(net.Listener, int) (net.Listener, error)) error {
		ap := netip.AddrPortFrom(addr, uint16(port)).String()
		ln, err := net.Listen("tcp", ap)
		if err != nil {
			return fmt.Errorf("device %q: listening on %s: %w", name, ap, err)
		}
		if wrap != nil {
			if ln, err = wrap(ln, port); err != nil {
				return err
			}
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
		u.servers = append(u.servers, srv)
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			_ = srv.Serve(ln)
		}()
		return nil
	}
	for _, d := range devices {
		for _, port := range d.Ports() {
			if err := serve(d.Name, d.Addr, port, d.Handler(), nil); err != nil {
				u.close()
				return nil, err
			}
		}
	}
	for _, c := range cameras {
		for _, port := range c.Ports() {
			if err := serve(c.Name, c.Addr, port, c.Handler(), c.Listen); err != nil {
				u.close()
				return nil, err
			}
		}
		ap := netip.AddrPortFrom(c.Addr, RTSPPort).String()
		ln, err := net.Listen("tcp", ap)
		if err != nil {
			u.close()
			return nil, fmt.Errorf("camera %q: listening on %s: %w", c.Name, ap, err)
		}
		u.rtsp = append(u.rtsp, ln)
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			serveRTSP(ln, c)
		}()
	}
	senders := []netip.Addr{}
	for _, d := range devices {
		senders = append(senders, d.Addr)
	}
	if flood {
		senders = append(senders, SSDPFloodAddr)
	}
	lc := net.ListenConfig{Control: reuseAddr}
	for _, d := range devices {
		if d.Kind != UPnPRouter {
			continue
		}
		pc, err := net.ListenPacket("udp4", netip.AddrPortFrom(d.Addr, natpmpPort).String())
		if err != nil {
			u.close()
			return nil, fmt.Errorf("opening the NAT-PMP socket of %s: %w", d.Addr, err)
		}
		u.natpmp = append(u.natpmp, pc)
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			buf := make([]byte, 1100)
			for {
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				if ans := d.NATPMP(buf[:n]); ans != nil {
					_, _ = pc.WriteTo(ans, from)
				}
			}
		}()
	}
	wsdSenders := []netip.Addr{}
	for _, c := range cameras {
		wsdSenders = append(wsdSenders, c.Addr)
	}
	if flood && len(cameras) > 0 {
		wsdSenders = append(wsdSenders, WSDFloodAddr)
	}
	for _, a := range wsdSenders {
		pc, err := lc.ListenPacket(context.Background(), "udp4", netip.AddrPortFrom(a, 3702).String())
		if err != nil {
			u.close()
			return nil, fmt.Errorf("opening the WS-Discovery socket of %s: %w", a, err)
		}
		u.out[a] = ipv4.NewPacketConn(pc)
	}
	for _, a := range senders {
		pc, err := lc.ListenPacket(context.Background(), "udp4", netip.AddrPortFrom(a, 1900).String())
		if err != nil {
			u.close()
			return nil, fmt.Errorf("opening the SSDP socket of %s: %w", a, err)
		}
		p := ipv4.NewPacketConn(pc)
		if iface != nil {
			_ = p.SetMulticastInterface(iface)
		}
		_ = p.SetMulticastLoopback(true)
		u.out[a] = p
	}
	c, err := net.ListenMulticastUDP("udp4", iface, ssdpGroup)
	if err != nil {
		u.close()
		return nil, fmt.Errorf("listening for SSDP on %v: %w", ssdpGroup, err)
	}
	u.listen = c
	if len(cameras) > 0 {
		if u.wsd, err = net.ListenMulticastUDP("udp4", iface, wsdGroup); err != nil {
			u.close()
			return nil, fmt.Errorf("listening for WS-Discovery on %v: %w", wsdGroup, err)
		}
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			u.answerProbes()
		}()
	}
	u.wg.Add(2)
	go func() {
		defer u.wg.Done()
		u.answer()
	}()
	go func() {
		defer u.wg.Done()
		u.announce()
	}()
	return u, nil
}

// answer reads searches and answers them, after a random delay within
// MX (here at most 100 ms), as UDA 2.0 §1.3.3 asks.
func (u *upnpLab) answer() {
	eachSearch(u.listen, func(st string, to *net.UDPAddr) {
		for _, d := range u.devices {
			msgs := d.SearchResponses(st)
			p := u.out[d.Addr]
			time.AfterFunc(time.Duration(rand.IntN(100))*time.Millisecond, func() {
				for _, m := range msgs {
					_, _ = p.WriteTo(m, nil, to)
				}
			})
		}
		if u.flood {
			p := u.out[SSDPFloodAddr]
			for i := range SSDPFloodSize {
				m := fmt.Sprintf("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://%s:%d/flood%d.xml\r\nSERVER: Flood/1 UPnP/1.0\r\nST: upnp:rootdevice\r\nUSN: uuid:f100d000-0000-0000-0000-%012d::upnp:rootdevice\r\n\r\n",
					SSDPFloodAddr, UPnPPort, i, i)
				_, _ = p.WriteTo([]byte(m), nil, to)
			}
		}
	})
}

// eachSearch reads SSDP messages on conn until it is closed, and passes
// each M-SEARCH's search target and sender to answer.
func eachSearch(conn *net.UDPConn, answer func(st string, from *net.UDPAddr)) {
	buf := make([]byte, 2048)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if st, ok := searchTarget(string(buf[:n])); ok {
			answer(st, net.UDPAddrFromAddrPort(from))
		}
	}
}

// answerProbes answers WS-Discovery probes for cameras, each camera from
// its own address after a random delay below 500 ms (WS-Discovery 1.1
// APP_MAX_DELAY), unicast to the prober (§5.3).
func (u *upnpLab) answerProbes() {
	buf := make([]byte, 8192)
	for {
		n, from, err := u.wsd.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		id, ok := probeMessageID(string(buf[:n]))
		if !ok {
			continue
		}
		to := net.UDPAddrFromAddrPort(from)
		for _, c := range u.cameras {
			msg, p := c.ProbeMatches(id), u.out[c.Addr]
			time.AfterFunc(time.Duration(rand.IntN(100))*time.Millisecond, func() { _, _ = p.WriteTo(msg, nil, to) })
		}
		if u.flood {
			p := u.out[WSDFloodAddr]
			for i := range WSDFloodSize {
				c := Camera{Name: fmt.Sprintf("Flood %d", i), Addr: WSDFloodAddr, UUID: fmt.Sprintf("f100d000-0000-4000-8000-%012d", i), Model: "Flood"}
				_, _ = p.WriteTo(c.ProbeMatches(id), nil, to)
			}
		}
	}
}

// searchTarget returns the ST of an M-SEARCH with MAN "ssdp:discover".
func searchTarget(msg string) (string, bool) {
	lines := strings.Split(msg, "\r\n")
	if !strings.HasPrefix(lines[0], "M-SEARCH * HTTP/1.1") {
		return "", false
	}
	var st string
	discover := false
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ":")
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "ST":
			st = strings.TrimSpace(v)
		case "MAN":
			discover = strings.TrimSpace(v) == `"ssdp:discover"`
		}
	}
	return st, discover && st != ""
}

// announce multicasts every device's alive announcements at once and
// then every 3 seconds until closed.
func (u *upnpLab) announce() {
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		for _, d := range u.devices {
			for _, m := range d.Notifies() {
				_, _ = u.out[d.Addr].WriteTo(m, nil, ssdpGroup)
			}
		}
		select {
		case <-u.closed:
			return
		case <-tick.C:
		}
	}
}

func (u *upnpLab) close() {
	close(u.closed)
	if u.listen != nil {
		u.listen.Close()
	}
	if u.wsd != nil {
		u.wsd.Close()
	}
	for _, pc := range u.natpmp {
		pc.Close()
	}
	for _, ln := range u.rtsp {
		ln.Close()
	}
	for _, p := range u.out {
		p.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range u.servers {
		if s.Shutdown(ctx) != nil {
			s.Close()
		}
	}
	u.wg.Wait()
}
