package sim

import (
	"net/http"
	"strings"
	"time"
)

// WLED JSON API, as documented in wled/WLED-Docs docs/interfaces/json-api.md:
// GET /json = {state, info, effects, palettes}; /json/state, /json/info,
// /json/eff, /json/pal separately. No authentication for reads ("anyone
// having network access ... has permissions for any operation"). Info fields:
// brand is always "WLED", product "FOSS" for standard installations, mac is
// lower-case hex without colons, ip the instance's address.
//
// Only reads are simulated; POSTs to /json/state (state changes, "rb" reboot)
// answer 405 until writes are simulated.

func init() { familyHandlers[WLED] = newWLEDAPI }

// wledEffects and wledPalettes are the first entries of WLED's built-in
// lists; info.fxcount and info.palcount count exactly these.
var (
	wledEffects  = []string{"Solid", "Blink", "Breathe", "Wipe", "Wipe Random", "Random Colors", "Sweep", "Dynamic", "Colorloop", "Rainbow"}
	wledPalettes = []string{"Default", "* Random Cycle", "* Color 1", "* Colors 1&2", "* Color Gradient", "* Colors Only", "Party", "Cloud", "Lava", "Ocean"}
)

// wledLEDs is the length of the simulated strip.
const wledLEDs = 30

// wledAPI serves one WLED device.
type wledAPI struct {
	d     *Device
	start time.Time
}

func newWLEDAPI(d *Device) http.Handler {
	a := &wledAPI{d: d, start: time.Now()}
	return apiBounded(a.serve)
}

func (a *wledAPI) serve(w http.ResponseWriter, r *http.Request) {
	var body any
	switch r.URL.Path {
	case "/json", "/json/":
		body = map[string]any{"state": a.state(), "info": a.info(), "effects": wledEffects, "palettes": wledPalettes}
	case "/json/state":
		body = a.state()
	case "/json/info":
		body = a.info()
	case "/json/si":
		body = map[string]any{"state": a.state(), "info": a.info()}
	case "/json/eff":
		body = wledEffects
	case "/json/pal":
		body = wledPalettes
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		apiBody(w, http.StatusMethodNotAllowed, "text/plain", "Method Not Allowed")
		return
	}
	apiJSON(w, http.StatusOK, body)
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

func (a *wledAPI) info() wledInfo {
	var in wledInfo
	in.Ver, in.VID = a.d.Firmware, 2405180
	in.LEDs.Count, in.LEDs.FPS, in.LEDs.MaxPwr, in.LEDs.MaxSeg = wledLEDs, 42, 850, 32
	in.LEDs.LC, in.LEDs.SegLC = 1, []int{1}
	in.Name, in.UDPPort, in.WS = a.d.Name, 21324, 0
	in.FXCount, in.PalCount = len(wledEffects), len(wledPalettes)
	in.WiFi.BSSID, in.WiFi.Signal, in.WiFi.Channel = "3C:A6:2F:00:00:01", 86, 6
	in.FS.U, in.FS.T = 12, 983
	in.Arch, in.Core = strings.ToLower(a.d.Model), "v3.3.6-16-gcc5440f6a2"
	in.FreeHeap, in.Uptime, in.Opt = 198036, apiUptime(a.start), 79
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
