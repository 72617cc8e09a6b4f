package sim

import (
	"net/http"
	"strings"
	"testing"
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
		{"/cm?cmnd=Upgrade%201", []string{"Command"}, map[string]any{"Command": "Unknown"}},
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
