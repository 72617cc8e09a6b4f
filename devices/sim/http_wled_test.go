package sim

import (
	"net/http"
	"strings"
	"testing"
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
	if rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/json/state", body: `{"on":false}`}); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /json/state: status %d, want 405 while writes are not simulated", rec.Code)
	}
	if rec := get(t, d, "/json/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d", rec.Code)
	}
}
