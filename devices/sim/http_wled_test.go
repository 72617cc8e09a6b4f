package sim

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestWLEDEndpoints(t *testing.T) {
	d := newWLED(0, "Kinderzimmer.Nachtlicht", Addr(0))
	info := map[string]any{"ver": "0.14.4", "name": "Kinderzimmer.Nachtlicht", "udpport": 21324, "arch": "esp32",
		"brand": "WLED", "product": "FOSS", "mac": strings.ToLower(d.MAC), "ip": d.Addr.String(),
		"leds.count": 30, "fxcount": len(wledEffects), "palcount": len(wledPalettes)}
	prefixed := func(prefix string, m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[prefix+k] = v
		}
		return out
	}
	tests := []struct {
		target string
		want   map[string]any
	}{
		{"/json/info", info},
		{"/json/state", map[string]any{"on": true, "bri": 128, "seg.0.len": 30, "seg.0.fx": 0}},
		{"/json", prefixed("info.", info)},
		{"/json", map[string]any{"state.on": true, "effects.0": "Solid", "palettes.0": "Default"}},
		{"/json/si", map[string]any{"state.bri": 128, "info.mac": strings.ToLower(d.MAC)}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, d, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			wantContentType(t, rec, "application/json")
			m := decodeJSON(t, rec)
			wantFields(t, m, tt.want)
			if tt.target == "/json/info" {
				if vid := m["vid"].(float64); vid < 2000000 {
					t.Errorf("vid %v is not a YYMMDDB build id", vid)
				}
			}
		})
	}
	if rec := get(t, d, "/json/eff"); !strings.HasPrefix(rec.Body.String(), `["Solid","Blink"`) {
		t.Errorf("/json/eff = %s", rec.Body)
	}
	if rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/json/state", body: `{"on":false}`}); rec.Code != http.StatusOK || rec.Body.String() != `{"success":true}` {
		t.Errorf("POST /json/state: %d %s, want 200 {\"success\":true}", rec.Code, rec.Body)
	}
	if rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/json/state", body: `[1]`}); rec.Code != http.StatusBadRequest {
		t.Errorf("POST /json/state with an array: status %d, want 400", rec.Code)
	}
	if rec := callAPI(t, d, apiCall{method: http.MethodDelete, target: "/json/state"}); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /json/state: status %d, want 405", rec.Code)
	}
	if rec := get(t, d, "/json/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d", rec.Code)
	}
}

// wledForm is the header of a form-encoded POST.
var wledForm = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

// wledHeadline returns the <h2> of a WLED message or page.
func wledHeadline(body string) string {
	_, rest, _ := strings.Cut(body, "<h2>")
	h, _, _ := strings.Cut(rest, "</h2>")
	return html.UnescapeString(h)
}

// TestWLEDSettingsPIN: a PIN locks the settings pages; POSTing the PIN
// unlocks them (and applies nothing else); wrong PINs and fast retries are
// refused as set.cpp and wled_server.cpp do.
func TestWLEDSettingsPIN(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newWLED(0, "TV Backlight", Addr(0))
		cooldown := d.Timing().PINRetryCooldown // 3 s, on the fake clock
		post := func(body string) *httptest.ResponseRecorder {
			return callAPI(t, d, apiCall{method: http.MethodPost, target: "/settings/sec", body: body, header: wledForm})
		}
		steps := []struct {
			name     string
			wait     time.Duration // before the step
			do       func() *httptest.ResponseRecorder
			status   int
			headline string
			auth     bool
		}{
			{"security page open without PIN", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/sec") }, 200, "Security & Update setup", false},
			{"0000 is the placeholder, not a PIN", 0, func() *httptest.ResponseRecorder { return post("PIN=0000&AO=on") }, 200, "Security settings saved.", false},
			{"3 digits are ignored", 0, func() *httptest.ResponseRecorder { return post("PIN=123&AO=on") }, 200, "Security settings saved.", false},
			{"set PIN 1234", 0, func() *httptest.ResponseRecorder { return post("PIN=1234&AO=on") }, 200, "Security settings saved.", true},
			{"still unlocked after setting it", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/sec") }, 200, "Security & Update setup", true},
			{"lock", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/lock") }, 200, "Settings locked", true},
			{"locked page asks for the PIN", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/sec") }, 401, "PIN required", true},
			{"JSON reads stay open", 0, func() *httptest.ResponseRecorder { return get(t, d, "/json/info") }, 200, "", true},
			{"wrong PIN, as the cooldown after the save ends", cooldown, func() *httptest.ResponseRecorder { return post("PIN=9999") }, 401, "PIN rejected", true},
			{"right PIN 1 ms before the cooldown ends", cooldown - time.Millisecond, func() *httptest.ResponseRecorder { return post("PIN=1234") }, 401, "Access Denied", true},
			{"right PIN as the cooldown ends, with NO=on", time.Millisecond, func() *httptest.ResponseRecorder { return post("PIN=1234&NO=on&AO=on") }, 200, "Security & Update setup", true},
			{"unlocked", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/sec") }, 200, "Security & Update setup", true},
			{"remove the PIN", 0, func() *httptest.ResponseRecorder { return post("PIN=&AO=on") }, 200, "Security settings saved.", false},
			{"lock without a PIN", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/lock") }, 200, "No PIN set", false},
			{"open without a PIN", 0, func() *httptest.ResponseRecorder { return get(t, d, "/settings/sec") }, 200, "Security & Update setup", false},
		}
		for _, s := range steps {
			time.Sleep(s.wait)
			rec := s.do()
			if rec.Code != s.status {
				t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
			}
			if s.headline != "" {
				wantContentType(t, rec, "text/html")
				if got := wledHeadline(rec.Body.String()); got != s.headline {
					t.Errorf("%s: %q, want %q", s.name, got, s.headline)
				}
			}
			if got := d.AuthEnabled(); got != s.auth {
				t.Errorf("%s: AuthEnabled = %v, want %v", s.name, got, s.auth)
			}
			if st := d.lifeSnapshot(time.Now()); st.life.wled.otaLock {
				t.Fatalf("%s: NO=on was applied in a PIN-checking POST", s.name)
			}
		}
	})
}

// TestWLEDPINTimeout: an unlock lasts PIN_TIMEOUT (15 minutes, on the fake
// clock) from the last save.
func TestWLEDPINTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newWLED(0, "TV Backlight", Addr(0))
		timeout := d.Timing().PINTimeout
		callAPI(t, d, apiCall{method: http.MethodPost, target: "/settings/sec", body: "PIN=4711", header: wledForm})
		if rec := get(t, d, "/settings/sec"); rec.Code != 200 {
			t.Fatalf("right after setting the PIN: %d", rec.Code)
		}
		time.Sleep(timeout)
		if rec := get(t, d, "/settings/sec"); rec.Code != 200 {
			t.Fatalf("at PIN_TIMEOUT (%v) after the save: %d, want still unlocked", timeout, rec.Code)
		}
		time.Sleep(time.Millisecond)
		if rec := get(t, d, "/settings/sec"); rec.Code != 401 {
			t.Errorf("after PIN_TIMEOUT: %d, want the PIN page", rec.Code)
		}
	})
}

// TestWLEDOTALock uses the home household's "Schreibtisch Lampe", whose OTA
// lock is on with the default passphrase "wledota".
func TestWLEDOTALock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ds, err := Household(ProfileHome, 0)
		if err != nil {
			t.Fatal(err)
		}
		var d *Device
		for _, x := range ds {
			if x.Name == "Schreibtisch Lampe" {
				d = x
			}
		}
		if d == nil || !d.AuthEnabled() {
			t.Fatalf("Schreibtisch Lampe missing or without OTA lock")
		}
		cooldown := d.Timing().PINRetryCooldown // 3 s, on the fake clock
		post := func(body string) string {
			rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/settings/sec", body: body, header: wledForm})
			if rec.Code != 200 {
				t.Fatalf("POST %s: %d %s", body, rec.Code, rec.Body)
			}
			return wledHeadline(rec.Body.String())
		}
		locked := func() bool { return d.lifeSnapshot(time.Now()).life.wled.otaLock }
		updatePage := func() int { return get(t, d, "/update").Code }
		if c := updatePage(); c != 401 {
			t.Fatalf("/update with OTA locked: %d", c)
		}
		if h := wledHeadline(get(t, d, "/update").Body.String()); h != "Access Denied" {
			t.Errorf("/update headline %q", h)
		}
		steps := []struct {
			name   string
			wait   time.Duration // before the step
			body   string
			locked bool
		}{
			{"wrong passphrase", 0, "OP=falsch&AO=on", true},
			{"right passphrase 1 ms before 3 s since the last save", cooldown - time.Millisecond, "OP=wledota&AO=on", true},
			{"without a passphrase the lock stays", cooldown, "AO=on", true},
			{"right passphrase 3 s after the last save", cooldown, "OP=wledota&AO=on", false},
			{"new passphrase and lock", 0, "OP=NeuesOTA&NO=on&AO=on", true},
			{"the default no longer unlocks", cooldown, "OP=wledota&AO=on", true},
			{"the new one does", cooldown, "OP=NeuesOTA&AO=on", false},
		}
		for _, s := range steps {
			time.Sleep(s.wait)
			if h := post(s.body); h != "Security settings saved." {
				t.Errorf("%s: %q", s.name, h)
			}
			if got := locked(); got != s.locked {
				t.Fatalf("%s: OTA locked = %v, want %v", s.name, got, s.locked)
			}
			if got := d.AuthEnabled(); got != s.locked {
				t.Errorf("%s: AuthEnabled = %v", s.name, got)
			}
		}
		if c := updatePage(); c != 200 {
			t.Errorf("/update unlocked: %d", c)
		}
		if st := d.lifeSnapshot(time.Now()); wledOTAPass(st.life.wled) != "NeuesOTA" {
			t.Errorf("passphrase %q", wledOTAPass(st.life.wled))
		}
	})
}

// TestWLEDFactoryReset: RS erases everything; the device reboots and comes
// back unconfigured (name WLED, welcome page, no locks).
func TestWLEDFactoryReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := withWLEDOTALock(newWLED(0, "TV Backlight", Addr(0)), WLEDDefaultOTAPassword)
		l := serveLive(t, d)
		body := l.must("POST", "/settings/sec", "RS=on&PIN=1234", wledForm, 200)
		if h := wledHeadline(body); h != "All Settings erased." || !strings.Contains(body, "Connect to WLED-AP to setup again") {
			t.Errorf("answer to RS: %s", body)
		}
		if d.AuthEnabled() {
			t.Error("AuthEnabled after RS")
		}
		l.waitDown("/json/info")
		l.waitUp("/json/info")
		wantFields(t, l.mustJSON("GET", "/json/info", "", nil, 200), map[string]any{"name": "WLED"})
		if h := wledHeadline(l.must("GET", "/", "", nil, 200)); h != "Welcome to WLED!" {
			t.Errorf("/ after reset: %q", h)
		}
		l.must("GET", "/update", "", nil, 200)
		l.must("GET", "/settings/sec", "", nil, 200) // the PIN in the RS form was not kept
	})
}

// TestWLEDReboot: {"rb":true} and /reset reboot the device.
func TestWLEDReboot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newWLED(0, "TV Backlight", Addr(0))
		l := serveLive(t, d)
		if b := l.must("POST", "/json/state", `{"rb":true}`, map[string]string{"Content-Type": "application/json"}, 200); b != `{"success":true}` {
			t.Errorf("rb answer %s", b)
		}
		l.waitDown("/json/info")
		l.waitUp("/json/info")
		if h := wledHeadline(l.must("GET", "/reset", "", nil, 200)); h != "Rebooting now..." {
			t.Errorf("/reset: %q", h)
		}
		l.waitDown("/json/info")
		l.waitUp("/json/info")
		wantFields(t, l.mustJSON("GET", "/json/info", "", nil, 200), map[string]any{"name": "TV Backlight"})
	})
}

// TestWLEDSettingsJS: /settings/s.js?p=6 fills the security form as
// getSettingsJS does, and refuses while the PIN locks the settings.
func TestWLEDSettingsJS(t *testing.T) {
	d := withWLEDOTALock(newWLED(0, "TV Backlight", Addr(0)), WLEDDefaultOTAPassword)
	rec := get(t, d, "/settings/s.js?p=6")
	want := `function GetV(){var d=document;d.Sf.PIN.value="";d.Sf.NO.checked=1;d.Sf.OW.checked=0;d.Sf.AO.checked=1;` +
		`d.getElementsByClassName("sip")[0].innerHTML="WLED 0.14.4 (build 2405180)";sd="TV Backlight";}`
	if rec.Code != 200 || rec.Body.String() != want {
		t.Fatalf("s.js?p=6 = %d %s\nwant %s", rec.Code, rec.Body, want)
	}
	wantContentType(t, rec, "application/javascript")
	if rec := get(t, d, "/settings/s.js?p=0"); rec.Code != 200 || rec.Body.String() != "function GetV(){var d=document;}" {
		t.Errorf("s.js?p=0 = %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, d, "/settings/s.js?p=11"); rec.Code != 501 {
		t.Errorf("s.js?p=11 = %d", rec.Code)
	}
	callAPI(t, d, apiCall{method: http.MethodPost, target: "/settings/sec", body: "PIN=1234&AO=on&NO=on&OP=wledota", header: wledForm})
	if rec := get(t, d, "/settings/s.js?p=6"); !strings.Contains(rec.Body.String(), `d.Sf.PIN.value="0000";d.Sf.NO.checked=1;`) {
		t.Errorf("with a PIN: %s", rec.Body)
	}
	get(t, d, "/settings/lock")
	if rec := get(t, d, "/settings/s.js?p=6"); rec.Code != 401 || rec.Body.String() != "alert('PIN incorrect.');" {
		t.Errorf("locked: %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, d, "/settings/s.js?p=0"); rec.Code != 200 {
		t.Errorf("menu script while locked: %d", rec.Code)
	}
}
