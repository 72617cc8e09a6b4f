// Package discover finds the devices on the home network over mDNS/DNS-SD
// and merges the services each host announces into one device. It is a
// small mDNS querier of its own (miekg/dns reads and writes the messages)
// that knows who sent each answer, and treats every packet as hostile:
// only answers from the local link are used (RFC 6762 §6, §11), names are
// decoded and made safe for display, and all that it keeps is bounded, in
// all and per sender.
package discover

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// Defaults for Options.
const (
	// DefaultTimeout is the longest a scan runs.
	DefaultTimeout = 10 * time.Second
	// DefaultSettle ends a scan once nothing new has arrived for this long
	// (after MinDuration).
	DefaultSettle = 400 * time.Millisecond
	// MinDuration is the shortest a settling scan runs. RFC 6762 §6 forbids
	// a responder to multicast a record again within one second, and adds
	// 20-120 ms before answering a shared record: a device that has just
	// answered someone else (or announced itself, or answered our previous
	// scan) answers our first question up to about 1.1 s late, or not at
	// all (avahi-daemon drops an answer it multicast less than 500 ms
	// before) and then our second, a second after the first (see Scan).
	MinDuration = 1300 * time.Millisecond
)

// Options configures a scan or a watch.
type Options struct {
	// Timeout is the longest a scan runs (DefaultTimeout when zero). Watch ignores it.
	Timeout time.Duration
	// Settle ends a scan, once it has run for MinDuration and asked every
	// browsed type twice, when nothing new (device, service, address or
	// service type) has arrived and no browse question was sent for this
	// long (DefaultSettle when zero; a negative value runs until Timeout).
	// Watch ignores it.
	Settle time.Duration
	// Interface restricts discovery to the network interface with this name;
	// empty means every interface that is up and can multicast.
	Interface string
	// Keep lists the devices the caller knows (their Host, and each
	// service's Type and Instance, are what count): no limit drops their
	// announcements, neither MaxDevices nor a sender's share (see
	// MaxHostsPerSender), so that a flood cannot hide a device the person
	// has seen or claimed. They still count toward their sender's share:
	// the hosts a flood once slipped in do not let it grow.
	Keep []Device
}

// Event reports a device that appeared, changed or, in a Watch, went away.
type Event struct {
	Device Device
	// Gone is set when every announcement of the device has expired.
	Gone bool
}

// Result is what a scan found.
type Result struct {
	// Devices are sorted by name, then host.
	Devices []Device
	// Types are the service types that were browsed, sorted.
	Types []string
	// Dropped counts announcements ignored because a limit was reached
	// (MaxDevices, MaxServicesPerDevice, MaxExtraTypes, or a sender's
	// share: MaxHostsPerSender, MaxInstancesPerSender, MaxTypesPerSender),
	// and records not kept for putting instances together because that
	// cache was full. Answers from off the local link are not used and
	// not counted (RFC 6762 §11: silently discarded).
	Dropped int
	// Elapsed is how long the scan ran.
	Elapsed time.Duration
}

// ErrNoMulticast means mDNS could not listen on any interface.
var ErrNoMulticast = errors.New("cannot listen for devices on this network")

// Scan discovers the devices on the network. It browses the DNS-SD
// meta-query and KnownTypes, then every type the meta-query reveals, and
// calls onEvent (if not nil) from a single goroutine each time a device
// appears or changes, while the scan runs. A slow onEvent never stalls
// discovery: changes that arrive meanwhile are folded into the next call. The
// scan ends when nothing new has arrived for opts.Settle, when opts.Timeout
// passes, or when ctx ends; only the last returns an error (ctx.Err()).
// A settling scan runs at least MinDuration (or Timeout, if shorter), and
// until opts.Settle after it asked every browsed type the second time (one
// second after the first: 1.4 s with the default Settle), since a
// responder may hold back its answer to the first question (RFC 6762 §6).
func Scan(ctx context.Context, opts Options, onEvent func(Event)) (Result, error) {
	timeout := cmp.Or(opts.Timeout, DefaultTimeout)
	settle := cmp.Or(opts.Settle, DefaultSettle)
	scanCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	e, err := newEngine(opts, onEvent)
	if err != nil {
		return Result{}, err
	}
	l, err := listen(e.ifaces)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrNoMulticast, err)
	}
	if settle > 0 {
		go e.cancelWhenSettled(scanCtx, settle, cancel)
	}
	e.run(scanCtx, l)
	return e.result(), ctx.Err()
}

// Watch discovers devices like Scan but keeps going until ctx ends, reporting
// devices that appear, change, or go away because their announcements
// expired. It returns nil when ctx ends, or an error when it cannot listen at all.
func Watch(ctx context.Context, opts Options, onEvent func(Event)) error {
	e, err := newEngine(opts, onEvent)
	if err != nil {
		return err
	}
	l, err := listen(e.ifaces)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoMulticast, err)
	}
	go e.expireUntil(ctx, time.Second)
	e.run(ctx, l)
	return nil
}

// engine holds the state of one scan or watch.
type engine struct {
	ifaces  []net.Interface
	onEvent func(Event)
	started time.Time
	keep    keepSet

	mu         sync.Mutex
	devices    map[string]*Device // by lower-case host name
	types      map[string]bool    // browsed service types
	extraTypes int
	// typesFrom counts the extra types each sender added.
	typesFrom  map[netip.Addr]int
	dropped    int
	lastChange time.Time
	pending    map[string]bool // hosts changed since the last onEvent
	gone       []Device        // devices expired since the last onEvent
	// asm asks, and puts together instances from the answers heard.
	asm *assembler

	wake chan struct{}
}

func newEngine(opts Options, onEvent func(Event)) (*engine, error) {
	e := &engine{
		onEvent:   onEvent,
		started:   time.Now(),
		keep:      newKeepSet(opts.Keep),
		devices:   make(map[string]*Device),
		types:     make(map[string]bool),
		typesFrom: make(map[netip.Addr]int),
		pending:   make(map[string]bool),
		wake:      make(chan struct{}, 1),
	}
	e.lastChange = e.started
	e.asm = newAssembler(e.add, e.addType, e.keep)
	if opts.Interface != "" {
		ifaces, err := Interfaces(opts.Interface)
		if err != nil {
			return nil, err
		}
		e.ifaces = ifaces
	}
	return e, nil
}

// run browses, hearing the answers on l, until ctx ends and every
// delivery has finished.
func (e *engine) run(ctx context.Context, l *listener) {
	e.asm.enumerate()
	for _, t := range KnownTypes {
		e.browse(t)
	}
	stop, delivered := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(delivered)
		e.deliver(stop)
	}()
	l.serve(ctx, e.asm)
	close(stop)
	<-delivered
}

// browse starts browsing typ, unless it already is.
func (e *engine) browse(typ string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.types[typ] {
		return
	}
	e.types[typ] = true
	e.lastChange = time.Now()
	e.asm.browse(typ)
}

// addType starts browsing a service type sender from's answer to the
// meta-query revealed, while there is room in all and in from's share.
func (e *engine) addType(typ string, from netip.Addr) {
	e.mu.Lock()
	known := e.types[typ]
	full := e.extraTypes >= MaxExtraTypes || e.typesFrom[from] >= MaxTypesPerSender
	if !known && full {
		e.dropped++
	}
	if !known && !full {
		e.extraTypes++
		e.typesFrom[from]++
	}
	e.mu.Unlock()
	if !known && !full {
		e.browse(typ)
	}
}

// add merges one resolved service into its device.
func (e *engine) add(typ string, se *entry) {
	now := time.Now()
	r, ok := fromEntry(se, typ, now)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.devices[r.hostKey]
	if d == nil {
		if len(e.devices) >= MaxDevices && !e.keep.host(r.hostKey) {
			e.dropped++
			return
		}
		d = &Device{Host: r.host, FirstSeen: now}
		e.devices[r.hostKey] = d
	}
	if len(d.Services) >= MaxServicesPerDevice && !slices.ContainsFunc(d.Services, func(s Service) bool {
		return s.Type == r.service.Type && s.Instance == r.service.Instance
	}) {
		e.dropped++
		return
	}
	if d.merge(r.service, r.addrs, now) {
		e.lastChange = now
		e.pending[r.hostKey] = true
		e.signal()
	}
}

func (e *engine) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// deliver calls onEvent with the devices that changed, from one goroutine,
// until stop is closed; then it delivers what is left and returns.
func (e *engine) deliver(stop <-chan struct{}) {
	for {
		select {
		case <-e.wake:
			e.flush()
		case <-stop:
			e.flush()
			return
		}
	}
}

// flush hands every pending change to onEvent, outside the lock.
func (e *engine) flush() {
	e.mu.Lock()
	events := make([]Event, 0, len(e.pending)+len(e.gone))
	for _, d := range e.gone {
		events = append(events, Event{Device: d, Gone: true})
	}
	for k := range e.pending {
		if d, ok := e.devices[k]; ok {
			events = append(events, Event{Device: d.clone()})
		}
	}
	clear(e.pending)
	e.gone = nil
	e.mu.Unlock()
	if e.onEvent == nil {
		return
	}
	slices.SortFunc(events, func(a, b Event) int { return a.Device.FirstSeen.Compare(b.Device.FirstSeen) })
	for _, ev := range events {
		e.onEvent(ev)
	}
}

// cancelWhenSettled calls cancel once the scan has run for MinDuration and
// nothing new has arrived for settle.
func (e *engine) cancelWhenSettled(ctx context.Context, settle time.Duration, cancel context.CancelFunc) {
	tick := time.NewTicker(min(settle/10, 50*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			e.mu.Lock()
			quiet := now.Sub(e.lastChange)
			e.mu.Unlock()
			if quiet >= settle && now.Sub(e.started) >= MinDuration && e.asm.askedTwice(now, settle) {
				cancel()
				return
			}
		}
	}
}

// expireUntil drops expired services every interval until ctx ends.
func (e *engine) expireUntil(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			e.expire(now)
		}
	}
}

// expire drops the services whose announcements ran out and the devices left
// with none.
func (e *engine) expire(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	changed := false
	for k, d := range e.devices {
		if !d.expire(now) {
			continue
		}
		changed = true
		if len(d.Services) == 0 {
			e.gone = append(e.gone, d.clone())
			delete(e.devices, k)
			delete(e.pending, k)
			continue
		}
		e.pending[k] = true
	}
	if changed {
		e.signal()
	}
}

// result returns what was found so far.
func (e *engine) result() Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	res := Result{Dropped: e.dropped + e.asm.droppedRecords(), Elapsed: time.Since(e.started)}
	for _, d := range e.devices {
		res.Devices = append(res.Devices, d.clone())
	}
	slices.SortFunc(res.Devices, func(a, b Device) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Host, b.Host))
	})
	for t := range e.types {
		res.Types = append(res.Types, t)
	}
	slices.Sort(res.Types)
	return res
}
