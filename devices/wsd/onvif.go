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
	// Evidence quotes each request and what came back.
	Evidence []string `json:"evidence"`
}

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

// call posts one device-service action through c to port and path (over
// HTTPS when useTLS), with header as the SOAP header ("" for none).
func call(ctx context.Context, c *devhttp.Client, useTLS bool, port int, path, action, header string) answer {
	h := http.Header{}
	h.Set("Content-Type", `application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/`+action+`"`)
	body := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">` + header + `<s:Body>` +
		`<tds:` + action + ` xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`
	res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, TLS: useTLS, Port: port, Path: path, Header: h, Body: []byte(body)})
	if err != nil {
		return answer{err: err, evidence: devtext.Clean(c.URL(devhttp.Request{TLS: useTLS, Port: port, Path: path})+" "+action+" → "+err.Error(), devtext.Summary)}
	}
	a := answer{status: res.Status, tls: res.TLS}
	env, perr := parse(res.Body)
	saw := fmt.Sprintf("HTTP %d", res.Status)
	if perr != nil && res.Status/100 == 2 {
		saw += ", " + perr.Error()
	}
	a.evidence = devtext.Clean(res.Asked+" "+action+" → "+saw, devtext.Summary)
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
	a := call(ctx, c, false, port, path, "GetSystemDateAndTime", "")
	info.Evidence = append(info.Evidence, a.evidence)
	info.DateTime = a.ok("GetSystemDateAndTime")
	a = call(ctx, c, false, port, path, "GetDeviceInformation", "")
	info.Evidence = append(info.Evidence, a.evidence)
	switch {
	case a.refused():
		info.Refused = true
	case a.ok("GetDeviceInformation"):
		info.Open = true
		info.Manufacturer = devtext.Clean(a.env.first("Manufacturer"), devtext.Name)
		info.Model = devtext.Clean(a.env.first("Model"), devtext.Name)
		info.Firmware = devtext.Clean(a.env.first("FirmwareVersion"), devtext.Name)
		info.Serial = devtext.Clean(a.env.first("SerialNumber"), devtext.Name)
	}
	return info
}

// ErrNotONVIF: what answered over HTTPS is no ONVIF device service.
var ErrNotONVIF = errors.New("it did not answer as an ONVIF camera")

// Key asks the camera's device service at port and path over HTTPS,
// through c, GetSystemDateAndTime (which ONVIF lets anyone call) and
// returns the SHA-256 of the public key it answered with (hex), when it
// answered as an ONVIF device. No credentials are sent.
func Key(ctx context.Context, c *devhttp.Client, port int, path string) (string, error) {
	a := call(ctx, c, true, port, path, "GetSystemDateAndTime", "")
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
	a := call(ctx, c, useTLS, port, path, "GetDeviceInformation", header)
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
