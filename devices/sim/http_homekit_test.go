package sim

import (
	"net/http"
	"testing"
)

func TestHomeKitUnverifiedSession(t *testing.T) {
	d := newHomeKit(0, "Eve Energy Wohnzimmer", Addr(0))
	tests := []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/accessories", 470, `{"status":-70411}`},
		{"GET", "/characteristics?id=1.10", 470, `{"status":-70411}`},
		{"PUT", "/characteristics", 470, `{"status":-70411}`},
		{"PUT", "/prepare", 470, `{"status":-70411}`},
		{"POST", "/resource", 470, `{"status":-70411}`},
		{"POST", "/accessories", 470, ""},
		{"GET", "/pairings", 470, ""},
		{"POST", "/pairings", 470, ""},
		{"POST", "/secure-message", 470, ""},
		{"GET", "/nope", 470, ""},
		{"POST", "/identify", 204, ""},
		{"GET", "/identify", 405, ""},
		{"POST", "/pair-setup", 400, ""},
		{"GET", "/pair-verify", 405, ""},
		{"POST", "/configured", 204, ""},
	}
	for _, tt := range tests {
		rec := callAPI(t, d, apiCall{method: tt.method, target: tt.target})
		if rec.Code != tt.status || rec.Body.String() != tt.body {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.target, rec.Code, rec.Body, tt.status, tt.body)
		}
		if tt.body != "" && rec.Header().Get("Content-Type") != "application/hap+json" {
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.target, rec.Header().Get("Content-Type"))
		}
	}
}

func TestHomeKitIdentifyWhenPaired(t *testing.T) {
	d := newHomeKit(0, "Türsensor Haustür", Addr(0))
	for i, kv := range d.Services[0].TXT {
		if kv == "sf=1" {
			d.Services[0].TXT[i] = "sf=0"
		}
	}
	rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/identify"})
	if rec.Code != http.StatusBadRequest || rec.Body.String() != `{"status":-70401}` {
		t.Errorf("identify on a paired accessory = %d %q, want 400 -70401", rec.Code, rec.Body)
	}
}
