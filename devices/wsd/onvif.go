package wsd

import (
	"context"
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

// Identify asks the ONVIF device service at port and path of addr, through
// n (the real network when nil), GetSystemDateAndTime and then
// GetDeviceInformation, both without credentials, each bounded by timeout.
func Identify(ctx context.Context, n devhttp.Network, addr netip.Addr, port int, path string, timeout time.Duration) Info {
	c := devhttp.New(n, addr, timeout)
	info := Info{Evidence: []string{}}
	call := func(action string) (*element, int, string) {
		h := http.Header{}
		h.Set("Content-Type", `application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/`+action+`"`)
		body := `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` +
			`<tds:` + action + ` xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`
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
	}
	return info
}
