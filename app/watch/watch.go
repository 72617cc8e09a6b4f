// Package watch keeps watch over the household while Porchlight runs, with
// or without a window: it looks for devices at a gentle interval, checks
// again the devices whose state may have changed, gives the whole
// household a checkup once a day, and turns what changed into events kept
// in the data directory (see package events). A device that only moved to
// another address is no event.
package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/events"
)

// Intervals between looks.
const (
	// DefaultInterval is how often the watcher looks when not told.
	DefaultInterval = 15 * time.Minute
	// MinInterval is the most often it ever looks: devices answer every
	// look, and a household's network is no place for a flood of questions.
	MinInterval = time.Minute
	// FullEvery is how often the whole household has a checkup.
	FullEvery = 24 * time.Hour
	// GoneAfter is how long a claimed device may stay unseen before it
	// counts as gone.
	GoneAfter = 24 * time.Hour
	// jitter spreads the looks by up to this fraction of the interval, so
	// that several computers in one home do not ask all at once.
	jitter = 0.1
)

// Household is what the watcher needs from the core (*app.Core is one).
type Household interface {
	Scan(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)
	Devices() []app.Device
	Record(id string) (app.Record, bool)
	Check(ctx context.Context, devices []app.Device, opts app.CheckOptions) (app.Checkup, error)
	DataDir() string
}

var _ Household = (*app.Core)(nil)

// Options configures a Watcher.
type Options struct {
	// Interval is the time between looks (DefaultInterval when zero, never
	// below MinInterval).
	Interval time.Duration
	// Clock is the watcher's clock (the computer's when nil).
	Clock Clock
	// Scan and Check bound each look and each checkup.
	Scan  app.ScanOptions
	Check app.CheckOptions
	// OnEvents receives the events each look recorded, once each, in the
	// order they happened; it is not called when there were none.
	OnEvents func([]events.Event)
	// OnCheckup receives each checkup the watcher ran, and whether it was
	// of the whole household.
	OnCheckup func(c app.Checkup, full bool)
	// Delay is the wait before the first look (none when zero).
	Delay time.Duration
	// OnLook is called after each look, with its error (nil when it went well).
	OnLook func(error)
	// RememberPause keeps whether watching is paused in the event log, so
	// that the app's window and its tray, which run one after the other,
	// share it; the watcher starts paused when it was.
	RememberPause bool
}

// Watcher keeps watch over one household. Its methods are safe for
// concurrent use.
type Watcher struct {
	h     Household
	log   *events.Log
	opts  Options
	clock Clock
	poke  chan struct{}

	// looking is held during a look: one at a time.
	looking sync.Mutex
	// mu guards paused, and is held while the log is written, so that the
	// pause kept is always the last one set.
	mu     sync.Mutex
	paused bool
}

// New returns a watcher of h, with the event log of h's data directory.
// A corrupt log is set aside: the watcher is usable and the error (wrapping
// events.ErrCorrupt) says where the old file went.
func New(h Household, opts Options) (*Watcher, error) {
	log, err := events.Open(h.DataDir())
	if log == nil {
		return nil, err
	}
	opts.Interval = max(cmp.Or(opts.Interval, DefaultInterval), MinInterval)
	w := &Watcher{h: h, log: log, opts: opts, clock: opts.Clock, poke: make(chan struct{}, 1)}
	if w.clock == nil {
		w.clock = SystemClock{}
	}
	w.paused = opts.RememberPause && log.State().Paused
	return w, err
}

// Interval is the time between looks.
func (w *Watcher) Interval() time.Duration { return w.opts.Interval }

// Events returns what happened, oldest first.
func (w *Watcher) Events() []events.Event { return w.log.Events() }

// Log is the watcher's event log.
func (w *Watcher) Log() *events.Log { return w.log }

// Paused reports whether watching is paused.
func (w *Watcher) Paused() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.paused
}

// SetPaused pauses or resumes watching; resuming looks at once. With
// RememberPause it is kept in the event log; the error says when that
// failed (the watcher is paused or resumed all the same).
func (w *Watcher) SetPaused(p bool) error {
	w.mu.Lock()
	w.paused = p
	var err error
	if w.opts.RememberPause {
		st := w.log.State()
		st.Paused = p
		_, err = w.log.Commit(nil, st)
	}
	w.mu.Unlock()
	if !p {
		w.LookNow()
	}
	return err
}

// LookNow asks a running watcher to look now (also while paused), instead
// of at its next time.
func (w *Watcher) LookNow() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

// Attention counts the devices whose last checkup found a problem.
func (w *Watcher) Attention() int {
	n := 0
	for _, d := range w.log.State().Devices {
		if len(d.Problems) > 0 || d.Update != "" {
			n++
		}
	}
	return n
}

// Run looks at once, then at every interval (with a little jitter) or
// when asked (LookNow), until ctx ends. It skips its looks while paused.
func (w *Watcher) Run(ctx context.Context) {
	poked := false
	if w.opts.Delay > 0 {
		select {
		case <-ctx.Done():
			return
		case <-w.clock.After(w.opts.Delay):
		case <-w.poke:
			poked = true
		}
	}
	for {
		if !w.Paused() || poked {
			_, err := w.Look(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				slog.Warn("watching the household: a look failed", "err", err)
			}
		}
		poked = false
		select {
		case <-ctx.Done():
			return
		case <-w.clock.After(w.next()):
		case <-w.poke:
			poked = true
		}
	}
}

// next is the time until the next look: the interval, give or take jitter.
func (w *Watcher) next() time.Duration {
	d := float64(w.opts.Interval) * (1 + jitter*(2*rand.Float64()-1))
	return max(time.Duration(d), MinInterval)
}

// Look scans once, checks the devices that may have changed (all of them
// once a day), records what happened and returns the events recorded.
func (w *Watcher) Look(ctx context.Context) (evs []events.Event, err error) {
	w.looking.Lock()
	defer w.looking.Unlock()
	defer func() {
		if w.opts.OnLook != nil {
			w.opts.OnLook(err)
		}
	}()
	now := w.clock.Now()
	before := w.h.Devices()
	res, err := w.h.Scan(ctx, w.opts.Scan, nil)
	if err != nil {
		return nil, fmt.Errorf("looking for devices: %w", err)
	}
	st := w.log.State()
	if !st.Looked {
		// The devices remembered before the first look are the household
		// (the setup showed them); none at all: the first look is.
		for _, d := range before {
			st.Known[d.ID] = strings.ToLower(d.Host)
		}
	}
	baseline := !st.Looked && len(st.Known) == 0
	known := make(map[string]app.Device, len(before))
	for _, d := range before {
		known[d.ID] = d
	}
	var found []events.Event
	seen := make(map[string]bool, len(res.Devices))
	recheck := make(map[string]bool)
	for _, d := range res.Devices {
		seen[d.ID] = true
		host := strings.ToLower(d.Host)
		_, had := st.Known[d.ID]
		if !had {
			sameHost := false
			for id, h := range st.Known {
				if h == host && host != "" {
					// Its ID improved (host name to hardware identity): the
					// same device.
					delete(st.Known, id)
					sameHost = true
				}
			}
			if !sameHost && !baseline {
				found = append(found, events.Event{Key: "new:" + d.ID, Kind: events.NewDevice, Time: now, Device: d.ID, Name: w.name(d), Address: address(d)})
			}
			st.Known[d.ID] = host
			recheck[d.ID] = true
			continue
		}
		st.Known[d.ID] = host
		ds := st.Devices[d.ID]
		if !ds.GoneSince.IsZero() {
			found = append(found, events.Event{Key: "back:" + d.ID + ":" + stamp(ds.GoneSince), Kind: events.Back, Time: now,
				Device: d.ID, Name: w.name(d), Address: address(d), Previous: ds.Address})
			ds.GoneSince, ds.Address = time.Time{}, ""
			st.Devices[d.ID] = ds
			recheck[d.ID] = true
		} else if prev, ok := known[d.ID]; !ok || !slices.Equal(prev.Addresses, d.Addresses) || !slices.EqualFunc(prev.Services, d.Services, sameService) {
			recheck[d.ID] = true // it moved or changed: its state may have too, silently
		}
	}
	st.Looked = true
	found = append(found, w.gone(now, seen, &st)...)

	full := now.Sub(st.LastFull) >= FullEvery
	var check []app.Device
	for _, d := range w.h.Devices() {
		// A router is asked every time: a port mapping can appear at any
		// moment, without the router itself changing.
		if seen[d.ID] && (full || recheck[d.ID] || app.IsRouter(d)) {
			check = append(check, d)
		}
	}
	var checkErr error
	if len(check) > 0 {
		res, err := w.h.Check(ctx, check, w.opts.Check)
		if err != nil {
			checkErr = fmt.Errorf("checking the devices: %w", err)
		} else {
			for _, sc := range res.Devices {
				found = append(found, compare(now, sc, &st)...)
				found = append(found, opened(now, sc, &st)...)
			}
			if full {
				st.LastFull = now
			}
			if w.opts.OnCheckup != nil {
				w.opts.OnCheckup(res, full)
			}
		}
	}
	for id := range st.Devices {
		if _, ok := w.h.Record(id); !ok {
			delete(st.Devices, id) // forgotten
		}
	}
	for id := range st.Known {
		if _, ok := w.h.Record(id); !ok {
			delete(st.Known, id)
		}
	}
	w.mu.Lock()
	st.Paused = w.opts.RememberPause && w.paused
	fresh, err := w.log.Commit(found, st)
	w.mu.Unlock()
	if err != nil {
		return fresh, errors.Join(checkErr, fmt.Errorf("keeping what happened: %w", err))
	}
	if len(fresh) > 0 && w.opts.OnEvents != nil {
		w.opts.OnEvents(fresh)
	}
	return fresh, checkErr
}

// Add records events noticed elsewhere (a new device announced while the
// window is open), once each, and passes the new ones to OnEvents.
func (w *Watcher) Add(evs ...events.Event) error {
	fresh, err := w.log.Commit(evs, w.log.State())
	if len(fresh) > 0 && w.opts.OnEvents != nil {
		w.opts.OnEvents(fresh)
	}
	return err
}

// NewDeviceEvent is the event of device d joining the network at now.
func NewDeviceEvent(now time.Time, d app.Device) events.Event {
	return events.Event{Key: "new:" + d.ID, Kind: events.NewDevice, Time: now, Device: d.ID, Name: d.Name, Address: address(d)}
}

// Forget deletes what happened and what the watcher remembers (see
// events.Log.Delete).
func (w *Watcher) Forget() error { return w.log.Delete() }

// Now is the watcher's time.
func (w *Watcher) Now() time.Time { return w.clock.Now() }

// gone returns an event for each claimed device unseen for more than
// GoneAfter that did not count as gone yet, and marks it gone in st.
func (w *Watcher) gone(now time.Time, seen map[string]bool, st *events.State) []events.Event {
	var out []events.Event
	for _, d := range w.h.Devices() {
		r, ok := w.h.Record(d.ID)
		if seen[d.ID] || !ok || !r.Claimed || r.LastSeen.IsZero() || now.Sub(r.LastSeen) <= GoneAfter {
			continue
		}
		ds := st.Devices[d.ID]
		if !ds.GoneSince.IsZero() {
			continue
		}
		ds.GoneSince, ds.Address = r.LastSeen, address(d)
		st.Devices[d.ID] = ds
		out = append(out, events.Event{Key: "gone:" + d.ID + ":" + stamp(r.LastSeen), Kind: events.Gone, Time: now,
			Device: d.ID, Name: r.Name, Address: ds.Address, LastSeen: r.LastSeen})
	}
	return out
}

// name is what the person calls d: the name remembered, else announced.
func (w *Watcher) name(d app.Device) string {
	if r, ok := w.h.Record(d.ID); ok && r.Name != "" {
		return r.Name
	}
	return d.Name
}

// The checkup's reasons that say an update is on offer.
var updateKeys = []string{"upd.available", "upd.available.nover", "upd.older"}

// compare turns a device's checkup into events (a new problem, an update
// newly on offer) against what st remembers, and remembers it. The first
// checkup of a device is how it is, not news.
func compare(now time.Time, sc checkup.Scorecard, st *events.State) []events.Event {
	id := sc.Device.ID
	ds := st.Devices[id]
	var out []events.Event
	var problems []string
	update := ""
	for _, l := range sc.Lines {
		if l.Status != checkup.Problem {
			continue
		}
		var keys []string
		for _, r := range l.Says {
			if i := slices.Index(updateKeys, r.Key); i >= 0 {
				update = availableOf(r)
				continue
			}
			if l.Provision == "5.3" && !strings.HasSuffix(r.Key, ".ended") {
				continue // what the update line says besides the update itself
			}
			if l.Provision == "5.6" && (strings.HasPrefix(r.Key, "router.") || r.Key == "svc.ok" || r.Key == "svc.none") {
				continue // told as the port a mapping opened (see opened), or what the port line says besides its problems
			}
			keys = append(keys, r.Key)
		}
		if len(keys) == 0 {
			continue
		}
		p := l.Provision + " " + strings.Join(keys, "+")
		problems = append(problems, p)
		if ds.Checked && !slices.Contains(ds.Problems, p) {
			out = append(out, events.Event{Key: "problem:" + id + ":" + p + ":" + stamp(now), Kind: events.Problem, Time: now,
				Device: id, Name: sc.Device.Name, Provision: l.Provision, Says: l.Says})
		}
	}
	if ds.Checked && update != "" && update != ds.Update {
		out = append(out, events.Event{Key: "update:" + id + ":" + update, Kind: events.Update, Time: now,
			Device: id, Name: sc.Device.Name, Firmware: sc.Device.Firmware, Available: strings.TrimPrefix(update, "?")})
	}
	ds.Checked, ds.Problems, ds.Update = true, problems, update
	st.Devices[id] = ds
	return out
}

// opened turns the port mappings a router's checkup read into events, one
// for each mapping that was not there before, and remembers them. A
// router's first reading is how it is, not news; an incomplete list
// forgets nothing.
func opened(now time.Time, sc checkup.Scorecard, st *events.State) []events.Event {
	r := sc.Router
	if r == nil || !r.UPnP {
		return nil
	}
	id := sc.Device.ID
	ds := st.Devices[id]
	var out []events.Event
	var have []string
	if !r.Complete {
		have = slices.Clone(ds.Mappings)
	}
	for _, m := range r.Mappings {
		k := fmt.Sprintf("%d/%s %s:%d", m.ExternalPort, m.Protocol, m.InternalClient, m.InternalPort)
		if slices.Contains(have, k) {
			continue
		}
		have = append(have, k)
		if !ds.MappingsRead || slices.Contains(ds.Mappings, k) {
			continue
		}
		e := events.Event{Key: "port:" + id + ":" + k + ":" + stamp(now), Kind: events.PortOpened, Time: now,
			Device: id, Address: m.InternalClient, Port: fmt.Sprintf("%d/%s", m.ExternalPort, m.Protocol), Router: sc.Device.Name}
		if m.DeviceID != "" {
			e.Device, e.Name = m.DeviceID, m.DeviceName
		}
		out = append(out, e)
	}
	ds.Mappings, ds.MappingsRead = have, true
	st.Devices[id] = ds
	return out
}

// availableOf is the version an update reason offers ("?" when it names none).
func availableOf(r checkup.Reason) string {
	switch {
	case r.Key == "upd.available" && len(r.Args) > 0:
		return r.Args[0].Text
	case r.Key == "upd.older" && len(r.Args) > 1:
		return r.Args[1].Text
	}
	return "?"
}

func address(d app.Device) string {
	if len(d.Addresses) == 0 {
		return ""
	}
	return d.Addresses[0].String()
}

func sameService(a, b app.Service) bool {
	return a.Type == b.Type && a.Instance == b.Instance && a.Port == b.Port
}

func stamp(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
