package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WLED JSON API, as documented in wled/WLED-Docs docs/interfaces/json-api.md:
// GET /json = {state, info, effects, palettes}; /json/state, /json/info,
// /json/eff, /json/pal separately. No authentication for reads ("anyone
// having network access ... has permissions for any operation"). Info fields:
// brand is always "WLED", product "FOSS" for standard installations, mac is
// lower-case hex without colons, ip the instance's address. A POST of a
// JSON object to /json or /json/state answers {"success":true} ({"v":true}:
// the state); "rb":true reboots; a body that is not a JSON object answers
// 400 {"error":9} (ERR_JSON in const.h, (unverified)).
//
// The security model, from wled/WLED wled00 (wled_server.cpp serveSettings,
// set.cpp handleSettingsSet SUBPAGE_SEC, util.cpp checkSettingsPIN) and the
// docs (features/settings.md, advanced/ota-lock.md):
//   - Settings PIN (4 characters; "0000" is the form's placeholder and is
//     ignored, "" removes the PIN): while a PIN is set and settings are
//     locked, every settings page answers the PIN page with status 401, and
//     a POST to a settings page only checks its PIN field ("PIN accepted":
//     the page, 200; "PIN rejected": a 401 message). Nothing else in that
//     POST is applied. The unlock lasts PIN_TIMEOUT (15 minutes) from the
//     last save; GET /settings/lock locks again.
//   - Retry cooldown (PIN_RETRY_COOLDOWN, 3 s): while locked, a POST sooner
//     than 3 s after the previous attempt or save answers 401 "Access
//     Denied"; an OTA passphrase, even the right one, does not unlock if the
//     last save was less than 3 s ago ("brute force protection").
//   - POST /settings/sec (form-encoded): RS = factory reset ("All Settings
//     erased." / "Connect to WLED-AP to setup again", then reboot); PIN;
//     OP = OTA passphrase: unlocks when OTA is locked and it matches, sets a
//     new passphrase (up to 32 characters) when OTA is not locked; then, if
//     unlocked, the checkboxes NO (OTA lock), OW (Wi-Fi settings lock) and
//     AO (ArduinoOTA) take the form's values: a checkbox left out is off.
//     The default passphrase is "wledota". The answer is the message
//     "Security settings saved." / "Redirecting...".
//   - GET /update with OTA locked: 401 "Access Denied" / "Please unlock OTA
//     in security settings!". GET /reset: "Rebooting now..." and a reboot.
//   - After a factory reset WLED has no Wi-Fi credentials and opens its own
//     access point "WLED-AP"; "/" serves the welcome page.
//
// Simplifications: a device that was reset comes back on its lab address,
// not on its access point (4.3.2.1), named "WLED", serving the welcome page;
// pages are short stand-ins for WLED's (the messages' texts are WLED's);
// state changes posted to /json are answered but not applied; only the
// security settings page (and the menu, lock and PIN pages) is simulated.

func init() { familyHandlers[WLED] = newWLEDAPI }

// wledEffects and wledPalettes are the first entries of WLED's built-in
// lists; info.fxcount and info.palcount count exactly these.
var (
	wledEffects  = []string{"Solid", "Blink", "Breathe", "Wipe", "Wipe Random", "Random Colors", "Sweep", "Dynamic", "Colorloop", "Rainbow"}
	wledPalettes = []string{"Default", "* Random Cycle", "* Color 1", "* Colors 1&2", "* Color Gradient", "* Colors Only", "Party", "Cloud", "Lava", "Ocean"}
)

// wledLEDs is the length of the simulated strip.
const wledLEDs = 30

// wledBuild is VERSION, the build number info.vid reports.
const wledBuild = 2405180

// WLEDDefaultOTAPassword is WLED's default OTA lock passphrase
// (DEFAULT_OTA_PASS, documented in advanced/ota-lock.md).
const WLEDDefaultOTAPassword = "wledota"

// wledDefaultName is serverDescription after a factory reset.
const wledDefaultName = "WLED"

// wledMaxOTAPassword is the size of otaPass without its terminator.
const wledMaxOTAPassword = 32

// Messages WLED serves (wled_server.cpp).
const (
	wledRedirecting  = "Redirecting..."
	wledAccessDenied = "Access Denied"
	wledUnlockOTA    = "Please unlock OTA in security settings!"
)

// wledState is what a WLED device's write side remembers.
type wledState struct {
	// pin is the settings PIN; "" means none.
	pin string
	// unlocked is correctPIN for a device with a PIN.
	unlocked bool
	// lastEdit is lastEditTime: the last settings save or PIN attempt. Zero
	// means long ago (the device has been running since before the lab).
	lastEdit time.Time
	// otaLock, otaPass ("" = default) and wifiLock are the security settings.
	otaLock  bool
	otaPass  string
	wifiLock bool
	// aOtaOff is !aOtaEnabled (ArduinoOTA is on by default).
	aOtaOff bool
	// unconfigured is set by a factory reset.
	unconfigured bool
}

// withWLEDOTALock turns the OTA lock on with passphrase pass, as a user who
// ticked "Enable OTA lock" would. It returns d, for household builders.
func withWLEDOTALock(d *Device, pass string) *Device {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.life.wled.otaLock, d.state.life.wled.otaPass = true, pass
	wledSyncAuthLocked(d)
	return d
}

// wledSyncAuthLocked sets the manifest's auth flag: a WLED asks for
// something when its OTA lock or settings PIN is on. d.mu must be held.
func wledSyncAuthLocked(d *Device) {
	w := d.state.life.wled
	d.state.authEnabled = w.otaLock || w.pin != ""
}

// wledOTAPass returns the OTA passphrase in w.
func wledOTAPass(w wledState) string {
	if w.otaPass == "" {
		return WLEDDefaultOTAPassword
	}
	return w.otaPass
}

// wledAPI serves one WLED device.
type wledAPI struct {
	d     *Device
	start time.Time
}

func newWLEDAPI(d *Device) http.Handler {
	a := &wledAPI{d: d, start: d.now()}
	return apiBounded(lifeGate(d, a.serve))
}

func (a *wledAPI) serve(w http.ResponseWriter, r *http.Request) {
	now := a.d.now()
	st := a.d.lifeSnapshot(now)
	switch p := r.URL.Path; {
	case p == "/settings" || strings.HasPrefix(p, "/settings/"):
		a.serveSettings(w, r, now)
		return
	case p == "/update":
		a.serveUpdate(w, r, st)
		return
	case p == "/reset" && r.Method == http.MethodGet:
		wledMessage(w, http.StatusOK, "Rebooting now...", "Please wait ~10 seconds...")
		a.reboot(now)
		return
	case p == "/" && r.Method == http.MethodGet:
		a.serveRoot(w, st)
		return
	}
	var body any
	switch r.URL.Path {
	case "/json", "/json/":
		body = map[string]any{"state": a.state(), "info": a.info(st), "effects": wledEffects, "palettes": wledPalettes}
	case "/json/state":
		body = a.state()
	case "/json/info":
		body = a.info(st)
	case "/json/si":
		body = map[string]any{"state": a.state(), "info": a.info(st)}
	case "/json/eff":
		body = wledEffects
	case "/json/pal":
		body = wledPalettes
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		apiJSON(w, http.StatusOK, body)
	case http.MethodPost:
		a.postJSON(w, r, now, body)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		apiBody(w, http.StatusMethodNotAllowed, "text/plain", "Method Not Allowed")
	}
}

// postJSON answers a POST to the JSON API: "pin" is checked as the PIN
// form is, "rb" reboots, "v" asks for the (unchanged) state back.
func (a *wledAPI) postJSON(w http.ResponseWriter, r *http.Request, now time.Time, body any) {
	raw, err := apiReadBody(r)
	var req struct {
		PIN *string `json:"pin"`
		RB  bool    `json:"rb"`
		V   bool    `json:"v"`
	}
	if err != nil || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &req) != nil {
		apiJSON(w, http.StatusBadRequest, map[string]int{"error": 9})
		return
	}
	if req.PIN != nil {
		a.d.mu.Lock()
		a.checkPINLocked(*req.PIN, now)
		a.d.mu.Unlock()
	}
	if req.V {
		apiJSON(w, http.StatusOK, body)
	} else {
		apiBody(w, http.StatusOK, "application/json", `{"success":true}`)
	}
	if req.RB {
		a.reboot(now)
	}
}

// wledMessage serves WLED's message page (serveMessage) with headline and
// subline; the page around them is a stand-in for msg.htm.
func wledMessage(w http.ResponseWriter, status int, headline, subline string) {
	apiBody(w, status, "text/html", `<!DOCTYPE html><html><head><meta charset="utf-8"><title>WLED Message</title></head>`+
		`<body><h2>`+html.EscapeString(headline)+`</h2>`+html.EscapeString(subline)+`</body></html>`)
}

// wledPage serves a stand-in for one of WLED's pages.
func wledPage(w http.ResponseWriter, status int, title string) {
	apiBody(w, status, "text/html", `<!DOCTYPE html><html><head><meta charset="utf-8"><title>`+
		html.EscapeString(title)+`</title></head><body><h2>`+html.EscapeString(title)+`</h2></body></html>`)
}

// correctPIN reports whether settings are unlocked at now; d.mu must be held.
func (a *wledAPI) correctPINLocked(now time.Time) bool {
	l := &a.d.state.life.wled
	if l.pin == "" {
		return true
	}
	if l.unlocked && now.Sub(l.lastEdit) > a.d.lifeTimingLocked().PINTimeout {
		l.unlocked = false // PIN_TIMEOUT since the last save
	}
	return l.unlocked
}

// coolingLocked reports whether the PIN retry cooldown runs at now; d.mu
// must be held.
func (a *wledAPI) coolingLocked(now time.Time) bool {
	return now.Sub(a.d.state.life.wled.lastEdit) < a.d.lifeTimingLocked().PINRetryCooldown
}

// checkPINLocked is checkSettingsPIN; d.mu must be held.
func (a *wledAPI) checkPINLocked(pin string, now time.Time) {
	l := &a.d.state.life.wled
	if !a.correctPINLocked(now) && a.coolingLocked(now) {
		return // guard against PIN brute force
	}
	given := pin
	if len(given) > 4 {
		given = given[:4] // strncmp(settingsPIN, pin, 4)
	}
	l.unlocked = l.pin == "" || given == l.pin
	l.lastEdit = now
}

// serveSettings is serveSettings for the menu, the security page and the
// lock; other settings pages are not simulated.
func (a *wledAPI) serveSettings(w http.ResponseWriter, r *http.Request, now time.Time) {
	page := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/settings"), "/")
	if strings.Contains(page, ".js") && r.Method == http.MethodGet {
		a.serveSettingsJS(w, r, now)
		return
	}
	if page != "" && page != "sec" && page != "lock" {
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
		return
	}
	post := r.Method == http.MethodPost
	if post {
		_ = r.ParseForm() // AsyncWebServer args: query and form body
	}
	// Decide under the lock, answer after it: a slow client must not hold
	// the device.
	a.d.mu.Lock()
	reply := a.settingsLocked(page, post, r.Form, now)
	a.d.mu.Unlock()
	reply(w)
}

// serveSettingsJS answers GET /settings/s.js?p=<page>: the script that
// fills a settings page's form (wled_server.cpp serveSettingsJS, xml.cpp
// getSettingsJS and sappend/sappends, WLED 0.14). For the security page:
// d.Sf.PIN.value="0000" (one 0 per PIN character), d.Sf.NO/OW/AO.checked=
// 0|1, the version line and sd="<name>". While a PIN locks the settings,
// any page but the menu answers 401 alert('PIN incorrect.'). Only the menu
// (p=0) and the security page (p=6) are simulated; other pages answer 404.
func (a *wledAPI) serveSettingsJS(w http.ResponseWriter, r *http.Request, now time.Time) {
	page := 0
	if v := r.URL.Query().Get("p"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = 0 // String.toInt()
		}
		page = n
	}
	const js = "application/javascript"
	if page > 10 {
		apiBody(w, http.StatusNotImplemented, js, "alert('Settings for this request are not implemented.');")
		return
	}
	a.d.mu.Lock()
	correct := a.correctPINLocked(now)
	l := a.d.state.life.wled
	fw := a.d.Firmware
	a.d.mu.Unlock()
	if page > 0 && !correct {
		apiBody(w, http.StatusUnauthorized, js, "alert('PIN incorrect.');")
		return
	}
	if page != 0 && page != 6 {
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found") // page not simulated
		return
	}
	var b strings.Builder
	b.WriteString("function GetV(){var d=document;")
	if page == 6 {
		checked := func(key string, on bool) {
			v := 0
			if on {
				v = 1
			}
			fmt.Fprintf(&b, "d.Sf.%s.checked=%d;", key, v)
		}
		fmt.Fprintf(&b, `d.Sf.PIN.value="%s";`, strings.Repeat("0", len(l.pin)))
		checked("NO", l.otaLock)
		checked("OW", l.wifiLock)
		checked("AO", !l.aOtaOff)
		fmt.Fprintf(&b, `d.getElementsByClassName("sip")[0].innerHTML="WLED %s (build %d)";`, fw, wledBuild)
		name := a.d.Name
		if l.unconfigured {
			name = wledDefaultName
		}
		fmt.Fprintf(&b, `sd="%s";`, name)
	}
	b.WriteString("}")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Expires", "0")
	apiBody(w, http.StatusOK, js, b.String())
}

// wledReply writes an answer decided under the device lock.
type wledReply func(http.ResponseWriter)

func wledMessageReply(status int, headline, subline string) wledReply {
	return func(w http.ResponseWriter) { wledMessage(w, status, headline, subline) }
}

func wledPageReply(status int, title string) wledReply {
	return func(w http.ResponseWriter) { wledPage(w, status, title) }
}

// settingsLocked is serveSettings' decision; d.mu must be held.
func (a *wledAPI) settingsLocked(page string, post bool, form url.Values, now time.Time) wledReply {
	l := &a.d.state.life.wled
	correct := a.correctPINLocked(now)
	pinRequired := !correct && page == "sec" // the menu and the lock need no PIN
	if post && !correct && a.coolingLocked(now) {
		return wledMessageReply(http.StatusUnauthorized, wledAccessDenied, wledUnlockOTA)
	}
	switch {
	case post && pinRequired:
		a.checkPINLocked(form.Get("PIN"), now)
		if l.unlocked {
			return wledPageReply(http.StatusOK, "Security & Update setup") // "PIN accepted": the page asked for
		}
		return wledMessageReply(http.StatusUnauthorized, "PIN rejected", wledRedirecting)
	case post && page == "sec":
		return a.saveSecurityLocked(form, now)
	case page == "lock":
		l.unlocked = false
		if l.pin != "" {
			return wledMessageReply(http.StatusOK, "Settings locked", wledRedirecting)
		}
		return wledMessageReply(http.StatusOK, "No PIN set", wledRedirecting)
	case pinRequired:
		return wledPageReply(http.StatusUnauthorized, "PIN required") // PAGE_settings_pin
	case page == "sec":
		return wledPageReply(http.StatusOK, "Security & Update setup")
	}
	return wledPageReply(http.StatusOK, "WLED Settings")
}

// saveSecurityLocked is handleSettingsSet for SUBPAGE_SEC; d.mu must be held.
func (a *wledAPI) saveSecurityLocked(f url.Values, now time.Time) wledReply {
	d := a.d
	l := &d.state.life.wled
	if f.Has("RS") {
		// The file system is formatted: nothing else of the form survives.
		d.state.authEnabled, d.state.password = false, ""
		d.state.life.wled = wledState{unconfigured: true}
		d.lifeFactoryResetLocked(now, func(d *Device, at time.Time) {
			d.state.life.wled.lastEdit = at // millis() starts again at 0
		})
		return wledMessageReply(http.StatusOK, "All Settings erased.", "Connect to WLED-AP to setup again")
	}
	if f.Has("PIN") {
		pin := f.Get("PIN")
		if len(pin) == 0 || (len(pin) == 4 && pin != "0000") { // "0000" is the placeholder
			l.pin = pin
		}
	}
	pwdCorrect := !l.otaLock // always allowed when OTA is not locked
	if f.Has("OP") {
		op := f.Get("OP")
		if l.otaLock && op == wledOTAPass(*l) && !a.coolingLocked(now) {
			pwdCorrect = true
		}
		if !l.otaLock && op != "" {
			l.otaPass = op[:min(len(op), wledMaxOTAPassword)]
		}
	}
	if pwdCorrect {
		l.otaLock, l.wifiLock, l.aOtaOff = f.Has("NO"), f.Has("OW"), !f.Has("AO")
	}
	l.lastEdit = now
	l.unlocked = true // correctPIN was true to get here and stays so, PIN or not
	wledSyncAuthLocked(d)
	return wledMessageReply(http.StatusOK, "Security settings saved.", wledRedirecting)
}

// serveUpdate answers GET /update: refused while OTA is locked.
func (a *wledAPI) serveUpdate(w http.ResponseWriter, r *http.Request, st state) {
	if r.Method != http.MethodGet {
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found") // firmware upload: not simulated
		return
	}
	if st.life.wled.otaLock {
		wledMessage(w, http.StatusUnauthorized, wledAccessDenied, wledUnlockOTA)
		return
	}
	wledPage(w, http.StatusOK, "WLED Software Update")
}

// serveRoot answers "/": the UI, or the welcome page after a factory reset.
func (a *wledAPI) serveRoot(w http.ResponseWriter, st state) {
	if st.life.wled.unconfigured {
		wledPage(w, http.StatusOK, "Welcome to WLED!")
		return
	}
	wledPage(w, http.StatusOK, a.name(st))
}

// reboot restarts the device from now; settings lock again (correctPIN is
// computed afresh at boot) and millis() starts at 0.
func (a *wledAPI) reboot(now time.Time) {
	a.d.mu.Lock()
	defer a.d.mu.Unlock()
	a.d.lifeRebootLocked(now, func(d *Device, at time.Time) {
		d.state.life.wled.unlocked = false
		d.state.life.wled.lastEdit = at
	})
}

// name is the device's name: the default after a factory reset.
func (a *wledAPI) name(st state) string {
	if st.life.wled.unconfigured {
		return wledDefaultName
	}
	return a.d.Name
}

type wledInfo struct {
	Ver  string `json:"ver"`
	VID  int    `json:"vid"`
	LEDs struct {
		Count  int   `json:"count"`
		Pwr    int   `json:"pwr"`
		FPS    int   `json:"fps"`
		MaxPwr int   `json:"maxpwr"`
		MaxSeg int   `json:"maxseg"`
		LC     int   `json:"lc"`
		SegLC  []int `json:"seglc"`
	} `json:"leds"`
	Str      bool   `json:"str"`
	Name     string `json:"name"`
	UDPPort  int    `json:"udpport"`
	Live     bool   `json:"live"`
	WS       int    `json:"ws"`
	FXCount  int    `json:"fxcount"`
	PalCount int    `json:"palcount"`
	WiFi     struct {
		BSSID   string `json:"bssid"`
		Signal  int    `json:"signal"`
		Channel int    `json:"channel"`
	} `json:"wifi"`
	FS struct {
		U   int `json:"u"`
		T   int `json:"t"`
		PMT int `json:"pmt"`
	} `json:"fs"`
	NDC      int    `json:"ndc"`
	Arch     string `json:"arch"`
	Core     string `json:"core"`
	FreeHeap int    `json:"freeheap"`
	Uptime   int64  `json:"uptime"`
	Opt      int    `json:"opt"`
	Brand    string `json:"brand"`
	Product  string `json:"product"`
	MAC      string `json:"mac"`
	IP       string `json:"ip"`
}

func (a *wledAPI) info(st state) wledInfo {
	var in wledInfo
	in.Ver, in.VID = st.life.firmware, wledBuild
	in.LEDs.Count, in.LEDs.FPS, in.LEDs.MaxPwr, in.LEDs.MaxSeg = wledLEDs, 42, 850, 32
	in.LEDs.LC, in.LEDs.SegLC = 1, []int{1}
	in.Name, in.UDPPort, in.WS = a.name(st), 21324, 0
	in.FXCount, in.PalCount = len(wledEffects), len(wledPalettes)
	in.WiFi.BSSID, in.WiFi.Signal, in.WiFi.Channel = "3C:A6:2F:00:00:01", 86, 6
	in.FS.U, in.FS.T = 12, 983
	in.Arch, in.Core = strings.ToLower(a.d.Model), "v3.3.6-16-gcc5440f6a2"
	in.FreeHeap, in.Uptime, in.Opt = 198036, lifeUptime(st, a.start, a.d.now()), 79
	in.Brand, in.Product = "WLED", "FOSS"
	in.MAC, in.IP = strings.ToLower(a.d.MAC), a.d.Addr.String()
	return in
}

func (a *wledAPI) state() map[string]any {
	return map[string]any{
		"on": true, "bri": 128, "transition": 7, "ps": -1, "pl": -1,
		"nl":      map[string]any{"on": false, "dur": 60, "mode": 1, "tbri": 0, "rem": -1},
		"udpn":    map[string]any{"send": false, "recv": true, "sgrp": 1, "rgrp": 1},
		"lor":     0,
		"mainseg": 0,
		"seg": []map[string]any{{
			"id": 0, "start": 0, "stop": wledLEDs, "len": wledLEDs, "grp": 1, "spc": 0, "of": 0,
			"on": true, "frz": false, "bri": 255, "cct": 127,
			"col": [][]int{{255, 160, 0}, {0, 0, 0}, {0, 0, 0}},
			"fx":  0, "sx": 128, "ix": 128, "pal": 0, "sel": true, "rev": false, "mi": false,
		}},
	}
}
