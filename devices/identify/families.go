package identify

import (
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
)

// decodeJSON decodes a complete 2xx JSON answer.
func decodeJSON(res *devhttp.Response, v any) error {
	if res.Status < 200 || res.Status > 299 {
		return fmt.Errorf("answered %d", res.Status)
	}
	if res.Truncated {
		return fmt.Errorf("answer larger than %d bytes", devhttp.MaxBody)
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		return fmt.Errorf("not the JSON expected: %w", err)
	}
	return nil
}

// shellyInfo is what GET /shelly answers: Gen1 (type, mac, auth, fw;
// device-apis.md §3.1) or Gen2+ (gen, id, mac, model, ver, app, auth_en; §3.2).
type shellyInfo struct {
	Type   string `json:"type"`
	MAC    string `json:"mac"`
	Auth   *bool  `json:"auth"`
	FW     string `json:"fw"`
	Gen    int    `json:"gen"`
	ID     string `json:"id"`
	Model  string `json:"model"`
	Ver    string `json:"ver"`
	App    string `json:"app"`
	AuthEn *bool  `json:"auth_en"`
	// Name is the name the person gave a Gen2 device (null until then).
	Name string `json:"name"`
}

// shellyByAnnouncement reads /shelly when the device announces _shelly._tcp
// or a Shelly host name. The answer, not the name, decides.
func (p *prober) shellyByAnnouncement(ctx context.Context) (Identity, bool) {
	_, announced := p.service("_shelly._tcp")
	if !announced && !strings.HasPrefix(strings.ToLower(p.d.Host), "shelly") {
		return Identity{}, false
	}
	return p.shelly(ctx)
}

func (p *prober) shelly(ctx context.Context) (Identity, bool) {
	if p.triedShelly {
		return Identity{}, false
	}
	p.triedShelly = true
	var sh shellyInfo
	if !p.getJSON(ctx, p.httpPort(), "/shelly", &sh) {
		return Identity{}, false
	}
	switch {
	case sh.Gen >= 2 && sh.Model != "":
		id := Identity{Family: ShellyGen2, Vendor: "Shelly", Model: strings.TrimSpace(sh.App + " " + sh.Model), Firmware: sh.Ver,
			Name: sh.Name, Reported: Reported{AuthEnabled: sh.AuthEn}}
		id.answeredID(normaliseMAC(sh.MAC))
		if sh.AuthEn != nil && !*sh.AuthEn {
			p.shellyGen2Updates(ctx, &id)
		}
		return id, true
	case sh.Type != "" && normaliseMAC(sh.MAC) != "":
		id := Identity{Family: ShellyGen1, Vendor: "Shelly", Model: sh.Type, Firmware: sh.FW,
			Reported: Reported{AuthEnabled: sh.Auth}}
		id.answeredID(normaliseMAC(sh.MAC))
		if sh.Auth != nil && !*sh.Auth {
			p.shellyGen1Updates(ctx, &id)
		}
		return id, true
	}
	return Identity{}, false
}

// shellyGen1Updates reads /ota, which an open Gen1 device answers without a
// password: {status, has_update, new_version, old_version}.
func (p *prober) shellyGen1Updates(ctx context.Context, id *Identity) {
	var ota struct {
		HasUpdate  *bool  `json:"has_update"`
		NewVersion string `json:"new_version"`
	}
	if p.getJSON(ctx, p.httpPort(), "/ota", &ota) && ota.HasUpdate != nil {
		id.Reported.UpdateAvailable = ota.HasUpdate
		if *ota.HasUpdate {
			id.Reported.NewFirmware = ota.NewVersion
		}
	}
}

// shellyGen2Updates reads Sys.GetStatus, which an open Gen2 device answers
// without a password: sys.available_updates {stable:{version}}.
func (p *prober) shellyGen2Updates(ctx context.Context, id *Identity) {
	var st struct {
		AvailableUpdates *struct {
			Stable *struct {
				Version string `json:"version"`
			} `json:"stable"`
		} `json:"available_updates"`
	}
	if !p.getJSON(ctx, p.httpPort(), "/rpc/Sys.GetStatus", &st) || st.AvailableUpdates == nil {
		return
	}
	has := st.AvailableUpdates.Stable != nil && st.AvailableUpdates.Stable.Version != ""
	id.Reported.UpdateAvailable = boolPtr(has)
	if has {
		id.Reported.NewFirmware = st.AvailableUpdates.Stable.Version
	}
}

// tasmota reads Status 0 (device-apis.md §3.3). A device with a web
// password answers 401 with Tasmota's own warning, which identifies it too.
func (p *prober) tasmota(ctx context.Context) (Identity, bool) {
	res, ok := p.get(ctx, p.httpPort(), "/cm?cmnd=Status%200")
	if !ok {
		return Identity{}, false
	}
	var st struct {
		Status *struct {
			DeviceName   string   `json:"DeviceName"`
			FriendlyName []string `json:"FriendlyName"`
		} `json:"Status"`
		StatusFWR *struct {
			Version  string `json:"Version"`
			Hardware string `json:"Hardware"`
		} `json:"StatusFWR"`
		StatusNET *struct {
			Mac string `json:"Mac"`
		} `json:"StatusNET"`
		Warning string `json:"WARNING"`
	}
	if err := json.Unmarshal(res.Body, &st); err != nil || res.Truncated {
		return Identity{}, false
	}
	if res.Status == 401 && strings.HasPrefix(st.Warning, "Need user=") {
		return Identity{Family: Tasmota, Vendor: "Tasmota", Reported: Reported{AuthEnabled: boolPtr(true)}}, true
	}
	if res.Status != 200 || st.StatusFWR == nil || st.StatusFWR.Version == "" {
		return Identity{}, false
	}
	id := Identity{Family: Tasmota, Vendor: "Tasmota", Model: st.StatusFWR.Hardware, Firmware: st.StatusFWR.Version,
		Reported: Reported{AuthEnabled: boolPtr(false)}}
	if st.StatusNET != nil {
		id.answeredID(normaliseMAC(st.StatusNET.Mac))
	}
	if st.Status != nil {
		id.Name = st.Status.DeviceName
	}
	return id, true
}

// wled reads /json/info (device-apis.md §3.4); brand "WLED" decides.
func (p *prober) wled(ctx context.Context) (Identity, bool) {
	if _, ok := p.service("_wled._tcp"); !ok {
		return Identity{}, false
	}
	var info struct {
		Ver     string `json:"ver"`
		Brand   string `json:"brand"`
		Product string `json:"product"`
		Arch    string `json:"arch"`
		MAC     string `json:"mac"`
		Name    string `json:"name"`
	}
	if !p.getJSON(ctx, p.httpPort(), "/json/info", &info) || info.Brand != "WLED" {
		return Identity{}, false
	}
	id := Identity{Family: WLED, Vendor: "WLED", Model: strings.TrimSpace(info.Product + " " + info.Arch), Firmware: info.Ver,
		Name: info.Name, Reported: Reported{AuthEnabled: boolPtr(false)}}
	id.answeredID(normaliseMAC(info.MAC))
	id.Reported.SettingsPIN = p.wledSettingsPIN(ctx)
	return id, true
}

// wledSecurityScript is the security page's settings script. With a PIN set
// (and the settings locked, as they are 15 minutes after the last unlock),
// WLED serves "PIN incorrect" with status 401 (403 in earlier releases)
// instead of the settings.
// Source: wled/WLED wled00/wled_server.cpp serveSettingsJS.
const wledSecurityScript = "/settings/s.js?p=6"

// wledSettingsPIN reads whether WLED's settings ask for a PIN; nil when the
// answer says neither.
func (p *prober) wledSettingsPIN(ctx context.Context) *bool {
	res, ok := p.get(ctx, p.httpPort(), wledSecurityScript)
	switch {
	case !ok:
		return nil
	case res.Status == 401 || res.Status == 403 || strings.Contains(string(res.Body), "PIN incorrect"):
		return boolPtr(true)
	case res.Status == 200:
		return boolPtr(false)
	}
	return nil
}

// esphome reads the native API's TXT record (device-apis.md §3.5).
func (p *prober) esphome(context.Context) (Identity, bool) {
	s, ok := p.service("_esphomelib._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	model := txt["project_name"]
	if model == "" {
		model = strings.TrimSpace(txt["platform"] + " " + txt["board"])
	}
	fw := txt["version"]
	if fw != "" {
		fw = "ESPHome " + fw
	}
	if v := txt["project_version"]; v != "" {
		fw += ", project " + v
	}
	return Identity{Family: ESPHome, Vendor: "ESPHome", Model: model, Firmware: fw, HardwareID: normaliseMAC(txt["mac"])}, true
}

// hue reads /api/config, which a bridge answers without an app key
// (device-apis.md §3.6); TXT bridgeid and modelid when it does not.
func (p *prober) hue(ctx context.Context) (Identity, bool) {
	s, ok := p.service("_hue._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	var cfg struct {
		SWVersion string `json:"swversion"`
		ModelID   string `json:"modelid"`
		BridgeID  string `json:"bridgeid"`
		MAC       string `json:"mac"`
	}
	id := Identity{Family: HueBridge, Vendor: "Philips Hue", Model: "Hue Bridge " + txt["modelid"], HardwareID: strings.ToLower(txt["bridgeid"])}
	// Bridges answer over HTTPS on the announced port (443) and over plain
	// HTTP on 80; HTTPS first, so the key the bridge holds is seen.
	// Source: https://developers.meethue.com/develop/application-design-guidance/using-https/
	res, ok := p.send(ctx, devhttp.Request{TLS: true, Port: cmp.Or(s.Port, 443), Path: "/api/config"})
	if ok && res.TLS != nil && p.decoded(res, &cfg) && cfg.ModelID != "" {
		id.TLSKey, id.TLSPort = res.TLS.SPKISHA256, cmp.Or(s.Port, 443)
	} else if !p.getJSON(ctx, 80, "/api/config", &cfg) {
		return id, true
	}
	if cfg.ModelID != "" {
		id.Model, id.Firmware = "Hue Bridge "+cfg.ModelID, cfg.SWVersion
		id.answeredID(normaliseMAC(cfg.MAC))
	}
	return id, true
}

// cast reads the TXT record and /setup/eureka_info on port 8008, which
// still answers without a token (device-apis.md §3.8).
func (p *prober) cast(ctx context.Context) (Identity, bool) {
	s, ok := p.service("_googlecast._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	// Cast is built into other makers' TVs and speakers: md, the model,
	// names the maker only through the catalog's rules (see recognise).
	id := Identity{Family: Chromecast, Model: txt["md"]}
	var info struct {
		CastBuildRevision string `json:"cast_build_revision"`
		BuildVersion      string `json:"build_version"`
		HasUpdate         *bool  `json:"has_update"`
		MACAddress        string `json:"mac_address"`
	}
	if p.getJSON(ctx, 8008, "/setup/eureka_info", &info) {
		id.Firmware = info.CastBuildRevision
		if id.Firmware == "" {
			id.Firmware = info.BuildVersion
		}
		id.answeredID(normaliseMAC(info.MACAddress))
		id.Reported.UpdateAvailable = info.HasUpdate
	}
	return id, true
}

// homekit reads the HAP TXT record: md is the model (never the maker: a
// Wemo plug says "Socket", a Roku "4660X"), ci the accessory category and
// id the pairing identity. The maker comes from the catalog's rules.
// Source: https://developer.apple.com/homekit/specification/ (HAP, Bonjour TXT record keys).
func (p *prober) homekit(context.Context) (Identity, bool) {
	s, ok := p.service("_hap._tcp")
	if !ok {
		if s, ok = p.service("_hap._udp"); !ok {
			return Identity{}, false
		}
	}
	txt := p.txt(s)
	return Identity{Family: HomeKit, Model: txt["md"], HardwareID: normaliseMAC(txt["id"])}, true
}

// matter reads the commissionable or operational TXT record (device-apis.md
// §3.10): VP is "vendor+product" in decimal.
func (p *prober) matter(context.Context) (Identity, bool) {
	s, ok := p.service("_matterc._udp")
	if !ok {
		if s, ok = p.service("_matter._tcp"); !ok {
			return Identity{}, false
		}
	}
	txt := p.txt(s)
	id := Identity{Family: Matter, Vendor: "Matter device"}
	v, prod, _ := strings.Cut(txt["vp"], "+")
	if vid, err := strconv.ParseUint(v, 10, 16); err == nil {
		id.Vendor = fmt.Sprintf("Matter vendor 0x%04X", vid)
		if vid >= 0xFFF1 && vid <= 0xFFF4 {
			id.Vendor = "Matter test vendor"
		}
		if pid, err := strconv.ParseUint(prod, 10, 16); err == nil {
			id.Model = fmt.Sprintf("product 0x%04X", pid)
		}
	}
	return id, true
}

// sonos reads the UPnP device description on port 1400 (device-apis.md §3.11).
func (p *prober) sonos(ctx context.Context) (Identity, bool) {
	s, ok := p.service("_sonos._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	id := Identity{Family: Sonos, Vendor: "Sonos", Model: txt["model"]}
	res, ok := p.get(ctx, 1400, "/xml/device_description.xml")
	if !ok || res.Status != 200 || res.Truncated {
		return id, true
	}
	var desc struct {
		Device struct {
			Manufacturer    string `xml:"manufacturer"`
			ModelName       string `xml:"modelName"`
			SoftwareVersion string `xml:"softwareVersion"`
			MACAddress      string `xml:"MACAddress"`
		} `xml:"device"`
	}
	if err := xml.Unmarshal(res.Body, &desc); err == nil && strings.HasPrefix(desc.Device.Manufacturer, "Sonos") {
		id.Model, id.Firmware = desc.Device.ModelName, desc.Device.SoftwareVersion
		id.answeredID(normaliseMAC(desc.Device.MACAddress))
	}
	return id, true
}

// elgato reads /elgato/accessory-info (device-apis.md §3.11).
func (p *prober) elgato(ctx context.Context) (Identity, bool) {
	s, ok := p.service("_elg._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	id := Identity{Family: Elgato, Vendor: "Elgato", Model: txt["md"], HardwareID: normaliseMAC(txt["id"])}
	var info struct {
		ProductName     string `json:"productName"`
		FirmwareVersion string `json:"firmwareVersion"`
		MACAddress      string `json:"macAddress"`
	}
	if p.getJSON(ctx, s.Port, "/elgato/accessory-info", &info) {
		id.Model, id.Firmware = info.ProductName, info.FirmwareVersion
		id.answeredID(normaliseMAC(info.MACAddress))
	}
	return id, true
}

// octoprint reads the discovery plugin's TXT record (device-apis.md §3.11).
func (p *prober) octoprint(context.Context) (Identity, bool) {
	s, ok := p.service("_octoprint._tcp")
	if !ok {
		return Identity{}, false
	}
	txt := p.txt(s)
	model := "OctoPrint"
	if m := strings.TrimSpace(txt["vendor"] + " " + txt["model"]); m != "" {
		model += " for " + m
	}
	return Identity{Family: OctoPrint, Vendor: "OctoPrint", Model: model, Firmware: txt["version"]}, true
}

// printerServices are the services a printer announces (device-apis.md §3.7).
var printerServices = []string{"_ipps._tcp", "_ipp._tcp", "_printer._tcp", "_pdl-datastream._tcp"}

// IPP transport (RFC 8010 §4): HTTP POST of application/ipp to the printer's
// resource.
const (
	// ippPort is IANA's port for IPP, used when no _ipp._tcp service says otherwise.
	ippPort = 631
	// ippDefaultResource is the resource IPP Everywhere printers serve
	// (PWG 5100.14), used when TXT rp names none.
	ippDefaultResource = "/ipp/print"
	// ippMediaType is IPP's content type (RFC 8010 §4).
	ippMediaType = "application/ipp"
	// ippMaxResource bounds the resource path taken from TXT rp.
	ippMaxResource = 255
)

// printer reads an IPP printer's TXT record (device-apis.md §3.7: ty is the
// make and model, UUID its printer-uuid), then asks the printer itself with
// one Get-Printer-Attributes request (see printerAttributes).
func (p *prober) printer(ctx context.Context) (Identity, bool) {
	for _, typ := range printerServices {
		s, ok := p.service(typ)
		if !ok {
			continue
		}
		txt := p.txt(s)
		// usb_MFG is the maker the printer names itself; ty and product
		// are models, whose first word may or may not be a maker.
		model := cmp.Or(txt["ty"], strings.Trim(txt["product"], "()"))
		id := Identity{Family: IPPPrinter, Vendor: txt["usb_mfg"], Model: model, HardwareID: normaliseUUID(txt["uuid"])}
		p.printerAttributes(ctx, s, &id)
		return id, true
	}
	return Identity{}, false
}

// printerAttributes reads the printer's firmware (PWG 5110.1), make and
// model, and UUID with one unauthenticated Get-Printer-Attributes request: a
// POST, but one that only reads (RFC 8011 §4.2.5). The port is the
// _ipp._tcp service's (631 when none is announced), the resource its TXT rp
// (else the announced service's, else /ipp/print). What the printer answers
// replaces what it announced; an answer that cannot be used leaves id as it
// was and says why in the evidence.
func (p *prober) printerAttributes(ctx context.Context, announced discover.Service, id *Identity) {
	if p.c == nil {
		return
	}
	port, rp := ippPort, announced.TXT["rp"]
	if s, ok := p.service("_ipp._tcp"); ok {
		rp = s.TXT["rp"]
		if s.Port > 0 {
			port = s.Port
		}
	}
	resource := ippResource(rp)
	uri := "ipp://" + net.JoinHostPort(p.c.Addr().WithZone("").String(), strconv.Itoa(port)) + resource
	asked := len(p.evidence)
	res, ok := p.send(ctx, devhttp.Request{Method: http.MethodPost, Port: port, Path: resource,
		Header: http.Header{"Content-Type": {ippMediaType}}, Body: ippGetPrinterAttributes(uri)})
	if len(p.evidence) > asked {
		p.evidence[asked].Asked += " (IPP Get-Printer-Attributes)"
	}
	if !ok {
		return
	}
	ev := &p.evidence[asked]
	answer, err := readIPPAnswer(res)
	if err != nil {
		ev.Saw = summary(err.Error())
		return
	}
	ev.Saw = summary(answer.String())
	f := factsOf(answer.printer)
	if f.model != "" {
		id.Vendor, id.Model = f.vendor, f.model
	}
	if f.firmware != "" {
		id.Firmware = f.firmware
	}
	id.answeredID(f.uuid)
}

// errNotIPP reports an HTTP answer that carries no usable IPP answer.
var errNotIPP = errors.New("no IPP answer")

// readIPPAnswer decodes the answer to our Get-Printer-Attributes request:
// HTTP 200 with an application/ipp body (RFC 8010 §4), complete, echoing
// our request-id (RFC 8011 §4.1.1), with a successful status.
func readIPPAnswer(res *devhttp.Response) (ippAnswer, error) {
	if res.Status != http.StatusOK {
		return ippAnswer{}, fmt.Errorf("%w: HTTP status %d", errNotIPP, res.Status)
	}
	if mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err != nil || mt != ippMediaType {
		return ippAnswer{}, fmt.Errorf("%w: content type %q", errNotIPP, res.Header.Get("Content-Type"))
	}
	if res.Truncated {
		return ippAnswer{}, fmt.Errorf("%w: answer larger than %d bytes", errNotIPP, devhttp.MaxBody)
	}
	a, err := parseIPPAnswer(res.Body)
	if err != nil {
		return ippAnswer{}, fmt.Errorf("%w: %w", errNotIPP, err)
	}
	if a.requestID != ippRequestID {
		return ippAnswer{}, fmt.Errorf("%w: request-id %d, not ours", errNotIPP, a.requestID)
	}
	if a.status > ippLastSuccess {
		return ippAnswer{}, fmt.Errorf("%w: IPP status %#04x", errNotIPP, a.status)
	}
	return a, nil
}

// ippResource turns TXT rp (a path without its leading "/", as Bonjour
// printing announces it) into the path to POST to; an empty rp, or one that
// is not a plain path (a query, a fragment, spaces, anything odd), gives
// ippDefaultResource.
func ippResource(rp string) string {
	rp = strings.TrimLeft(rp, "/")
	if rp == "" || len(rp) > ippMaxResource {
		return ippDefaultResource
	}
	for _, c := range rp {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune("-._~!$&'()*+,;=:@/", c) // RFC 3986 §3.3 pchar and "/", without "%"
		if !ok {
			return ippDefaultResource
		}
	}
	return "/" + rp
}

// byContent places a device that announced only a web server, by asking
// what the families that hide there answer (Tasmota first when its name
// says so, else Shelly first).
func (p *prober) byContent(ctx context.Context) (Identity, bool) {
	if _, ok := p.service("_http._tcp"); !ok {
		return Identity{}, false
	}
	order := []func(context.Context) (Identity, bool){p.shelly, p.tasmota}
	if strings.HasPrefix(strings.ToLower(p.d.Host), "tasmota") {
		order = []func(context.Context) (Identity, bool){p.tasmota, p.shelly}
	}
	for _, try := range order {
		if id, ok := try(ctx); ok {
			return id, true
		}
	}
	return Identity{}, false
}
