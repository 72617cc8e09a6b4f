package wsd

import (
	"context"
	"encoding/xml"
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

// Identify asks the ONVIF device service at port and path of addr, through
// n (the real network when nil), GetSystemDateAndTime and then
// GetDeviceInformation, both without credentials, each bounded by timeout.
func Identify(ctx context.Context, n devhttp.Network, addr netip.Addr, port int, path string, timeout time.Duration) Info {
	c := devhttp.New(n, addr, timeout)
	info := Info{Evidence: []string{}}
	// callAt sends action of the service ns at port and path, with inner
	// as its arguments, and returns the envelope, HTTP status and fault codes.
	callAt := func(port int, path, ns, action, inner string) (*element, int, string) {
		h := http.Header{}
		h.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+ns+`/`+action+`"`)
		body := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="` + nsSchema + `"><s:Body>` +
			`<m:` + action + ` xmlns:m="` + ns + `">` + inner + `</m:` + action + `></s:Body></s:Envelope>`
		res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, Port: port, Path: path, Header: h, Body: []byte(body)})
		if err != nil {
			info.Evidence = append(info.Evidence, devtext.Clean(res.Asked+" "+action+" → "+err.Error(), devtext.Summary))
			return nil, 0, ""
		}
		env, perr := parse(res.Body)
		saw := fmt.Sprintf("HTTP %d", res.Status)
		if perr != nil && res.Status/100 == 2 {
			saw += ", " + perr.Error()
		}
		info.Evidence = append(info.Evidence, devtext.Clean(res.Asked+" "+action+" → "+saw, devtext.Summary))
		if perr != nil {
			return nil, res.Status, ""
		}
		var codes []string // a SOAP 1.2 fault's code and subcode values
		for _, v := range env.find("Value") {
			codes = append(codes, strings.TrimSpace(v.text))
		}
		return env, res.Status, strings.Join(codes, " ")
	}
	call := func(action string) (*element, int, string) { return callAt(port, path, nsDevice, action, "") }
	if env, status, _ := call("GetSystemDateAndTime"); env != nil && status/100 == 2 && len(env.find("GetSystemDateAndTimeResponse")) > 0 {
		info.DateTime = true
	}
	env, status, fault := call("GetDeviceInformation")
	switch {
	case status == http.StatusUnauthorized || strings.Contains(fault, "NotAuthorized"):
		info.Refused = true
	case env != nil && status/100 == 2 && len(env.find("GetDeviceInformationResponse")) > 0:
		info.Open = true
		info.Manufacturer = devtext.Clean(env.first("Manufacturer"), devtext.Name)
		info.Model = devtext.Clean(env.first("Model"), devtext.Name)
		info.Firmware = devtext.Clean(env.first("FirmwareVersion"), devtext.Name)
		info.Serial = devtext.Clean(env.first("SerialNumber"), devtext.Name)
		info.StreamURI = streamURI(addr, port, path, callAt)
	}
	return info
}

// streamURI asks, without credentials, where the camera's video stream is
// (ONVIF Media: GetCapabilities for the media service, at the camera's
// own address only; GetProfiles; GetStreamUri for the first profile, RTP
// over RTSP) and returns the URI, or "" at the first step that fails.
func streamURI(addr netip.Addr, port int, path string, call func(port int, path, ns, action, inner string) (*element, int, string)) string {
	env, status, _ := call(port, path, nsDevice, "GetCapabilities", `<m:Category>Media</m:Category>`)
	if env == nil || status/100 != 2 {
		return ""
	}
	var xaddr string
	if media := env.find("Media"); len(media) > 0 {
		xaddr = media[0].first("XAddr")
	}
	mport, mpath, err := ServiceURL(xaddr, addr)
	if err != nil {
		return ""
	}
	env, status, _ = call(mport, mpath, nsMedia, "GetProfiles", "")
	if env == nil || status/100 != 2 {
		return ""
	}
	profiles := env.find("Profiles")
	if len(profiles) == 0 || profiles[0].token == "" {
		return ""
	}
	env, status, _ = call(mport, mpath, nsMedia, "GetStreamUri",
		`<m:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></m:StreamSetup>`+
			`<m:ProfileToken>`+xmlEscape(profiles[0].token)+`</m:ProfileToken>`)
	if env == nil || status/100 != 2 {
		return ""
	}
	return devtext.Clean(env.first("Uri"), devtext.Value)
}

// xmlEscape escapes s for XML text.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
