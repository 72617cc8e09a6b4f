package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// mdnsGroup is the IPv4 mDNS multicast group and port (RFC 6762 §3).
var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// maxMessage bounds one mDNS message the responder sends (RFC 6762 §17).
const maxMessage = 9000

// recvBuffer is the receive buffer asked for the socket that hears
// questions (the system may grant less).
const recvBuffer = 4 << 20

// ResponderAddr is the address the lab's mDNS socket is bound to. Each
// device's answers leave it from the device's own address, as a real
// device's do (a scanner limits what one sender may announce); none is
// the host's own: avahi-daemon ignores answers from its interface's
// addresses (127.0.0.1 on loopback), taking them for its own.
var ResponderAddr = netip.AddrFrom4([4]byte{127, 77, 255, 254})

// responder answers mDNS questions from a zone, each device's records from
// the device's own address, and sends them as RFC 6762 §6 requires:
// multicast to the group, or unicast to the asker only when it asked for
// that (the QU bit) or asked from a port other than 5353 (legacy unicast).
// hashicorp/mdns's own Server replies to the asker's address and port even
// for multicast questions; on a host with several mDNS sockets on port 5353
// (one per browse, or avahi beside an app) only one of them would hear it.
type responder struct {
	zone *zone
	conn *ipv4.PacketConn // receives questions
	// out sends answers from port 5353, each from the address its device
	// has (IP_PKTINFO).
	out *ipv4.PacketConn
	// onQuery, when set, is called with every question received.
	onQuery func(dns.Question)
	// answering is how answers are packed.
	answering Answering

	wg     sync.WaitGroup
	closed chan struct{}
}

// newResponder listens for mDNS questions on iface (nil: the interface the
// multicast route names) and starts answering them from zone.
func newResponder(z *zone, iface *net.Interface, onQuery func(dns.Question), answering Answering) (*responder, error) {
	c, err := net.ListenMulticastUDP("udp4", iface, mdnsGroup)
	if err != nil {
		return nil, fmt.Errorf("listening for mDNS on %v: %w", mdnsGroup, err)
	}
	// The socket hears every answer too, each device's in messages of
	// its own: a question that arrives in their midst must not be lost.
	_ = c.SetReadBuffer(recvBuffer)
	conn := ipv4.NewPacketConn(c)
	if iface != nil {
		if err := conn.SetMulticastInterface(iface); err != nil {
			c.Close()
			return nil, fmt.Errorf("choosing the mDNS interface: %w", err)
		}
	}
	lc := net.ListenConfig{Control: reuseAddr}
	sc, err := lc.ListenPacket(context.Background(), "udp4", netip.AddrPortFrom(ResponderAddr, uint16(mdnsGroup.Port)).String())
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("opening the mDNS answer socket: %w", err)
	}
	send := ipv4.NewPacketConn(sc)
	if iface != nil {
		if err := send.SetMulticastInterface(iface); err != nil {
			c.Close()
			sc.Close()
			return nil, fmt.Errorf("choosing the mDNS interface: %w", err)
		}
	}
	_ = send.SetMulticastTTL(255)
	_ = send.SetMulticastLoopback(true)
	r := &responder{zone: z, conn: conn, out: send, onQuery: onQuery, answering: answering, closed: make(chan struct{})}
	r.wg.Add(1)
	go r.serve()
	return r, nil
}

// close stops the responder and waits for it.
func (r *responder) close() error {
	close(r.closed)
	err := errors.Join(r.conn.Close(), r.out.Close())
	r.wg.Wait()
	return err
}

func (r *responder) serve() {
	defer r.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, _, from, err := r.conn.ReadFrom(buf)
		if err != nil {
			select {
			case <-r.closed:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if n < 3 || buf[2]&0x80 != 0 { // too short, or a response (the QR bit)
			continue
		}
		var q dns.Msg
		if q.Unpack(buf[:n]) != nil || q.Response || q.Opcode != dns.OpcodeQuery {
			continue
		}
		udp, _ := from.(*net.UDPAddr)
		r.answer(&q, udp)
	}
}

// answer sends the zone's records for every question in q, each device's
// from its own address.
func (r *responder) answer(q *dns.Msg, from *net.UDPAddr) {
	legacy := from != nil && from.Port != mdnsGroup.Port
	var multicast, unicast []sent
	for _, question := range q.Question {
		if r.onQuery != nil {
			r.onQuery(question)
		}
		for _, s := range r.zone.records(question) {
			if r.answering == Minimal {
				s.rrs = slices.DeleteFunc(s.rrs, func(rr dns.RR) bool {
					return question.Qtype != dns.TypeANY && rr.Header().Rrtype != question.Qtype
				})
			}
			if question.Qclass&(1<<15) != 0 || legacy {
				unicast = addSent(unicast, s)
			} else {
				multicast = addSent(multicast, s)
			}
		}
	}
	for _, s := range multicast {
		r.later(r.messages(s.rrs, nil), mdnsGroup, s.from)
	}
	if from == nil {
		return
	}
	for _, s := range unicast {
		r.write(r.messages(s.rrs, q), from, s.from)
	}
}

// addSent adds s's records to those its sender already sends in to.
func addSent(to []sent, s sent) []sent {
	if len(s.rrs) == 0 {
		return to
	}
	if i := slices.IndexFunc(to, func(t sent) bool { return t.from == s.from }); i >= 0 {
		to[i].rrs = append(to[i].rrs, s.rrs...)
		return to
	}
	return append(to, s)
}

// later multicasts each message after its own random delay of 20 to 120 ms,
// as RFC 6762 §6 asks of a responder answering with shared records: a
// household of separate devices answers spread over that window, never in
// one burst.
func (r *responder) later(msgs []*dns.Msg, dst *net.UDPAddr, src netip.Addr) {
	for _, m := range msgs {
		delay := 20*time.Millisecond + time.Duration(rand.Int64N(int64(100*time.Millisecond)))
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			select {
			case <-time.After(delay):
				r.write([]*dns.Msg{m}, dst, src)
			case <-r.closed:
			}
		}()
	}
}

// announce multicasts every record of the zone's services once, each
// device its own, as a responder does when it starts (RFC 6762 §8.3).
func (r *responder) announce(types []string) {
	var all []sent
	for _, t := range types {
		for _, s := range r.zone.records(dns.Question{Name: t, Qtype: dns.TypePTR, Qclass: dns.ClassINET}) {
			if r.answering == Minimal {
				s.rrs = slices.DeleteFunc(s.rrs, func(rr dns.RR) bool { return rr.Header().Rrtype != dns.TypePTR })
			}
			all = addSent(all, s)
		}
	}
	for _, s := range all {
		r.write(r.messages(s.rrs, nil), mdnsGroup, s.from)
	}
}

// messages packs rrs into as many messages as it takes to keep each under
// maxMessage, never splitting the records of one instance (a PTR starts
// one), or, unless answering Together, one record per message. A legacy
// unicast reply (query set) echoes the query's id and question.
func (r *responder) messages(rrs []dns.RR, query *dns.Msg) []*dns.Msg {
	newMsg := func() *dns.Msg {
		m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}, Compress: true}
		if query != nil {
			m.Id = query.Id
			m.Question = query.Question
		}
		return m
	}
	var msgs []*dns.Msg
	if r.answering != Together {
		for _, rr := range rrs {
			m := newMsg()
			m.Answer = []dns.RR{rr}
			msgs = append(msgs, m)
		}
		return msgs
	}
	m := newMsg()
	for start := 0; start < len(rrs); {
		end := start + 1
		for end < len(rrs) && rrs[end].Header().Rrtype != dns.TypePTR {
			end++
		}
		group := rrs[start:end]
		m.Answer = append(m.Answer, group...)
		if m.Len() > maxMessage && len(m.Answer) > len(group) {
			m.Answer = m.Answer[:len(m.Answer)-len(group)]
			msgs = append(msgs, m)
			m = newMsg()
			m.Answer = append(m.Answer, group...)
		}
		start = end
	}
	if len(m.Answer) > 0 {
		msgs = append(msgs, m)
	}
	return msgs
}

// write sends each message to dst now, from src.
func (r *responder) write(msgs []*dns.Msg, dst *net.UDPAddr, src netip.Addr) {
	for _, m := range msgs {
		buf, err := m.Pack()
		if err != nil {
			slog.Warn("lab: packing an mDNS answer failed", "err", err)
			continue
		}
		r.send(buf, dst, src)
	}
}

// writeRaw sends bytes as they are to the mDNS group, from src: the
// hostile profile uses it for packets no DNS library would build.
func (r *responder) writeRaw(b []byte, src netip.Addr) {
	r.send(b, mdnsGroup, src)
}

// send sends one packet from src, port 5353.
func (r *responder) send(b []byte, dst *net.UDPAddr, src netip.Addr) {
	if _, err := r.out.WriteTo(b, &ipv4.ControlMessage{Src: src.AsSlice()}, dst); err != nil {
		slog.Debug("lab: sending an mDNS packet failed", "from", src, "err", err)
	}
}
