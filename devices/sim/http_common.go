package sim

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiMaxBody bounds what any simulated device reads from a request body.
const apiMaxBody = 64 << 10

// errAPIBodyTooLarge reports a request body above apiMaxBody.
var errAPIBodyTooLarge = errors.New("request body too large")

// apiBounded wraps a family API so that no handler can read more than
// apiMaxBody bytes of request body, whatever it does with r.Body.
func apiBounded(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, apiMaxBody)
		h(w, r)
	})
}

// apiReadBody reads the (bounded) request body. On errAPIBodyTooLarge the
// bytes read so far are returned as well.
func apiReadBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return b, errAPIBodyTooLarge
	}
	return b, err
}

// apiJSON writes v as JSON with the given status and Content-Type
// "application/json", without the HTML escaping and the trailing newline
// that devices do not produce.
func apiJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// apiBody writes a literal body with the given status and Content-Type.
func apiBody(w http.ResponseWriter, status int, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// apiSnapshot returns a copy of the device's mutable state.
func (d *Device) apiSnapshot() state {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state
}

// apiUpdateOffered reports whether the vendor offers firmware other than the
// running one; latestFirmware is by definition the newest the vendor has.
func (d *Device) apiUpdateOffered(st state) bool {
	return st.latestFirmware != "" && st.latestFirmware != d.Firmware
}

// apiMAC formats the device MAC (12 upper-case hex digits) with sep between
// the octets, e.g. apiMAC(":") = "A8:03:2A:00:00:01".
func (d *Device) apiMAC(sep string) string {
	if len(d.MAC) != 12 {
		return d.MAC
	}
	parts := make([]string, 0, 6)
	for i := 0; i < 12; i += 2 {
		parts = append(parts, d.MAC[i:i+2])
	}
	return strings.Join(parts, sep)
}

// apiTXT returns the value of the first TXT key the device announces, or "".
func (d *Device) apiTXT(key string) string {
	for _, s := range d.Services {
		for _, kv := range s.TXT {
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v
			}
		}
	}
	return ""
}

// apiUptime returns whole seconds from start to now, at least 1.
func apiUptime(start, now time.Time) int64 {
	return max(int64(now.Sub(start)/time.Second), 1)
}

// apiSecretEqual compares two secrets in constant time (for equal lengths).
func apiSecretEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// apiBasicAuthOK reports whether the request carries HTTP Basic credentials
// for user and password.
func apiBasicAuthOK(r *http.Request, user, password string) bool {
	u, p, ok := r.BasicAuth()
	return ok && apiSecretEqual(u, user) && apiSecretEqual(p, password)
}

// apiLocalPort returns the local TCP port the request arrived on, when the
// server recorded it (http.Server does; httptest.NewRecorder does not).
func apiLocalPort(r *http.Request) (int, bool) {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || addr == nil {
		return 0, false
	}
	_, p, err := net.SplitHostPort(addr.String())
	if err != nil {
		return 0, false
	}
	port, err := strconv.Atoi(p)
	return port, err == nil
}

// apiXMLEscape escapes s for XML character data.
func apiXMLEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to a bytes.Buffer cannot fail
	return b.String()
}
