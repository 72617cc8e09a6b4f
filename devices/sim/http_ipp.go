package sim

import (
	"encoding/binary"
	"errors"
	"html"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// IPP printer. Port 80 serves the printer's own web pages (where the person
// changes the admin password); port 631 serves IPP/1.1 and IPP/2.0 as RFC 8010
// (encoding) and RFC 8011 (semantics) define it, with the firmware attributes
// of PWG 5110.1. Only Get-Printer-Attributes is implemented.
//
// HTTP on 631 follows CUPS' reference printer (ippserver / ippeveprinter,
// process_http): POST carries IPP and must be Content-Type application/ipp
// (else HTTP 400); GET of "/" or the printer's resource path answers an HTML
// status page (real IPP Everywhere printers and CUPS do the same), other
// paths 404, other methods 501. Every IPP-level answer is HTTP 200 with the
// IPP status code inside, as RFC 8010 §3 requires: a malformed request gets
// client-error-bad-request.

func init() { familyHandlers[IPPPrinter] = newIPPAPI }

// ippPort is IANA's IPP port; other ports of the device serve the web UI.
const ippPort = 631

// ippResource is the printer's resource path (the "rp" TXT key).
const ippResource = "/ipp/print"

// Delimiter and value tags (RFC 8010 §3.5).
const (
	ippTagOperation       = 0x01
	ippTagEnd             = 0x03
	ippTagPrinter         = 0x04
	ippTagInteger         = 0x21
	ippTagBoolean         = 0x22
	ippTagEnum            = 0x23
	ippTagOctetString     = 0x30
	ippTagDateTime        = 0x31
	ippTagResolution      = 0x32
	ippTagRangeOfInteger  = 0x33
	ippTagText            = 0x41
	ippTagName            = 0x42
	ippTagKeyword         = 0x44
	ippTagURI             = 0x45
	ippTagCharset         = 0x47
	ippTagNaturalLanguage = 0x48
	ippTagMimeMediaType   = 0x49
)

// Operation and status codes (RFC 8011 §5.4.15, §B).
const (
	ippOpGetPrinterAttributes = 0x000B

	ippStatusOK                    = 0x0000
	ippStatusBadRequest            = 0x0400
	ippStatusRequestTooLarge       = 0x0408
	ippStatusCharsetNotSupported   = 0x040D
	ippStatusOperationNotSupported = 0x0501
	ippStatusVersionNotSupported   = 0x0503
)

// ippPrinterStateIdle is printer-state idle(3).
const ippPrinterStateIdle = 3

// errIPPMalformed reports a request that is not valid RFC 8010 encoding.
var errIPPMalformed = errors.New("malformed IPP request")

// ippValue is one attribute value: its value tag and raw octets.
type ippValue struct {
	tag  byte
	data []byte
}

// ippAttr is an attribute with all its values, in the group it appeared in.
type ippAttr struct {
	group  byte
	name   string
	values []ippValue
}

// ippRequest is a parsed IPP request.
type ippRequest struct {
	major, minor byte
	operation    uint16
	requestID    uint32
	attrs        []ippAttr
}

// ippFixedLength gives the value length RFC 8010 §3.9 fixes for a tag.
var ippFixedLength = map[byte]int{
	ippTagInteger: 4, ippTagEnum: 4, ippTagBoolean: 1, ippTagDateTime: 11,
	ippTagResolution: 9, ippTagRangeOfInteger: 8,
}

// parseIPPRequest decodes an IPP request. Collections and extension values
// are kept as the flat value sequences RFC 8010 encodes them as. Document
// data after the end-of-attributes tag is ignored.
func parseIPPRequest(b []byte) (ippRequest, error) {
	if len(b) < 8 {
		return ippRequest{}, errIPPMalformed
	}
	req := ippRequest{
		major: b[0], minor: b[1],
		operation: binary.BigEndian.Uint16(b[2:4]),
		requestID: binary.BigEndian.Uint32(b[4:8]),
	}
	var group byte
	inGroup := false // an attribute already started in the current group
	for i := 8; ; {
		if i >= len(b) {
			return req, errIPPMalformed // no end-of-attributes-tag
		}
		tag := b[i]
		i++
		switch {
		case tag == ippTagEnd:
			return req, nil
		case tag == 0x00:
			return req, errIPPMalformed // reserved
		case tag < 0x10:
			group, inGroup = tag, false
			continue
		case group == 0:
			return req, errIPPMalformed // value before any group
		}
		name, i2, ok := ippField(b, i)
		if !ok {
			return req, errIPPMalformed
		}
		value, i3, ok := ippField(b, i2)
		if !ok {
			return req, errIPPMalformed
		}
		i = i3
		if n, fixed := ippFixedLength[tag]; fixed && len(value) != n {
			return req, errIPPMalformed
		}
		v := ippValue{tag: tag, data: value}
		if len(name) == 0 {
			if !inGroup {
				return req, errIPPMalformed // additional value without an attribute
			}
			last := &req.attrs[len(req.attrs)-1]
			last.values = append(last.values, v)
			continue
		}
		req.attrs = append(req.attrs, ippAttr{group: group, name: string(name), values: []ippValue{v}})
		inGroup = true
	}
}

// ippField reads a two-octet length and that many octets at b[i:].
func ippField(b []byte, i int) ([]byte, int, bool) {
	if len(b)-i < 2 {
		return nil, i, false
	}
	n := int(binary.BigEndian.Uint16(b[i:]))
	i += 2
	if len(b)-i < n {
		return nil, i, false
	}
	return b[i : i+n], i + n, true
}

// ippRequestID returns the request-id of a possibly malformed request.
func ippRequestID(b []byte) uint32 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint32(b[4:8])
}

// ippWriter encodes an IPP response.
type ippWriter struct{ b []byte }

func (w *ippWriter) header(major, minor byte, status uint16, requestID uint32) {
	w.b = append(w.b, major, minor)
	w.b = binary.BigEndian.AppendUint16(w.b, status)
	w.b = binary.BigEndian.AppendUint32(w.b, requestID)
}

// attr writes an attribute with its values; values beyond the first are
// additional values (empty name).
func (w *ippWriter) attr(a ippAttr) {
	for i, v := range a.values {
		w.b = append(w.b, v.tag)
		name := a.name
		if i > 0 {
			name = ""
		}
		w.b = binary.BigEndian.AppendUint16(w.b, uint16(len(name)))
		w.b = append(w.b, name...)
		w.b = binary.BigEndian.AppendUint16(w.b, uint16(len(v.data)))
		w.b = append(w.b, v.data...)
	}
}

// ippStrings makes values of one string-typed tag, cut at a rune start to
// 1023 octets for text and 255 for the other types (within RFC 8011 §5.1's
// limits for each).
func ippStrings(tag byte, ss ...string) []ippValue {
	limit := 255
	if tag == ippTagText {
		limit = 1023
	}
	vs := make([]ippValue, 0, len(ss))
	for _, s := range ss {
		if len(s) > limit {
			s = strings.ToValidUTF8(s[:limit], "") // drops a rune cut in half
		}
		vs = append(vs, ippValue{tag: tag, data: []byte(s)})
	}
	return vs
}

// ippInts makes integer or enum values.
func ippInts(tag byte, ns ...int32) []ippValue {
	vs := make([]ippValue, 0, len(ns))
	for _, n := range ns {
		vs = append(vs, ippValue{tag: tag, data: binary.BigEndian.AppendUint32(nil, uint32(n))})
	}
	return vs
}

// ippBool makes a boolean value.
func ippBool(b bool) []ippValue {
	if b {
		return []ippValue{{tag: ippTagBoolean, data: []byte{1}}}
	}
	return []ippValue{{tag: ippTagBoolean, data: []byte{0}}}
}

// ippAPI serves one printer.
type ippAPI struct {
	d     *Device
	start time.Time
}

func newIPPAPI(d *Device) http.Handler {
	a := &ippAPI{d: d, start: d.now()}
	return apiBounded(a.serve)
}

func (a *ippAPI) serve(w http.ResponseWriter, r *http.Request) {
	if port, ok := apiLocalPort(r); ok && port == ippPort {
		a.serveIPP(w, r)
		return
	}
	a.serveWebUI(w, r)
}

// serveWebUI is the printer's own web interface on port 80.
func (a *ippAPI) serveWebUI(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		apiBody(w, http.StatusNotFound, "text/html", "<html><body><h1>404 Not Found</h1></body></html>")
		return
	}
	model := html.EscapeString(a.d.Model)
	apiBody(w, http.StatusOK, "text/html", `<!DOCTYPE html><html><head><meta charset="utf-8"><title>`+model+
		`</title></head><body><h1>`+model+`</h1><p>`+html.EscapeString(a.d.Name)+`</p>`+
		`<p>Status: Sleep</p><p><a href="/general/status.html">Status</a> | `+
		`<a href="/home/status.html">Login</a></p></body></html>`)
}

// serveIPP is the HTTP side of port 631.
func (a *ippAPI) serveIPP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		if r.URL.Path != ippResource {
			apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/ipp" {
			apiBody(w, http.StatusBadRequest, "text/plain", "Bad Request")
			return
		}
		body, err := apiReadBody(r)
		var resp []byte
		switch {
		case errors.Is(err, errAPIBodyTooLarge):
			resp = ippError(body, ippStatusRequestTooLarge)
		case err != nil:
			resp = ippError(body, ippStatusBadRequest)
		default:
			resp = a.respond(body)
		}
		w.Header().Set("Content-Type", "application/ipp")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(resp)
	case http.MethodGet, http.MethodHead:
		if r.URL.Path != "/" && r.URL.Path != ippResource {
			apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
			return
		}
		name := html.EscapeString(a.d.Name)
		apiBody(w, http.StatusOK, "text/html", `<!DOCTYPE html><html><head><title>`+name+`</title></head><body>`+
			`<h1>`+name+`</h1><p>`+html.EscapeString(a.d.Model)+`</p><p>Idle, 0 job(s).</p></body></html>`)
	default:
		apiBody(w, http.StatusNotImplemented, "text/plain", "Not Implemented")
	}
}

// ippError is a response with only the required operation attributes. It
// speaks the request's version when that is one the printer supports, else
// IPP/1.1.
func ippError(request []byte, status uint16) []byte {
	major, minor := byte(1), byte(1)
	if len(request) >= 2 && (request[0] == 1 || request[0] == 2) {
		major, minor = request[0], request[1]
	}
	var w ippWriter
	w.header(major, minor, status, ippRequestID(request))
	w.b = append(w.b, ippTagOperation)
	ippResponseOperationAttrs(&w)
	return append(w.b, ippTagEnd)
}

// ippResponseOperationAttrs writes attributes-charset and
// attributes-natural-language, which every response starts with.
func ippResponseOperationAttrs(w *ippWriter) {
	w.attr(ippAttr{name: "attributes-charset", values: ippStrings(ippTagCharset, "utf-8")})
	w.attr(ippAttr{name: "attributes-natural-language", values: ippStrings(ippTagNaturalLanguage, "en")})
}

// respond answers one IPP request body.
func (a *ippAPI) respond(body []byte) []byte {
	req, err := parseIPPRequest(body)
	if err != nil {
		return ippError(body, ippStatusBadRequest)
	}
	if req.major != 1 && req.major != 2 {
		return ippError(body, ippStatusVersionNotSupported)
	}
	// RFC 8011 §4.1.4: the first two attributes of the operation group are
	// attributes-charset and attributes-natural-language, in that order.
	ops := make([]ippAttr, 0, len(req.attrs))
	for _, at := range req.attrs {
		if at.group == ippTagOperation {
			ops = append(ops, at)
		}
	}
	if len(ops) < 2 || ops[0].name != "attributes-charset" || ops[0].values[0].tag != ippTagCharset ||
		ops[1].name != "attributes-natural-language" || ops[1].values[0].tag != ippTagNaturalLanguage ||
		req.attrs[0].group != ippTagOperation {
		return ippError(body, ippStatusBadRequest)
	}
	if cs := strings.ToLower(string(ops[0].values[0].data)); cs != "utf-8" && cs != "us-ascii" {
		return ippError(body, ippStatusCharsetNotSupported)
	}
	if req.operation != ippOpGetPrinterAttributes {
		return ippError(body, ippStatusOperationNotSupported)
	}
	var requested map[string]bool
	hasURI := false
	for _, at := range ops[2:] {
		switch at.name {
		case "printer-uri":
			hasURI = at.values[0].tag == ippTagURI
		case "requested-attributes":
			requested = map[string]bool{}
			for _, v := range at.values {
				requested[string(v.data)] = true
			}
		}
	}
	if !hasURI {
		return ippError(body, ippStatusBadRequest)
	}
	all := requested == nil || requested["all"] || requested["printer-description"]
	var w ippWriter
	w.header(req.major, req.minor, ippStatusOK, req.requestID)
	w.b = append(w.b, ippTagOperation)
	ippResponseOperationAttrs(&w)
	w.b = append(w.b, ippTagPrinter)
	for _, at := range a.printerAttributes() {
		if all || requested[at.name] {
			w.attr(at)
		}
	}
	return append(w.b, ippTagEnd)
}

// printerAttributes are the printer's description and status attributes.
func (a *ippAPI) printerAttributes() []ippAttr {
	d := a.d
	addr := d.Addr.String()
	uuid := d.apiTXT("UUID")
	if uuid == "" {
		uuid = "e3248000-80ce-11db-8000-" + strings.ToLower(d.MAC)
	}
	make1, model1, _ := strings.Cut(d.Model, " ")
	pdl := strings.Split(d.apiTXT("pdl"), ",")
	if pdl[0] == "" {
		pdl = []string{"application/octet-stream"}
	}
	var fwVersion []byte
	for _, part := range strings.Split(d.Firmware, ".") {
		if n, err := strconv.Atoi(part); err == nil && n >= 0 && n < 256 {
			fwVersion = append(fwVersion, byte(n))
		}
	}
	sides := []string{"one-sided"}
	if d.apiTXT("Duplex") == "T" {
		sides = append(sides, "two-sided-long-edge", "two-sided-short-edge")
	}
	at := func(name string, values []ippValue) ippAttr {
		return ippAttr{group: ippTagPrinter, name: name, values: values}
	}
	return []ippAttr{
		at("printer-uri-supported", ippStrings(ippTagURI, "ipp://"+addr+":631"+ippResource)),
		at("uri-authentication-supported", ippStrings(ippTagKeyword, "none")),
		at("uri-security-supported", ippStrings(ippTagKeyword, "none")),
		at("printer-name", ippStrings(ippTagName, d.Name)),
		at("printer-info", ippStrings(ippTagText, d.Name)),
		at("printer-location", ippStrings(ippTagText, d.apiTXT("note"))),
		at("printer-make-and-model", ippStrings(ippTagText, d.Model)),
		at("printer-device-id", ippStrings(ippTagText,
			"MFG:"+make1+";CMD:PJL,PCL,PCLXL,URF;MDL:"+model1+";CLS:PRINTER;")),
		at("printer-state", ippInts(ippTagEnum, ippPrinterStateIdle)),
		at("printer-state-reasons", ippStrings(ippTagKeyword, "none")),
		at("printer-is-accepting-jobs", ippBool(true)),
		at("printer-up-time", ippInts(ippTagInteger, int32(min(apiUptime(a.start, a.d.now()), 1<<31-1)))),
		at("printer-uuid", ippStrings(ippTagURI, "urn:uuid:"+uuid)),
		at("printer-more-info", ippStrings(ippTagURI, "http://"+addr+"/")),
		at("printer-dns-sd-name", ippStrings(ippTagName, d.Name)),
		at("printer-firmware-name", ippStrings(ippTagName, "Main Firmware")),
		at("printer-firmware-string-version", ippStrings(ippTagText, d.Firmware)),
		at("printer-firmware-version", []ippValue{{tag: ippTagOctetString, data: fwVersion}}),
		at("ipp-versions-supported", ippStrings(ippTagKeyword, "1.1", "2.0")),
		at("operations-supported", ippInts(ippTagEnum, ippOpGetPrinterAttributes)),
		at("charset-configured", ippStrings(ippTagCharset, "utf-8")),
		at("charset-supported", ippStrings(ippTagCharset, "utf-8", "us-ascii")),
		at("natural-language-configured", ippStrings(ippTagNaturalLanguage, "en")),
		at("generated-natural-language-supported", ippStrings(ippTagNaturalLanguage, "en")),
		at("document-format-default", ippStrings(ippTagMimeMediaType, "application/octet-stream")),
		at("document-format-supported", ippStrings(ippTagMimeMediaType, pdl...)),
		at("color-supported", ippBool(d.apiTXT("Color") == "T")),
		at("sides-supported", ippStrings(ippTagKeyword, sides...)),
		at("pdl-override-supported", ippStrings(ippTagKeyword, "attempted")),
		at("compression-supported", ippStrings(ippTagKeyword, "none")),
		at("queued-job-count", ippInts(ippTagInteger, 0)),
	}
}
