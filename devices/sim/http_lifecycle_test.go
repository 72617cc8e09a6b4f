package sim

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// liveDevice is a device served over in-memory connections, as the demo
// serves its household, with a client for it.
type liveDevice struct {
	t      *testing.T
	d      *Device
	url    string
	client *http.Client
}

// serveLive serves d with FastTiming over in-memory connections and returns
// a client for it. Call it inside synctest.Test: the device, its server and
// the client then share the bubble's fake clock, so an update, a restart or a
// cooldown lasts exactly as long as the device's timing says, however busy
// the machine is, and waiting it out takes no real time.
func serveLive(t *testing.T, d *Device) *liveDevice {
	t.Helper()
	d.SetTiming(FastTiming())
	demo, err := serveInMemory([]*Device{d})
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DialContext: demo.DialContext, DisableKeepAlives: true}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		demo.Close()
	})
	return &liveDevice{t: t, d: d, url: "http://" + net.JoinHostPort(d.Addr.String(), strconv.Itoa(d.HTTPPorts[0])),
		client: &http.Client{Timeout: 5 * time.Second, Transport: tr}}
}

// do sends a request and returns status and body, or the transport error.
func (l *liveDevice) do(method, target, body string, header map[string]string) (int, string, error) {
	l.t.Helper()
	req, err := http.NewRequest(method, l.url+target, strings.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// must is do for a request that has to be answered with status.
func (l *liveDevice) must(method, target, body string, header map[string]string, status int) string {
	l.t.Helper()
	code, b, err := l.do(method, target, body, header)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, target, err)
	}
	if code != status {
		l.t.Fatalf("%s %s: status %d, want %d: %s", method, target, code, status, b)
	}
	return b
}

// mustJSON is must for a JSON object answer.
func (l *liveDevice) mustJSON(method, target, body string, header map[string]string, status int) map[string]any {
	l.t.Helper()
	b := l.must(method, target, body, header, status)
	var m map[string]any
	if err := json.Unmarshal([]byte(b), &m); err != nil {
		l.t.Fatalf("%s %s: not a JSON object: %v\n%s", method, target, err, b)
	}
	return m
}

// waitDown waits until requests to target fail at the transport level,
// asking every 5 ms.
func (l *liveDevice) waitDown(target string) {
	l.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, _, err := l.do(http.MethodGet, target, "", nil); err != nil {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s still answers; want the device unreachable", target)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitUp waits until target answers again, asking every 5 ms, and returns
// how long that took.
func (l *liveDevice) waitUp(target string) time.Duration {
	l.t.Helper()
	start := time.Now()
	deadline := start.Add(5 * time.Second)
	for {
		if _, _, err := l.do(http.MethodGet, target, "", nil); err == nil {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s does not answer again", target)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitState polls until cond holds (the device answers as expected).
func waitState(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTimingDefaults(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	if got, want := d.Timing(), DefaultTiming(); got != want {
		t.Errorf("Timing() = %+v, want the defaults %+v", got, want)
	}
	def := DefaultTiming()
	if def.Update != 1500*time.Millisecond || def.Reboot != time.Second || def.ResetDropOff != time.Second ||
		def.LinkButton != 30*time.Second || def.PINRetryCooldown != 3*time.Second || def.PINTimeout != 15*time.Minute {
		t.Errorf("DefaultTiming() = %+v", def)
	}
	d.SetTiming(Timing{Reboot: 5 * time.Millisecond})
	if got := d.Timing(); got.Reboot != 5*time.Millisecond || got.Update != def.Update {
		t.Errorf("after SetTiming(Reboot only): %+v, want Reboot 5ms and the other defaults", got)
	}
	d.SetTiming(FastTiming())
	if got := d.Timing(); got != FastTiming() {
		t.Errorf("Timing() = %+v, want FastTiming", got)
	}
}

// TestDownWithoutConnection: an in-process caller that has no connection
// to drop gets 503 while the device is down.
func TestDownWithoutConnection(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	d.SetTiming(Timing{Reboot: time.Hour})
	if rec := get(t, d, "/reboot"); rec.Code != http.StatusOK {
		t.Fatalf("/reboot: status %d", rec.Code)
	}
	if d.Reachable() {
		t.Fatal("device reachable right after /reboot")
	}
	if rec := get(t, d, "/shelly"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/shelly while rebooting: status %d, want 503 in process", rec.Code)
	}
}

// TestDownDropsConnection: over a real TCP connection, a device that is
// down closes it without an answer; an open keep-alive connection fails too.
// The restart lasts an hour, so that no request can come too late; that the
// device comes back when its restart is over is checked in memory, on the
// fake clock (TestDownInDemo, and every update, reset and restart test).
func TestDownDropsConnection(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	d.SetTiming(Timing{Reboot: time.Hour})
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	if host, _, _ := net.SplitHostPort(srv.Listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		t.Fatalf("test server not on loopback: %s", host)
	}
	fresh := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	keepAlive := &http.Client{Timeout: 5 * time.Second}
	resp, err := keepAlive.Get(srv.URL + "/shelly")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp, err := fresh.Get(srv.URL + "/reboot"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/reboot: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if resp, err := fresh.Get(srv.URL + "/shelly"); err == nil {
		resp.Body.Close()
		t.Fatal("a request right after /reboot was answered")
	}
	if resp, err := keepAlive.Get(srv.URL + "/shelly"); err == nil {
		resp.Body.Close()
		t.Fatal("a request on a kept-alive connection was answered while rebooting")
	}
}

// TestDownInDemo: the in-memory demo network drops connections of a
// rebooting device the same way, kept-alive ones too, until the restart is
// over, to the millisecond.
func TestDownInDemo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		demo, err := NewDemo(ProfileHome, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer demo.Close()
		var dev *Device
		for _, d := range demo.Devices() {
			if d.Family == ShellyGen1 {
				dev = d
			}
		}
		dev.SetTiming(FastTiming())
		reboot := dev.Timing().Reboot
		fresh := &http.Transport{DialContext: demo.DialContext, DisableKeepAlives: true}
		kept := &http.Transport{DialContext: demo.DialContext}
		defer fresh.CloseIdleConnections()
		defer kept.CloseIdleConnections()
		client := &http.Client{Timeout: 5 * time.Second, Transport: fresh}
		keepAlive := &http.Client{Timeout: 5 * time.Second, Transport: kept}
		base := "http://" + net.JoinHostPort(dev.Addr.String(), "80")
		answers := func(c *http.Client) bool {
			resp, err := c.Get(base + "/shelly")
			if err != nil {
				return false
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		}
		if !answers(keepAlive) {
			t.Fatal("the demo device does not answer")
		}
		resp, err := client.Get(base + "/reboot")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("/reboot: %v %v", resp, err)
		}
		resp.Body.Close()
		if answers(client) {
			t.Fatal("the demo device answered while rebooting")
		}
		if answers(keepAlive) {
			t.Fatal("the demo device answered on a kept-alive connection while rebooting")
		}
		time.Sleep(reboot - time.Millisecond)
		if answers(client) {
			t.Fatalf("the demo device answered %v into a restart of %v", reboot-time.Millisecond, reboot)
		}
		time.Sleep(time.Millisecond)
		if !answers(client) {
			t.Fatalf("the demo device does not answer when its restart of %v is over", reboot)
		}
	})
}

// TestLifecycleConcurrent hits a device from many goroutines while it
// updates and restarts, for the race detector.
func TestLifecycleConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen2(0, "Waschmaschine", Addr(0))
		l := serveLive(t, d)
		var wg sync.WaitGroup
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		for range 4 {
			wg.Go(func() {
				for ctx.Err() == nil {
					_, _, _ = l.do(http.MethodGet, "/rpc/Shelly.GetDeviceInfo", "", nil)
					_ = d.CurrentFirmware()
					_ = d.AuthEnabled()
					time.Sleep(time.Millisecond) // lets the fake clock run
				}
			})
		}
		l.must(http.MethodGet, "/rpc/Shelly.Update?stage=stable", "", nil, http.StatusOK)
		waitState(t, "the update", func() bool { return d.CurrentFirmware() == "1.6.2" })
		cancel()
		wg.Wait()
	})
}

// testClock is a clock for SetClock that moves only when told.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Date(2020, 3, 1, 12, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestSetClock: a device on a clock of its own keeps its timeline on that
// clock, and on the system's again after SetClock(nil).
func TestSetClock(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	d.SetTiming(Timing{Reboot: time.Minute})
	clock := newTestClock()
	d.SetClock(clock.Now)
	if rec := get(t, d, "/reboot"); rec.Code != http.StatusOK {
		t.Fatalf("/reboot: status %d", rec.Code)
	}
	clock.Advance(time.Minute - time.Nanosecond)
	if d.Reachable() {
		t.Fatal("reachable before the restart is over on the device's clock")
	}
	clock.Advance(time.Nanosecond)
	if !d.Reachable() {
		t.Fatal("not reachable once the restart is over on the device's clock")
	}
	if rec := get(t, d, "/reboot"); rec.Code != http.StatusOK {
		t.Fatalf("/reboot: status %d", rec.Code)
	}
	d.SetClock(nil) // the system clock is years past the restart
	if !d.Reachable() {
		t.Error("SetClock(nil) did not bring back the system clock")
	}
}
