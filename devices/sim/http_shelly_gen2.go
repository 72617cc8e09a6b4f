package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Shelly Gen2+ local API: JSON-RPC 2.0 over HTTP, as documented at
// shelly-api-docs.shelly.cloud/gen2:
//   - General/RPCProtocol: request frame {id, src, method, params}, response
//     frame {id, src, dst, result|error}; POST /rpc or GET /rpc/<Method>?<params>.
//   - ComponentsAndServices/Shelly: Shelly.GetStatus, GetConfig, ListMethods
//     (lists only what the caller may call), GetDeviceInfo, CheckForUpdate.
//   - General/Authentication: RFC 7616 digest with SHA-256; once enabled
//     everything is protected except Shelly.GetDeviceInfo and /shelly; user
//     is always "admin", realm is the device id; the 401 carries auth_type,
//     nonce, realm, algorithm (nc only over websocket). Challenge header as
//     devices send it (seen in client code, e.g. `Digest qop="auth",
//     realm="shelly1minig3-543204547478", nonce="1716556501", algorithm=SHA-256`).
//     Firmware before 2.0 uses a numeric nonce; this device runs 1.4.4.
//   - General/CommonErrors: error objects are {code, message}. An unknown
//     method answers code 404 "No handler for <Method>" (seen in client code:
//     aioshelly, openHAB tests); the HTTP status 404 for GET /rpc/<Method> and
//     200 for a POST /rpc frame carrying an error are (unverified).

func init() { familyHandlers[ShellyGen2] = newShellyGen2API }

// shellyGen2User is the only user Gen2 digest auth knows.
const shellyGen2User = "admin"

// shellyGen2NonceLife is how long an issued nonce is accepted.
const shellyGen2NonceLife = time.Hour

// Error codes: 401 and 404 as the devices send them; -32700 and -32600 are
// JSON-RPC 2.0's parse error and invalid request, which the Shelly docs do
// not list (unverified).
const (
	shellyRPCUnauthorized   = 401
	shellyRPCNoHandler      = 404
	shellyRPCParseError     = -32700
	shellyRPCInvalidRequest = -32600
)

// shellyGen2API serves one Gen2 device.
type shellyGen2API struct {
	d       *Device
	start   time.Time
	methods map[string]func(state) any
}

func newShellyGen2API(d *Device) http.Handler {
	a := &shellyGen2API{d: d, start: time.Now()}
	a.methods = map[string]func(state) any{
		"Shelly.GetDeviceInfo":  func(st state) any { return a.deviceInfo(st) },
		"Shelly.GetStatus":      func(st state) any { return a.status(st) },
		"Shelly.GetConfig":      func(state) any { return a.config() },
		"Shelly.ListMethods":    func(state) any { return a.listMethods() },
		"Shelly.CheckForUpdate": func(st state) any { return a.checkForUpdate(st) },
		"Sys.GetStatus":         func(st state) any { return a.sysStatus(st) },
		"Sys.GetConfig":         func(state) any { return a.config()["sys"] },
	}
	return apiBounded(a.serve)
}

// id is the device id: also its mDNS host name and its auth realm.
func (a *shellyGen2API) id() string { return a.d.Host }

// shellyRPCError is the error object of a response frame.
type shellyRPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// shellyRPCRequest is a parsed request frame.
type shellyRPCRequest struct {
	ID     json.RawMessage
	Src    string
	Method string
}

// parseShellyRPCFrame parses a POST /rpc body. Params are accepted (object
// or null) but not used: the simulated methods take none, and
// Shelly.GetDeviceInfo's optional ident is not simulated.
func parseShellyRPCFrame(body []byte) (shellyRPCRequest, *shellyRPCError) {
	var f struct {
		ID     json.RawMessage `json:"id"`
		Src    json.RawMessage `json:"src"`
		Method json.RawMessage `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(body, &f); err != nil || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return shellyRPCRequest{}, &shellyRPCError{Code: shellyRPCParseError, Message: "Parse error"}
	}
	var req shellyRPCRequest
	invalid := &shellyRPCError{Code: shellyRPCInvalidRequest, Message: "Invalid request frame"}
	switch id := bytes.TrimSpace(f.ID); {
	case len(id) == 0, string(id) == "null":
	case id[0] == '"' || id[0] == '-' || (id[0] >= '0' && id[0] <= '9'):
		req.ID = id
	default:
		return shellyRPCRequest{}, invalid
	}
	if len(f.Src) > 0 && string(f.Src) != "null" && json.Unmarshal(f.Src, &req.Src) != nil {
		return shellyRPCRequest{}, invalid
	}
	if json.Unmarshal(f.Method, &req.Method) != nil || req.Method == "" {
		return shellyRPCRequest{}, invalid
	}
	if p := bytes.TrimSpace(f.Params); len(p) > 0 && p[0] != '{' && string(p) != "null" {
		return shellyRPCRequest{}, invalid
	}
	return req, nil
}

func (a *shellyGen2API) serve(w http.ResponseWriter, r *http.Request) {
	st := a.d.apiSnapshot()
	switch {
	case r.URL.Path == "/shelly":
		apiJSON(w, http.StatusOK, a.deviceInfo(st))
	case r.URL.Path == "/rpc":
		a.serveFrame(w, r, st)
	case strings.HasPrefix(r.URL.Path, "/rpc/"):
		a.serveMethod(w, r, st, strings.TrimPrefix(r.URL.Path, "/rpc/"))
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
	}
}

// shellyRPCFrame is a response frame.
type shellyRPCFrame struct {
	ID     json.RawMessage `json:"id"`
	Src    string          `json:"src"`
	Dst    string          `json:"dst,omitempty"`
	Result any             `json:"result,omitempty"`
	Error  *shellyRPCError `json:"error,omitempty"`
}

// serveFrame answers POST /rpc with a JSON-RPC request frame in the body.
func (a *shellyGen2API) serveFrame(w http.ResponseWriter, r *http.Request, st state) {
	body, err := apiReadBody(r)
	if errors.Is(err, errAPIBodyTooLarge) {
		apiBody(w, http.StatusRequestEntityTooLarge, "text/plain", "Request Entity Too Large")
		return
	}
	req, perr := parseShellyRPCFrame(body)
	if err != nil || perr != nil {
		if perr == nil {
			perr = &shellyRPCError{Code: shellyRPCParseError, Message: "Parse error"}
		}
		apiJSON(w, http.StatusBadRequest, shellyRPCFrame{Src: a.id(), Error: perr})
		return
	}
	frame := shellyRPCFrame{ID: req.ID, Src: a.id(), Dst: req.Src}
	if !a.authorized(r, st, req.Method) {
		frame.Error = a.challenge(w)
		apiJSON(w, http.StatusUnauthorized, frame)
		return
	}
	frame.Result, frame.Error = a.call(req.Method, st)
	apiJSON(w, http.StatusOK, frame)
}

// serveMethod answers /rpc/<Method>: the result alone, or an error object.
func (a *shellyGen2API) serveMethod(w http.ResponseWriter, r *http.Request, st state, method string) {
	if !a.authorized(r, st, method) {
		apiJSON(w, http.StatusUnauthorized, a.challenge(w))
		return
	}
	result, rerr := a.call(method, st)
	if rerr != nil {
		apiJSON(w, http.StatusNotFound, rerr)
		return
	}
	apiJSON(w, http.StatusOK, result)
}

func (a *shellyGen2API) call(method string, st state) (any, *shellyRPCError) {
	m, ok := a.methods[method]
	if !ok {
		return nil, &shellyRPCError{Code: shellyRPCNoHandler, Message: "No handler for " + method}
	}
	return m(st), nil
}

// authorized reports whether the request may call method.
func (a *shellyGen2API) authorized(r *http.Request, st state, method string) bool {
	if !st.authEnabled || method == "Shelly.GetDeviceInfo" {
		return true
	}
	return digestSHA256OK(r, a.id(), shellyGen2User, st.password, shellyGen2NonceOK)
}

// shellyGen2NonceOK accepts the numeric nonces challenge issues (Unix
// seconds) for shellyGen2NonceLife.
func shellyGen2NonceOK(nonce string) bool {
	n, err := strconv.ParseInt(nonce, 10, 64)
	if err != nil {
		return false
	}
	age := time.Since(time.Unix(n, 0))
	return age >= -time.Minute && age <= shellyGen2NonceLife
}

// challenge sets the RFC 7616 challenge header and returns the 401 error
// object, whose message is the JSON the docs describe.
func (a *shellyGen2API) challenge(w http.ResponseWriter) *shellyRPCError {
	nonce := time.Now().Unix()
	w.Header().Set("WWW-Authenticate", `Digest qop="auth", realm="`+a.id()+`", nonce="`+
		strconv.FormatInt(nonce, 10)+`", algorithm=SHA-256`)
	msg, _ := json.Marshal(struct {
		AuthType  string `json:"auth_type"`
		Nonce     int64  `json:"nonce"`
		Realm     string `json:"realm"`
		Algorithm string `json:"algorithm"`
	}{"digest", nonce, a.id(), "SHA-256"})
	return &shellyRPCError{Code: shellyRPCUnauthorized, Message: string(msg)}
}

type shellyGen2DeviceInfo struct {
	Name         string  `json:"name"`
	ID           string  `json:"id"`
	MAC          string  `json:"mac"`
	Model        string  `json:"model"`
	Gen          int     `json:"gen"`
	FWID         string  `json:"fw_id"`
	Ver          string  `json:"ver"`
	App          string  `json:"app"`
	AuthEn       bool    `json:"auth_en"`
	AuthDomain   *string `json:"auth_domain"`
	Discoverable bool    `json:"discoverable"`
}

// fwID is the firmware id the device reports for its version.
func (a *shellyGen2API) fwID() string { return "20241011-114455/" + a.d.Firmware + "-g6d2a586" }

func (a *shellyGen2API) deviceInfo(st state) shellyGen2DeviceInfo {
	info := shellyGen2DeviceInfo{
		Name: a.d.Name, ID: a.id(), MAC: a.d.MAC, Model: a.d.Model, Gen: 2,
		FWID: a.fwID(), Ver: a.d.Firmware, App: a.d.apiTXT("app"), AuthEn: st.authEnabled,
		Discoverable: true,
	}
	if st.authEnabled {
		realm := a.id()
		info.AuthDomain = &realm
	}
	return info
}

type shellyGen2Version struct {
	Version string `json:"version"`
	BuildID string `json:"build_id,omitempty"`
}

type shellyGen2SysStatus struct {
	MAC              string                       `json:"mac"`
	RestartRequired  bool                         `json:"restart_required"`
	Time             string                       `json:"time"`
	Unixtime         int64                        `json:"unixtime"`
	Uptime           int64                        `json:"uptime"`
	RAMSize          int                          `json:"ram_size"`
	RAMFree          int                          `json:"ram_free"`
	FSSize           int                          `json:"fs_size"`
	FSFree           int                          `json:"fs_free"`
	CfgRev           int                          `json:"cfg_rev"`
	KVSRev           int                          `json:"kvs_rev"`
	ScheduleRev      int                          `json:"schedule_rev"`
	WebhookRev       int                          `json:"webhook_rev"`
	AvailableUpdates map[string]shellyGen2Version `json:"available_updates"`
	ResetReason      int                          `json:"reset_reason"`
}

func (a *shellyGen2API) sysStatus(st state) shellyGen2SysStatus {
	now := time.Now()
	s := shellyGen2SysStatus{
		MAC: a.d.MAC, Time: now.Format("15:04"), Unixtime: now.Unix(), Uptime: apiUptime(a.start),
		RAMSize: 260812, RAMFree: 113860, FSSize: 458752, FSFree: 135168,
		CfgRev: 10, AvailableUpdates: map[string]shellyGen2Version{}, ResetReason: 3,
	}
	if a.d.apiUpdateOffered(st) {
		s.AvailableUpdates["stable"] = shellyGen2Version{Version: st.latestFirmware}
	}
	return s
}

func (a *shellyGen2API) status(st state) map[string]any {
	return map[string]any{
		"ble":   map[string]any{},
		"cloud": map[string]any{"connected": false},
		"mqtt":  map[string]any{"connected": false},
		"switch:0": map[string]any{
			"id": 0, "source": "init", "output": false, "apower": 0.0, "voltage": 230.4,
			"current": 0.0, "aenergy": map[string]any{"total": 0.0, "by_minute": []float64{0, 0, 0}},
			"temperature": map[string]any{"tC": 31.6, "tF": 88.9},
		},
		"sys":  a.sysStatus(st),
		"wifi": map[string]any{"sta_ip": a.d.Addr.String(), "status": "got ip", "ssid": "Zuhause", "rssi": -61},
		"ws":   map[string]any{"connected": false},
	}
}

func (a *shellyGen2API) config() map[string]any {
	return map[string]any{
		"ble":   map[string]any{"enable": true, "rpc": map[string]any{"enable": true}},
		"cloud": map[string]any{"enable": true, "server": "shelly-103-eu.shelly.cloud:6022/jrpc"},
		"mqtt": map[string]any{"enable": false, "server": nil, "client_id": a.id(), "user": nil,
			"topic_prefix": a.id(), "rpc_ntf": true, "status_ntf": false},
		"switch:0": map[string]any{"id": 0, "name": nil, "initial_state": "restore_last",
			"auto_on": false, "auto_on_delay": 60.0, "auto_off": false, "auto_off_delay": 60.0},
		"sys": map[string]any{
			"device": map[string]any{"name": a.d.Name, "mac": a.d.MAC, "fw_id": a.fwID(),
				"discoverable": true, "eco_mode": false},
			// Personal data a real device holds: its location.
			"location": map[string]any{"tz": "Europe/Berlin", "lat": 52.52, "lon": 13.405},
			"ui_data":  map[string]any{},
			"sntp":     map[string]any{"server": "time.google.com"},
			"cfg_rev":  10,
		},
		"wifi": map[string]any{
			"ap": map[string]any{"ssid": "ShellyPlusPlugS-" + a.d.MAC, "is_open": true, "enable": false},
			"sta": map[string]any{"ssid": "Zuhause", "is_open": false, "enable": true, "ipv4mode": "dhcp",
				"ip": nil, "netmask": nil, "gw": nil, "nameserver": nil},
			"roam": map[string]any{"rssi_thr": -80, "interval": 60},
		},
		"ws": map[string]any{"enable": false, "server": nil, "ssl_ca": "ca.pem"},
	}
}

func (a *shellyGen2API) listMethods() map[string][]string {
	names := make([]string, 0, len(a.methods))
	for name := range a.methods {
		names = append(names, name)
	}
	slices.Sort(names)
	return map[string][]string{"methods": names}
}

func (a *shellyGen2API) checkForUpdate(st state) map[string]shellyGen2Version {
	offers := map[string]shellyGen2Version{}
	if a.d.apiUpdateOffered(st) {
		offers["stable"] = shellyGen2Version{Version: st.latestFirmware,
			BuildID: "20250101-000000/" + st.latestFirmware + "-g0000000"}
	}
	return offers
}
