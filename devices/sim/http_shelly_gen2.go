package sim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
//     (lists only what the caller may call), GetDeviceInfo, CheckForUpdate,
//     SetAuth, Update, FactoryReset, Reboot. Parameter facts as the typed
//     client jcodybaker/go-shelly (shelly.go) copies them from the docs:
//     SetAuth {user: must be "admin", realm: must be the device id, ha1:
//     SHA-256("user:realm:password") hex, null disables auth}; Update {stage:
//     "stable" (default) | "beta"} or {url}; Reboot {delay_ms: default 1000,
//     minimum 500}; SetAuth, FactoryReset and Reboot answer a null result.
//   - General/Authentication: RFC 7616 digest with SHA-256; once enabled
//     everything is protected except Shelly.GetDeviceInfo and /shelly; user
//     is always "admin", realm is the device id; the 401 carries auth_type,
//     nonce, realm, algorithm (nc only over websocket). Challenge header as
//     devices send it (seen in client code, e.g. `Digest qop="auth",
//     realm="shelly1minig3-543204547478", nonce="1716556501", algorithm=SHA-256`).
//     Firmware before 2.0 uses a numeric nonce; this device runs 1.4.4. The
//     device keeps only ha1, so the digest is checked against the stored ha1.
//   - General/CommonErrors: error objects are {code, message}; -103 INVALID
//     ARGUMENT when the parameters do not match the method. An unknown
//     method answers code 404 "No handler for <Method>" (seen in client code:
//     aioshelly, openHAB tests). A GET /rpc/<Method> with a -103 error
//     answers HTTP 400 (node-red-contrib-shelly #195); the HTTP status 404
//     for an unknown method, 500 for other errors and 200 for a POST /rpc
//     frame carrying an error are (unverified).
//   - Between Shelly.Reboot and the restart, calls answer error -109
//     "shutting down in <n> ms" (a device's answer quoted in a Go client's
//     comments, shellyplus1 over MQTT).
//   - GET parameters are JSON values (`?id=0&on=true`); a value that is not
//     JSON is taken as a string, so `?stage=stable` works as clients send it
//     (fermayo/shelly-bulk-update).
//
// Simplifications, marked where made: the error messages for bad arguments
// and for an update when none is offered are (unverified); a device that
// was reset comes back on its lab address instead of its own access point
// (192.168.33.1), answering as an unconfigured device does there; Update
// {url} and the beta stage are not simulated (no beta is offered); the mDNS
// TXT "ver" keeps the version the device booted the lab with.

func init() { familyHandlers[ShellyGen2] = newShellyGen2API }

// shellyGen2User is the only user Gen2 digest auth knows.
const shellyGen2User = "admin"

// shellyGen2NonceLife is how long an issued nonce is accepted.
const shellyGen2NonceLife = time.Hour

// GartenpumpePassword is the password of the home household's "Gartenpumpe",
// a Shelly Gen2 whose auth is on from the start, so that drivers can be
// tested against a device whose password is set. It is a simulated device's
// password: the lab manifest never contains it.
const GartenpumpePassword = "Gartenpumpe-Lab-7"

// Error codes: 401 and 404 as the devices send them; -103, -109 and -114
// from General/CommonErrors; -32700 and -32600 are JSON-RPC 2.0's parse
// error and invalid request, which the Shelly docs do not list (unverified).
const (
	shellyRPCUnauthorized       = 401
	shellyRPCNoHandler          = 404
	shellyRPCInvalidArgument    = -103
	shellyRPCFailedPrecondition = -109
	shellyRPCUnavailable        = -114
	shellyRPCParseError         = -32700
	shellyRPCInvalidRequest     = -32600
)

// shellyGen2MinRebootDelay is the floor Shelly.Reboot puts on delay_ms.
const shellyGen2MinRebootDelay = 500 * time.Millisecond

// shellyRPCNull is the null result of SetAuth, Update, FactoryReset, Reboot.
var shellyRPCNull = json.RawMessage("null")

// shellyGen2State is what a Gen2 device's write side remembers.
type shellyGen2State struct {
	// ha1 is SHA-256("admin:<id>:<password>") in lower-case hex, as
	// Shelly.SetAuth stores it; "" when auth was never set that way.
	ha1 string
	// updateUntil is when a running update stops flashing and restarts.
	updateUntil time.Time
	// shutdownAt is when an accepted Shelly.Reboot takes the device down.
	shutdownAt time.Time
	// unconfigured is set by a factory reset.
	unconfigured bool
}

// withShellyGen2Password turns a Gen2 device's auth on with password, as
// Shelly.SetAuth would, keeping only ha1. It returns d, for household builders.
func withShellyGen2Password(d *Device, password string) *Device {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.authEnabled = true
	d.state.life.gen2.ha1 = digestSHA256Hex(shellyGen2User + ":" + d.Host + ":" + password)
	return d
}

// shellyGen2Params are the parameters of a call, by name.
type shellyGen2Params map[string]json.RawMessage

// str returns a string parameter: a JSON string, or the literal text of a
// JSON number (a GET value of digits only parses as one).
func (p shellyGen2Params) str(name string) (string, bool) {
	raw, ok := p[name]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// isNull reports whether the parameter is present and JSON null.
func (p shellyGen2Params) isNull(name string) bool {
	raw, ok := p[name]
	return ok && string(bytes.TrimSpace(raw)) == "null"
}

// shellyGen2Method answers one RPC method.
type shellyGen2Method func(st state, p shellyGen2Params, now time.Time) (any, *shellyRPCError)

// shellyGen2API serves one Gen2 device.
type shellyGen2API struct {
	d       *Device
	start   time.Time
	methods map[string]shellyGen2Method
}

func newShellyGen2API(d *Device) http.Handler {
	a := &shellyGen2API{d: d, start: d.now()}
	read := func(f func(state) any) shellyGen2Method {
		return func(st state, _ shellyGen2Params, _ time.Time) (any, *shellyRPCError) { return f(st), nil }
	}
	a.methods = map[string]shellyGen2Method{
		"Shelly.GetDeviceInfo":  read(func(st state) any { return a.deviceInfo(st) }),
		"Shelly.GetStatus":      read(func(st state) any { return a.status(st) }),
		"Shelly.GetConfig":      read(func(st state) any { return a.config(st) }),
		"Shelly.ListMethods":    read(func(state) any { return a.listMethods() }),
		"Shelly.CheckForUpdate": read(func(st state) any { return a.checkForUpdate(st) }),
		"Sys.GetStatus":         read(func(st state) any { return a.sysStatus(st) }),
		"Sys.GetConfig":         read(func(st state) any { return a.config(st)["sys"] }),
		"Shelly.SetAuth":        a.setAuth,
		"Shelly.Update":         a.update,
		"Shelly.FactoryReset":   a.factoryReset,
		"Shelly.Reboot":         a.reboot,
	}
	return apiBounded(lifeGate(d, a.serve))
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
	Params shellyGen2Params
}

// parseShellyRPCFrame parses a POST /rpc body: params must be an object or
// null (or absent).
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
	if p := bytes.TrimSpace(f.Params); len(p) > 0 && string(p) != "null" {
		if p[0] != '{' || json.Unmarshal(p, &req.Params) != nil {
			return shellyRPCRequest{}, invalid
		}
	}
	return req, nil
}

// shellyGen2QueryParams turns GET /rpc/<Method> query parameters into call
// parameters: JSON values as they are, anything else as a string.
func shellyGen2QueryParams(r *http.Request) shellyGen2Params {
	p := shellyGen2Params{}
	for name, values := range r.URL.Query() {
		v := values[0]
		if json.Valid([]byte(v)) {
			p[name] = json.RawMessage(v)
			continue
		}
		quoted, _ := json.Marshal(v) // a string always marshals
		p[name] = quoted
	}
	return p
}

func (a *shellyGen2API) serve(w http.ResponseWriter, r *http.Request) {
	now := a.d.now()
	st := a.d.lifeSnapshot(now)
	switch {
	case r.URL.Path == "/shelly":
		apiJSON(w, http.StatusOK, a.deviceInfo(st))
	case r.URL.Path == "/rpc":
		a.serveFrame(w, r, st, now)
	case strings.HasPrefix(r.URL.Path, "/rpc/"):
		a.serveMethod(w, r, st, now, strings.TrimPrefix(r.URL.Path, "/rpc/"))
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
func (a *shellyGen2API) serveFrame(w http.ResponseWriter, r *http.Request, st state, now time.Time) {
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
	frame.Result, frame.Error = a.call(req.Method, st, req.Params, now)
	apiJSON(w, http.StatusOK, frame)
}

// serveMethod answers /rpc/<Method>: the result alone, or an error object.
// Parameters come from the query, or from a JSON object body.
func (a *shellyGen2API) serveMethod(w http.ResponseWriter, r *http.Request, st state, now time.Time, method string) {
	params := shellyGen2QueryParams(r)
	body, err := apiReadBody(r)
	if errors.Is(err, errAPIBodyTooLarge) {
		apiBody(w, http.StatusRequestEntityTooLarge, "text/plain", "Request Entity Too Large")
		return
	}
	if b := bytes.TrimSpace(body); len(b) > 0 {
		var fromBody shellyGen2Params
		if b[0] != '{' || json.Unmarshal(b, &fromBody) != nil {
			apiJSON(w, http.StatusBadRequest, &shellyRPCError{Code: shellyRPCParseError, Message: "Parse error"})
			return
		}
		for k, v := range fromBody {
			params[k] = v
		}
	}
	if !a.authorized(r, st, method) {
		apiJSON(w, http.StatusUnauthorized, a.challenge(w))
		return
	}
	result, rerr := a.call(method, st, params, now)
	switch {
	case rerr == nil:
		apiJSON(w, http.StatusOK, result)
	case rerr.Code == shellyRPCNoHandler:
		apiJSON(w, http.StatusNotFound, rerr)
	case rerr.Code == shellyRPCInvalidArgument:
		apiJSON(w, http.StatusBadRequest, rerr)
	default:
		apiJSON(w, http.StatusInternalServerError, rerr) // (unverified)
	}
}

func (a *shellyGen2API) call(method string, st state, p shellyGen2Params, now time.Time) (any, *shellyRPCError) {
	if at := st.life.gen2.shutdownAt; now.Before(at) {
		ms := max(at.Sub(now).Milliseconds(), 1)
		return nil, &shellyRPCError{Code: shellyRPCFailedPrecondition, Message: fmt.Sprintf("shutting down in %d ms", ms)}
	}
	m, ok := a.methods[method]
	if !ok {
		return nil, &shellyRPCError{Code: shellyRPCNoHandler, Message: "No handler for " + method}
	}
	if p == nil {
		p = shellyGen2Params{}
	}
	result, rerr := m(st, p, now)
	if rerr == nil && result == nil {
		result = shellyRPCNull
	}
	return result, rerr
}

// authorized reports whether the request may call method.
func (a *shellyGen2API) authorized(r *http.Request, st state, method string) bool {
	if !st.authEnabled || method == "Shelly.GetDeviceInfo" {
		return true
	}
	return digestSHA256HA1OK(r, a.id(), shellyGen2User, shellyGen2HA1(st, a.id()),
		func(nonce string) bool { return shellyGen2NonceOK(nonce, a.d.now()) })
}

// shellyGen2HA1 is the HA1 the device checks digests against: the one
// Shelly.SetAuth stored or, for a password set directly (tests), its hash.
func shellyGen2HA1(st state, realm string) string {
	if st.password != "" {
		return digestSHA256Hex(shellyGen2User + ":" + realm + ":" + st.password)
	}
	return st.life.gen2.ha1
}

// shellyGen2NonceOK accepts the numeric nonces challenge issues (Unix
// seconds) for shellyGen2NonceLife.
func shellyGen2NonceOK(nonce string, now time.Time) bool {
	n, err := strconv.ParseInt(nonce, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(n, 0))
	return age >= -time.Minute && age <= shellyGen2NonceLife
}

// challenge sets the RFC 7616 challenge header and returns the 401 error
// object, whose message is the JSON the docs describe.
func (a *shellyGen2API) challenge(w http.ResponseWriter) *shellyRPCError {
	nonce := a.d.now().Unix()
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

// shellyGen2InvalidArgument is the -103 error for a parameter; the wording
// follows answers real devices gave in client code ("Argument 'id' is
// missing"), the rest is (unverified).
func shellyGen2InvalidArgument(name, problem string) *shellyRPCError {
	return &shellyRPCError{Code: shellyRPCInvalidArgument, Message: "Argument '" + name + "' " + problem}
}

// setAuth is Shelly.SetAuth: ha1 for user "admin" in realm <device id>, or
// null to turn auth off. The password itself never reaches the device.
func (a *shellyGen2API) setAuth(_ state, p shellyGen2Params, _ time.Time) (any, *shellyRPCError) {
	user, ok := p.str("user")
	switch {
	case !ok:
		return nil, shellyGen2InvalidArgument("user", "is missing")
	case user != shellyGen2User:
		return nil, shellyGen2InvalidArgument("user", "must be "+shellyGen2User)
	}
	realm, ok := p.str("realm")
	switch {
	case !ok:
		return nil, shellyGen2InvalidArgument("realm", "is missing")
	case realm != a.id():
		return nil, shellyGen2InvalidArgument("realm", "must be the device id")
	}
	var ha1 string
	if !p.isNull("ha1") {
		v, ok := p.str("ha1")
		if !ok {
			return nil, shellyGen2InvalidArgument("ha1", "is missing")
		}
		if b, err := hex.DecodeString(v); err != nil || len(b) != 32 {
			return nil, shellyGen2InvalidArgument("ha1", "must be a SHA-256 in hex")
		}
		ha1 = strings.ToLower(v)
	}
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.authEnabled, d.state.password, d.state.life.gen2.ha1 = ha1 != "", "", ha1
	return nil, nil
}

// update is Shelly.Update: flash the offered stable firmware, restart,
// come back running it.
func (a *shellyGen2API) update(st state, p shellyGen2Params, now time.Time) (any, *shellyRPCError) {
	if _, ok := p["url"]; ok {
		return nil, shellyGen2InvalidArgument("url", "is not simulated") // simulator limit
	}
	stage := "stable"
	if _, ok := p["stage"]; ok {
		if stage, ok = p.str("stage"); !ok || (stage != "stable" && stage != "beta") {
			return nil, shellyGen2InvalidArgument("stage", "must be stable or beta")
		}
	}
	if stage != "stable" || !apiUpdateOfferedTo(st.life.firmware, st) {
		// Code and text for "nothing to update to" are (unverified).
		return nil, &shellyRPCError{Code: shellyRPCUnavailable, Message: "No " + stage + " update available"}
	}
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if now.Before(d.state.life.gen2.updateUntil) {
		return nil, &shellyRPCError{Code: shellyRPCFailedPrecondition, Message: "Update in progress"} // (unverified)
	}
	d.state.life.gen2.updateUntil = d.lifeUpdateLocked(now, lifeInstallLatest)
	return nil, nil
}

// factoryReset is Shelly.FactoryReset: the device wipes its settings, drops
// off the network and comes back unconfigured, auth off.
func (a *shellyGen2API) factoryReset(_ state, _ shellyGen2Params, now time.Time) (any, *shellyRPCError) {
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.authEnabled, d.state.password = false, ""
	d.state.life.gen2 = shellyGen2State{unconfigured: true}
	d.lifeFactoryResetLocked(now, nil)
	return nil, nil
}

// reboot is Shelly.Reboot: after delay_ms (default 1000, at least 500; the
// default is the device's Timing.RebootDelay) the device restarts.
func (a *shellyGen2API) reboot(_ state, p shellyGen2Params, now time.Time) (any, *shellyRPCError) {
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	delay := d.lifeTimingLocked().RebootDelay
	if raw, ok := p["delay_ms"]; ok && !p.isNull("delay_ms") {
		var ms float64
		if json.Unmarshal(raw, &ms) != nil {
			return nil, shellyGen2InvalidArgument("delay_ms", "must be a number")
		}
		delay = max(time.Duration(ms*float64(time.Millisecond)), shellyGen2MinRebootDelay)
	}
	at := now.Add(delay)
	d.state.life.gen2.shutdownAt = at
	d.lifeRebootLocked(at, func(d *Device, _ time.Time) { d.state.life.gen2.shutdownAt = time.Time{} })
	return nil, nil
}

type shellyGen2DeviceInfo struct {
	Name         *string `json:"name"`
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

// shellyGen2FWID is the firmware id a device reports for version ver.
func shellyGen2FWID(ver string) string { return "20241011-114455/" + ver + "-g6d2a586" }

// name is the device name: none after a factory reset.
func (a *shellyGen2API) name(st state) *string {
	if st.life.gen2.unconfigured {
		return nil
	}
	name := a.d.Name
	return &name
}

func (a *shellyGen2API) deviceInfo(st state) shellyGen2DeviceInfo {
	info := shellyGen2DeviceInfo{
		Name: a.name(st), ID: a.id(), MAC: a.d.MAC, Model: a.d.Model, Gen: 2,
		FWID: shellyGen2FWID(st.life.firmware), Ver: st.life.firmware, App: a.d.apiTXT("app"), AuthEn: st.authEnabled,
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
	now := a.d.now()
	s := shellyGen2SysStatus{
		MAC: a.d.MAC, Time: now.Format("15:04"), Unixtime: now.Unix(), Uptime: lifeUptime(st, a.start, now),
		RAMSize: 260812, RAMFree: 113860, FSSize: 458752, FSFree: 135168,
		CfgRev: 10, AvailableUpdates: map[string]shellyGen2Version{}, ResetReason: 3,
	}
	if apiUpdateOfferedTo(st.life.firmware, st) {
		s.AvailableUpdates["stable"] = shellyGen2Version{Version: st.latestFirmware}
	}
	return s
}

func (a *shellyGen2API) status(st state) map[string]any {
	wifi := map[string]any{"sta_ip": a.d.Addr.String(), "status": "got ip", "ssid": "Zuhause", "rssi": -61}
	if st.life.gen2.unconfigured {
		// Serving its own access point, connected to no network (field
		// values of this state are (unverified)).
		wifi = map[string]any{"sta_ip": nil, "status": "disconnected", "ssid": nil, "rssi": 0, "ap_client_count": 1}
	}
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
		"wifi": wifi,
		"ws":   map[string]any{"connected": false},
	}
}

func (a *shellyGen2API) config(st state) map[string]any {
	cfg := map[string]any{
		"ble":   map[string]any{"enable": true, "rpc": map[string]any{"enable": true}},
		"cloud": map[string]any{"enable": true, "server": "shelly-103-eu.shelly.cloud:6022/jrpc"},
		"mqtt": map[string]any{"enable": false, "server": nil, "client_id": a.id(), "user": nil,
			"topic_prefix": a.id(), "rpc_ntf": true, "status_ntf": false},
		"switch:0": map[string]any{"id": 0, "name": nil, "initial_state": "restore_last",
			"auto_on": false, "auto_on_delay": 60.0, "auto_off": false, "auto_off_delay": 60.0},
		"sys": map[string]any{
			"device": map[string]any{"name": a.name(st), "mac": a.d.MAC, "fw_id": shellyGen2FWID(st.life.firmware),
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
	if st.life.gen2.unconfigured {
		// Factory defaults: own access point on, no network, no location,
		// no cloud (default values (unverified)).
		cfg["cloud"].(map[string]any)["enable"] = false
		sys := cfg["sys"].(map[string]any)
		sys["location"] = map[string]any{"tz": nil, "lat": nil, "lon": nil}
		sys["cfg_rev"] = 0
		wifi := cfg["wifi"].(map[string]any)
		wifi["ap"].(map[string]any)["enable"] = true
		wifi["sta"] = map[string]any{"ssid": nil, "is_open": true, "enable": false, "ipv4mode": "dhcp",
			"ip": nil, "netmask": nil, "gw": nil, "nameserver": nil}
	}
	return cfg
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
	if apiUpdateOfferedTo(st.life.firmware, st) {
		offers["stable"] = shellyGen2Version{Version: st.latestFirmware,
			BuildID: "20250101-000000/" + st.latestFirmware + "-g0000000"}
	}
	return offers
}
