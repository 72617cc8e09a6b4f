package sim

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Philips Hue bridge, local API v1 over HTTP port 80.
//   - GET /api/config without a whitelisted user returns name,
//     datastoreversion, swversion, apiversion, mac, bridgeid, factorynew,
//     replacesbridgeid, modelid, starterkitid (documented by Philips as
//     allowed for non-whitelisted users; HueSDK types; Q42.HueApi #126). A
//     real bridge answers the same for /api/<unknown user>/config, and
//     /api/<unknown user>[/<resource>] gives error type 1 "unauthorized
//     user" with the resource as address, "/" for the bare user; GET /api
//     gives type 4 (diyhue/diyHue issue #293 quoting a real bridge; address
//     "/lights" seen in entrippy/OctoPrint-OctoHue #36).
//   - POST /api {"devicetype":"<app>#<device>"}: without the link button
//     pressed, error type 101 "link button not pressed" with address ""; in
//     the 30 seconds after the physical link button was pressed, the bridge
//     whitelists a new user and answers [{"success":{"username":<key>}}],
//     plus "clientkey" when the body asks "generateclientkey":true (Hue
//     "getting started" docs; device-apis.md §3.6). devicetype is at most 40
//     characters (the Hue API reference gives 0..20#0..19).
//   - With a whitelisted user, GET /api/<user>/config returns the whole
//     config, including whitelist and swupdate2 {checkforupdate, lastchange,
//     bridge {state, lastinstall}, state (noupdates | transferring |
//     anyreadytoinstall | allreadytoinstall | installing), autoinstall
//     {updatetime, on}} (device-apis.md §3.6, gist zenware example); PUT
//     /api/<user>/config {"swupdate2":{"install":true}} installs what is
//     ready: the state is "installing", the bridge restarts, and comes back
//     with the new swversion. PUT answers [{"success":{"/config/<path>":
//     <value>}}] per value.
//   - GET /description.xml: the UPnP description BSB002 bridges serve
//     (modelName "Philips hue bridge 2015", modelNumber BSB002, serial = MAC,
//     UDN uuid:2f402f80-da50-11e1-9b23-<mac>; Burgestrand/hue-api and
//     emulators copying the real document).
// Error descriptions for invalid bodies (types 2, 5, 6 and 7), the answer
// to an install when nothing is ready, the user name format (40 characters
// of [0-9A-Za-z-], as current bridges hand out) and the bridge-level state
// names (noupdates, readytoinstall, installing) are (unverified). A bridge
// has no network factory reset (only its button): none is simulated.

func init() { familyHandlers[HueBridge] = newHueAPI }

// hueState is what a bridge's write side remembers.
type hueState struct {
	// linkUntil is when the link button window closes.
	linkUntil time.Time
	// users is the whitelist; replaced, never changed in place, since
	// snapshots share it.
	users map[string]hueUser
	// installUntil is when a running software install restarts the bridge.
	installUntil time.Time
	// lastInstall is when the bridge last installed software.
	lastInstall time.Time
}

// hueUser is one whitelist entry.
type hueUser struct {
	name    string
	created time.Time
}

// hueMaxDeviceType bounds devicetype: <application 0..20>#<device 0..19>.
const hueMaxDeviceType = 40

// PressLinkButton presses a simulated Hue bridge's physical link button:
// for the next 30 seconds (Timing.LinkButton) POST /api whitelists new
// users. It does nothing on devices of other families.
func (d *Device) PressLinkButton() {
	if d.Family != HueBridge {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.life.hue.linkUntil = d.now().Add(d.lifeTimingLocked().LinkButton)
}

// hueAPI serves one bridge.
type hueAPI struct{ d *Device }

func newHueAPI(d *Device) http.Handler {
	a := &hueAPI{d: d}
	return apiBounded(lifeGate(d, a.serve))
}

// hueError is one element of a v1 error array.
type hueError struct {
	Type        int    `json:"type"`
	Address     string `json:"address"`
	Description string `json:"description"`
}

func hueErrorReply(w http.ResponseWriter, e hueError) {
	apiJSON(w, http.StatusOK, []map[string]hueError{{"error": e}})
}

func (a *hueAPI) serve(w http.ResponseWriter, r *http.Request) {
	now := a.d.now()
	st := a.d.lifeSnapshot(now)
	path := r.URL.Path
	switch {
	case path == "/description.xml":
		a.description(w)
	case path == "/api" || path == "/api/":
		if r.Method == http.MethodPost {
			a.createUser(w, r, now)
			return
		}
		hueErrorReply(w, hueError{Type: 4, Address: "/",
			Description: "method, " + r.Method + ", not available for resource, /"})
	case strings.HasPrefix(path, "/api/"):
		user, resource, _ := strings.Cut(strings.TrimPrefix(path, "/api/"), "/")
		resource = strings.TrimSuffix(resource, "/")
		if _, ok := st.life.hue.users[user]; ok && user != "" {
			a.serveUser(w, r, st, now, resource)
			return
		}
		if (resource == "config" || user == "config" && resource == "") && r.Method == http.MethodGet {
			apiJSON(w, http.StatusOK, a.config(st))
			return
		}
		// Not whitelisted: pairing needs the physical link button.
		hueErrorReply(w, hueError{Type: 1, Address: "/" + resource, Description: "unauthorized user"})
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
	}
}

// createUser answers POST /api: a new user while the link button window
// is open, error 101 otherwise.
func (a *hueAPI) createUser(w http.ResponseWriter, r *http.Request, now time.Time) {
	body, err := apiReadBody(r)
	var req struct {
		DeviceType        *string `json:"devicetype"`
		GenerateClientKey bool    `json:"generateclientkey"`
	}
	switch {
	case err != nil || json.Unmarshal(body, &req) != nil:
		hueErrorReply(w, hueError{Type: 2, Address: "/", Description: "body contains invalid json"})
		return
	case req.DeviceType == nil || *req.DeviceType == "":
		hueErrorReply(w, hueError{Type: 5, Address: "/", Description: "invalid/missing parameters in body"})
		return
	case len(*req.DeviceType) > hueMaxDeviceType:
		hueErrorReply(w, hueError{Type: 7, Address: "/devicetype",
			Description: "invalid value, " + *req.DeviceType + ", for parameter, devicetype"})
		return
	}
	d := a.d
	d.mu.Lock()
	if !now.Before(d.state.life.hue.linkUntil) {
		d.mu.Unlock()
		hueErrorReply(w, hueError{Type: 101, Address: "", Description: "link button not pressed"})
		return
	}
	key := hueRandom("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-", 40)
	users := make(map[string]hueUser, len(d.state.life.hue.users)+1)
	for k, v := range d.state.life.hue.users {
		users[k] = v
	}
	users[key] = hueUser{name: *req.DeviceType, created: now}
	d.state.life.hue.users = users
	d.mu.Unlock()
	success := map[string]string{"username": key}
	if req.GenerateClientKey {
		success["clientkey"] = hueRandom("0123456789ABCDEF", 32)
	}
	apiJSON(w, http.StatusOK, []map[string]map[string]string{{"success": success}})
}

// hueRandom returns n random characters of alphabet.
func hueRandom(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// serveUser answers a whitelisted user's request for resource.
func (a *hueAPI) serveUser(w http.ResponseWriter, r *http.Request, st state, now time.Time, resource string) {
	switch {
	case resource == "" && r.Method == http.MethodGet:
		empty := map[string]any{}
		apiJSON(w, http.StatusOK, map[string]any{"config": a.fullConfig(st, now), "lights": empty, "groups": empty,
			"schedules": empty, "scenes": empty, "rules": empty, "sensors": empty, "resourcelinks": empty})
	case resource == "config" && r.Method == http.MethodGet:
		apiJSON(w, http.StatusOK, a.fullConfig(st, now))
	case resource == "config" && r.Method == http.MethodPut:
		a.putConfig(w, r, st, now)
	case slices.Contains([]string{"lights", "groups", "schedules", "scenes", "rules", "sensors", "resourcelinks"}, resource):
		if r.Method != http.MethodGet {
			hueErrorReply(w, hueError{Type: 4, Address: "/" + resource,
				Description: "method, " + r.Method + ", not available for resource, /" + resource})
			return
		}
		apiJSON(w, http.StatusOK, map[string]any{}) // a bridge with nothing paired
	default:
		hueErrorReply(w, hueError{Type: 3, Address: "/" + resource,
			Description: "resource, /" + resource + ", not available"})
	}
}

// putConfig answers PUT /api/<user>/config; only swupdate2's install and
// checkforupdate are simulated.
func (a *hueAPI) putConfig(w http.ResponseWriter, r *http.Request, st state, now time.Time) {
	body, err := apiReadBody(r)
	var req map[string]json.RawMessage
	if err != nil || json.Unmarshal(body, &req) != nil || req == nil {
		hueErrorReply(w, hueError{Type: 2, Address: "/config", Description: "body contains invalid json"})
		return
	}
	var replies []map[string]any
	fail := func(e hueError) { replies = append(replies, map[string]any{"error": e}) }
	for key, raw := range req {
		if key != "swupdate2" {
			fail(hueError{Type: 6, Address: "/config/" + key, Description: "parameter, " + key + ", not available"})
			continue
		}
		var sw map[string]json.RawMessage
		if json.Unmarshal(raw, &sw) != nil {
			fail(hueError{Type: 7, Address: "/config/swupdate2", Description: "invalid value, " + string(raw) + ", for parameter, swupdate2"})
			continue
		}
		for k, v := range sw {
			addr := "/config/swupdate2/" + k
			var on bool
			if (k != "install" && k != "checkforupdate") || json.Unmarshal(v, &on) != nil {
				fail(hueError{Type: 6, Address: addr, Description: "parameter, " + k + ", not available"})
				continue
			}
			if k == "install" && on && !a.install(now) {
				fail(hueError{Type: 7, Address: addr, Description: "invalid value, true, for parameter, install"})
				continue
			}
			replies = append(replies, map[string]any{"success": map[string]bool{addr: on}})
		}
	}
	apiJSON(w, http.StatusOK, replies)
}

// install starts installing the software that is ready; false when
// nothing is ready (or an install runs already).
func (a *hueAPI) install(now time.Time) bool {
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	h := &d.state.life.hue
	if !apiUpdateOfferedTo(d.Firmware, d.state) || now.Before(h.installUntil) {
		return false
	}
	h.installUntil = d.lifeUpdateLocked(now, func(d *Device) {
		lifeInstallLatest(d)
		d.state.life.hue.lastInstall = d.now()
	})
	return true
}

type hueConfig struct {
	Name             string  `json:"name"`
	DatastoreVersion string  `json:"datastoreversion"`
	SWVersion        string  `json:"swversion"`
	APIVersion       string  `json:"apiversion"`
	MAC              string  `json:"mac"`
	BridgeID         string  `json:"bridgeid"`
	FactoryNew       bool    `json:"factorynew"`
	ReplacesBridgeID *string `json:"replacesbridgeid"`
	ModelID          string  `json:"modelid"`
	StarterKitID     string  `json:"starterkitid"`
}

// hueBridgeID is the bridge id: the MAC with FFFE in the middle (EUI-64).
func (a *hueAPI) bridgeID() string { return a.d.MAC[:6] + "FFFE" + a.d.MAC[6:] }

// config is what any client may read.
func (a *hueAPI) config(st state) hueConfig {
	fw := st.life.firmware
	return hueConfig{
		Name: a.d.Name, DatastoreVersion: "166", SWVersion: fw,
		APIVersion: hueAPIVersion(fw), MAC: strings.ToLower(a.d.apiMAC(":")),
		BridgeID: a.bridgeID(), ModelID: a.d.Model,
	}
}

// hueTime formats a time as the v1 API does (UTC, no zone).
func hueTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// fullConfig is what a whitelisted user reads.
func (a *hueAPI) fullConfig(st state, now time.Time) map[string]any {
	c := a.config(st)
	h := st.life.hue
	swState, bridgeState := "noupdates", "noupdates"
	switch {
	case now.Before(h.installUntil):
		swState, bridgeState = "installing", "installing"
	case apiUpdateOfferedTo(st.life.firmware, st):
		swState, bridgeState = "anyreadytoinstall", "readytoinstall"
	}
	lastInstall := time.Date(2024, 3, 12, 2, 41, 0, 0, time.UTC)
	if !h.lastInstall.IsZero() {
		lastInstall = h.lastInstall
	}
	whitelist := map[string]any{}
	for key, u := range h.users {
		whitelist[key] = map[string]string{"last use date": hueTime(now), "create date": hueTime(u.created), "name": u.name}
	}
	return map[string]any{
		"name": c.Name, "zigbeechannel": 25, "bridgeid": c.BridgeID, "mac": c.MAC, "dhcp": true,
		"ipaddress": a.d.Addr.String(), "netmask": "255.255.255.0", "gateway": "192.168.1.1",
		"proxyaddress": "none", "proxyport": 0, "UTC": hueTime(now), "localtime": now.Local().Format("2006-01-02T15:04:05"),
		"timezone": "Europe/Berlin", "modelid": c.ModelID, "datastoreversion": c.DatastoreVersion,
		"swversion": c.SWVersion, "apiversion": c.APIVersion,
		"swupdate2": map[string]any{
			"checkforupdate": false, "lastchange": hueTime(lastInstall),
			"bridge":      map[string]string{"state": bridgeState, "lastinstall": hueTime(lastInstall)},
			"state":       swState,
			"autoinstall": map[string]any{"updatetime": "T14:00:00", "on": false},
		},
		"linkbutton": now.Before(h.linkUntil), "portalservices": true, "portalconnection": "connected",
		"factorynew": c.FactoryNew, "replacesbridgeid": c.ReplacesBridgeID,
		"backup":       map[string]any{"status": "idle", "errorcode": 0},
		"starterkitid": c.StarterKitID, "whitelist": whitelist,
	}
}

// hueAPIVersion derives the API version from a BSB002 software version:
// swversion 19XXyyyzzz goes with apiversion 1.XX.0 (e.g. 1967054020 → 1.67.0).
func hueAPIVersion(sw string) string {
	if len(sw) != 10 || !strings.HasPrefix(sw, "19") {
		return "1.67.0"
	}
	return "1." + strings.TrimPrefix(sw[2:4], "0") + ".0"
}

func (a *hueAPI) description(w http.ResponseWriter) {
	addr := a.d.Addr.String()
	serial := strings.ToLower(a.d.MAC)
	doc := `<?xml version="1.0" encoding="UTF-8" ?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
<specVersion>
<major>1</major>
<minor>0</minor>
</specVersion>
<URLBase>http://` + addr + `:80/</URLBase>
<device>
<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>
<friendlyName>` + apiXMLEscape(a.d.Name+" ("+addr+")") + `</friendlyName>
<manufacturer>Signify</manufacturer>
<manufacturerURL>http://www.philips-hue.com</manufacturerURL>
<modelDescription>Philips hue Personal Wireless Lighting</modelDescription>
<modelName>Philips hue bridge 2015</modelName>
<modelNumber>` + a.d.Model + `</modelNumber>
<modelURL>http://www.philips-hue.com</modelURL>
<serialNumber>` + serial + `</serialNumber>
<UDN>uuid:2f402f80-da50-11e1-9b23-` + serial + `</UDN>
<presentationURL>index.html</presentationURL>
<iconList>
<icon>
<mimetype>image/png</mimetype>
<height>48</height>
<width>48</width>
<depth>24</depth>
<url>hue_logo_0.png</url>
</icon>
</iconList>
</device>
</root>
`
	apiBody(w, http.StatusOK, "text/xml", doc)
}
