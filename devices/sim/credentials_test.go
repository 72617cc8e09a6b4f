package sim

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestCredentialRequests sends each family's ways of presenting or setting
// a credential, and plain reads, to fresh devices of the home household: the
// first are recorded as "METHOD PATH" without any secret, the second are
// not, and every request still reaches the family API whole (authAfter is
// whether the device asks for a password afterwards).
func TestCredentialRequests(t *testing.T) {
	const secret = "Geheim-4711"
	basic := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+secret))}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	const gen2 = "Wohnzimmer Steckdose"
	gen2Host := deviceNamed(t, homeHousehold(), gen2).Host
	ha1 := digestSHA256Hex("admin:" + gen2Host + ":" + secret)
	hueKey := strings.Repeat("k", 40)
	for _, tc := range []struct {
		name      string
		device    string
		call      apiCall
		want      []string
		authAfter bool
	}{
		// Credentials.
		{"Gen1 login sets a password", "Küche Licht",
			apiCall{target: "/settings/login?enabled=1&username=admin&password=" + secret},
			[]string{"GET /settings/login"}, true},
		{"Gen1 login in a form body", "Küche Licht",
			apiCall{method: http.MethodPost, target: "/settings/login", body: "enabled=1&password=" + secret, header: form},
			[]string{"POST /settings/login"}, true},
		{"Gen1 read with Basic auth", "Küche Licht", apiCall{target: "/status", header: basic},
			[]string{"GET /status"}, false},
		{"Gen2 Shelly.SetAuth frame", gen2, apiCall{method: http.MethodPost, target: "/rpc",
			body: `{"id":1,"method":"Shelly.SetAuth","params":{"user":"admin","realm":"` + gen2Host + `","ha1":"` + ha1 + `"}}`},
			[]string{"POST /rpc"}, true},
		{"Gen2 Shelly.SetAuth over GET", gen2,
			apiCall{target: "/rpc/Shelly.SetAuth?user=admin&realm=" + gen2Host + "&ha1=" + ha1},
			[]string{"GET /rpc/Shelly.SetAuth"}, true},
		{"Gen2 digest auth", gen2, apiCall{target: "/rpc/Shelly.GetStatus?id=0", header: map[string]string{
			"Authorization": `Digest username="admin", realm="` + gen2Host + `", nonce="1", uri="/rpc/Shelly.GetStatus?id=0", qop=auth, nc=00000001, cnonce="c", response="` + ha1 + `", algorithm=SHA-256`}},
			[]string{"GET /rpc/Shelly.GetStatus"}, false},
		{"Tasmota user and password query", "Flur Sensor",
			apiCall{target: "/cm?user=admin&password=" + secret + "&cmnd=Status%200"},
			[]string{"GET /cm"}, false},
		{"Tasmota user and password form", "Flur Sensor", apiCall{method: http.MethodPost, target: "/cm",
			body: "user=admin&password=" + secret + "&cmnd=Status", header: form},
			[]string{"POST /cm"}, false},
		{"Tasmota WebPassword sets one", "Flur Sensor", apiCall{target: "/cm?cmnd=WebPassword%20" + secret},
			[]string{"GET /cm"}, true},
		{"Tasmota WebPassword in a Backlog", "Flur Sensor",
			apiCall{target: "/cm?cmnd=Backlog%20Status%200%3B%20WebPassword2%20" + secret},
			[]string{"GET /cm"}, false},
		{"WLED settings PIN", "Kinderzimmer.Nachtlicht",
			apiCall{method: http.MethodPost, target: "/settings/sec", body: "PIN=4711", header: form},
			[]string{"POST /settings/sec"}, true},
		{"WLED OTA passphrase", "Kinderzimmer.Nachtlicht",
			apiCall{method: http.MethodPost, target: "/settings/sec", body: "OP=" + secret + "&NO=on&AO=on", header: form},
			[]string{"POST /settings/sec"}, true},
		{"WLED JSON pin", "Kinderzimmer.Nachtlicht",
			apiCall{method: http.MethodPost, target: "/json/state", body: `{"pin":"4711","on":true}`},
			[]string{"POST /json/state"}, false},
		{"Hue key path", "Philips Hue", apiCall{target: "/api/" + hueKey + "/config"},
			[]string{"GET /api/<key>/config"}, false},
		{"Hue key path with a trailing slash", "Philips Hue", apiCall{target: "/api/" + hueKey + "/"},
			[]string{"GET /api/<key>/"}, false},
		{"Hue bare key", "Philips Hue", apiCall{method: http.MethodPut, target: "/api/" + hueKey, body: `{}`},
			[]string{"PUT /api/<key>"}, false},
		{"OctoPrint API key", "Prusa MK3S (Werkstatt)",
			apiCall{target: "/api/version", header: map[string]string{"X-Api-Key": secret}},
			[]string{"GET /api/version"}, false},
		// Plain reads and writes that carry no credential.
		{"Gen1 /shelly", "Küche Licht", apiCall{target: "/shelly"}, nil, false},
		{"Gen1 login read", "Küche Licht", apiCall{target: "/settings/login"}, nil, false},
		{"Gen2 /shelly", gen2, apiCall{target: "/shelly"}, nil, false},
		{"Gen2 GetStatus frame", gen2,
			apiCall{method: http.MethodPost, target: "/rpc", body: `{"id":1,"method":"Shelly.GetStatus"}`}, nil, false},
		{"Tasmota Status 0", "Flur Sensor", apiCall{target: "/cm?cmnd=Status%200"}, nil, false},
		{"Tasmota WebPassword read", "Flur Sensor", apiCall{target: "/cm?cmnd=WebPassword"}, nil, false},
		{"WLED info", "Kinderzimmer.Nachtlicht", apiCall{target: "/json/info"}, nil, false},
		{"WLED state change", "Kinderzimmer.Nachtlicht",
			apiCall{method: http.MethodPost, target: "/json/state", body: `{"on":true,"bri":128}`}, nil, false},
		{"WLED empty PIN field", "Kinderzimmer.Nachtlicht",
			apiCall{method: http.MethodPost, target: "/settings/sec", body: "PIN=&AO=on", header: form}, nil, false},
		{"Hue public config", "Philips Hue", apiCall{target: "/api/config"}, nil, false},
		{"Hue pairing", "Philips Hue",
			apiCall{method: http.MethodPost, target: "/api", body: `{"devicetype":"porchlight#test"}`}, nil, false},
		{"OctoPrint without a key", "Prusa MK3S (Werkstatt)", apiCall{target: "/api/version"}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := deviceNamed(t, homeHousehold(), tc.device)
			callAPI(t, d, tc.call)
			got := d.CredentialRequests()
			if !slices.Equal(got, tc.want) {
				t.Errorf("recorded %q, want %q", got, tc.want)
			}
			for _, r := range got {
				for _, s := range []string{secret, ha1, hueKey, "4711"} {
					if strings.Contains(r, s) {
						t.Errorf("the record %q holds a secret", r)
					}
				}
			}
			if d.AuthEnabled() != tc.authAfter {
				t.Errorf("auth on %v after the request, want %v: the request did not reach the API whole", d.AuthEnabled(), tc.authAfter)
			}
		})
	}
}

// TestCredentialRequestsKeepBodyLimit checks that reading a body ahead does
// not lift the family APIs' limit on it.
func TestCredentialRequestsKeepBodyLimit(t *testing.T) {
	d := deviceNamed(t, homeHousehold(), "Wohnzimmer Steckdose")
	body := `{"id":1,"method":"Shelly.GetStatus","params":{"pad":"` + strings.Repeat("x", apiMaxBody) + `"}}`
	rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: body})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d, want 413", rec.Code)
	}
}

// deviceNamed returns the device of ds with the given friendly name.
func deviceNamed(t *testing.T, ds []*Device, name string) *Device {
	t.Helper()
	i := slices.IndexFunc(ds, func(d *Device) bool { return d.Name == name })
	if i < 0 {
		t.Fatalf("no device named %q", name)
	}
	return ds[i]
}
