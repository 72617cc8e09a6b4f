package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Every simulated device keeps a record of the requests that reached it
// carrying a credential, so that tests can check that a secret was never
// sent to a device that should not get it (an impostor). The record says
// which request, never what secret it carried.

// maxCredentialRequests bounds a device's record; later requests are not
// recorded (the first ones are the evidence).
const maxCredentialRequests = 1000

// credentialHeaders are the request headers that carry a secret: HTTP
// authentication (Basic, Digest, any scheme), OctoPrint's API key and the
// Hue CLIP v2 application key.
var credentialHeaders = []string{"Authorization", "X-Api-Key", "Hue-Application-Key"}

// credentialFields are the query, form and JSON field names (compared
// without case) that present or set a credential: Tasmota's user and
// password, Shelly Gen1's /settings/login, Shelly Gen2's Shelly.SetAuth
// (user, ha1) and Wi-Fi or MQTT "pass", WLED's settings PIN, OTA
// passphrase (OP) and JSON "pin".
var credentialFields = []string{"user", "username", "password", "pass", "pin", "op", "ha1"}

// CredentialRequests returns, oldest first, "METHOD PATH" for each request
// the device received that carried a credential of any kind: an
// Authorization (or API key) header, a query, form or JSON field that
// presents or sets a password, PIN or passphrase, a Tasmota command that
// sets a password, or a Hue application key in the path. PATH has no query,
// and a Hue key in it reads "<key>": no secret value is ever recorded.
func (d *Device) CredentialRequests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.credentialRequests)
}

// recordCredentials wraps a device's family API: a request that carries a
// credential is recorded before h serves it. The body is read ahead (up to
// apiMaxBody) and handed on to h whole.
func recordCredentials(d *Device, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil && r.Body != http.NoBody {
			body, _ = io.ReadAll(io.LimitReader(r.Body, apiMaxBody)) // h sees a read error again
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		}
		path, keyInPath := d.credentialPath(r.URL.Path)
		if keyInPath || carriesCredential(r, body) {
			d.mu.Lock()
			if len(d.credentialRequests) < maxCredentialRequests {
				d.credentialRequests = append(d.credentialRequests, r.Method+" "+path)
			}
			d.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// credentialPath returns the path as the record shows it and whether the
// path itself holds a credential: on a Hue bridge, /api/<key>[/...] with the
// key replaced by "<key>" (/api/config is the bridge's public config, no key).
func (d *Device) credentialPath(path string) (string, bool) {
	if d.Family != HueBridge {
		return path, false
	}
	rest, ok := strings.CutPrefix(path, "/api/")
	if !ok {
		return path, false
	}
	key, resource, sub := strings.Cut(rest, "/")
	switch {
	case key == "" || key == "config":
		return path, false
	case sub:
		return "/api/<key>/" + resource, true
	}
	return "/api/<key>", true
}

// carriesCredential reports whether a request (whose body is body) carries
// a credential in a header, the query or the body.
func carriesCredential(r *http.Request, body []byte) bool {
	for _, h := range credentialHeaders {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	if valuesCarryCredential(r.URL.Query()) {
		return true
	}
	if b := bytes.TrimSpace(body); len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		var v any
		if json.Unmarshal(b, &v) == nil {
			return jsonCarriesCredential(v)
		}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(body)) // what parsed counts
		return valuesCarryCredential(form)
	}
	return false
}

// isCredentialField reports whether a field name is one of credentialFields.
func isCredentialField(name string) bool {
	return slices.ContainsFunc(credentialFields, func(f string) bool { return strings.EqualFold(f, name) })
}

// valuesCarryCredential reports whether query or form values hold a
// non-empty credential field, or a Tasmota command that sets a password.
func valuesCarryCredential(vs url.Values) bool {
	for name, values := range vs {
		for _, v := range values {
			if v == "" {
				continue
			}
			if isCredentialField(name) || (strings.EqualFold(name, "cmnd") && tasmotaSetsPassword(v)) {
				return true
			}
		}
	}
	return false
}

// tasmotaSetsPassword reports whether a Tasmota command line (a Backlog of
// commands separated by ";") sets a password: WebPassword, MqttPassword,
// Password1 and their kind, with an argument. Without one they only read it.
func tasmotaSetsPassword(cmnd string) bool {
	for _, c := range strings.Split(cmnd, ";") {
		f := strings.Fields(c)
		if len(f) > 0 && strings.HasPrefix(strings.ToLower(f[0]), "backlog") {
			f = f[1:]
		}
		if len(f) > 1 && strings.Contains(strings.ToLower(f[0]), "password") {
			return true
		}
	}
	return false
}

// jsonCarriesCredential reports whether a decoded JSON value holds, at any
// depth, a credential field whose value is neither null nor "".
func jsonCarriesCredential(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if isCredentialField(k) && e != nil && e != "" {
				return true
			}
			if jsonCarriesCredential(e) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(x, jsonCarriesCredential)
	}
	return false
}
