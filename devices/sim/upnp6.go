package sim

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// ssdp6Group is SSDP's IPv6 link-local multicast group and port (UDA 2.0
// §1.1.2: FF02::C).
var ssdp6Group = &net.UDPAddr{IP: net.ParseIP("ff02::c"), Port: 1900}

// UPnP6 is one simulated UPnP device answering over IPv6 (see ServeUPnP6).
type UPnP6 struct {
	closed chan struct{}
	listen *net.UDPConn
	out    *net.UDPConn
	srv    *http.Server
	wg     sync.WaitGroup
}

// ServeUPnP6 serves d over IPv6 on ifi, as a dual-stack device does: it
// answers M-SEARCHes sent to FF02::C there from d.Addr (an IPv6 address
// of ifi, link-local or ULA), after a random delay within MX, and serves
// its description at d.Addr (the LOCATION names the address without its
// zone, as a device writes it). Close stops it.
func ServeUPnP6(d *UPnPDevice, ifi *net.Interface) (*UPnP6, error) {
	return serveUPnP6(d, ifi, true)
}

// AnnounceUPnP6 serves d over IPv6 on ifi as ServeUPnP6 does, but answers
// no search: it announces itself (ssdp:alive to FF02::C) at once and then
// every 200 ms until closed, as a device heard only through its NOTIFYs.
func AnnounceUPnP6(d *UPnPDevice, ifi *net.Interface) (*UPnP6, error) {
	return serveUPnP6(d, ifi, false)
}

func serveUPnP6(d *UPnPDevice, ifi *net.Interface, answer bool) (*UPnP6, error) {
	if !d.Addr.Is6() || d.Addr.Zone() != "" {
		return nil, fmt.Errorf("device %q: %s is not an IPv6 address without a zone", d.Name, d.Addr)
	}
	local := d.Addr
	if local.IsLinkLocalUnicast() {
		local = local.WithZone(ifi.Name)
	}
	u := &UPnP6{closed: make(chan struct{})}
	ln, err := net.Listen("tcp6", netip.AddrPortFrom(local, UPnPPort).String())
	if err != nil {
		return nil, fmt.Errorf("device %q: listening on %s: %w", d.Name, local, err)
	}
	u.srv = &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		_ = u.srv.Serve(ln)
	}()
	if u.out, err = net.ListenUDP("udp6", net.UDPAddrFromAddrPort(netip.AddrPortFrom(local, 0))); err != nil {
		u.Close()
		return nil, fmt.Errorf("device %q: the SSDP socket at %s: %w", d.Name, local, err)
	}
	if !answer {
		to := &net.UDPAddr{IP: ssdp6Group.IP, Port: ssdp6Group.Port, Zone: ifi.Name}
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for {
				for _, m := range d.Notifies() {
					_, _ = u.out.WriteToUDP(bytes.Replace(m, []byte("239.255.255.250:1900"), []byte("[FF02::C]:1900"), 1), to)
				}
				select {
				case <-u.closed:
					return
				case <-tick.C:
				}
			}
		}()
		return u, nil
	}
	if u.listen, err = net.ListenMulticastUDP("udp6", ifi, ssdp6Group); err != nil {
		u.Close()
		return nil, fmt.Errorf("device %q: listening for SSDP on %v: %w", d.Name, ssdp6Group, err)
	}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		eachSearch(u.listen, func(st string, to *net.UDPAddr) {
			msgs := d.SearchResponses(st)
			time.AfterFunc(time.Duration(rand.IntN(100))*time.Millisecond, func() {
				for _, m := range msgs {
					_, _ = u.out.WriteToUDP(m, to)
				}
			})
		})
	}()
	return u, nil
}

// Close stops answering and serving.
func (u *UPnP6) Close() {
	close(u.closed)
	if u.listen != nil {
		u.listen.Close()
	}
	if u.out != nil {
		u.out.Close()
	}
	_ = u.srv.Close()
	u.wg.Wait()
}
