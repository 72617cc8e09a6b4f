package ssdp

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on what a scan keeps, so that a flood cannot crowd out the
// household; what is over them is counted in Result.Dropped.
const (
	// MaxDevices bounds the root devices (descriptions) one scan keeps.
	MaxDevices = 256
	// MaxPerSender bounds the root devices one sender's messages add: a
	// router may announce a few (an IGD, a TR-064 device, a media server),
	// never more.
	MaxPerSender = 8
	// maxTargets bounds the search targets and notification types kept
	// per root device (each embedded device and service has its own).
	maxTargets = 24
	// maxFetches bounds the descriptions read at once.
	maxFetches = 8
)

// Found is one root device heard over SSDP and, once read, its description.
type Found struct {
	// Addr is the address its messages came from.
	Addr netip.Addr
	// UUID is the root device's UUID from the first USN heard.
	UUID string
	// Location is the description's URL, at Addr.
	Location string
	Port     int
	Path     string
	// Targets are the search targets and notification types heard.
	Targets []string
	Server  string
	// Description is the description read, nil until read or when it
	// could not be; Err then says why.
	Description *Description
	Err         string
	FirstSeen   time.Time
	LastSeen    time.Time
}

// collector keeps the root devices heard, bounded, and reads each one's
// description once, through devhttp.
type collector struct {
	network devhttp.Network
	timeout time.Duration
	keep    map[netip.Addr]bool

	mu      sync.Mutex
	byLoc   map[string]*Found // by sender and location
	senders map[netip.Addr]int
	dropped int

	fetches sync.WaitGroup
	sem     chan struct{}
	// onChange, when set, is called (outside the lock) when a device's
	// description has been read or could not be.
	onChange func(Found)
}

func newCollector(n devhttp.Network, timeout time.Duration, keep []netip.Addr) *collector {
	c := &collector{network: n, timeout: timeout, keep: map[netip.Addr]bool{}, byLoc: map[string]*Found{},
		senders: map[netip.Addr]int{}, sem: make(chan struct{}, maxFetches)}
	for _, a := range keep {
		c.keep[a.Unmap()] = true
	}
	return c
}

// add takes one message from sender and, for a root device not heard
// before, starts reading its description under ctx.
func (c *collector) add(ctx context.Context, m Message, sender netip.Addr, now time.Time) {
	sender = sender.Unmap()
	if !sender.Is6() || !sender.IsLinkLocalUnicast() {
		sender = sender.WithZone("") // only a link-local address needs its interface
	}
	if devhttp.CheckLocal(sender) != nil {
		return // Porchlight never contacts an address outside the home network
	}
	if m.Kind == ByeBye {
		c.bye(sender, UUID(m.USN))
		return
	}
	port, path, err := DescriptionURL(m.Location, sender)
	if err != nil {
		return // a device describes itself, at its own address
	}
	key := sender.String() + " " + m.Location
	c.mu.Lock()
	f := c.byLoc[key]
	if f == nil {
		if c.senders[sender] >= MaxPerSender || (len(c.byLoc) >= MaxDevices && !c.keep[sender]) {
			c.dropped++
			c.mu.Unlock()
			return
		}
		c.senders[sender]++
		f = &Found{Addr: sender, UUID: UUID(m.USN), Location: m.Location, Port: port, Path: path, Server: m.Server, FirstSeen: now}
		c.byLoc[key] = f
		c.fetches.Add(1)
		go c.describe(ctx, key)
	}
	f.LastSeen = now
	if m.Target != "" && !slices.Contains(f.Targets, m.Target) && len(f.Targets) < maxTargets {
		f.Targets = append(f.Targets, m.Target)
	}
	c.mu.Unlock()
}

// bye forgets the root device with uuid that sender announced.
func (c *collector) bye(sender netip.Addr, uuid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, f := range c.byLoc {
		if f.Addr == sender && f.UUID == uuid {
			delete(c.byLoc, k)
		}
	}
}

// describe reads the description of the device at key.
func (c *collector) describe(ctx context.Context, key string) {
	defer c.fetches.Done()
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return
	}
	c.mu.Lock()
	f := c.byLoc[key]
	if f == nil {
		c.mu.Unlock()
		return
	}
	addr, port, path := f.Addr, f.Port, f.Path
	c.mu.Unlock()
	d, err := Describe(ctx, c.network, addr, port, path, c.timeout)
	c.mu.Lock()
	if f = c.byLoc[key]; f == nil {
		c.mu.Unlock()
		return
	}
	if err != nil {
		f.Err = devtext.Clean(err.Error(), devtext.Message)
	} else {
		f.Description = &d
	}
	out := f.clone()
	c.mu.Unlock()
	if c.onChange != nil {
		c.onChange(out)
	}
}

// Describe reads the description at path on port of the device at addr,
// through n (the real network when nil), with devhttp's bounds.
func Describe(ctx context.Context, n devhttp.Network, addr netip.Addr, port int, path string, timeout time.Duration) (Description, error) {
	res, err := devhttp.New(n, addr, timeout).Do(ctx, devhttp.Request{Port: port, Path: path})
	if err != nil {
		return Description{}, fmt.Errorf("reading the device description: %w", err)
	}
	switch {
	case res.Status < 200 || res.Status > 299:
		return Description{}, fmt.Errorf("%s: %w %d", res.Asked, devhttp.ErrStatus, res.Status)
	case res.Truncated || len(res.Body) > MaxDescription:
		return Description{}, fmt.Errorf("%s: %w: larger than %d bytes", res.Asked, ErrDescription, MaxDescription)
	}
	d, err := ParseDescription(res.Body)
	if err != nil {
		return Description{}, fmt.Errorf("%s: %w", res.Asked, err)
	}
	return d, nil
}

// found returns every root device, once its description has been read
// or could not be, sorted by address and location.
func (c *collector) found() []Found {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Found, 0, len(c.byLoc))
	for _, f := range c.byLoc {
		out = append(out, f.clone())
	}
	slices.SortFunc(out, func(a, b Found) int {
		if n := a.Addr.Compare(b.Addr); n != 0 {
			return n
		}
		return compareStrings(a.Location, b.Location)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (f *Found) clone() Found {
	c := *f
	c.Targets = slices.Clone(f.Targets)
	return c
}
