package sim

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// liveDevice serves d on a loopback listener with FastTiming, as the lab
// does, and returns a client for it.
type liveDevice struct {
	t      *testing.T
	d      *Device
	url    string
	client *http.Client
}

func serveLive(t *testing.T, d *Device) *liveDevice {
	t.Helper()
	d.SetTiming(FastTiming())
	srv := httptest.NewServer(d.Handler())
	t.Cleanup(srv.Close)
	if host, _, _ := net.SplitHostPort(srv.Listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		t.Fatalf("test server not on loopback: %s", host)
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	return &liveDevice{t: t, d: d, url: srv.URL, client: client}
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

// waitDown waits until requests to target fail at the transport level.
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

// waitUp waits until target answers again and returns how long that took.
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

// TestDownDropsConnection: over a real connection, a device that is down
// closes it without an answer; an open keep-alive connection fails too.
func TestDownDropsConnection(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	l := serveLive(t, d)
	keepAlive := &http.Client{Timeout: 5 * time.Second}
	resp, err := keepAlive.Get(l.url + "/shelly")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	l.must(http.MethodGet, "/reboot", "", nil, http.StatusOK)
	if _, _, err := l.do(http.MethodGet, "/shelly", "", nil); err == nil {
		t.Fatal("a request right after /reboot was answered")
	}
	if resp, err := keepAlive.Get(l.url + "/shelly"); err == nil {
		resp.Body.Close()
		t.Fatal("a request on a kept-alive connection was answered while rebooting")
	}
	if took := l.waitUp("/shelly"); took > 2*time.Second {
		t.Errorf("back after %v; the reboot takes %v", took, d.Timing().Reboot)
	}
}

// TestDownInDemo: the in-memory demo network drops connections of a
// rebooting device the same way.
func TestDownInDemo(t *testing.T) {
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
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: demo.DialContext, DisableKeepAlives: true}}
	base := "http://" + net.JoinHostPort(dev.Addr.String(), "80")
	resp, err := client.Get(base + "/reboot")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/reboot: %v %v", resp, err)
	}
	resp.Body.Close()
	if resp, err := client.Get(base + "/shelly"); err == nil {
		resp.Body.Close()
		t.Fatal("the demo device answered while rebooting")
	}
	waitState(t, "the demo device to come back", func() bool {
		resp, err := client.Get(base + "/shelly")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// TestLifecycleConcurrent hits a device from many goroutines while it
// updates and restarts, for the race detector.
func TestLifecycleConcurrent(t *testing.T) {
	d := newShellyGen2(0, "Waschmaschine", Addr(0))
	l := serveLive(t, d)
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _, _ = l.do(http.MethodGet, "/rpc/Shelly.GetDeviceInfo", "", nil)
				_ = d.CurrentFirmware()
				_ = d.AuthEnabled()
			}
		}()
	}
	l.must(http.MethodGet, "/rpc/Shelly.Update?stage=stable", "", nil, http.StatusOK)
	waitState(t, "the update", func() bool { return d.CurrentFirmware() == "1.6.2" })
	cancel()
	wg.Wait()
}
