package sim

import (
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestShellyGen1Endpoints(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	tests := []struct {
		target string
		method string
		want   map[string]any
	}{
		{"/shelly", "", map[string]any{"type": "SHSW-1", "mac": d.MAC, "auth": false, "fw": d.Firmware,
			"longid": 1, "discoverable": true}},
		{"/settings", "", map[string]any{"name": "Küche Licht", "fw": d.Firmware, "device.type": "SHSW-1",
			"device.mac": d.MAC, "device.hostname": d.Host, "login.enabled": false, "login.unprotected": false,
			"login.username": "admin", "cloud.enabled": true, "cloud.connected": false, "wifi_ap.enabled": false,
			"lat": 52.52, "lng": 13.405, "build_info.build_id": d.Firmware,
			"build_info.build_timestamp": "2023-09-13T11:20:03Z"}},
		{"/status", "", map[string]any{"has_update": true, "update.status": "pending", "update.has_update": true,
			"update.new_version": "20230913-112003/v1.14.1-g3ea2bf5", "update.old_version": d.Firmware,
			"mqtt.connected": false, "cloud.connected": false, "mac": d.MAC, "wifi_sta.ip": d.Addr.String()}},
		{"/ota", "", map[string]any{"status": "pending", "has_update": true,
			"new_version": "20230913-112003/v1.14.1-g3ea2bf5", "old_version": d.Firmware}},
		// The method is ignored.
		{"/ota", http.MethodPost, map[string]any{"status": "pending", "has_update": true}},
		{"/settings/login", http.MethodPut, map[string]any{"enabled": false, "username": "admin"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.target, func(t *testing.T) {
			rec := callAPI(t, d, apiCall{method: tt.method, target: tt.target})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			wantContentType(t, rec, "application/json")
			m := decodeJSON(t, rec)
			wantFields(t, m, tt.want)
			if tt.target == "/status" && field(t, m, "uptime").(float64) < 1 {
				t.Errorf("uptime %v, want ≥ 1", m["uptime"])
			}
		})
	}
	rec := get(t, d, "/nope")
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d, want 404", rec.Code)
	}
	wantContentType(t, rec, "text/plain")
}

func TestShellyGen1NoUpdate(t *testing.T) {
	d := newShellyGen1(1, "Garage Tor", Addr(1))
	setLatest(d, d.Firmware)
	wantFields(t, decodeJSON(t, get(t, d, "/ota")), map[string]any{"status": "idle", "has_update": false,
		"new_version": d.Firmware, "old_version": d.Firmware})
	wantFields(t, decodeJSON(t, get(t, d, "/status")), map[string]any{"has_update": false})
}

func TestShellyGen1Auth(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	setAuth(d, "geheim-123")
	basic := func(user, pass string) map[string]string {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.SetBasicAuth(user, pass)
		return map[string]string{"Authorization": r.Header.Get("Authorization")}
	}
	tests := []struct {
		name   string
		target string
		header map[string]string
		status int
	}{
		{"shelly never needs auth", "/shelly", nil, http.StatusOK},
		{"settings without credentials", "/settings", nil, http.StatusUnauthorized},
		{"status without credentials", "/status", nil, http.StatusUnauthorized},
		{"ota without credentials", "/ota", nil, http.StatusUnauthorized},
		{"unknown path without credentials", "/nope", nil, http.StatusUnauthorized},
		{"wrong password", "/settings", basic("admin", "geheim-12"), http.StatusUnauthorized},
		{"wrong user", "/settings", basic("Admin", "geheim-123"), http.StatusUnauthorized},
		{"digest is not basic", "/settings", map[string]string{"Authorization": `Digest username="admin"`}, http.StatusUnauthorized},
		{"settings with basic", "/settings", basic("admin", "geheim-123"), http.StatusOK},
		{"ota with basic", "/ota", basic("admin", "geheim-123"), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := callAPI(t, d, apiCall{target: tt.target, header: tt.header})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status != http.StatusUnauthorized {
				return
			}
			if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, `Basic realm="`) {
				t.Errorf("WWW-Authenticate = %q, want a Basic challenge", got)
			}
			wantContentType(t, rec, "text/plain")
		})
	}
	wantFields(t, decodeJSON(t, get(t, d, "/shelly")), map[string]any{"auth": true})
	settings := decodeJSON(t, callAPI(t, d, apiCall{target: "/settings", header: basic("admin", "geheim-123")}))
	wantFields(t, settings, map[string]any{"login.enabled": true})
	if _, leaked := settings["login"].(map[string]any)["password"]; leaked {
		t.Error("settings.login reveals the password")
	}
}

// basicAuth is the Authorization header for HTTP Basic credentials.
func basicAuth(user, pass string) map[string]string {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, pass)
	return map[string]string{"Authorization": r.Header.Get("Authorization")}
}

// TestShellyGen1Login sets, changes and clears the login as
// /settings/login documents it; the old credentials stop working at once.
func TestShellyGen1Login(t *testing.T) {
	d := newShellyGen1(0, "Küche Licht", Addr(0))
	long := strings.Repeat("x", 51)
	steps := []struct {
		name   string
		target string
		header map[string]string
		status int
		want   map[string]any // fields of a JSON answer
		auth   bool           // AuthEnabled after the step
	}{
		{"open device answers login", "/settings/login", nil, 200,
			map[string]any{"enabled": false, "unprotected": false, "username": "admin"}, false},
		{"password too long", "/settings/login?enabled=1&username=admin&password=" + long, nil, 400, nil, false},
		{"empty user name", "/settings/login?enabled=1&username=&password=pw", nil, 400, nil, false},
		{"enable without any password", "/settings/login?enabled=1", nil, 400, nil, false},
		{"enable with boss/thebigone", "/settings/login?enabled=1&username=boss&password=thebigone", nil, 200,
			map[string]any{"enabled": true, "username": "boss"}, true},
		{"settings without credentials", "/settings", nil, 401, nil, true},
		{"settings with admin", "/settings", basicAuth("admin", "thebigone"), 401, nil, true},
		{"settings with boss", "/settings", basicAuth("boss", "thebigone"), 200, map[string]any{"login.username": "boss"}, true},
		{"login change needs auth", "/settings/login?enabled=0", nil, 401, nil, true},
		{"change password", "/settings/login?password=" + strings.Repeat("p", 50), basicAuth("boss", "thebigone"), 200,
			map[string]any{"enabled": true}, true},
		{"old password fails", "/status", basicAuth("boss", "thebigone"), 401, nil, true},
		{"new password works", "/status", basicAuth("boss", strings.Repeat("p", 50)), 200, nil, true},
		{"unprotected flag", "/settings/login?unprotected=true", basicAuth("boss", strings.Repeat("p", 50)), 200,
			map[string]any{"unprotected": true}, true},
		{"disable", "/settings/login?enabled=0", basicAuth("boss", strings.Repeat("p", 50)), 200,
			map[string]any{"enabled": false, "username": "boss"}, false},
		{"open again", "/status", nil, 200, nil, false},
		{"enable again with the kept password (y is true)", "/settings/login?enabled=y", nil, 200,
			map[string]any{"enabled": true}, true},
		{"kept password works", "/ota", basicAuth("boss", strings.Repeat("p", 50)), 200, nil, true},
	}
	for _, s := range steps {
		rec := callAPI(t, d, apiCall{target: s.target, header: s.header})
		if rec.Code != s.status {
			t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
		}
		switch s.status {
		case 200:
			wantContentType(t, rec, "application/json")
			m := decodeJSON(t, rec)
			wantFields(t, m, s.want)
			if strings.Contains(rec.Body.String(), "thebigone") || strings.Contains(rec.Body.String(), "ppppp") {
				t.Errorf("%s: the answer reveals the password", s.name)
			}
		default:
			wantContentType(t, rec, "text/plain")
		}
		if got := d.AuthEnabled(); got != s.auth {
			t.Errorf("%s: AuthEnabled = %v, want %v", s.name, got, s.auth)
		}
		if got := decodeJSON(t, get(t, d, "/shelly"))["auth"]; got != s.auth {
			t.Errorf("%s: /shelly auth = %v, want %v", s.name, got, s.auth)
		}
	}
	// Parameters in a form body work as in the query (the method is ignored).
	d2 := newShellyGen1(1, "Garage Tor", Addr(1))
	rec := callAPI(t, d2, apiCall{method: http.MethodPost, target: "/settings/login", body: "enabled=1&password=pw",
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	if rec.Code != 200 || !d2.AuthEnabled() {
		t.Fatalf("form-encoded login: %d %s", rec.Code, rec.Body)
	}
	if rec := callAPI(t, d2, apiCall{target: "/status", header: basicAuth("admin", "pw")}); rec.Code != 200 {
		t.Errorf("admin/pw after a form login: %d", rec.Code)
	}
}

// TestShellyGen1Update: /ota?update=1 reports "updating" for a while, the
// device is unreachable while it restarts, then it runs the new version.
func TestShellyGen1Update(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen1(0, "Küche Licht", Addr(0))
		l := serveLive(t, d)
		update := 300 * time.Millisecond
		d.SetTiming(Timing{Update: update, Reboot: 200 * time.Millisecond})
		old, latest := d.Firmware, "20230913-112003/v1.14.1-g3ea2bf5"
		wantFields(t, l.mustJSON("GET", "/ota/check", "", nil, 200), map[string]any{"status": "ok"})
		start := time.Now()
		wantFields(t, l.mustJSON("GET", "/ota?update=1", "", nil, 200), map[string]any{"status": "updating",
			"has_update": true, "new_version": latest, "old_version": old})
		wantFields(t, l.mustJSON("GET", "/ota", "", nil, 200), map[string]any{"status": "updating"})
		wantFields(t, l.mustJSON("GET", "/status", "", nil, 200), map[string]any{"update.status": "updating"})
		// A second request does not start another update.
		wantFields(t, l.mustJSON("POST", "/ota?update=true", "", nil, 200), map[string]any{"status": "updating"})
		l.waitDown("/shelly")
		// The fake clock makes it exact: down at the first look once the
		// update time is over (looks are 5 ms apart).
		if took := time.Since(start); took != update {
			t.Errorf("went down after %v, want when the update time %v is over", took, update)
		}
		l.waitUp("/shelly")
		wantFields(t, l.mustJSON("GET", "/shelly", "", nil, 200), map[string]any{"fw": latest})
		wantFields(t, l.mustJSON("GET", "/ota", "", nil, 200), map[string]any{"status": "idle", "has_update": false,
			"new_version": latest, "old_version": latest})
		wantFields(t, l.mustJSON("GET", "/settings", "", nil, 200), map[string]any{"fw": latest, "build_info.build_id": latest})
		if got := d.CurrentFirmware(); got != latest {
			t.Errorf("CurrentFirmware = %q, want %q", got, latest)
		}
		if up := l.mustJSON("GET", "/status", "", nil, 200)["uptime"].(float64); up > 2 {
			t.Errorf("uptime %v after the restart", up)
		}
		// Nothing newer: update=1 changes nothing.
		wantFields(t, l.mustJSON("GET", "/ota?update=1", "", nil, 200), map[string]any{"status": "idle"})
		if !d.Reachable() {
			t.Error("device went down for an update with nothing to install")
		}
	})
}

// TestShellyGen1FactoryReset: /settings?reset=1 drops the device off the
// network; it comes back unconfigured: no login, no name, no location,
// its own access point on.
func TestShellyGen1FactoryReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen1(0, "Küche Licht", Addr(0))
		setAuth(d, "geheim")
		l := serveLive(t, d)
		l.must("GET", "/settings?reset=1", "", nil, 401)
		if !d.Reachable() {
			t.Fatal("an unauthenticated reset was carried out")
		}
		l.mustJSON("GET", "/settings?reset=1", "", basicAuth("admin", "geheim"), 200)
		if d.AuthEnabled() {
			t.Error("AuthEnabled after the reset")
		}
		l.waitDown("/shelly")
		l.waitUp("/shelly")
		wantFields(t, l.mustJSON("GET", "/shelly", "", nil, 200), map[string]any{"auth": false})
		s := l.mustJSON("GET", "/settings", "", nil, 200)
		wantFields(t, s, map[string]any{"login.enabled": false, "login.username": "admin", "name": "",
			"wifi_ap.enabled": true, "wifi_sta.enabled": false, "lat": 0, "lng": 0, "cloud.enabled": false})
		wantFields(t, l.mustJSON("GET", "/status", "", nil, 200), map[string]any{"wifi_sta.connected": false})
		// The old password is gone: setting login again needs a new one.
		l.must("GET", "/settings/login?enabled=1", "", nil, 400)
	})
}

func TestShellyGen1Reboot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen1(0, "Küche Licht", Addr(0))
		l := serveLive(t, d)
		wantFields(t, l.mustJSON("GET", "/reboot", "", nil, 200), map[string]any{"ok": true})
		l.waitDown("/shelly")
		l.waitUp("/shelly")
		if d.CurrentFirmware() != "20230913-112003/v1.14.0-gcb84623" {
			t.Errorf("a reboot changed the firmware to %q", d.CurrentFirmware())
		}
	})
}
