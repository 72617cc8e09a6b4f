package sim

import (
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
)

func TestTasmotaCommands(t *testing.T) {
	d := newTasmota(0, "Flur Sensor", Addr(0))
	mac := d.apiMAC(":")
	tests := []struct {
		target string
		keys   []string // exactly the top-level keys of the answer
		want   map[string]any
	}{
		{"/cm?cmnd=Status%200",
			[]string{"Status", "StatusPRM", "StatusFWR", "StatusLOG", "StatusMEM", "StatusNET", "StatusMQT",
				"StatusTIM", "StatusSNS", "StatusSTS"},
			map[string]any{"Status.DeviceName": "Flur Sensor", "Status.FriendlyName.0": "Flur Sensor",
				"Status.Module": 1, "StatusFWR.Version": "13.2.0(tasmota)", "StatusFWR.Hardware": "ESP8266EX",
				"StatusNET.Hostname": d.Host, "StatusNET.IPAddress": d.Addr.String(), "StatusNET.Mac": mac,
				"StatusPRM.OtaUrl": "http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"}},
		{"/cm?cmnd=Status%202", []string{"StatusFWR"},
			map[string]any{"StatusFWR.Version": d.Firmware, "StatusFWR.Core": "2_7_4_9",
				"StatusFWR.SDK": "2.2.2-dev(38a443e)", "StatusFWR.BuildDateTime": "2023-10-24T10:05:00"}},
		{"/cm?cmnd=status2", []string{"StatusFWR"}, map[string]any{"StatusFWR.Version": d.Firmware}},
		{"/cm?cmnd=STATUS+5", []string{"StatusNET"}, map[string]any{"StatusNET.Mac": mac}},
		{"/cm?cmnd=Status", []string{"Status"}, map[string]any{"Status.Topic": "tasmota_" + d.MAC[6:]}},
		{"/cm?cmnd=Module", []string{"Module"}, map[string]any{"Module.1": "Sonoff Basic"}},
		{"/cm?cmnd=Nope%201", []string{"Command"}, map[string]any{"Command": "Unknown"}},
		{"/cm?cmnd=", []string{"WARNING"}, map[string]any{"WARNING": "Enter command cmnd="}},
		{"/cm", []string{"WARNING"}, map[string]any{"WARNING": "Enter command cmnd="}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, d, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			wantContentType(t, rec, "application/json")
			m := decodeJSON(t, rec)
			if len(m) != len(tt.keys) {
				t.Errorf("answer has %d sections, want %v", len(m), tt.keys)
			}
			for _, k := range tt.keys {
				if _, ok := m[k]; !ok {
					t.Errorf("answer lacks %s", k)
				}
			}
			wantFields(t, m, tt.want)
		})
	}
}

func TestTasmotaPages(t *testing.T) {
	d := newTasmota(0, "Flur <Sensor>", Addr(0))
	rec := get(t, d, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	wantContentType(t, rec, "text/html")
	for _, s := range []string{"<title>Flur &lt;Sensor&gt; - Main Menu</title>", "Tasmota 13.2.0 (tasmota) by Theo Arends"} {
		if !strings.Contains(rec.Body.String(), s) {
			t.Errorf("main page lacks %q", s)
		}
	}
	rec = get(t, d, "/nope?a=b")
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Body.String(), "File Not Found\n\nURI: /nope\nMethod: GET\nArguments: 1\n") {
		t.Errorf("unknown path: %d %q", rec.Code, rec.Body)
	}
}

func TestTasmotaWebPassword(t *testing.T) {
	d := newTasmota(0, "Flur Sensor", Addr(0))
	setAuth(d, "k&ey 9")
	basic := func(user, pass string) map[string]string {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.SetBasicAuth(user, pass)
		return map[string]string{"Authorization": r.Header.Get("Authorization")}
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	tests := []struct {
		name string
		c    apiCall
		ok   bool
	}{
		{"no credentials", apiCall{target: "/cm?cmnd=Status%200"}, false},
		{"wrong password", apiCall{target: "/cm?user=admin&password=k%26ey+8&cmnd=Status%200"}, false},
		{"wrong user", apiCall{target: "/cm?user=root&password=k%26ey+9&cmnd=Status%200"}, false},
		{"password prefix", apiCall{target: "/cm?user=admin&password=k%26ey&cmnd=Status%200"}, false},
		{"query credentials", apiCall{target: "/cm?user=admin&password=k%26ey+9&cmnd=Status%200"}, true},
		{"basic credentials", apiCall{target: "/cm?cmnd=Status%200", header: basic("admin", "k&ey 9")}, true},
		{"form credentials", apiCall{method: http.MethodPost, target: "/cm?cmnd=Status%200",
			body: "user=admin&password=k%26ey+9", header: form}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := callAPI(t, d, tt.c)
			wantContentType(t, rec, "application/json")
			m := decodeJSON(t, rec)
			if tt.ok {
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				wantFields(t, m, map[string]any{"StatusFWR.Version": d.Firmware})
				return
			}
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", rec.Code)
			}
			if len(m) != 1 {
				t.Errorf("401 answer %v carries more than the warning", m)
			}
			wantFields(t, m, map[string]any{"WARNING": "Need user=<username>&password=<password>"})
		})
	}
	rec := get(t, d, "/")
	if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("main page without password: %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	if rec := callAPI(t, d, apiCall{target: "/", header: basic("admin", "k&ey 9")}); rec.Code != http.StatusOK {
		t.Errorf("main page with password: %d", rec.Code)
	}
}

// TestTasmotaWebPasswordCommand sets, shows and clears the web password
// with WebPassword as the firmware answers it.
func TestTasmotaWebPasswordCommand(t *testing.T) {
	d := newTasmota(0, "Flur Sensor", Addr(0))
	need := map[string]any{"WARNING": "Need user=<username>&password=<password>"}
	long := strings.Repeat("L", 40)
	steps := []struct {
		name   string
		target string
		status int
		want   map[string]any
		auth   bool
	}{
		{"show when none is set", "/cm?cmnd=WebPassword", 200, map[string]any{"WebPassword": "****"}, false},
		{"set", "/cm?cmnd=WebPassword%20Erste%20Wahl", 200, map[string]any{"WebPassword": "Erste Wahl"}, true},
		{"without credentials", "/cm?cmnd=Status%202", 401, need, true},
		{"show needs credentials too", "/cm?cmnd=WebPassword", 401, need, true},
		{"show with credentials", "/cm?user=admin&password=Erste+Wahl&cmnd=WebPassword", 200,
			map[string]any{"WebPassword": "****"}, true},
		{"set with WebPassword2 is masked", "/cm?user=admin&password=Erste+Wahl&cmnd=WebPassword2%20zweite", 200,
			map[string]any{"WebPassword": "****"}, true},
		{"old password fails", "/cm?user=admin&password=Erste+Wahl&cmnd=Status%202", 401, need, true},
		{"new password works", "/cm?user=admin&password=zweite&cmnd=Status%202", 200,
			map[string]any{"StatusFWR.Version": d.Firmware}, true},
		{"longer than 32 is cut", "/cm?user=admin&password=zweite&cmnd=WebPassword%20" + long, 200,
			map[string]any{"WebPassword": long[:32]}, true},
		{"the cut password works", "/cm?user=admin&password=" + long[:32] + "&cmnd=Status%202", 200, nil, true},
		{"0 clears it", "/cm?user=admin&password=" + long[:32] + "&cmnd=WebPassword%200", 200,
			map[string]any{"WebPassword": ""}, false},
		{"open again", "/cm?cmnd=Status%202", 200, nil, false},
		{"1 is the (empty) default", "/cm?cmnd=WebPassword%201", 200, map[string]any{"WebPassword": ""}, false},
	}
	for _, s := range steps {
		rec := get(t, d, s.target)
		if rec.Code != s.status {
			t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
		}
		wantContentType(t, rec, "application/json")
		wantFields(t, decodeJSON(t, rec), s.want)
		if got := d.AuthEnabled(); got != s.auth {
			t.Errorf("%s: AuthEnabled = %v, want %v", s.name, got, s.auth)
		}
	}
}

// TestTasmotaUpgrade: Upgrade 1 answers at once, the device is busy and
// then restarts, and Status 2 shows the new version.
func TestTasmotaUpgrade(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newTasmota(0, "Flur Sensor", Addr(0))
		l := serveLive(t, d)
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Upgrade%2013.0", "", nil, 200),
			map[string]any{"Upgrade": "1 or >13.2.0 to upgrade"})
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Upgrade%201.2.3.4.5", "", nil, 200),
			map[string]any{"Upgrade": "1 or >13.2.0 to upgrade"})
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=OtaUrl", "", nil, 200),
			map[string]any{"OtaUrl": "http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"})
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Upgrade%201", "", nil, 200),
			map[string]any{"Upgrade": "Version 13.2.0 from http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"})
		l.waitDown("/cm?cmnd=Status%202")
		l.waitUp("/cm?cmnd=Status%202")
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Status%202", "", nil, 200), map[string]any{"StatusFWR.Version": "14.3.0(tasmota)"})
		// A version number newer than the running one upgrades as well.
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Upgrade%2014.4", "", nil, 200),
			map[string]any{"Upgrade": "Version 14.3.0 from http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"})
		l.waitDown("/")
		l.waitUp("/")
	})
}

// TestTasmotaReset: Reset 5 erases everything but Wi-Fi: the device comes
// back without web password, with default names.
func TestTasmotaReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newTasmota(0, "Flur Sensor", Addr(0))
		setAuth(d, "pw")
		l := serveLive(t, d)
		cred := "/cm?user=admin&password=pw&cmnd="
		for arg, want := range map[string]string{"": "1 to reset", "7": "1 to reset", "99": "Done"} {
			wantFields(t, l.mustJSON("GET", cred+"Reset%20"+arg, "", nil, 200), map[string]any{"Reset": want})
		}
		if !d.Reachable() {
			t.Fatal("down after a Reset that resets nothing")
		}
		l.must("GET", "/cm?cmnd=Reset%205", "", nil, 401)
		wantFields(t, l.mustJSON("GET", cred+"Reset%205", "", nil, 200), map[string]any{"Reset": "Erase, Reset and Restarting"})
		l.waitDown("/")
		l.waitUp("/")
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Status", "", nil, 200), map[string]any{"Status.DeviceName": "Tasmota",
			"Status.FriendlyName.0": "Tasmota"})
		if d.AuthEnabled() {
			t.Error("web password survived Reset 5")
		}
		if body := l.must("GET", "/", "", nil, 200); !strings.Contains(body, "<h2>Tasmota</h2>") {
			t.Error("main page does not show the default name")
		}
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Reset%201", "", nil, 200), map[string]any{"Reset": "Reset and Restarting"})
		l.waitDown("/")
		l.waitUp("/")
	})
}

func TestTasmotaRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newTasmota(0, "Flur Sensor", Addr(0))
		l := serveLive(t, d)
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Restart", "", nil, 200), map[string]any{"Restart": "1 to restart"})
		wantFields(t, l.mustJSON("GET", "/cm?cmnd=Restart%201", "", nil, 200), map[string]any{"Restart": "Restarting"})
		l.waitDown("/")
		l.waitUp("/")
		// Restart 99 restarts at once, without an answer.
		if _, _, err := l.do("GET", "/cm?cmnd=Restart%2099", "", nil); err == nil {
			t.Error("Restart 99 was answered")
		}
		l.waitUp("/")
	})
}
