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
	"testing/synctest"
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
		if rec.Code == http.StatusServiceUnavailable && !d.Reachable() {
			return // a frame rebooted or reset the device: it drops requests for a while
		}
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

// gen2HA1 is SHA-256("admin:<realm>:<password>") in hex, computed
// independently of the simulator.
func gen2HA1(realm, password string) string {
	sum := sha256.Sum256([]byte("admin:" + realm + ":" + password))
	return hex.EncodeToString(sum[:])
}

// gen2Call calls a method with a digest for password ("" for none): first
// unauthenticated to learn the nonce, as a client does.
func gen2Call(t *testing.T, d *Device, password, method, params string) *httptest.ResponseRecorder {
	t.Helper()
	body := `{"id":1,"src":"test","method":"` + method + `","params":` + params + `}`
	rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: body})
	if rec.Code != http.StatusUnauthorized || password == "" {
		return rec
	}
	m := challengeRE.FindStringSubmatch(rec.Header().Get("WWW-Authenticate"))
	if m == nil {
		t.Fatalf("401 without a challenge: %q", rec.Header().Get("WWW-Authenticate"))
	}
	auth := testDigest("admin", m[1], password, "POST", "/rpc", m[2], "00000001", "c0ffee")
	return callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: body,
		header: map[string]string{"Authorization": auth}})
}

// TestShellyGen2SetAuth sets, changes and clears auth with Shelly.SetAuth:
// the device keeps only ha1, old passwords fail at once with the documented
// 401, bad arguments answer -103.
func TestShellyGen2SetAuth(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	id := d.Host
	setAuth := func(user, realm, ha1 string) string {
		return `{"user":"` + user + `","realm":"` + realm + `","ha1":` + ha1 + `}`
	}
	steps := []struct {
		name     string
		password string // digest password sent ("" none)
		method   string
		params   string
		status   int
		want     map[string]any
		auth     bool // AuthEnabled afterwards
	}{
		{"wrong user", "", "Shelly.SetAuth", setAuth("root", id, `"`+gen2HA1(id, "a")+`"`), 200,
			map[string]any{"error.code": -103}, false},
		{"wrong realm", "", "Shelly.SetAuth", setAuth("admin", "shelly", `"`+gen2HA1(id, "a")+`"`), 200,
			map[string]any{"error.code": -103}, false},
		{"ha1 not a hash", "", "Shelly.SetAuth", setAuth("admin", id, `"secret"`), 200,
			map[string]any{"error.code": -103}, false},
		{"no ha1", "", "Shelly.SetAuth", `{"user":"admin","realm":"` + id + `"}`, 200,
			map[string]any{"error.code": -103}, false},
		{"set first password", "", "Shelly.SetAuth", setAuth("admin", id, `"`+gen2HA1(id, "erstes Passwort")+`"`), 200,
			map[string]any{"id": 1, "result": nil}, true},
		{"status without auth", "", "Shelly.GetStatus", `{}`, 401, map[string]any{"error.code": 401}, true},
		{"device info stays open", "", "Shelly.GetDeviceInfo", `{}`, 200, map[string]any{"result.auth_en": true,
			"result.auth_domain": id}, true},
		{"status with wrong password", "falsch", "Shelly.GetStatus", `{}`, 401, map[string]any{"error.code": 401}, true},
		{"status with password", "erstes Passwort", "Shelly.GetStatus", `{}`, 200, map[string]any{"result.sys.mac": d.MAC}, true},
		{"change without auth", "", "Shelly.SetAuth", setAuth("admin", id, `"`+gen2HA1(id, "zweites")+`"`), 401, nil, true},
		{"change password", "erstes Passwort", "Shelly.SetAuth", setAuth("admin", id, `"`+gen2HA1(id, "zweites")+`"`), 200,
			map[string]any{"result": nil}, true},
		{"old password fails", "erstes Passwort", "Shelly.GetConfig", `{}`, 401, nil, true},
		{"new password works", "zweites", "Shelly.GetConfig", `{}`, 200, map[string]any{"result.sys.device.mac": d.MAC}, true},
		{"disable", "zweites", "Shelly.SetAuth", setAuth("admin", id, "null"), 200, map[string]any{"result": nil}, false},
		{"open again", "", "Shelly.GetStatus", `{}`, 200, nil, false},
	}
	for _, s := range steps {
		rec := gen2Call(t, d, s.password, s.method, s.params)
		if rec.Code != s.status {
			t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
		}
		m := decodeJSON(t, rec)
		for path, want := range s.want {
			if want == nil {
				if v, ok := m[path]; !ok || v != nil {
					t.Errorf("%s: %s = %v (present %v), want null", s.name, path, v, ok)
				}
				delete(s.want, path)
			}
		}
		wantFields(t, m, s.want)
		if got := d.AuthEnabled(); got != s.auth {
			t.Errorf("%s: AuthEnabled = %v, want %v", s.name, got, s.auth)
		}
		if st := d.lifeSnapshot(time.Now()); st.password != "" {
			t.Errorf("%s: the device stores a password in clear", s.name)
		}
	}
}

// TestShellyGen2SetAuthByGET uses GET /rpc/Shelly.SetAuth with JSON and
// bare query values, as clients send them.
func TestShellyGen2SetAuthByGET(t *testing.T) {
	d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
	rec := get(t, d, `/rpc/Shelly.SetAuth?user=admin&realm=`+d.Host+`&ha1=`+gen2HA1(d.Host, "pw"))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "null" {
		t.Fatalf("GET SetAuth: %d %s", rec.Code, rec.Body)
	}
	rec = get(t, d, `/rpc/Shelly.SetAuth?user="admin"&realm="nope"&ha1=null`)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("SetAuth without auth once auth is on: %d", rec.Code)
	}
	d2 := newShellyGen2(1, "Waschmaschine", Addr(1))
	rec = get(t, d2, `/rpc/Shelly.SetAuth?user=admin&realm=nope&ha1=null`)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("GET SetAuth with a wrong realm: %d %s, want 400", rec.Code, rec.Body)
	}
	wantFields(t, decodeJSON(t, rec), map[string]any{"code": -103})
}

// TestShellyGen2HouseholdPassword: the home household's Gartenpumpe has
// auth on with GartenpumpePassword, and only its ha1 is stored.
func TestShellyGen2HouseholdPassword(t *testing.T) {
	ds, err := Household(ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	var d *Device
	for _, x := range ds {
		if x.Name == "Gartenpumpe" {
			d = x
		}
	}
	if d == nil || !d.AuthEnabled() {
		t.Fatalf("Gartenpumpe missing or open: %+v", d)
	}
	if st := d.lifeSnapshot(time.Now()); st.password != "" || st.life.gen2.ha1 != gen2HA1(d.Host, GartenpumpePassword) {
		t.Errorf("Gartenpumpe stores %q / ha1 %q", st.password, st.life.gen2.ha1)
	}
	if rec := gen2Call(t, d, "", "Shelly.GetStatus", `{}`); rec.Code != http.StatusUnauthorized {
		t.Errorf("without password: %d", rec.Code)
	}
	if rec := gen2Call(t, d, GartenpumpePassword+"x", "Shelly.GetStatus", `{}`); rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", rec.Code)
	}
	if rec := gen2Call(t, d, GartenpumpePassword, "Shelly.GetStatus", `{}`); rec.Code != http.StatusOK {
		t.Errorf("right password: %d %s", rec.Code, rec.Body)
	}
}

// TestShellyGen2Update: Shelly.Update {stage:"stable"} takes time, the
// device restarts, then it reports the new version and no update.
func TestShellyGen2Update(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
		l := serveLive(t, d)
		update := 300 * time.Millisecond
		d.SetTiming(Timing{Update: update, Reboot: 200 * time.Millisecond})
		wantFields(t, l.mustJSON("GET", "/rpc/Shelly.CheckForUpdate", "", nil, 200), map[string]any{"stable.version": "1.6.2"})
		wantFields(t, l.mustJSON("POST", "/rpc", `{"id":2,"method":"Shelly.Update","params":{"stage":"beta"}}`, nil, 200),
			map[string]any{"error.code": -114})
		wantFields(t, l.mustJSON("POST", "/rpc", `{"id":2,"method":"Shelly.Update","params":{"url":"http://x/fw.zip"}}`, nil, 200),
			map[string]any{"error.code": -103})
		start := time.Now()
		f := l.mustJSON("POST", "/rpc", `{"id":3,"method":"Shelly.Update","params":{"stage":"stable"}}`, nil, 200)
		if r, ok := f["result"]; !ok || r != nil {
			t.Fatalf("Shelly.Update answered %v, want a null result", f)
		}
		// Still the old version while flashing.
		wantFields(t, l.mustJSON("GET", "/rpc/Shelly.GetDeviceInfo", "", nil, 200), map[string]any{"ver": "1.4.4"})
		l.waitDown("/shelly")
		// The fake clock makes it exact: down at the first look once the
		// update time is over (looks are 5 ms apart).
		if took := time.Since(start); took != update {
			t.Errorf("went down after %v, want when the update time %v is over", took, update)
		}
		l.waitUp("/shelly")
		info := l.mustJSON("GET", "/shelly", "", nil, 200)
		wantFields(t, info, map[string]any{"ver": "1.6.2"})
		if !strings.Contains(info["fw_id"].(string), "/1.6.2-") {
			t.Errorf("fw_id %v does not carry the new version", info["fw_id"])
		}
		if got := l.mustJSON("GET", "/rpc/Shelly.CheckForUpdate", "", nil, 200); len(got) != 0 {
			t.Errorf("CheckForUpdate after the update = %v", got)
		}
		if got := l.mustJSON("GET", "/rpc/Sys.GetStatus", "", nil, 200)["available_updates"]; len(got.(map[string]any)) != 0 {
			t.Errorf("available_updates after the update = %v", got)
		}
		if code, body, _ := l.do("GET", "/rpc/Shelly.Update?stage=stable", "", nil); code != 500 || !strings.Contains(body, "-114") {
			t.Errorf("a second update: %d %s, want -114", code, body)
		}
	})
}

// TestShellyGen2FactoryReset: the device drops off and comes back
// unconfigured: auth off, no name, its own access point on.
func TestShellyGen2FactoryReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
		setAuth(d, "pw")
		l := serveLive(t, d)
		l.must("POST", "/rpc", `{"id":1,"method":"Shelly.FactoryReset"}`, nil, 401)
		if !d.Reachable() {
			t.Fatal("an unauthenticated reset was carried out")
		}
		if rec := gen2Call(t, d, "pw", "Shelly.FactoryReset", `{}`); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"result":null`) {
			t.Fatalf("FactoryReset: %d %s", rec.Code, rec.Body)
		}
		if d.AuthEnabled() {
			t.Error("AuthEnabled right after the reset")
		}
		l.waitDown("/shelly")
		l.waitUp("/shelly")
		info := l.mustJSON("GET", "/shelly", "", nil, 200)
		wantFields(t, info, map[string]any{"auth_en": false, "auth_domain": nil, "name": nil})
		cfg := l.mustJSON("GET", "/rpc/Shelly.GetConfig", "", nil, 200)
		wantFields(t, cfg, map[string]any{"wifi.ap.enable": true, "wifi.sta.enable": false, "sys.device.name": nil,
			"sys.location.lat": nil})
		wantFields(t, l.mustJSON("GET", "/rpc/Shelly.GetStatus", "", nil, 200), map[string]any{"wifi.status": "disconnected"})
	})
}

// TestShellyGen2Reboot: after Shelly.Reboot calls answer -109 "shutting
// down in <n> ms" until the delay is over; then the device restarts.
func TestShellyGen2Reboot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newShellyGen2(0, "Wohnzimmer Steckdose", Addr(0))
		l := serveLive(t, d)
		// delay_ms below the 500 ms floor is raised to it.
		f := l.mustJSON("POST", "/rpc", `{"id":1,"method":"Shelly.Reboot","params":{"delay_ms":100}}`, nil, 200)
		if r, ok := f["result"]; !ok || r != nil {
			t.Fatalf("Shelly.Reboot answered %v", f)
		}
		f = l.mustJSON("POST", "/rpc", `{"id":2,"method":"Shelly.GetStatus"}`, nil, 200)
		wantFields(t, f, map[string]any{"error.code": -109})
		if msg := f["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "shutting down in ") {
			t.Errorf("message %q", msg)
		}
		l.waitDown("/shelly")
		l.waitUp("/shelly")
		wantFields(t, l.mustJSON("POST", "/rpc", `{"id":3,"method":"Shelly.GetStatus"}`, nil, 200), map[string]any{"result.sys.mac": d.MAC})
		// Without delay_ms, the device's RebootDelay (FastTiming: 30 ms) applies.
		l.must("GET", "/rpc/Shelly.Reboot", "", nil, 200)
		l.waitDown("/shelly")
		l.waitUp("/shelly")
		wantFields(t, l.mustJSON("POST", "/rpc", `{"id":4,"method":"Shelly.Reboot","params":{"delay_ms":"soon"}}`, nil, 200),
			map[string]any{"error.code": -103})
	})
}
