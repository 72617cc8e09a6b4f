//go:build linux

package discover

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"

	"github.com/porchlight/porchlight/devices/netns"
)

// announcer multicasts mDNS messages on loopback from one address and
// port, as a device there would.
type announcer struct {
	pc *ipv4.PacketConn
}

// newAnnouncer opens a socket at from; the test fails outside an isolated
// network namespace.
func newAnnouncer(t *testing.T, from netip.AddrPort) *announcer {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1) })
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := lc.ListenPacket(context.Background(), "udp4", from.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	pc := ipv4.NewPacketConn(c)
	if err := pc.SetMulticastInterface(lo); err != nil {
		t.Fatal(err)
	}
	_ = pc.SetMulticastLoopback(true)
	return &announcer{pc: pc}
}

// device returns the complete answer of a device called name on host
// name.local at addr, announcing _http._tcp.
func device(name string, addr netip.Addr) *dns.Msg {
	inst, host := name+"._http._tcp.local.", name+".local."
	h := func(owner string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: owner, Rrtype: t, Class: dns.ClassINET, Ttl: 120}
	}
	return &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}, Answer: []dns.RR{
		&dns.PTR{Hdr: h("_http._tcp.local.", dns.TypePTR), Ptr: inst},
		&dns.SRV{Hdr: h(inst, dns.TypeSRV), Target: host, Port: 80},
		&dns.TXT{Hdr: h(inst, dns.TypeTXT), Txt: []string{"path=/"}},
		&dns.A{Hdr: h(host, dns.TypeA), A: addr.AsSlice()},
	}}
}

// repeat multicasts msgs every 50 ms until stop is called.
func (a *announcer) repeat(t *testing.T, msgs ...*dns.Msg) (stop func()) {
	t.Helper()
	var bufs [][]byte
	for _, m := range msgs {
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		bufs = append(bufs, b)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			for _, b := range bufs {
				_, _ = a.pc.WriteTo(b, nil, mdnsGroup)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { close(done); wg.Wait() }) }
	t.Cleanup(stop)
	return stop
}

// TestScanStreamsAndSettles checks that devices reach the caller while the
// scan runs, that a slow caller never stalls discovery, and that the scan
// ends once quiet, although the devices keep repeating themselves.
func TestScanStreamsAndSettles(t *testing.T) {
	lan := newAnnouncer(t, netip.MustParseAddrPort("127.77.9.1:5353"))
	stop := lan.repeat(t, device("a", netip.MustParseAddr("127.77.9.1")), device("b", netip.MustParseAddr("127.77.9.2")),
		device("c", netip.MustParseAddr("127.77.9.3")))
	first := make(chan struct{})
	var seen []string
	res, err := Scan(context.Background(), Options{Interface: "lo", Settle: 200 * time.Millisecond, Timeout: time.Minute}, func(e Event) {
		if len(seen) == 0 {
			close(first)
		}
		seen = append(seen, e.Device.Host)
		time.Sleep(100 * time.Millisecond) // a slow caller
	})
	stop()
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	select {
	case <-first:
	default:
		t.Fatal("no event reached the caller")
	}
	if len(res.Devices) != 3 || len(seen) < 1 {
		t.Errorf("found %d devices, %d events; want 3 devices", len(res.Devices), len(seen))
	}
	if res.Elapsed > 30*time.Second {
		t.Errorf("scan ran %v: it did not settle", res.Elapsed)
	}
}

// TestScanIgnoresAnswersFromOtherPorts: an answer multicast from a port
// other than 5353 is not used (RFC 6762 §6), one from port 5353 is, and
// neither is counted as dropped.
func TestScanIgnoresAnswersFromOtherPorts(t *testing.T) {
	good := newAnnouncer(t, netip.MustParseAddrPort("127.77.9.1:5353"))
	bad := newAnnouncer(t, netip.MustParseAddrPort("127.77.9.2:5354"))
	stopGood := good.repeat(t, device("good", netip.MustParseAddr("127.77.9.1")))
	stopBad := bad.repeat(t, device("bad", netip.MustParseAddr("127.77.9.2")))
	res, err := Scan(context.Background(), Options{Interface: "lo", Timeout: 3 * time.Second}, nil)
	stopGood()
	stopBad()
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, d := range res.Devices {
		hosts = append(hosts, d.Host)
	}
	if !slices.Equal(hosts, []string{"good.local"}) || res.Dropped != 0 {
		t.Errorf("found %v with %d dropped, want only good.local and none", hosts, res.Dropped)
	}
}

// TestScanSharesPerSender: a sender that floods many hosts keeps at most
// MaxHostsPerSender of them; a device answering from its own address is
// found all the same, and so is a flooded device the caller keeps.
func TestScanSharesPerSender(t *testing.T) {
	const flood = 3 * MaxHostsPerSender
	name := func(i int) string { return fmt.Sprintf("bogus-%03d", i) }
	var msgs []*dns.Msg
	for i := range flood {
		msgs = append(msgs, device(name(i), netip.AddrFrom4([4]byte{127, 66, 0, byte(i)})))
	}
	// The last one, never within the flooder's share.
	kept := Device{Host: name(flood-1) + ".local", Services: []Service{{Type: "_http._tcp", Instance: name(flood - 1)}}}
	flooder := newAnnouncer(t, netip.MustParseAddrPort("127.77.9.9:5353"))
	home := newAnnouncer(t, netip.MustParseAddrPort("127.77.9.1:5353"))
	stopFlood := flooder.repeat(t, msgs...)
	stopHome := home.repeat(t, device("kueche", netip.MustParseAddr("127.77.9.1")))
	res, err := Scan(context.Background(), Options{Interface: "lo", Timeout: 3 * time.Second, Keep: []Device{kept}}, nil)
	stopFlood()
	stopHome()
	if err != nil {
		t.Fatal(err)
	}
	bogus := 0
	var foundHome, foundKept bool
	for _, d := range res.Devices {
		foundHome = foundHome || d.Host == "kueche.local"
		foundKept = foundKept || d.Host == kept.Host
		if strings.HasPrefix(d.Host, "bogus-") {
			bogus++
		}
	}
	// The kept host counts toward the flooder's share, and is kept over it.
	if !foundHome || !foundKept || bogus > MaxHostsPerSender+1 || res.Dropped == 0 {
		t.Errorf("home found %v, kept %s found %v, %d flooded hosts kept (share %d), %d dropped",
			foundHome, kept.Host, foundKept, bogus, MaxHostsPerSender, res.Dropped)
	}
}

// TestListenFailsWithoutAnInterface: when no interface can join the mDNS
// group, listen fails (Scan then returns ErrNoMulticast) instead of
// scanning deaf.
func TestListenFailsWithoutAnInterface(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	if l, err := listen([]net.Interface{{Index: 1 << 20, Name: "gone"}}); err == nil {
		for _, s := range l.sockets {
			s.close()
		}
		t.Fatal("listen succeeded on an interface that does not exist")
	}
}
