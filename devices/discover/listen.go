package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// The mDNS groups and port, as socket addresses (RFC 6762 §3).
var (
	mdnsGroup  = &net.UDPAddr{IP: group4.AsSlice(), Port: mdnsPort}
	mdnsGroup6 = &net.UDPAddr{IP: group6.AsSlice(), Port: mdnsPort}
)

// askTick is how often the assembler looks for missing records to ask for.
const askTick = 100 * time.Millisecond

// recvBuffer is the receive buffer asked of the system for each socket (it
// may grant less): every device of a household answers a question within
// the same tenth of a second (RFC 6762 §6), each in messages of its own.
const recvBuffer = 4 << 20

// socket is one address family's mDNS socket.
type socket struct {
	// read returns the next message and how it arrived.
	read func(buf []byte) (int, arrival, error)
	// ask multicasts a message on ifi.
	ask    func(buf []byte, ifi *net.Interface) error
	close  func() error
	joined []net.Interface
}

// listener holds the sockets a scan or watch asks from and hears every
// mDNS answer on, with its sender.
type listener struct {
	sockets []*socket
	links   links
}

// listen opens an IPv4 and an IPv6 mDNS socket joined to the mDNS group on
// ifaces (every interface that is up and can multicast, when empty). It
// fails only when neither family can listen.
func listen(ifaces []net.Interface) (*listener, error) {
	if len(ifaces) == 0 {
		ifaces, _ = Interfaces("") // none listed: neither family listens, and listen says so
	}
	l := &listener{}
	s4, err4 := listen4(ifaces)
	if err4 == nil {
		l.sockets = append(l.sockets, s4)
	}
	s6, err6 := listen6(ifaces)
	if err6 == nil {
		l.sockets = append(l.sockets, s6)
	}
	if len(l.sockets) == 0 {
		return nil, fmt.Errorf("listening for mDNS answers: %w", errors.Join(err4, err6))
	}
	return l, nil
}

// listen4 opens the IPv4 socket. It is bound to the group's port on a
// multicast address: Go binds it to the wildcard address with the port
// shared, so that other mDNS software on the computer (avahi-daemon,
// mDNSResponder) keeps working, and the system delivers every mDNS message
// to each of them.
func listen4(ifaces []net.Interface) (*socket, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(224, 0, 0, 0), Port: mdnsPort})
	if err != nil {
		return nil, err
	}
	_ = c.SetReadBuffer(recvBuffer)
	pc := ipv4.NewPacketConn(c)
	s := &socket{close: c.Close}
	for _, ifi := range ifaces {
		if pc.JoinGroup(&ifi, mdnsGroup) == nil {
			s.joined = append(s.joined, ifi)
		}
	}
	if len(s.joined) == 0 {
		c.Close()
		return nil, errors.New("udp4: no interface could join the mDNS group")
	}
	// Not on Windows: there the source is held to the subnet rule.
	_ = pc.SetControlMessage(ipv4.FlagDst|ipv4.FlagInterface, true)
	_ = pc.SetMulticastTTL(255)
	_ = pc.SetMulticastLoopback(true)
	s.read = func(buf []byte) (int, arrival, error) {
		n, cm, src, err := pc.ReadFrom(buf)
		p := arrival{src: addrPort(src)}
		if cm != nil {
			p.dst, _ = netip.AddrFromSlice(cm.Dst)
			p.ifIndex = cm.IfIndex
		}
		return n, p, err
	}
	s.ask = func(buf []byte, ifi *net.Interface) error {
		if err := pc.SetMulticastInterface(ifi); err != nil {
			return err
		}
		_, err := pc.WriteTo(buf, nil, mdnsGroup)
		return err
	}
	return s, nil
}

// listen6 opens the IPv6 socket, like listen4.
func listen6(ifaces []net.Interface) (*socket, error) {
	c, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.ParseIP("ff02::"), Port: mdnsPort})
	if err != nil {
		return nil, err
	}
	_ = c.SetReadBuffer(recvBuffer)
	pc := ipv6.NewPacketConn(c)
	s := &socket{close: c.Close}
	for _, ifi := range ifaces {
		if pc.JoinGroup(&ifi, mdnsGroup6) == nil {
			s.joined = append(s.joined, ifi)
		}
	}
	if len(s.joined) == 0 {
		c.Close()
		return nil, errors.New("udp6: no interface could join the mDNS group")
	}
	_ = pc.SetControlMessage(ipv6.FlagDst|ipv6.FlagInterface, true)
	_ = pc.SetMulticastHopLimit(255)
	_ = pc.SetMulticastLoopback(true)
	s.read = func(buf []byte) (int, arrival, error) {
		n, cm, src, err := pc.ReadFrom(buf)
		p := arrival{src: addrPort(src)}
		if cm != nil {
			p.dst, _ = netip.AddrFromSlice(cm.Dst)
			p.ifIndex = cm.IfIndex
		}
		return n, p, err
	}
	s.ask = func(buf []byte, ifi *net.Interface) error {
		if err := pc.SetMulticastInterface(ifi); err != nil {
			return err
		}
		_, err := pc.WriteTo(buf, nil, mdnsGroup6)
		return err
	}
	return s, nil
}

// addrPort returns a UDP sender's address (IPv4 unmapped) and port.
func addrPort(a net.Addr) netip.AddrPort {
	u, ok := a.(*net.UDPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := u.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// serve sends a's questions and hands every answer heard that comes from
// the local link (see fromLink) to a, with its sender, until ctx ends;
// then it closes the sockets. Questions go out from port 5353, so the
// answers are multicast for every listener (RFC 6762 §6).
func (l *listener) serve(ctx context.Context, a *assembler) {
	var wg sync.WaitGroup
	for _, s := range l.sockets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.receive(ctx, s, a)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.askUntil(ctx, a)
	}()
	<-ctx.Done()
	for _, s := range l.sockets {
		s.close()
	}
	wg.Wait()
}

// receive reads s until it is closed.
func (l *listener) receive(ctx context.Context, s *socket, a *assembler) {
	buf := make([]byte, 65536)
	for {
		n, p, err := s.read(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if !l.fromLink(p) {
			continue // RFC 6762 §6, §11: silently discarded
		}
		var m dns.Msg
		if m.Unpack(buf[:n]) != nil {
			continue // hostile or broken: nothing in it is used
		}
		a.observe(&m, p.src.Addr(), time.Now())
	}
}

// fromLink applies fromLink, reading the interfaces' prefixes only for a
// response that needs them.
func (l *listener) fromLink(p arrival) bool {
	if fromLink(p, nil) {
		return true
	}
	return p.src.Port() == mdnsPort && fromLink(p, l.links.prefixes(p.ifIndex, time.Now()))
}

// askUntil sends the assembler's questions, at once and then every
// askTick, on every socket and joined interface, until ctx ends. The first
// questions' time is taken before the ticker starts, so that a question
// due a whole number of ticks later (the first repeat, firstRepeat) goes
// out at that tick and not one tick late.
func (l *listener) askUntil(ctx context.Context, a *assembler) {
	now := time.Now()
	tick := time.NewTicker(askTick)
	defer tick.Stop()
	for {
		for _, qs := range a.questions(now) {
			m := &dns.Msg{Question: qs}
			buf, err := m.Pack()
			if err != nil {
				continue
			}
			for _, s := range l.sockets {
				for _, ifi := range s.joined {
					if err := s.ask(buf, &ifi); err != nil {
						slog.Debug("sending an mDNS question failed", "interface", ifi.Name, "err", err)
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case now = <-tick.C:
		}
	}
}

// Interfaces returns the network interface named, or with name empty every
// interface that is up and can multicast: where a scan asks and listens
// (mDNS here, SSDP and WS-Discovery beside it).
func Interfaces(name string) ([]net.Interface, error) {
	if name != "" {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("network interface %q: %w", name, err)
		}
		return []net.Interface{*ifi}, nil
	}
	all, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("listing network interfaces: %w", err)
	}
	var out []net.Interface
	for _, ifi := range all {
		if ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0 {
			out = append(out, ifi)
		}
	}
	return out, nil
}
