package sim

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The encoder and decoder below are written for the tests from RFC 8010 §3,
// independently of http_ipp.go, so that the simulator is checked against
// the standard rather than against itself.

// testIPPAttr is one attribute of a test request: all values share one tag.
type testIPPAttr struct {
	tag    byte
	name   string
	values []string
}

// testIPPGroup is an attribute group of a test request.
type testIPPGroup struct {
	tag   byte
	attrs []testIPPAttr
}

func putUint16(b []byte, n int) []byte { return append(b, byte(n>>8), byte(n)) }

// encodeTestIPP encodes a request; the end-of-attributes tag is appended.
func encodeTestIPP(major, minor byte, op uint16, id uint32, groups ...testIPPGroup) []byte {
	b := []byte{major, minor, byte(op >> 8), byte(op), byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	for _, g := range groups {
		b = append(b, g.tag)
		for _, a := range g.attrs {
			for i, v := range a.values {
				b = append(b, a.tag)
				if i == 0 {
					b = putUint16(b, len(a.name))
					b = append(b, a.name...)
				} else {
					b = putUint16(b, 0)
				}
				b = putUint16(b, len(v))
				b = append(b, v...)
			}
		}
	}
	return append(b, 0x03)
}

// gpaRequest is a well-formed Get-Printer-Attributes request.
func gpaRequest(major, minor byte, id uint32, requested ...string) []byte {
	ops := []testIPPAttr{
		{0x47, "attributes-charset", []string{"utf-8"}},
		{0x48, "attributes-natural-language", []string{"de-de"}},
		{0x45, "printer-uri", []string{"ipp://127.0.0.1:631/ipp/print"}},
	}
	if len(requested) > 0 {
		ops = append(ops, testIPPAttr{0x44, "requested-attributes", requested})
	}
	return encodeTestIPP(major, minor, 0x000B, id, testIPPGroup{0x01, ops})
}

type testIPPValue struct {
	tag  byte
	data []byte
}

type testIPPResponse struct {
	major, minor byte
	status       uint16
	id           uint32
	groups       []byte                             // delimiter tags, in order
	attrs        map[byte]map[string][]testIPPValue // group tag → name → values
}

func (r testIPPResponse) strings(group byte, name string) []string {
	var out []string
	for _, v := range r.attrs[group][name] {
		out = append(out, string(v.data))
	}
	return out
}

// decodeTestIPP decodes a response, requiring every octet to be accounted for.
func decodeTestIPP(b []byte) (testIPPResponse, error) {
	bad := errors.New("malformed response")
	if len(b) < 9 {
		return testIPPResponse{}, bad
	}
	r := testIPPResponse{major: b[0], minor: b[1], status: uint16(b[2])<<8 | uint16(b[3]),
		id: uint32(b[4])<<24 | uint32(b[5])<<16 | uint32(b[6])<<8 | uint32(b[7]), attrs: map[byte]map[string][]testIPPValue{}}
	i, group, last := 8, byte(0), ""
	read := func() ([]byte, bool) {
		if i+2 > len(b) {
			return nil, false
		}
		n := int(b[i])<<8 | int(b[i+1])
		i += 2
		if i+n > len(b) {
			return nil, false
		}
		i += n
		return b[i-n : i], true
	}
	for i < len(b) {
		tag := b[i]
		i++
		if tag == 0x03 {
			if i != len(b) {
				return r, errors.New("data after end-of-attributes")
			}
			return r, nil
		}
		if tag < 0x10 {
			group, last = tag, ""
			r.groups = append(r.groups, tag)
			r.attrs[tag] = map[string][]testIPPValue{}
			continue
		}
		name, ok1 := read()
		value, ok2 := read()
		if !ok1 || !ok2 || group == 0 {
			return r, bad
		}
		if len(name) > 0 {
			last = string(name)
		} else if last == "" {
			return r, bad
		}
		r.attrs[group][last] = append(r.attrs[group][last], testIPPValue{tag, value})
	}
	return r, errors.New("no end-of-attributes tag")
}

func ippPost(t *testing.T, d *Device, body []byte) testIPPResponse {
	t.Helper()
	rec := callAPI(t, d, apiCall{method: http.MethodPost, target: "/ipp/print", body: string(body), port: 631,
		header: map[string]string{"Content-Type": "application/ipp"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP status %d, want 200", rec.Code)
	}
	wantContentType(t, rec, "application/ipp")
	resp, err := decodeTestIPP(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("%v: % x", err, rec.Body.Bytes())
	}
	if got := resp.strings(0x01, "attributes-charset"); len(got) != 1 || got[0] != "utf-8" {
		t.Errorf("attributes-charset = %q", got)
	}
	if got := resp.strings(0x01, "attributes-natural-language"); len(got) != 1 || got[0] != "en" {
		t.Errorf("attributes-natural-language = %q", got)
	}
	return resp
}

func TestIPPGetPrinterAttributes(t *testing.T) {
	d := newIPPPrinter(0, "Brother HL-L2350DW (Büro)", Addr(0))
	resp := ippPost(t, d, gpaRequest(1, 1, 0x01020304))
	if resp.major != 1 || resp.minor != 1 || resp.status != 0x0000 || resp.id != 0x01020304 {
		t.Fatalf("header %d.%d status %#04x id %#x", resp.major, resp.minor, resp.status, resp.id)
	}
	if !bytes.Equal(resp.groups, []byte{0x01, 0x04}) {
		t.Errorf("groups % x, want operation then printer", resp.groups)
	}
	wantText := map[string][2]string{ // name → value tag, value
		"printer-name":                    {"\x42", d.Name},
		"printer-make-and-model":          {"\x41", "Brother HL-L2350DW series"},
		"printer-firmware-string-version": {"\x41", "1.62"},
		"printer-firmware-name":           {"\x42", "Main Firmware"},
		"printer-uuid":                    {"\x45", "urn:uuid:e3248000-80ce-11db-8000-30055c000000"},
		"printer-uri-supported":           {"\x45", "ipp://" + d.Addr.String() + ":631/ipp/print"},
		"printer-location":                {"\x41", "Büro"},
		"printer-state-reasons":           {"\x44", "none"},
		"printer-state":                   {"\x23", "\x00\x00\x00\x03"},
		"printer-is-accepting-jobs":       {"\x22", "\x01"},
		"printer-firmware-version":        {"\x30", "\x01\x3e"},
		"operations-supported":            {"\x23", "\x00\x00\x00\x0b"},
		"color-supported":                 {"\x22", "\x00"},
	}
	for name, w := range wantText {
		vs := resp.attrs[0x04][name]
		if len(vs) != 1 || vs[0].tag != w[0][0] || string(vs[0].data) != w[1] {
			t.Errorf("%s = %+v, want tag %#x value %q", name, vs, w[0][0], w[1])
		}
	}
	if got := resp.strings(0x04, "document-format-supported"); strings.Join(got, ",") != "application/octet-stream,image/urf,image/pwg-raster" {
		t.Errorf("document-format-supported = %q", got)
	}
	if got := resp.strings(0x04, "sides-supported"); len(got) != 3 {
		t.Errorf("sides-supported = %q, want three sides for a duplex printer", got)
	}
}

func TestIPPRequestedAttributes(t *testing.T) {
	d := newIPPPrinter(0, "Drucker Flur", Addr(0))
	resp := ippPost(t, d, gpaRequest(2, 0, 7, "printer-firmware-string-version", "printer-state", "no-such-attribute"))
	if resp.major != 2 || resp.minor != 0 || resp.status != 0 || resp.id != 7 {
		t.Fatalf("header %d.%d status %#04x id %d", resp.major, resp.minor, resp.status, resp.id)
	}
	if len(resp.attrs[0x04]) != 2 || resp.strings(0x04, "printer-firmware-string-version")[0] != "1.62" ||
		len(resp.attrs[0x04]["printer-state"]) != 1 {
		t.Errorf("printer group = %v, want exactly the two requested attributes", resp.attrs[0x04])
	}
	for _, all := range []string{"all", "printer-description"} {
		if resp := ippPost(t, d, gpaRequest(1, 1, 8, all)); len(resp.attrs[0x04]) < 20 {
			t.Errorf("requested %q: %d attributes", all, len(resp.attrs[0x04]))
		}
	}
}

func TestIPPErrors(t *testing.T) {
	d := newIPPPrinter(0, "Drucker Flur", Addr(0))
	ops := func(attrs ...testIPPAttr) testIPPGroup { return testIPPGroup{0x01, attrs} }
	charset := testIPPAttr{0x47, "attributes-charset", []string{"utf-8"}}
	lang := testIPPAttr{0x48, "attributes-natural-language", []string{"en"}}
	uri := testIPPAttr{0x45, "printer-uri", []string{"ipp://x/ipp/print"}}
	valid := gpaRequest(1, 1, 42)
	tests := []struct {
		name   string
		body   []byte
		status uint16
		id     uint32
	}{
		{"empty", nil, 0x0400, 0},
		{"short header", []byte{1, 1, 0, 0x0b}, 0x0400, 0},
		{"no end tag", valid[:len(valid)-1], 0x0400, 42},
		{"truncated value", valid[:20], 0x0400, 42},
		{"value before group", append([]byte{1, 1, 0, 0x0b, 0, 0, 0, 9, 0x47, 0, 0, 0, 0}, 0x03), 0x0400, 9},
		{"additional value first", encodeTestIPP(1, 1, 0x0b, 10, ops(testIPPAttr{0x47, "", []string{"utf-8"}})), 0x0400, 10},
		{"bad integer length", encodeTestIPP(1, 1, 0x0b, 11, ops(charset, lang, uri, testIPPAttr{0x21, "x", []string{"12"}})), 0x0400, 11},
		{"charset not first", encodeTestIPP(1, 1, 0x0b, 12, ops(lang, charset, uri)), 0x0400, 12},
		{"no natural language", encodeTestIPP(1, 1, 0x0b, 13, ops(charset, uri)), 0x0400, 13},
		{"no printer-uri", encodeTestIPP(1, 1, 0x0b, 14, ops(charset, lang)), 0x0400, 14},
		{"printer group first", encodeTestIPP(1, 1, 0x0b, 15, testIPPGroup{0x04, []testIPPAttr{charset}}, ops(charset, lang, uri)), 0x0400, 15},
		{"other charset", encodeTestIPP(1, 1, 0x0b, 16, ops(testIPPAttr{0x47, "attributes-charset", []string{"iso-8859-1"}}, lang, uri)), 0x040D, 16},
		{"print-job", encodeTestIPP(1, 1, 0x02, 17, ops(charset, lang, uri)), 0x0501, 17},
		{"version 3.0", encodeTestIPP(3, 0, 0x0b, 18, ops(charset, lang, uri)), 0x0503, 18},
		{"too large", append(gpaRequest(1, 1, 19), bytes.Repeat([]byte{0}, apiMaxBody)...), 0x0408, 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ippPost(t, d, tt.body)
			if resp.status != tt.status || resp.id != tt.id {
				t.Errorf("status %#04x id %d, want %#04x id %d", resp.status, resp.id, tt.status, tt.id)
			}
			if len(resp.attrs[0x04]) != 0 {
				t.Errorf("error response carries printer attributes")
			}
		})
	}
	// Errors speak the request's version when the printer supports it.
	if resp := ippPost(t, d, encodeTestIPP(2, 0, 0x02, 20, ops(charset, lang, uri))); resp.major != 2 || resp.minor != 0 {
		t.Errorf("error to an IPP/2.0 request in version %d.%d", resp.major, resp.minor)
	}
	if resp := ippPost(t, d, encodeTestIPP(3, 0, 0x0b, 21, ops(charset, lang, uri))); resp.major != 1 || resp.minor != 1 {
		t.Errorf("version-not-supported answered in version %d.%d, want 1.1", resp.major, resp.minor)
	}
}

func TestIPPHTTP(t *testing.T) {
	d := newIPPPrinter(0, "Fotodrucker", Addr(0))
	tests := []struct {
		name   string
		c      apiCall
		status int
		body   string
	}{
		{"web UI", apiCall{target: "/", port: 80}, 200, "<title>Brother HL-L2350DW series</title>"},
		{"web UI unknown", apiCall{target: "/x", port: 80}, 404, ""},
		{"631 status page", apiCall{target: "/", port: 631}, 200, "<title>Fotodrucker</title>"},
		{"631 printer page", apiCall{target: "/ipp/print", port: 631}, 200, "Idle"},
		{"631 unknown", apiCall{target: "/x", port: 631}, 404, ""},
		{"631 wrong type", apiCall{method: "POST", target: "/ipp/print", port: 631, body: string(gpaRequest(1, 1, 1)),
			header: map[string]string{"Content-Type": "text/plain"}}, 400, ""},
		{"631 other resource", apiCall{method: "POST", target: "/ipp/fax", port: 631, body: string(gpaRequest(1, 1, 1)),
			header: map[string]string{"Content-Type": "application/ipp"}}, 404, ""},
		{"631 PUT", apiCall{method: "PUT", target: "/ipp/print", port: 631}, 501, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := callAPI(t, d, tt.c)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("%d %q, want %d containing %q", rec.Code, rec.Body, tt.status, tt.body)
			}
		})
	}
	// Over a real loopback listener the port is neither 80 nor 631: web UI.
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("loopback web UI: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// FuzzIPPRequest checks that any request body gets a well-formed IPP
// response that echoes the request-id, and that parsing never panics.
func FuzzIPPRequest(f *testing.F) {
	f.Add(gpaRequest(1, 1, 1, "all"))
	d := newIPPPrinter(0, "Drucker Flur", Addr(0))
	a := &ippAPI{d: d}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, perr := parseIPPRequest(body)
		resp, err := decodeTestIPP(a.respond(body))
		if err != nil {
			t.Fatalf("response to % x: %v", body, err)
		}
		if len(body) >= 8 && resp.id != ippRequestID(body) {
			t.Fatalf("request-id %d not echoed", resp.id)
		}
		if resp.status == 0 && (perr != nil || req.operation != 0x000B) {
			t.Fatalf("success for a request that is malformed (%v) or not Get-Printer-Attributes", perr)
		}
		if perr != nil && resp.status != 0x0400 {
			t.Fatalf("malformed request answered %#04x, want client-error-bad-request", resp.status)
		}
	})
}
