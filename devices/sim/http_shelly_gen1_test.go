package sim

import (
	"net/http"
	"strings"
	"testing"
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
