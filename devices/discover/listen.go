package discover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// mdnsGroup is the IPv4 mDNS group and port (RFC 6762 §3).
var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// askTick is how often the assembler looks for missing records to ask for.
const askTick = 100 * time.Millisecond

// listen joins the mDNS group on ifaces (every interface that is up and can
// multicast, when empty), hands every answer heard to a, and asks for the
// records a misses, until ctx ends. Questions go out from port 5353, so
// the answers are multicast for every listener (RFC 6762 §6).
func (a *assembler) listen(ctx context.Context, ifaces []net.Interface) error {
	if len(ifaces) == 0 {
		ifaces = multicastInterfaces()
	}
	// Bound to the group's port on a multicast address, as the mDNS
	// library binds its own sockets: the system then delivers every mDNS
	// message to each of them.
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(224, 0, 0, 0), Port: mdnsGroup.Port})
	if err != nil {
		return fmt.Errorf("listening for mDNS answers: %w", err)
	}
	pc := ipv4.NewPacketConn(c)
	var joined []net.Interface
	for _, ifi := range ifaces {
		if pc.JoinGroup(&ifi, &net.UDPAddr{IP: mdnsGroup.IP}) == nil {
			joined = append(joined, ifi)
		}
	}
	if len(joined) == 0 {
		c.Close()
		return errors.New("listening for mDNS answers: no interface could join the mDNS group")
	}
	_ = pc.SetMulticastTTL(255)
	_ = pc.SetMulticastLoopback(true)
	stop := make(chan struct{})
	asked := make(chan struct{})
	go func() {
		defer close(asked)
		a.askUntil(ctx, stop, pc, joined)
	}()
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	defer func() {
		close(stop)
		<-asked
	}()
	buf := make([]byte, 65536)
	for {
		n, _, _, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			continue
		}
		var m dns.Msg
		if m.Unpack(buf[:n]) != nil {
			continue // hostile or broken: nothing in it is used
		}
		a.observe(&m, time.Now())
	}
}

// askUntil sends the assembler's questions, on every interface, until ctx
// ends or stop is closed.
func (a *assembler) askUntil(ctx context.Context, stop <-chan struct{}, pc *ipv4.PacketConn, ifaces []net.Interface) {
	tick := time.NewTicker(askTick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case now := <-tick.C:
			for _, qs := range a.questions(now) {
				m := &dns.Msg{Question: qs}
				buf, err := m.Pack()
				if err != nil {
					continue
				}
				for _, ifi := range ifaces {
					if pc.SetMulticastInterface(&ifi) == nil {
						_, _ = pc.WriteTo(buf, nil, mdnsGroup)
					}
				}
			}
		}
	}
}

// multicastInterfaces lists the interfaces that are up and can multicast.
func multicastInterfaces() []net.Interface {
	all, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []net.Interface
	for _, ifi := range all {
		if ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0 {
			out = append(out, ifi)
		}
	}
	return out
}
