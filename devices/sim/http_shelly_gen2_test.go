package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestShellyGen2DeviceInfo(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	want := map[string]any{"id": d.Host, "mac": d.MAC, "model": "SNPL-00112EU", "gen": 2, "ver": "1.4.4",
		"app": "PlusPlugS", "auth_en": false, "auth_domain": nil, "name": "Wohnzimmer Steckdose"}
	for _, c := range []apiCall{
		{target: "/shelly"},
		{target: "/rpc/Shelly.GetDeviceInfo"},
		{target: "/rpc/Shelly.GetDeviceInfo?ident=true"},
		{method: http.MethodPost, target: "/rpc/Shelly.GetDeviceInfo", body: `{"ident":true}`},
	} {
		rec := callAPI(t, d, c)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s %s: status %d", c.method, c.target, rec.Code)
		}
		wantContentType(t, rec, "application/json")
		m := decodeJSON(t, rec)
		wantFields(t, m, want)
		if fw := m["fw_id"].(string); !strings.Contains(fw, "/1.4.4-") {
			t.Errorf("fw_id %q does not carry the version", fw)
		}
	}
}

func TestShellyGen2Frames(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	tests := []struct {
		name   string
		body   string
		status int
		want   map[string]any
	}{
		{"numeric id", `{"id":7,"src":"porchlight","method":"Shelly.GetDeviceInfo"}`, 200,
			map[string]any{"id": 7, "src": d.Host, "dst": "porchlight", "result.mac": d.MAC}},
		{"string id and jsonrpc", `{"jsonrpc":"2.0","id":"abc","method":"Sys.GetStatus","params":{}}`, 200,
			map[string]any{"id": "abc", "result.available_updates.stable.version": "1.6.2", "result.mac": d.MAC}},
		{"status", `{"id":1,"method":"Shelly.GetStatus"}`, 200,
			map[string]any{"result.sys.available_updates.stable.version": "1.6.2", "result.cloud.connected": false,
				"result.wifi.sta_ip": d.Addr.String()}},
		{"config", `{"id":2,"method":"Shelly.GetConfig","params":null}`, 200,
			map[string]any{"result.sys.device.mac": d.MAC, "result.sys.device.name": d.Name,
				"result.wifi.ap.enable": false, "result.cloud.enable": true}},
		{"check for update", `{"id":3,"method":"Shelly.CheckForUpdate"}`, 200,
			map[string]any{"result.stable.version": "1.6.2"}},
		{"list methods", `{"id":4,"method":"Shelly.ListMethods"}`, 200,
			map[string]any{"result.methods.0": "Shelly.CheckForUpdate"}},
		{"unknown method", `{"id":5,"method":"Switch.Set","params":{"id":0,"on":true}}`, 200,
			map[string]any{"id": 5, "error.code": 404, "error.message": "No handler for Switch.Set"}},
		{"not json", `not json`, 400, map[string]any{"error.code": -32700}},
		{"array", `[1,2]`, 400, map[string]any{"error.code": -32700}},
		{"no method", `{"id":1}`, 400, map[string]any{"error.code": -32600}},
		{"method not a string", `{"id":1,"method":42}`, 400, map[string]any{"error.code": -32600}},
		{"params not an object", `{"id":1,"method":"Shelly.GetStatus","params":"x"}`, 400, map[string]any{"error.code": -32600}},
		{"id an object", `{"id":{},"method":"Shelly.GetStatus"}`, 400, map[string]any{"error.code": -32600}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: tt.body})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			wantFields(t, decodeJSON(t, rec), tt.want)
		})
	}
}

func TestShellyGen2GetMethods(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	rec := get(t, d, "/rpc/Shelly.ListMethods")
	var list struct{ Methods []string }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"Shelly.GetDeviceInfo", "Shelly.GetStatus", "Shelly.GetConfig", "Shelly.ListMethods",
		"Shelly.CheckForUpdate", "Sys.GetStatus", "Sys.GetConfig"} {
		if !strings.Contains(strings.Join(list.Methods, ","), m) {
			t.Errorf("ListMethods lacks %s: %v", m, list.Methods)
		}
		if rec := get(t, d, "/rpc/"+m); rec.Code != http.StatusOK {
			t.Errorf("GET /rpc/%s: status %d", m, rec.Code)
		}
	}
	rec = get(t, d, "/rpc/Foo.Bar")
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown method: status %d, want 404", rec.Code)
	}
	wantFields(t, decodeJSON(t, rec), map[string]any{"code": 404, "message": "No handler for Foo.Bar"})

	setLatest(d, d.Firmware)
	if got := decodeJSON(t, get(t, d, "/rpc/Sys.GetStatus"))["available_updates"]; len(got.(map[string]any)) != 0 {
		t.Errorf("available_updates = %v with no newer firmware", got)
	}
	if got := decodeJSON(t, get(t, d, "/rpc/Shelly.CheckForUpdate")); len(got) != 0 {
		t.Errorf("CheckForUpdate = %v with no newer firmware", got)
	}
}

// testDigest computes an RFC 7616 SHA-256 Authorization header value,
// independently of the simulator's code.
func testDigest(user, realm, password, method, uri, nonce, nc, cnonce string) string {
	h := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	response := h(h(user+":"+realm+":"+password) + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + h(method+":"+uri))
	return `Digest username="` + user + `", realm="` + realm + `", nonce="` + nonce + `", uri="` + uri +
		`", algorithm=SHA-256, qop=auth, nc=` + nc + `, cnonce="` + cnonce + `", response="` + response + `"`
}

var challengeRE = regexp.MustCompile(`^Digest qop="auth", realm="([^"]+)", nonce="([0-9]+)", algorithm=SHA-256$`)

func TestShellyGen2Auth(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	const password = "Tür-Schlüssel 7"
	setAuth(d, password)

	// Unauthenticated: everything but GetDeviceInfo and /shelly answers 401.
	rec := get(t, d, "/rpc/Shelly.GetStatus")
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", rec.Code)
	}
	m := challengeRE.FindStringSubmatch(rec.Header().Get("WWW-Authenticate"))
	if m == nil || m[1] != d.Host {
		t.Fatalf("challenge %q, want realm %q", rec.Header().Get("WWW-Authenticate"), d.Host)
	}
	nonce := m[2]
	body := decodeJSON(t, rec)
	wantFields(t, body, map[string]any{"code": 401})
	var detail map[string]any
	if err := json.Unmarshal([]byte(body["message"].(string)), &detail); err != nil {
		t.Fatalf("401 message is not the documented JSON: %v", err)
	}
	wantFields(t, detail, map[string]any{"auth_type": "digest", "realm": d.Host, "algorithm": "SHA-256"})

	frame := callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: `{"id":9,"method":"Shelly.GetConfig"}`})
	if frame.Code != http.StatusUnauthorized {
		t.Fatalf("frame: status %d, want 401", frame.Code)
	}
	wantFields(t, decodeJSON(t, frame), map[string]any{"id": 9, "error.code": 401})

	for _, c := range []apiCall{
		{target: "/shelly"},
		{target: "/rpc/Shelly.GetDeviceInfo"},
		{method: http.MethodPost, target: "/rpc", body: `{"id":1,"method":"Shelly.GetDeviceInfo"}`},
	} {
		rec := callAPI(t, d, c)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s without auth: status %d, want 200", c.target, rec.Code)
		}
		info := decodeJSON(t, rec)
		if r, ok := info["result"]; ok {
			info = r.(map[string]any)
		}
		wantFields(t, info, map[string]any{"auth_en": true, "auth_domain": d.Host})
	}

	stale := strconv.FormatInt(time.Now().Add(-2*time.Hour).Unix(), 10)
	tests := []struct {
		name   string
		method string
		target string
		body   string
		auth   string
		status int
	}{
		{"correct GET", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, password, "GET", "/rpc/Shelly.GetStatus", nonce, "00000001", "0a4f113b"), 200},
		{"correct POST frame", "POST", "/rpc", `{"id":3,"method":"Shelly.GetStatus"}`,
			testDigest("admin", d.Host, password, "POST", "/rpc", nonce, "00000002", "deadbeef"), 200},
		{"wrong password", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, "Tür-Schlüssel 8", "GET", "/rpc/Shelly.GetStatus", nonce, "00000001", "x"), 401},
		{"wrong user", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("root", d.Host, password, "GET", "/rpc/Shelly.GetStatus", nonce, "00000001", "x"), 401},
		{"wrong realm", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", "shelly", password, "GET", "/rpc/Shelly.GetStatus", nonce, "00000001", "x"), 401},
		{"digest for another uri", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, password, "GET", "/rpc/Shelly.GetConfig", nonce, "00000001", "x"), 401},
		{"digest for another method", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, password, "POST", "/rpc/Shelly.GetStatus", nonce, "00000001", "x"), 401},
		{"stale nonce", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, password, "GET", "/rpc/Shelly.GetStatus", stale, "00000001", "x"), 401},
		{"made-up nonce", "GET", "/rpc/Shelly.GetStatus",
			"", testDigest("admin", d.Host, password, "GET", "/rpc/Shelly.GetStatus", "abc", "00000001", "x"), 401},
		{"MD5 algorithm", "GET", "/rpc/Shelly.GetStatus", "", strings.Replace(
			testDigest("admin", d.Host, password, "GET", "/rpc/Shelly.GetStatus", nonce, "00000001", "x"),
			"algorithm=SHA-256", "algorithm=MD5", 1), 401},
		{"basic credentials", "GET", "/rpc/Shelly.GetStatus", "", "Basic YWRtaW46VMO8ci1TY2hsw7xzc2VsIDc=", 401},
		{"garbage", "GET", "/rpc/Shelly.GetStatus", "", `Digest username="admin", realm="`, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := callAPI(t, d, apiCall{method: tt.method, target: tt.target, body: tt.body,
				header: map[string]string{"Authorization": tt.auth}})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == http.StatusOK {
				m := decodeJSON(t, rec)
				if r, ok := m["result"]; ok {
					m = r.(map[string]any)
				}
				wantFields(t, m, map[string]any{"sys.mac": d.MAC})
			}
		})
	}
}

// TestShellyGen2DigestOverLoopback runs the challenge-response round trip
// the way a client does it: over a loopback connection, two requests.
func TestShellyGen2DigestOverLoopback(t *testing.T) {
	d := newShellyGen2(0, "Waschmaschine", Addr(0))
	setAuth(d, "pw")
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/rpc/Sys.GetStatus")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	m := challengeRE.FindStringSubmatch(resp.Header.Get("WWW-Authenticate"))
	if resp.StatusCode != http.StatusUnauthorized || m == nil {
		t.Fatalf("first answer %d %q, want a 401 challenge", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rpc/Sys.GetStatus", nil)
	req.Header.Set("Authorization", testDigest("admin", m[1], "pw", "GET", "/rpc/Sys.GetStatus", m[2], "00000001", "c1"))
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"mac":"`+d.MAC+`"`) {
		t.Fatalf("second answer %d %s", resp.StatusCode, body)
	}
}

func TestDigestParams(t *testing.T) {
	p, ok := digestParams(`Digest username="ad\"min", realm=r, nc=00000001 , qop="auth"`)
	if !ok || p["username"] != `ad"min` || p["realm"] != "r" || p["nc"] != "00000001" || p["qop"] != "auth" {
		t.Errorf("parsed %v, %v", p, ok)
	}
	for _, bad := range []string{"", "Basic abc", "Digest", `Digest a="unterminated`, "Digest =x", "Digest a=1, a=2",
		"Digest " + strings.Repeat("a", digestMaxHeader)} {
		if _, ok := digestParams(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzShellyRPCFrame checks that no request body makes the Gen2 API fail
// other than with a well-formed JSON answer.
func FuzzShellyRPCFrame(f *testing.F) {
	for _, seed := range []string{
		`{"id":1,"src":"x","method":"Shelly.GetDeviceInfo","params":{"ident":true}}`,
		`{"id":"a","method":"Shelly.GetStatus"}`,
		`{"method":"Sys.GetStatus","params":null}`,
		`{"id":1,"method":"Nope"}`, `{"id":1}`, `{`, `[]`, `null`, `{"id":[],"method":"x"}`, "\xff",
	} {
		f.Add([]byte(seed))
	}
	d := newShellyGen2(0, "Gartenpumpe", Addr(0))
	h := d.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req, perr := parseShellyRPCFrame(body)
		if perr == nil && req.Method == "" {
			t.Fatalf("accepted a frame without method: %q", body)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(string(body))))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		var frame struct {
			Src   string
			Error *struct{ Code int }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &frame); err != nil || frame.Src != d.Host {
			t.Fatalf("answer %q to %q is not a frame: %v", rec.Body, body, err)
		}
		if (rec.Code == http.StatusBadRequest) != (perr != nil) {
			t.Fatalf("status %d but parse error %v for %q", rec.Code, perr, body)
		}
	})
}
