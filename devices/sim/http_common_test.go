package sim

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// apiCall is one request to a simulated device's HTTP API.
type apiCall struct {
	method string
	target string
	body   string
	header map[string]string
	// port is the local port the request arrives on; 0 records none.
	port int
}

// callAPI runs c against the device's handler, in process.
func callAPI(t *testing.T, d *Device, c apiCall) *httptest.ResponseRecorder {
	t.Helper()
	h := d.Handler()
	if h == nil {
		t.Fatalf("%s has no HTTP API", d.Family)
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, c.target, strings.NewReader(c.body))
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if c.port != 0 {
		addr := &net.TCPAddr{IP: d.Addr.AsSlice(), Port: c.port}
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, addr))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// get is callAPI for a plain GET.
func get(t *testing.T, d *Device, target string) *httptest.ResponseRecorder {
	t.Helper()
	return callAPI(t, d, apiCall{target: target})
}

// setAuth turns the device's password on (non-empty) or off ("").
func setAuth(d *Device, password string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.authEnabled = password != ""
	d.state.password = password
}

// setLatest sets the firmware the vendor offers the device.
func setLatest(d *Device, fw string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.latestFirmware = fw
}

// decodeJSON decodes a response body into a generic value, failing the test
// if it is not JSON.
func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, rec.Body)
	}
	return m
}

// field walks a decoded JSON object along a dotted path ("a.b.0.c").
func field(t *testing.T, v any, path string) any {
	t.Helper()
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[key]; !ok {
				t.Fatalf("no %q in %v (path %s)", key, x, path)
			}
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				t.Fatalf("no element %q in %v (path %s)", key, x, path)
			}
			v = x[i]
		default:
			t.Fatalf("cannot index %T with %q (path %s)", v, key, path)
		}
	}
	return v
}

// wantFields checks string, bool and number fields of a decoded object.
func wantFields(t *testing.T, m map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got := field(t, m, path)
		if n, ok := w.(int); ok {
			w = float64(n)
		}
		if got != w {
			t.Errorf("%s = %#v, want %#v", path, got, w)
		}
	}
}

func wantContentType(t *testing.T, rec *httptest.ResponseRecorder, want string) {
	t.Helper()
	if got := rec.Header().Get("Content-Type"); got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
}

func TestFamilyHandlersRegistered(t *testing.T) {
	for _, b := range builders {
		d := b.build(0, b.names[0], Addr(0))
		h := d.Handler()
		if b.family == Matter {
			if h != nil {
				t.Errorf("Matter serves HTTP, it should not")
			}
			continue
		}
		if h == nil {
			t.Errorf("%s has no HTTP API", b.family)
		}
	}
}

// TestHandlersSurviveOddRequests sends every device of the home household
// requests no client should send; none may panic, answer with a non-HTTP
// status or an unbounded body.
func TestHandlersSurviveOddRequests(t *testing.T) {
	devices, err := Household(ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("A", 3*apiMaxBody)
	targets := []string{"/", "//", "/%00", "/../../etc/passwd", "/rpc", "/rpc/", "/rpc/%FF",
		"/cm?cmnd=%FF%FE", "/cm?cmnd=Status%20999999999999", "/api/%2F/config", "/api/x/y/z/",
		"/json/info?x=%00", "/setup/eureka_info?params=,,,", "/ipp/print", "/accessories", "/shelly?x=1&x=2",
		"/settings?reset=1", "/elgato/lights", "/xml/device_description.xml", "/description.xml", "/api/version"}
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, "PATCH", "BREW"}
	bodies := []string{"", "{", "\x00\x01\x02", huge}
	for _, d := range devices {
		if d.Handler() == nil {
			continue
		}
		for _, port := range append([]int{0}, d.HTTPPorts...) {
			for _, target := range targets {
				for _, method := range methods {
					for _, body := range bodies {
						rec := callAPI(t, d, apiCall{method: method, target: target, body: body, port: port,
							header: map[string]string{"Content-Type": "application/ipp", "Authorization": "Digest ,,,="}})
						if rec.Code < 100 || rec.Code > 599 {
							t.Fatalf("%s %s %s: status %d", d.Family, method, target, rec.Code)
						}
						if rec.Body.Len() > 1<<20 {
							t.Fatalf("%s %s %s: %d-byte body", d.Family, method, target, rec.Body.Len())
						}
					}
				}
			}
		}
	}
}

// TestServedOverLoopback serves one device on a real loopback listener, the
// way the lab does, and reads it with an ordinary client.
func TestServedOverLoopback(t *testing.T) {
	d := newWLED(0, "TV Backlight", Addr(0))
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	if host, _, _ := net.SplitHostPort(srv.Listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		t.Fatalf("test server not on loopback: %s", host)
	}
	resp, err := srv.Client().Get(srv.URL + "/json/info")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Name string `json:"name"`
		MAC  string `json:"mac"`
	}
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if info.Name != d.Name || info.MAC != strings.ToLower(d.MAC) {
		t.Errorf("info = %+v, want name %q mac %q", info, d.Name, strings.ToLower(d.MAC))
	}
}

func TestAPIMAC(t *testing.T) {
	d := &Device{MAC: "A8032A0000FF"}
	for sep, want := range map[string]string{":": "A8:03:2A:00:00:FF", "-": "A8-03-2A-00-00-FF", "": "A8032A0000FF"} {
		if got := d.apiMAC(sep); got != want {
			t.Errorf("apiMAC(%q) = %q, want %q", sep, got, want)
		}
	}
}

func TestAPIBodyLimit(t *testing.T) {
	d := newShellyGen2(0, "Gartenpumpe", Addr(0))
	rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/rpc", body: strings.Repeat(" ", apiMaxBody+1)})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", rec.Code)
	}
}
