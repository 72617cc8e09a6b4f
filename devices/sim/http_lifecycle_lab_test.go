//go:build linux

package sim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
)

// TestLabWriteSide changes devices of the home lab over their real
// loopback listeners: the manifest follows auth changes, and a rebooting
// or reset device refuses connections at the TCP level until its time is
// over. The devices that go down read a clock the test advances (SetClock),
// so no restart can end before the test looks. Networked: run it with
// .ci/in-netns.
func TestLabWriteSide(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := Start(Config{Profile: ProfileHome})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	byName := map[string]*Device{}
	for _, d := range lab.Devices() {
		d.SetTiming(FastTiming())
		byName[d.Name] = d
	}
	manifestAuth := func(name string) bool {
		t.Helper()
		for _, md := range lab.Manifest().Devices {
			if md.Name == name {
				return md.AuthOnNow
			}
		}
		t.Fatalf("%s not in the manifest", name)
		return false
	}
	raw, err := json.Marshal(lab.Manifest())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{GartenpumpePassword, WLEDDefaultOTAPassword} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the manifest contains %q", secret)
		}
	}
	for name, want := range map[string]bool{"Gartenpumpe": true, "Schreibtisch Lampe": true, "Küche Licht": false,
		"Kinderzimmer.Nachtlicht": false, "Wohnzimmer Steckdose": false} {
		if got := manifestAuth(name); got != want {
			t.Errorf("%s: manifest auth_enabled %v, want %v", name, got, want)
		}
	}

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	url := func(d *Device, target string) string {
		return "http://" + net.JoinHostPort(d.Addr.String(), strconv.Itoa(d.HTTPPorts[0])) + target
	}
	get := func(d *Device, target string) (int, error) {
		resp, err := client.Get(url(d, target))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}

	// Shelly Gen1: set a login; the manifest follows.
	gen1 := byName["Küche Licht"]
	if code, err := get(gen1, "/settings/login?enabled=1&password=neu-im-Labor"); err != nil || code != 200 {
		t.Fatalf("login: %d %v", code, err)
	}
	if !manifestAuth("Küche Licht") {
		t.Error("manifest auth_enabled did not follow the login")
	}
	if code, _ := get(gen1, "/settings"); code != http.StatusUnauthorized {
		t.Errorf("settings without the new password: %d", code)
	}

	// Tasmota: a restart refuses connections over TCP until it is over.
	tas := byName["Flur Sensor"]
	tasClock := newTestClock()
	tas.SetClock(tasClock.Now)
	tas.SetTiming(Timing{Reboot: 400 * time.Millisecond})
	if code, err := get(tas, "/cm?cmnd=Restart%201"); err != nil || code != 200 {
		t.Fatalf("Restart 1: %d %v", code, err)
	}
	if _, err := get(tas, "/cm?cmnd=Status"); err == nil {
		t.Error("the restarting Tasmota answered")
	}
	tasClock.Advance(399 * time.Millisecond)
	if _, err := get(tas, "/cm?cmnd=Status"); err == nil {
		t.Error("the Tasmota answered 1 ms before its restart of 400 ms was over")
	}
	tasClock.Advance(time.Millisecond)
	if code, err := get(tas, "/cm?cmnd=Status"); err != nil || code != 200 {
		t.Errorf("the Tasmota after its restart: %d %v", code, err)
	}

	// WLED with OTA lock: a factory reset drops it, it comes back unlocked.
	desk := byName["Schreibtisch Lampe"]
	deskClock := newTestClock()
	desk.SetClock(deskClock.Now)
	resp, err := client.Post(url(desk, "/settings/sec"), "application/x-www-form-urlencoded", strings.NewReader("RS=on"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("RS: %v %v", resp, err)
	}
	resp.Body.Close()
	if manifestAuth("Schreibtisch Lampe") {
		t.Error("manifest still shows the OTA lock after the reset")
	}
	if _, err := get(desk, "/json/info"); err == nil {
		t.Error("the WLED answered right after its factory reset")
	}
	deskClock.Advance(desk.Timing().ResetDropOff)
	if code, err := get(desk, "/json/info"); err != nil || code != 200 {
		t.Fatalf("the WLED once its reset is over: %d %v", code, err)
	}
	if code, _ := get(desk, "/update"); code != 200 {
		t.Errorf("/update after the reset: %d", code)
	}
}
