package wsd

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"golang.org/x/net/ipv4"
)

// Group is the WS-Discovery multicast group and port (WS-Discovery 1.1 §3.1.1).
var Group = netip.MustParseAddrPort("239.255.255.250:3702")

// Limits on what a scan keeps.
const (
	// MaxDevices bounds the cameras one scan keeps.
	MaxDevices = 256
	// MaxPerSender bounds the endpoints one sender's answers add.
	MaxPerSender = 4
	// DefaultTimeout is how long a scan listens: ONVIF devices answer a
	// probe within a random delay of at most 500 ms (APP_MAX_DELAY).
	DefaultTimeout = 1300 * time.Millisecond
)

// Found is one device that answered a probe.
type Found struct {
	Addr      netip.Addr
	UUID      string
	Types     []string
	Scopes    []string
	XAddr     string
	Port      int
	Path      string
	FirstSeen time.Time
}

// Options configures a scan.
type Options struct {
	// Timeout is how long to listen (DefaultTimeout when zero).
	Timeout time.Duration
	// Interface restricts the probe to one interface (empty: every one
	// that is up and can multicast).
	Interface string
}

// Result is what a scan found.
type Result struct {
	Found   []Found
	Dropped int
	Elapsed time.Duration
}

// collector keeps what answered, bounded.
type collector struct {
	mu      sync.Mutex
	byKey   map[string]*Found
	senders map[netip.Addr]int
	dropped int
}

func newCollector() *collector {
	return &collector{byKey: map[string]*Found{}, senders: map[netip.Addr]int{}}
}

// add takes one ProbeMatches message from sender.
func (c *collector) add(b []byte, sender netip.Addr, now time.Time) {
	sender = sender.Unmap().WithZone("")
	if devhttp.CheckLocal(sender) != nil {
		return
	}
	if c.full(sender) {
		// Not even parsed: a flood's sender costs the reader nothing more,
		// so that it keeps up and the socket's buffer keeps room for the
		// answers of genuine cameras.
		c.mu.Lock()
		c.dropped++
		c.mu.Unlock()
		return
	}
	ms, err := ParseProbeMatches(b)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range ms {
		var port int
		var path, xaddr string
		for _, x := range m.XAddrs {
			if p, pa, err := ServiceURL(x, sender); err == nil {
				port, path, xaddr = p, pa, x
				break
			}
		}
		if xaddr == "" {
			continue // a camera describes itself, at its own address
		}
		key := sender.String() + " " + m.UUID
		if c.byKey[key] != nil {
			continue
		}
		if c.senders[sender] >= MaxPerSender || len(c.byKey) >= MaxDevices {
			c.dropped++
			continue
		}
		c.senders[sender]++
		c.byKey[key] = &Found{Addr: sender, UUID: m.UUID, Types: m.Types, Scopes: m.Scopes, XAddr: xaddr, Port: port, Path: path, FirstSeen: now}
	}
}

// full reports whether nothing more from sender can be kept.
func (c *collector) full(sender netip.Addr) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.senders[sender] >= MaxPerSender || len(c.byKey) >= MaxDevices
}

func (c *collector) result(start time.Time) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := Result{Dropped: c.dropped, Elapsed: time.Since(start)}
	for _, f := range c.byKey {
		r.Found = append(r.Found, *f)
	}
	slices.SortFunc(r.Found, func(a, b Found) int { return cmp.Or(a.Addr.Compare(b.Addr), cmp.Compare(a.UUID, b.UUID)) })
	return r
}

// Scan probes for ONVIF cameras twice, 300 ms apart, and hears the
// answers for opts.Timeout. It fails only when no probe could be sent,
// or when ctx ends (with what it found so far).
func Scan(ctx context.Context, opts Options) (Result, error) {
	start := time.Now()
	c := newCollector()
	ifaces, err := discover.Interfaces(opts.Interface)
	if err != nil {
		return Result{}, err
	}
	uc, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		return Result{}, fmt.Errorf("opening a socket for WS-Discovery: %w", err)
	}
	pc := ipv4.NewPacketConn(uc)
	_ = pc.SetMulticastTTL(1)
	_ = pc.SetMulticastLoopback(true)
	listenCtx, cancel := context.WithTimeout(ctx, cmp.Or(opts.Timeout, DefaultTimeout))
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, MaxMessage+1)
		for {
			n, from, err := uc.ReadFromUDPAddrPort(buf)
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			if n <= MaxMessage {
				c.add(buf[:n], from.Addr(), time.Now())
			}
		}
	}()
	sent := 0
	for round := range 2 {
		msg := ProbeMessage(messageID())
		for _, ifi := range ifaces {
			if pc.SetMulticastInterface(&ifi) != nil {
				continue
			}
			if _, err := pc.WriteTo(msg, nil, net.UDPAddrFromAddrPort(Group)); err == nil {
				sent++
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
	<-done
	res := c.result(start)
	if sent == 0 {
		return res, errors.New("cannot probe for cameras on this network: no interface could send")
	}
	return res, ctx.Err()
}

// Feed reads answers that arrived without a socket: the demo household
// reports its cameras' answers through it.
func Feed(msgs []Packet) Result {
	start := time.Now()
	c := newCollector()
	for _, p := range msgs {
		if len(p.Data) <= MaxMessage {
			c.add(p.Data, p.From, time.Now())
		}
	}
	return c.result(start)
}

// Packet is one message and the address it came from.
type Packet struct {
	From netip.Addr
	Data []byte
}

// messageID is a fresh "urn:uuid:…" (WS-Addressing MessageID).
func messageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
