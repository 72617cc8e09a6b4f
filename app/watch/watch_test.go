package watch

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/igd"
)

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// notified collects what OnEvents received, one slice per call.
type notified struct {
	mu    sync.Mutex
	calls [][]events.Event
}

func (n *notified) add(evs []events.Event) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.calls = append(n.calls, evs)
}

func (n *notified) all() [][]events.Event {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.calls)
}

func newWatcher(t *testing.T, h Household, clock Clock, n *notified) *Watcher {
	t.Helper()
	w, err := New(h, Options{Clock: clock, OnEvents: n.add})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func look(t *testing.T, w *Watcher) []events.Event {
	t.Helper()
	evs, err := w.Look(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func kinds(evs []events.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Kind)+" "+e.Device)
	}
	return out
}

func TestDeviceThatAppearsIsOneEventAndOneNotification(t *testing.T) {
	clock := NewFakeClock(start)
	a, b := device("AA", "plug.local", "192.0.2.1"), device("BB", "lamp.local", "192.0.2.2")
	h := newFake(t.TempDir(), clock, a)
	var n notified
	w := newWatcher(t, h, clock, &n)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the first look of all told %v; the household as it is is no news", kinds(evs))
	}
	h.set(a, b)
	clock.Advance(DefaultInterval)
	if evs := look(t, w); !slices.Equal(kinds(evs), []string{"new-device BB"}) || evs[0].Address != "192.0.2.2" || evs[0].Name != "lamp" {
		t.Fatalf("a device that joined: %+v", evs)
	}
	clock.Advance(DefaultInterval)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the next look told %v again", kinds(evs))
	}
	if calls := n.all(); len(calls) != 1 || len(calls[0]) != 1 {
		t.Fatalf("notifications %v, want one call with one event", calls)
	}
}

func TestDeviceAnotherScanRememberedIsNew(t *testing.T) {
	clock := NewFakeClock(start)
	a, b := device("AA", "plug.local", "192.0.2.1"), device("BB", "lamp.local", "192.0.2.2")
	h := newFake(t.TempDir(), clock, a)
	w := newWatcher(t, h, clock, &notified{})
	look(t, w)
	h.set(a, b)
	if _, err := h.Scan(context.Background(), app.ScanOptions{}, nil); err != nil { // the dashboard's scan
		t.Fatal(err)
	}
	if evs := look(t, w); !slices.Equal(kinds(evs), []string{"new-device BB"}) {
		t.Fatalf("a device the dashboard's scan remembered first: %v", kinds(evs))
	}
}

func TestMovedDeviceIsNoEvent(t *testing.T) {
	clock := NewFakeClock(start)
	h := newFake(t.TempDir(), clock, device("AA", "plug.local", "192.0.2.1"), device("BB", "lamp.local", "192.0.2.2"))
	var n notified
	w := newWatcher(t, h, clock, &n)
	look(t, w)
	h.set(device("AA", "plug.local", "192.0.2.9"), device("BB", "lamp.local", "192.0.2.2"))
	clock.Advance(DefaultInterval)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("a device that moved told %v", kinds(evs))
	}
	if c := h.checked(); len(c) != 2 || !slices.Equal(c[1], []string{"AA"}) {
		t.Errorf("checkups %v: want the whole household, then the device that moved", c)
	}
	if len(n.all()) != 0 {
		t.Errorf("notified %v", n.all())
	}
}

func TestImprovedIdentityIsNotANewDevice(t *testing.T) {
	clock := NewFakeClock(start)
	h := newFake(t.TempDir(), clock, device("AA", "plug.local", "192.0.2.1"), device("lamp.local", "lamp.local", "192.0.2.2"))
	w := newWatcher(t, h, clock, &notified{})
	look(t, w)
	// The lamp's TXT record with its MAC arrived this time.
	h.set(device("AA", "plug.local", "192.0.2.1"), device("EC:B5", "lamp.local", "192.0.2.2"))
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("an identity that improved told %v", kinds(evs))
	}
}

func TestRestartDoesNotRepeat(t *testing.T) {
	clock := NewFakeClock(start)
	dir := t.TempDir()
	a, b := device("AA", "plug.local", "192.0.2.1"), device("BB", "lamp.local", "192.0.2.2")
	h := newFake(dir, clock, a)
	h.setLines("AA", problem("5.1", "pw.none"))
	look(t, newWatcher(t, h, clock, &notified{}))
	h.set(a, b)
	h.setLines("AA", problem("5.1", "pw.none"), problem("5.6", "svc.telnet"))
	clock.Advance(FullEvery)
	if evs := look(t, newWatcher(t, h, clock, &notified{})); !slices.Equal(kinds(evs), []string{"new-device BB", "new-problem AA"}) {
		t.Fatalf("events %v", kinds(evs))
	}
	clock.Advance(FullEvery)
	var n notified
	w := newWatcher(t, h, clock, &n)
	if evs := look(t, w); len(evs) != 0 || len(n.all()) != 0 {
		t.Fatalf("a restarted watcher told %v again", kinds(evs))
	}
	if got := kinds(w.Events()); !slices.Equal(got, []string{"new-device BB", "new-problem AA"}) {
		t.Errorf("the log after a restart holds %v", got)
	}
}

func TestGoneAndBack(t *testing.T) {
	clock := NewFakeClock(start)
	a, b := device("AA", "plug.local", "192.0.2.1"), device("BB", "lamp.local", "192.0.2.2")
	h := newFake(t.TempDir(), clock, a, b)
	w := newWatcher(t, h, clock, &notified{})
	look(t, w)
	h.claim("AA")
	h.set()
	clock.Advance(12 * time.Hour)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("half a day away told %v", kinds(evs))
	}
	clock.Advance(13 * time.Hour)
	evs := look(t, w)
	if !slices.Equal(kinds(evs), []string{"gone AA"}) || !evs[0].LastSeen.Equal(start) {
		t.Fatalf("a claimed device away for more than a day (the unclaimed one is no news): %+v", evs)
	}
	clock.Advance(time.Hour)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("gone told again: %v", kinds(evs))
	}
	h.set(device("AA", "plug.local", "192.0.2.7"))
	evs = look(t, w)
	if !slices.Equal(kinds(evs), []string{"back AA"}) || evs[0].Address != "192.0.2.7" || evs[0].Previous != "192.0.2.1" {
		t.Fatalf("back: %+v", evs)
	}
}

func TestNewProblemAndUpdate(t *testing.T) {
	clock := NewFakeClock(start)
	h := newFake(t.TempDir(), clock, device("AA", "plug.local", "192.0.2.1"))
	h.setLines("AA", problem("5.1", "pw.none"), line("5.3", checkup.OK, "upd.current"))
	w := newWatcher(t, h, clock, &notified{})
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the first checkup told %v", kinds(evs))
	}
	avail := checkup.Reason{Key: "upd.available", Args: []checkup.Reason{{Text: "1.2"}, {Text: "1.0"}}}
	h.setLines("AA", problem("5.1", "pw.none"), checkup.Line{Provision: "5.3", Status: checkup.Problem, Says: checkup.Reasons{avail}})
	clock.Advance(FullEvery)
	evs := look(t, w)
	if !slices.Equal(kinds(evs), []string{"update-available AA"}) || evs[0].Available != "1.2" || evs[0].Firmware != "1.0" {
		t.Fatalf("an update on offer: %+v", evs)
	}
	h.setLines("AA", checkup.Line{Provision: "5.3", Status: checkup.Problem, Says: checkup.Reasons{avail}}, problem("5.5", "com.plain"))
	clock.Advance(FullEvery)
	if evs := look(t, w); !slices.Equal(kinds(evs), []string{"new-problem AA"}) || evs[0].Provision != "5.5" || evs[0].Says[0].Key != "com.plain" {
		t.Fatalf("a new problem (a fixed one is no news, the same update neither): %+v", evs)
	}
	if w.Attention() != 1 {
		t.Errorf("attention %d, want 1", w.Attention())
	}
}

// TestPortMappingThatAppearsIsOneEvent: a router is asked at every look,
// and a port mapping that appeared between two looks is one event, on the
// device it opened, and not also a new problem on the router's or the
// device's port line; one that goes and comes back is told again.
func TestPortMappingThatAppearsIsOneEvent(t *testing.T) {
	clock := NewFakeClock(start)
	router := device("RT", "fritz.box", "192.0.2.254")
	router.Services = []app.Service{{Type: discover.UPnPTypePrefix + "urn:schemas-upnp-org:device:InternetGatewayDevice:2"}}
	plug := device("AA", "plug.local", "192.0.2.1")
	h := newFake(t.TempDir(), clock, router, plug)
	mapping := func(port int, client string, id, name string) checkup.RouterMapping {
		return checkup.RouterMapping{Mapping: igd.Mapping{ExternalPort: port, Protocol: "TCP", InternalClient: client, InternalPort: 80}, DeviceID: id, DeviceName: name}
	}
	nas := mapping(5001, "192.0.2.3", "", "")
	h.setRouter("RT", &checkup.Router{UPnP: true, Complete: true, Mappings: []checkup.RouterMapping{nas}})
	h.setLines("RT", problem("5.6", "router.upnp.mappings"))
	h.setLines("AA", line("5.6", checkup.OK, "svc.ok"))
	var n notified
	w := newWatcher(t, h, clock, &n)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the first look told %v; the mappings there are no news", kinds(evs))
	}

	plugs := mapping(8080, "192.0.2.1", "AA", "plug")
	h.setRouter("RT", &checkup.Router{UPnP: true, Complete: true, Mappings: []checkup.RouterMapping{nas, plugs}})
	h.setLines("AA", checkup.Line{Provision: "5.6", Status: checkup.Problem, Says: checkup.Reasons{{Key: "router.opened"}, {Key: "svc.ok"}}})
	clock.Advance(DefaultInterval)
	evs := look(t, w)
	if !slices.Equal(kinds(evs), []string{"port-opened AA"}) || evs[0].Port != "8080/TCP" || evs[0].Name != "plug" || evs[0].Router != "fritz.box" {
		t.Fatalf("a mapping that appeared told %+v, want one port opened by the plug", evs)
	}
	if checks := h.checked(); !slices.Contains(checks[len(checks)-1], "RT") {
		t.Fatalf("the look did not ask the router: checked %v", checks)
	}
	clock.Advance(DefaultInterval)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the next look told %v again", kinds(evs))
	}

	h.setRouter("RT", &checkup.Router{UPnP: true, Complete: false, Mappings: nil})
	clock.Advance(DefaultInterval)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("a list read only in part told %v", kinds(evs))
	}
	h.setRouter("RT", &checkup.Router{UPnP: true, Complete: true, Mappings: []checkup.RouterMapping{nas}})
	clock.Advance(DefaultInterval)
	look(t, w)
	unknown := mapping(3074, "192.0.2.9", "", "")
	h.setRouter("RT", &checkup.Router{UPnP: true, Complete: true, Mappings: []checkup.RouterMapping{nas, plugs, unknown}})
	clock.Advance(DefaultInterval)
	evs = look(t, w)
	if !slices.Equal(kinds(evs), []string{"port-opened AA", "port-opened RT"}) || evs[1].Variant() != "unnamed" || evs[1].Address != "192.0.2.9" {
		t.Fatalf("a mapping back and one for an unknown address told %+v", evs)
	}
	if calls := n.all(); len(calls) != 2 {
		t.Errorf("notifications %v, want one call per look that told", calls)
	}
}

// TestPauseIsRemembered: the app's window and its tray run one after the
// other and share the pause through the log; a look in between keeps it;
// `porchlight watch`, which does not remember it, is not paused by it.
func TestPauseIsRemembered(t *testing.T) {
	clock := NewFakeClock(start)
	h := newFake(t.TempDir(), clock, device("AA", "plug.local", "192.0.2.1"))
	w, err := New(h, Options{Clock: clock, RememberPause: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SetPaused(true); err != nil {
		t.Fatal(err)
	}
	look(t, w) // "Look again now" while paused
	for _, tc := range []struct {
		remember, want bool
	}{{true, true}, {false, false}} {
		again, err := New(h, Options{Clock: clock, RememberPause: tc.remember})
		if err != nil {
			t.Fatal(err)
		}
		if again.Paused() != tc.want {
			t.Errorf("a watcher that remembers the pause: %v; paused %v, want %v", tc.remember, again.Paused(), tc.want)
		}
	}
	if err := w.SetPaused(false); err != nil {
		t.Fatal(err)
	}
	if again, _ := New(h, Options{Clock: clock, RememberPause: true}); again.Paused() {
		t.Error("resumed, but the next watcher starts paused")
	}
}

func TestLogStaysBounded(t *testing.T) {
	dir := t.TempDir()
	log, err := events.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := log.State()
	for i := range events.MaxEvents + 100 {
		if _, err := log.Commit([]events.Event{{Key: fmt.Sprint("k", i), Kind: events.NewDevice, Device: fmt.Sprint(i)}}, st); err != nil {
			t.Fatal(err)
		}
	}
	again, err := events.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	evs := again.Events()
	if len(evs) != events.MaxEvents || evs[0].Key != "k100" || evs[len(evs)-1].Key != fmt.Sprint("k", events.MaxEvents+99) {
		t.Fatalf("kept %d events, from %s: want the last %d", len(evs), evs[0].Key, events.MaxEvents)
	}
	if fresh, _ := again.Commit([]events.Event{{Key: "k550"}}, st); len(fresh) != 0 {
		t.Error("an event kept was recorded again")
	}
}

func TestRunLooksAtEveryInterval(t *testing.T) {
	clock := NewFakeClock(start)
	a := device("AA", "plug.local", "192.0.2.1")
	h := newFake(t.TempDir(), clock, a)
	looked := make(chan error, 10)
	var n notified
	w, err := New(h, Options{Clock: clock, OnEvents: n.add, OnLook: func(err error) { looked <- err }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	waitLook := func() {
		t.Helper()
		select {
		case err := <-looked:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no look")
		}
	}
	waitLook()
	h.set(a, device("BB", "lamp.local", "192.0.2.2"))
	waitTimer(t, clock)
	clock.Advance(DefaultInterval * 11 / 10)
	waitLook()
	if calls := n.all(); len(calls) != 1 || len(calls[0]) != 1 {
		t.Fatalf("notifications %v, want one", calls)
	}
	w.SetPaused(true)
	waitTimer(t, clock)
	clock.Advance(DefaultInterval * 11 / 10)
	waitTimer(t, clock)
	select {
	case <-looked:
		t.Fatal("looked while paused")
	default:
	}
	w.LookNow() // "Look again now" looks while paused too
	waitLook()
	w.SetPaused(false)
	waitLook()
	cancel()
	<-done
}

// waitTimer waits until the watcher waits on the clock.
func waitTimer(t *testing.T, c *FakeClock) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); c.Waiting() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the watcher never waited")
		}
	}
}

func problem(provision, key string) checkup.Line { return line(provision, checkup.Problem, key) }

func line(provision string, s checkup.Status, key string) checkup.Line {
	return checkup.Line{Provision: provision, Status: s, Says: checkup.Reasons{{Key: key}}}
}
