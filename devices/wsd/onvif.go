package wsd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
)

// Info is what an ONVIF device answered without credentials.
type Info struct {
	// DateTime is set when GetSystemDateAndTime answered (ONVIF lets any
	// client call it, to set up authentication).
	DateTime bool `json:"date_time"`
	// Open is set when GetDeviceInformation answered without a password;
	// Refused when the device asked for one (HTTP 401, or a SOAP fault
	// "NotAuthorized").
	Open    bool `json:"open"`
	Refused bool `json:"refused"`
	// What it said about itself (when Open), cleaned.
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	Firmware     string `json:"firmware,omitempty"`
	Serial       string `json:"serial,omitempty"`
	// StreamURI is the video stream's address GetStreamUri gave without a
	// password (asked only when GetDeviceInformation answered), cleaned;
	// "" when it gave none.
	StreamURI string `json:"stream_uri,omitempty"`
	// Evidence quotes each request and what came back.
	Evidence []string `json:"evidence"`
}

// ONVIF's namespaces for the device and media services' messages.
const (
	nsDevice = "http://www.onvif.org/ver10/device/wsdl"
	nsMedia  = "http://www.onvif.org/ver10/media/wsdl"
	nsSchema = "http://www.onvif.org/ver10/schema"
)

// answer is what one device-service request brought back.
type answer struct {
	// env is the SOAP envelope (nil when the answer was none).
	env    *element
	status int
	// fault holds a SOAP 1.2 fault's code and subcode values.
	fault string
	// evidence quotes the request and what came back.
	evidence string
	tls      *devhttp.TLSInfo
	err      error
}

// ok reports whether the device answered action's response.
func (a answer) ok(action string) bool {
	return a.env != nil && a.status/100 == 2 && len(a.env.find(action+"Response")) > 0
}

// refused reports whether the device asked for (other) credentials.
func (a answer) refused() bool {
	return a.status == http.StatusUnauthorized || strings.Contains(a.fault, "NotAuthorized")
}

// request is one SOAP request to an ONVIF service.
type request struct {
	// tls asks over HTTPS; port and path are the service's.
	tls  bool
	port int
	path string
	// ns is the service's namespace, action the request's name and inner
	// its arguments (XML, "" for none); header the SOAP header ("" for none).
	ns, action, inner, header string
}

// deviceRequest is action of the device service at port and path, with no
// arguments.
func deviceRequest(useTLS bool, port int, path, action, header string) request {
	return request{tls: useTLS, port: port, path: path, ns: nsDevice, action: action, header: header}
}

// call posts r through c.
func call(ctx context.Context, c *devhttp.Client, r request) answer {
	h := http.Header{}
	h.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+r.ns+`/`+r.action+`"`)
	body := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="` + nsSchema + `">` + r.header + `<s:Body>` +
		`<m:` + r.action + ` xmlns:m="` + r.ns + `">` + r.inner + `</m:` + r.action + `></s:Body></s:Envelope>`
	req := devhttp.Request{Method: http.MethodPost, TLS: r.tls, Port: r.port, Path: r.path, Header: h, Body: []byte(body)}
	res, err := c.Do(ctx, req)
	if err != nil {
		return answer{err: err, evidence: devtext.Clean(c.URL(req)+" "+r.action+" → "+err.Error(), devtext.Summary)}
	}
	a := answer{status: res.Status, tls: res.TLS}
	env, perr := parse(res.Body)
	saw := fmt.Sprintf("HTTP %d", res.Status)
	if perr != nil && res.Status/100 == 2 {
		saw += ", " + perr.Error()
	}
	a.evidence = devtext.Clean(res.Asked+" "+r.action+" → "+saw, devtext.Summary)
	if perr != nil {
		return a
	}
	a.env = env
	var codes []string
	for _, v := range env.find("Value") {
		codes = append(codes, strings.TrimSpace(v.text))
	}
	a.fault = strings.Join(codes, " ")
	return a
}

// Identify asks the ONVIF device service at port and path of addr, through
// n (the real network when nil), GetSystemDateAndTime and then
// GetDeviceInformation, both without credentials, each bounded by timeout.
func Identify(ctx context.Context, n devhttp.Network, addr netip.Addr, port int, path string, timeout time.Duration) Info {
	c := devhttp.New(n, addr, timeout)
	info := Info{Evidence: []string{}}
	ask := func(r request) answer {
		a := call(ctx, c, r)
		info.Evidence = append(info.Evidence, a.evidence)
		return a
	}
	info.DateTime = ask(deviceRequest(false, port, path, "GetSystemDateAndTime", "")).ok("GetSystemDateAndTime")
	a := ask(deviceRequest(false, port, path, "GetDeviceInformation", ""))
	switch {
	case a.refused():
		info.Refused = true
	case a.ok("GetDeviceInformation"):
		info.Open = true
		info.Manufacturer = devtext.Clean(a.env.first("Manufacturer"), devtext.Name)
		info.Model = devtext.Clean(a.env.first("Model"), devtext.Name)
		info.Firmware = devtext.Clean(a.env.first("FirmwareVersion"), devtext.Name)
		info.Serial = devtext.Clean(a.env.first("SerialNumber"), devtext.Name)
		info.StreamURI = streamURI(addr, port, path, ask)
	}
	return info
}

// streamURI asks, through ask and without credentials, where the camera's
// video stream is (ONVIF Media: GetCapabilities for the media service, at
// the camera's own address only; GetProfiles; GetStreamUri for the first
// profile, RTP over RTSP) and returns the URI, or "" at the first step
// that fails.
func streamURI(addr netip.Addr, port int, path string, ask func(request) answer) string {
	a := ask(request{port: port, path: path, ns: nsDevice, action: "GetCapabilities", inner: `<m:Category>Media</m:Category>`})
	if a.env == nil || a.status/100 != 2 {
		return ""
	}
	var xaddr string
	if media := a.env.find("Media"); len(media) > 0 {
		xaddr = media[0].first("XAddr")
	}
	mport, mpath, err := ServiceURL(xaddr, addr)
	if err != nil {
		return ""
	}
	a = ask(request{port: mport, path: mpath, ns: nsMedia, action: "GetProfiles"})
	if a.env == nil || a.status/100 != 2 {
		return ""
	}
	profiles := a.env.find("Profiles")
	if len(profiles) == 0 || profiles[0].token == "" {
		return ""
	}
	a = ask(request{port: mport, path: mpath, ns: nsMedia, action: "GetStreamUri",
		inner: `<m:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></m:StreamSetup>` +
			`<m:ProfileToken>` + xmlEscape(profiles[0].token) + `</m:ProfileToken>`})
	if a.env == nil || a.status/100 != 2 {
		return ""
	}
	return devtext.Clean(a.env.first("Uri"), devtext.Value)
}

// xmlEscape escapes s for XML text.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// ErrNotONVIF: what answered over HTTPS is no ONVIF device service.
var ErrNotONVIF = errors.New("it did not answer as an ONVIF camera")

// Key asks the camera's device service at port and path over HTTPS,
// through c, GetSystemDateAndTime (which ONVIF lets anyone call) and
// returns the SHA-256 of the public key it answered with (hex), when it
// answered as an ONVIF device. No credentials are sent.
func Key(ctx context.Context, c *devhttp.Client, port int, path string) (string, error) {
	a := call(ctx, c, deviceRequest(true, port, path, "GetSystemDateAndTime", ""))
	switch {
	case a.err != nil:
		return "", a.err
	case a.tls == nil || !a.ok("GetSystemDateAndTime"):
		return "", ErrNotONVIF
	}
	return a.tls.SPKISHA256, nil
}

// Login is what a camera did with one login.
type Login int

// The logins' outcomes.
const (
	// LoginFailed: no answer that says either way.
	LoginFailed Login = iota
	// LoginAccepted: it answered GetDeviceInformation to the login.
	LoginAccepted
	// LoginRefused: it refused the login (HTTP 401 or a SOAP fault
	// NotAuthorized).
	LoginRefused
)

// TryLogin asks the camera's device service at port and path, through c
// (pin its TLS key first), GetDeviceInformation — a read that changes
// nothing — once, with user and password as a WS-UsernameToken whose
// PasswordDigest is Base64(SHA-1(nonce + created + password)) (ONVIF Core
// §5.12.2, WS-Security UsernameToken Profile 1.0): the password itself
// never crosses the network. now is the token's creation time. The
// evidence and the error never hold the password.
func TryLogin(ctx context.Context, c *devhttp.Client, useTLS bool, port int, path, user, password string, now time.Time) (Login, string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return LoginFailed, "", fmt.Errorf("making the login's nonce: %w", err)
	}
	created := now.UTC().Format("2006-01-02T15:04:05.000Z")
	sum := sha1.Sum(append(append(append([]byte{}, nonce...), created...), password...))
	var u bytes.Buffer
	_ = xml.EscapeText(&u, []byte(user))
	header := `<s:Header><wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
		`<wsse:UsernameToken><wsse:Username>` + u.String() + `</wsse:Username>` +
		`<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` + base64.StdEncoding.EncodeToString(sum[:]) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>`
	a := call(ctx, c, deviceRequest(useTLS, port, path, "GetDeviceInformation", header))
	ev := strings.ReplaceAll(a.evidence, password, "[redacted]")
	switch {
	case a.err != nil:
		return LoginFailed, ev, fmt.Errorf("asking the camera: %w", a.err)
	case a.ok("GetDeviceInformation"):
		return LoginAccepted, ev, nil
	case a.refused():
		return LoginRefused, ev, nil
	}
	return LoginFailed, ev, fmt.Errorf("the camera answered HTTP %d, neither accepting nor refusing the login", a.status)
}
