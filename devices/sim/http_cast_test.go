package sim

import (
	"net/http"
	"testing"
)

func TestCastEurekaInfo(t *testing.T) {
	d := newChromecast(0, "Living Room TV", Addr(0))
	rec := get(t, d, "/setup/eureka_info")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	wantContentType(t, rec, "application/json")
	wantFields(t, decodeJSON(t, rec), map[string]any{"build_version": "500000", "cast_build_revision": "1.56.500000",
		"name": "Living Room TV", "mac_address": d.apiMAC(":"), "ssid": "Zuhause", "has_update": false,
		"release_track": "stable-channel", "opt_in.crash": true, "opt_in.stats": true, "setup_state": 60,
		"ip_address": d.Addr.String(), "version": 12, "hotspot_bssid": "FA8FCA7B3C12",
		"ssdp_udn": "5e4b1c2d-0000-0000-3f6a-7b8c9d0e1f2a"})

	setLatest(d, "1.56.600000")
	wantFields(t, decodeJSON(t, get(t, d, "/setup/eureka_info")), map[string]any{"has_update": true})

	m := decodeJSON(t, get(t, d, "/setup/eureka_info?params=version,name,build_info,net,bogus&options=detail"))
	if len(m) != 4 {
		t.Errorf("answer has %d groups, want the 4 known ones asked for: %v", len(m), m)
	}
	wantFields(t, m, map[string]any{"version": 12, "name": "Living Room TV",
		"build_info.cast_build_revision": d.Firmware, "build_info.system_build_number": "500000",
		"build_info.release_track": "stable-channel", "net.ip_address": d.Addr.String()})
	m = decodeJSON(t, get(t, d, "/setup/eureka_info?params=device_info,wifi,opt_in,setup,settings"))
	wantFields(t, m, map[string]any{"device_info.mac_address": d.apiMAC(":"), "device_info.model_name": "Chromecast",
		"wifi.ssid": "Zuhause", "opt_in.stats": true, "setup.setup_state": 60, "settings.timezone": "Europe/Berlin"})
}

func TestCastOtherEndpoints(t *testing.T) {
	d := newChromecast(0, "Living Room TV", Addr(0))
	for _, c := range []apiCall{{target: "/setup/bluetooth/status"}, {target: "/setup/assistant/alarms"},
		{method: http.MethodPost, target: "/setup/reboot", body: `{"params":"now"}`}} {
		rec := callAPI(t, d, c)
		if rec.Code != http.StatusForbidden || rec.Body.Len() != 0 {
			t.Errorf("%s %s: %d %q, want 403 with an empty body", c.method, c.target, rec.Code, rec.Body)
		}
	}
	if rec := get(t, d, "/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: %d", rec.Code)
	}
}
