package watch

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
)

// fakeHousehold is a household without a network: the test says which
// devices answer (on) and what their checkup finds (lines); it remembers
// devices as the core does, seen at the fake clock's time.
type fakeHousehold struct {
	dir   string
	clock *FakeClock

	mu     sync.Mutex
	on     []app.Device
	inv    map[string]app.Record
	lines  map[string][]checkup.Line
	router map[string]*checkup.Router
	checks [][]string
}

func newFake(dir string, clock *FakeClock, on ...app.Device) *fakeHousehold {
	return &fakeHousehold{dir: dir, clock: clock, on: on, inv: map[string]app.Record{}, lines: map[string][]checkup.Line{}, router: map[string]*checkup.Router{}}
}

func device(id, host, addr string) app.Device {
	return app.Device{ID: id, Name: strings.TrimSuffix(host, ".local"), Host: host, Addresses: []netip.Addr{netip.MustParseAddr(addr)}}
}

func (f *fakeHousehold) set(on ...app.Device) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on = on
}

func (f *fakeHousehold) setLines(id string, lines ...checkup.Line) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines[id] = lines
}

// setRouter makes the router check of device id read r.
func (f *fakeHousehold) setRouter(id string, r *checkup.Router) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.router[id] = r
}

func (f *fakeHousehold) claim(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.inv[id]
	r.Claimed = true
	f.inv[id] = r
}

func (f *fakeHousehold) Scan(_ context.Context, _ app.ScanOptions, _ func(app.ScanEvent)) (app.ScanResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	var res app.ScanResult
	for _, d := range f.on {
		for id, old := range f.inv {
			if id != d.ID && strings.EqualFold(old.Host, d.Host) && !old.Claimed {
				delete(f.inv, id)
			}
		}
		r, ok := f.inv[d.ID]
		if !ok {
			r = app.Record{ID: d.ID, FirstSeen: now}
		}
		r.Name, r.Host, r.Addresses, r.Services, r.LastSeen = cmp.Or(r.Name, d.Name), d.Host, d.Addresses, d.Services, now
		f.inv[d.ID] = r
		d.FirstSeen, d.LastSeen = r.FirstSeen, now
		res.Devices = append(res.Devices, d)
	}
	return res, nil
}

func (f *fakeHousehold) Devices() []app.Device {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ds []app.Device
	for _, r := range f.inv {
		ds = append(ds, app.Device{ID: r.ID, Name: r.Name, Host: r.Host, Addresses: r.Addresses, Services: r.Services, FirstSeen: r.FirstSeen, LastSeen: r.LastSeen})
	}
	slices.SortFunc(ds, func(a, b app.Device) int { return strings.Compare(a.ID, b.ID) })
	return ds
}

func (f *fakeHousehold) Record(id string) (app.Record, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.inv[id]
	return r, ok
}

func (f *fakeHousehold) Check(_ context.Context, devices []app.Device, _ app.CheckOptions) (app.Checkup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var res app.Checkup
	var ids []string
	for _, d := range devices {
		ids = append(ids, d.ID)
		res.Devices = append(res.Devices, checkup.Scorecard{Device: checkup.Device{ID: d.ID, Name: d.Name, Firmware: "1.0"}, Lines: f.lines[d.ID], Router: f.router[d.ID]})
	}
	f.checks = append(f.checks, ids)
	return res, nil
}

func (f *fakeHousehold) DataDir() string { return f.dir }

// checked returns the IDs each checkup was of.
func (f *fakeHousehold) checked() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.checks)
}
