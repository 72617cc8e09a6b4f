package sim

import (
	"net/http"
	"testing"
)

func TestElgatoEndpoints(t *testing.T) {
	d := newElgato(0, "Elgato Key Light", Addr(0))
	tests := []struct {
		target string
		want   map[string]any
	}{
		{"/elgato/accessory-info", map[string]any{"productName": "Elgato Key Light", "hardwareBoardType": 53,
			"firmwareVersion": "1.0.3", "displayName": "Elgato Key Light", "features.0": "lights",
			"macAddress": d.apiMAC(":"), "serialNumber": "BW6A9D000000"}},
		{"/elgato/lights", map[string]any{"numberOfLights": 1, "lights.0.on": 0, "lights.0.brightness": 25,
			"lights.0.temperature": 213}},
		{"/elgato/lights/settings", map[string]any{"powerOnBehavior": 1, "switchOffDurationMs": 300}},
	}
	for _, tt := range tests {
		rec := get(t, d, tt.target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.target, rec.Code)
		}
		wantContentType(t, rec, "application/json")
		wantFields(t, decodeJSON(t, rec), tt.want)
	}
	if rec := get(t, d, "/elgato/settings"); rec.Code != http.StatusNotFound {
		t.Errorf("/elgato/settings: %d, want 404 (settings live under lights)", rec.Code)
	}
	if rec := callAPI(t, d, apiCall{method: http.MethodPut, target: "/elgato/lights", body: `{"lights":[{"on":1}]}`}); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT /elgato/lights: %d, want 405 while writes are not simulated", rec.Code)
	}
}
