package sim

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
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
