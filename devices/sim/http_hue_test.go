package sim

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestHueConfig(t *testing.T) {
	d := newHueBridge(5, "Philips Hue", Addr(5))
	want := map[string]any{"name": "Philips Hue", "datastoreversion": "166", "swversion": "1967054020",
		"apiversion": "1.67.0", "mac": "ec:b5:fa:00:00:05", "bridgeid": "ECB5FAFFFE000005", "factorynew": false,
		"replacesbridgeid": nil, "modelid": "BSB002", "starterkitid": ""}
	if got := strings.ToUpper(d.apiTXT("bridgeid")); got != want["bridgeid"] {
		t.Fatalf("TXT bridgeid %q and API bridgeid disagree", got)
	}
	for _, target := range []string{"/api/config", "/api/nouser/config", "/api/0123456789abcdef/config"} {
		rec := get(t, d, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		wantContentType(t, rec, "application/json")
		m := decodeJSON(t, rec)
		wantFields(t, m, want)
		if len(m) != len(want) {
			t.Errorf("%s: %d fields, want only the %d allowed without a user", target, len(m), len(want))
		}
	}
}

func TestHueErrors(t *testing.T) {
	d := newHueBridge(0, "Philips Hue", Addr(0))
	tests := []struct {
		c    apiCall
		want string
	}{
		{apiCall{target: "/api/newdeveloper"}, `[{"error":{"type":1,"address":"/","description":"unauthorized user"}}]`},
		{apiCall{target: "/api/newdeveloper/"}, `[{"error":{"type":1,"address":"/","description":"unauthorized user"}}]`},
		{apiCall{target: "/api/newdeveloper/lights"}, `[{"error":{"type":1,"address":"/lights","description":"unauthorized user"}}]`},
		{apiCall{method: http.MethodPut, target: "/api/newdeveloper/config", body: `{"name":"x"}`},
			`[{"error":{"type":1,"address":"/config","description":"unauthorized user"}}]`},
		{apiCall{target: "/api"}, `[{"error":{"type":4,"address":"/","description":"method, GET, not available for resource, /"}}]`},
		{apiCall{method: http.MethodPost, target: "/api", body: `{"devicetype":"porchlight#laptop"}`},
			`[{"error":{"type":101,"address":"","description":"link button not pressed"}}]`},
		{apiCall{method: http.MethodPost, target: "/api/", body: `{"devicetype":"porchlight#laptop","generateclientkey":true}`},
			`[{"error":{"type":101,"address":"","description":"link button not pressed"}}]`},
		{apiCall{method: http.MethodPost, target: "/api", body: `{"devicetype":`},
			`[{"error":{"type":2,"address":"/","description":"body contains invalid json"}}]`},
		{apiCall{method: http.MethodPost, target: "/api", body: `{}`},
			`[{"error":{"type":5,"address":"/","description":"invalid/missing parameters in body"}}]`},
	}
	for _, tt := range tests {
		rec := callAPI(t, d, tt.c)
		if rec.Code != http.StatusOK || rec.Body.String() != tt.want {
			t.Errorf("%s %s = %d %s\nwant 200 %s", tt.c.method, tt.c.target, rec.Code, rec.Body, tt.want)
		}
		wantContentType(t, rec, "application/json")
	}
}

func TestHueDescription(t *testing.T) {
	d := newHueBridge(0, "Hue & <Keller>", Addr(0))
	rec := get(t, d, "/description.xml")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	wantContentType(t, rec, "text/xml")
	var doc struct {
		URLBase string `xml:"URLBase"`
		Device  struct {
			FriendlyName string `xml:"friendlyName"`
			Manufacturer string `xml:"manufacturer"`
			ModelName    string `xml:"modelName"`
			ModelNumber  string `xml:"modelNumber"`
			SerialNumber string `xml:"serialNumber"`
			UDN          string `xml:"UDN"`
		} `xml:"device"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	mac := strings.ToLower(d.MAC)
	if doc.URLBase != "http://"+d.Addr.String()+":80/" || doc.Device.FriendlyName != "Hue & <Keller> ("+d.Addr.String()+")" ||
		doc.Device.ModelName != "Philips hue bridge 2015" || doc.Device.ModelNumber != "BSB002" ||
		doc.Device.SerialNumber != mac || doc.Device.UDN != "uuid:2f402f80-da50-11e1-9b23-"+mac ||
		doc.Device.Manufacturer != "Signify" {
		t.Errorf("description = %+v", doc)
	}
}

// TestHuePairing: POST /api answers 101 until the link button is pressed;
// in the window (30 s, on the fake clock) it whitelists a user whose key
// opens the full config; the window closes on time.
func TestHuePairing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newHueBridge(0, "Philips Hue", Addr(0))
		window := d.Timing().LinkButton
		pair := func(body string) *httptest.ResponseRecorder {
			return callAPI(t, d, apiCall{method: http.MethodPost, target: "/api", body: body})
		}
		notPressed := `[{"error":{"type":101,"address":"","description":"link button not pressed"}}]`
		if rec := pair(`{"devicetype":"porchlight#laptop"}`); rec.Body.String() != notPressed {
			t.Fatalf("before the button: %s", rec.Body)
		}
		d.PressLinkButton()
		pressed := time.Now()
		var created []struct {
			Success struct {
				Username  string `json:"username"`
				ClientKey string `json:"clientkey"`
			} `json:"success"`
		}
		rec := pair(`{"devicetype":"porchlight#laptop"}`)
		if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || len(created) != 1 {
			t.Fatalf("pairing in the window: %s", rec.Body)
		}
		key := created[0].Success.Username
		if len(key) != 40 || created[0].Success.ClientKey != "" || strings.Trim(key, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
			t.Errorf("username %q, clientkey %q", key, created[0].Success.ClientKey)
		}
		if rec := pair(`{"devicetype":"porchlight#phone","generateclientkey":true}`); json.Unmarshal(rec.Body.Bytes(), &created) != nil ||
			len(created[0].Success.ClientKey) != 32 || created[0].Success.Username == key {
			t.Errorf("second user with client key: %s", rec.Body)
		}
		if rec := pair(`{"devicetype":"` + strings.Repeat("a", 41) + `"}`); !strings.Contains(rec.Body.String(), `"type":7`) {
			t.Errorf("overlong devicetype: %s", rec.Body)
		}
		cfg := decodeJSON(t, get(t, d, "/api/"+key+"/config"))
		wantFields(t, cfg, map[string]any{"name": "Philips Hue", "swversion": "1967054020", "linkbutton": true,
			"swupdate2.state": "anyreadytoinstall", "swupdate2.bridge.state": "readytoinstall",
			"whitelist." + key + ".name": "porchlight#laptop", "ipaddress": d.Addr.String()})
		if got := decodeJSON(t, get(t, d, "/api/"+key)); got["lights"] == nil || got["config"] == nil {
			t.Errorf("full state: %v", got)
		}
		if rec := get(t, d, "/api/"+key+"/lights"); rec.Body.String() != "{}" {
			t.Errorf("lights: %s", rec.Body)
		}
		if rec := get(t, d, "/api/"+key+"/nope"); !strings.Contains(rec.Body.String(), `"type":3`) {
			t.Errorf("unknown resource: %s", rec.Body)
		}
		// Unknown keys stay unauthorized; the public config stays short.
		if rec := get(t, d, "/api/"+strings.ToUpper(key)+"/lights"); rec.Body.String() !=
			`[{"error":{"type":1,"address":"/lights","description":"unauthorized user"}}]` {
			t.Errorf("unknown key: %s", rec.Body)
		}
		if m := decodeJSON(t, get(t, d, "/api/nokey/config")); len(m) != 10 {
			t.Errorf("public config has %d fields", len(m))
		}
		time.Sleep(time.Until(pressed.Add(window - time.Millisecond)))
		if rec := pair(`{"devicetype":"porchlight#lastminute"}`); !strings.Contains(rec.Body.String(), `"success"`) {
			t.Errorf("1 ms before the window of %v closes: %s", window, rec.Body)
		}
		time.Sleep(time.Millisecond)
		if rec := pair(`{"devicetype":"porchlight#late"}`); rec.Body.String() != notPressed {
			t.Errorf("after the window: %s", rec.Body)
		}
		if cfg := decodeJSON(t, get(t, d, "/api/"+key+"/config")); cfg["linkbutton"] != false {
			t.Errorf("linkbutton after the window: %v", cfg["linkbutton"])
		}
		// The button of another family does nothing.
		w := newWLED(0, "TV Backlight", Addr(0))
		w.PressLinkButton()
		if st := w.lifeSnapshot(time.Now()); !st.life.hue.linkUntil.IsZero() {
			t.Error("PressLinkButton changed a WLED")
		}
	})
}

// TestHueSoftwareInstall: PUT swupdate2 install shows "installing", the
// bridge restarts and comes back with the new swversion.
func TestHueSoftwareInstall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newHueBridge(0, "Philips Hue", Addr(0))
		l := serveLive(t, d)
		d.SetTiming(Timing{Update: 300 * time.Millisecond, Reboot: 200 * time.Millisecond})
		d.PressLinkButton()
		var created []struct {
			Success struct{ Username string } `json:"success"`
		}
		if err := json.Unmarshal([]byte(l.must("POST", "/api", `{"devicetype":"porchlight#test"}`, nil, 200)), &created); err != nil {
			t.Fatal(err)
		}
		key := created[0].Success.Username
		if b := l.must("PUT", "/api/nokey/config", `{"swupdate2":{"install":true}}`, nil, 200); !strings.Contains(b, `"type":1`) {
			t.Errorf("install without a key: %s", b)
		}
		b := l.must("PUT", "/api/"+key+"/config", `{"swupdate2":{"install":true}}`, nil, 200)
		if b != `[{"success":{"/config/swupdate2/install":true}}]` {
			t.Fatalf("install: %s", b)
		}
		wantFields(t, l.mustJSON("GET", "/api/"+key+"/config", "", nil, 200), map[string]any{"swupdate2.state": "installing",
			"swupdate2.bridge.state": "installing", "swversion": "1967054020"})
		l.waitDown("/api/config")
		l.waitUp("/api/config")
		wantFields(t, l.mustJSON("GET", "/api/"+key+"/config", "", nil, 200), map[string]any{"swupdate2.state": "noupdates",
			"swupdate2.bridge.state": "noupdates", "swversion": "1968096020", "apiversion": "1.68.0"})
		if b := l.must("PUT", "/api/"+key+"/config", `{"swupdate2":{"install":true}}`, nil, 200); !strings.Contains(b, `"type":7`) {
			t.Errorf("install with nothing ready: %s", b)
		}
		if b := l.must("PUT", "/api/"+key+"/config", `{"swupdate2":{"checkforupdate":true},"name":"x"}`, nil, 200); !strings.Contains(b,
			`{"success":{"/config/swupdate2/checkforupdate":true}}`) || !strings.Contains(b, `"type":6`) {
			t.Errorf("checkforupdate and an unsimulated parameter: %s", b)
		}
		if d.CurrentFirmware() != "1968096020" {
			t.Errorf("CurrentFirmware %q", d.CurrentFirmware())
		}
	})
}
