package ssdp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"golang.org/x/net/ipv4"
)

// Group is the SSDP multicast group and port (UDA 2.0 §1.1.2).
var Group = netip.MustParseAddrPort("239.255.255.250:1900")

// Group6 is SSDP's IPv6 link-local multicast group and port (UDA 2.0
// §1.1.2: FF02::C), sent to on each interface.
var Group6 = netip.MustParseAddrPort("[ff02::c]:1900")

// Defaults for Options.
const (
	// DefaultTimeout is how long a scan listens. Searches ask for answers
	// within MX = 1 second (UDA 2.0 §1.3.2); a second search follows in
	// case the first was lost.
	DefaultTimeout = 1300 * time.Millisecond
	// DefaultFetchTimeout bounds reading one description.
	DefaultFetchTimeout = 3 * time.Second
)

// Options configures a scan.
type Options struct {
	// Timeout is how long to listen for answers (DefaultTimeout when zero);
	// descriptions still being read then get up to FetchTimeout more.
	Timeout time.Duration
	// FetchTimeout bounds reading one description (DefaultFetchTimeout when zero).
	FetchTimeout time.Duration
	// Interface restricts the search to one network interface; empty
	// means every interface that is up and can multicast.
	Interface string
	// Network reaches the devices' descriptions (the real network when nil).
	Network devhttp.Network
	// Keep lists addresses of devices the caller knows: MaxDevices never
	// drops them (their sender's share still counts).
	Keep []netip.Addr
	// OnFound, when set, is called as each root device's description has
	// been read or could not be.
	OnFound func(Found)
}

// Result is what a scan found.
type Result struct {
	Found []Found
	// Dropped counts root devices ignored because a limit was reached.
	Dropped int
	Elapsed time.Duration
}

// searchTargets are the M-SEARCH targets sent: every device and service,
// and root devices (some answer only that).
var searchTargets = []string{"ssdp:all", "upnp:rootdevice"}

// SearchMessage is an M-SEARCH for target with MX 1 (UDA 2.0 §1.3.2).
func SearchMessage(target string) []byte { return searchMessage("239.255.255.250:1900", target) }

// SearchMessage6 is SearchMessage sent over IPv6, to FF02::C.
func SearchMessage6(target string) []byte { return searchMessage("[FF02::C]:1900", target) }

func searchMessage(host, target string) []byte {
	return []byte("M-SEARCH * HTTP/1.1\r\nHOST: " + host + "\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: " + target +
		"\r\nUSER-AGENT: Porchlight/1 UPnP/2.0 Porchlight/1\r\n\r\n")
}

// Scan searches for SSDP devices and hears their announcements for
// opts.Timeout, reading each root device's description. It fails only
// when it cannot send a search at all, or when ctx ends (with what it
// found so far).
func Scan(ctx context.Context, opts Options) (Result, error) {
	start := time.Now()
	timeout := cmp.Or(opts.Timeout, DefaultTimeout)
	c := newCollector(opts.Network, cmp.Or(opts.FetchTimeout, DefaultFetchTimeout), opts.Keep)
	c.onChange = opts.OnFound
	ifaces, err := discover.Interfaces(opts.Interface)
	if err != nil {
		return Result{}, err
	}
	uc, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		return Result{}, fmt.Errorf("opening a socket for SSDP searches: %w", err)
	}
	pc := ipv4.NewPacketConn(uc)
	_ = pc.SetMulticastTTL(2)
	_ = pc.SetMulticastLoopback(true)
	// Announcements (NOTIFY) go to the group; hearing them is a bonus, so
	// a port the system will not share costs nothing but them.
	var notify *net.UDPConn
	if opts.Interface != "" {
		notify, _ = net.ListenMulticastUDP("udp4", &ifaces[0], net.UDPAddrFromAddrPort(Group))
	} else {
		notify, _ = net.ListenMulticastUDP("udp4", nil, net.UDPAddrFromAddrPort(Group)) // the system's choice
	}
	// Over IPv6, searches go to FF02::C on each interface; answers come
	// back to this socket, and announcements to the group, heard as over
	// IPv4. A system without IPv6 is searched over IPv4 only.
	uc6, _ := net.ListenUDP("udp6", &net.UDPAddr{})
	var notify6 *net.UDPConn
	if opts.Interface != "" {
		notify6, _ = net.ListenMulticastUDP("udp6", &ifaces[0], net.UDPAddrFromAddrPort(Group6))
	} else {
		notify6, _ = net.ListenMulticastUDP("udp6", nil, net.UDPAddrFromAddrPort(Group6))
	}
	listenCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fetchCtx, cancelFetch := context.WithTimeout(ctx, timeout+cmp.Or(opts.FetchTimeout, DefaultFetchTimeout))
	defer cancelFetch()
	var wg sync.WaitGroup
	for _, conn := range []*net.UDPConn{uc, uc6, notify, notify6} {
		if conn == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			receive(fetchCtx, conn, c)
		}()
	}
	sent := 0
	for round := range 2 {
		for _, ifi := range ifaces {
			if pc.SetMulticastInterface(&ifi) != nil {
				continue
			}
			for _, st := range searchTargets {
				if _, err := pc.WriteTo(SearchMessage(st), nil, net.UDPAddrFromAddrPort(Group)); err == nil {
					sent++
				}
			}
		}
		for _, ifi := range ifaces {
			if uc6 == nil {
				break
			}
			to := &net.UDPAddr{IP: Group6.Addr().AsSlice(), Port: int(Group6.Port()), Zone: ifi.Name}
			for _, st := range searchTargets {
				if _, err := uc6.WriteToUDP(SearchMessage6(st), to); err == nil {
					sent++
				}
			}
		}
		if round == 0 {
			select {
			case <-listenCtx.Done():
			case <-time.After(300 * time.Millisecond):
			}
		}
	}
	<-listenCtx.Done()
	uc.Close()
	if uc6 != nil {
		uc6.Close()
	}
	for _, c := range []*net.UDPConn{notify, notify6} {
		if c != nil {
			c.Close()
		}
	}
	wg.Wait()
	c.fetches.Wait()
	res := Result{Found: c.found(), Dropped: c.dropped, Elapsed: time.Since(start)}
	if sent == 0 {
		return res, errors.New("cannot search for UPnP devices on this network: no interface could send")
	}
	return res, ctx.Err()
}

// receive hands every message read on conn to c until conn is closed.
func receive(ctx context.Context, conn *net.UDPConn, c *collector) {
	buf := make([]byte, MaxMessage+1)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				return
			}
			continue
		}
		if n > MaxMessage {
			continue
		}
		m, err := ParseMessage(buf[:n])
		if err != nil {
			continue // hostile, broken, or another scanner's search
		}
		c.add(ctx, m, from.Addr(), time.Now())
	}
}

// Feed hands messages to a scan that has no sockets: the demo household
// reports its devices' SSDP answers through it, and their descriptions are
// read as in a scan, through opts.Network. Each message is paired with
// its sender's address.
func Feed(ctx context.Context, opts Options, msgs []Packet) Result {
	start := time.Now()
	c := newCollector(opts.Network, cmp.Or(opts.FetchTimeout, DefaultFetchTimeout), opts.Keep)
	c.onChange = opts.OnFound
	for _, p := range msgs {
		if len(p.Data) > MaxMessage {
			continue
		}
		if m, err := ParseMessage(p.Data); err == nil {
			c.add(ctx, m, p.From, time.Now())
		}
	}
	c.fetches.Wait()
	return Result{Found: c.found(), Dropped: c.dropped, Elapsed: time.Since(start)}
}

// Packet is one SSDP message and the address it came from.
type Packet struct {
	From netip.Addr
	Data []byte
}
