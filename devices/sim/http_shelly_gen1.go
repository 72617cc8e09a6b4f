package sim

import (
	"net/http"
	"strings"
	"time"
)

// Shelly Gen1 "Common HTTP API", as documented at
// shelly-api-docs.shelly.cloud/gen1/#common-http-api (copy checked in
// dhcgn/shelly-tools .github/copilot-instructions.md); sample responses of a
// real SHSW-1 on pastebin.com/Xma9epmT.
//
// Facts used:
//   - JSON answers are application/json; errors are 4xx with a text/plain
//     body "usually with an informative message" (the texts are not
//     documented; ours are marked).
//   - The HTTP method is ignored; parameters come in the query string or an
//     application/x-www-form-urlencoded body. Booleans are true for 1, y, Y,
//     t, T or case-insensitive "true", false for anything else.
//   - Every resource except /shelly needs HTTP Basic auth once login is enabled.
//   - /settings/login: attributes enabled, unprotected, username (the
//     password is never returned since v1.7.0); parameters enabled,
//     unprotected, username and password (1 to 50 characters each). The
//     documented example sets username "boss": the user name is settable.
//   - /ota: status idle|pending|updating|unknown; the sample shows "pending"
//     with has_update true. Parameters update (default URL), beta, url.
//     Answering an update request, a device reports status "updating" (seen
//     in usnasoft/shellyscanner-fwupdater's README: {"status":"updating",...}).
//   - /ota/check answers {"status":"ok"} (or "running").
//   - /settings?reset=1 performs a factory reset (there is no /reset);
//     /reboot reboots.
//
// Simplifications, all marked where they are made:
//   - A device that was reset comes back on its lab address, not on its own
//     access point (192.168.33.1): it answers as an unconfigured device does
//     to a client that joined that access point — /shelly auth false,
//     /settings with wifi_ap enabled, wifi_sta disabled, no name, no
//     location, login off.
//   - /settings parameters other than reset (name, mqtt_*, lat/lng, ...)
//     and /settings/cloud, /settings/ap, /settings/sta are not simulated:
//     the former are ignored, the latter answer 404.
//   - /ota?url= and /ota?beta=1 are not simulated (no beta is offered, and
//     the simulator cannot flash a file it is pointed at): they answer the
//     /ota document and change nothing.

func init() { familyHandlers[ShellyGen1] = newShellyGen1API }

// shellyGen1API serves one Gen1 device.
type shellyGen1API struct {
	d     *Device
	start time.Time
}

func newShellyGen1API(d *Device) http.Handler {
	api := &shellyGen1API{d: d, start: d.now()}
	return apiBounded(lifeGate(d, api.serve))
}

// shellyGen1State is what a Gen1 device's write side remembers.
type shellyGen1State struct {
	// username is the login user name; "" means the default, "admin".
	username string
	// unprotected records that the user accepted running without a password.
	unprotected bool
	// updateUntil is when a running update stops flashing and the device
	// restarts; /ota says "updating" before it.
	updateUntil time.Time
	// unconfigured is set by a factory reset.
	unconfigured bool
}

// shellyGen1User is the user name Gen1 devices use by default for login.
const shellyGen1User = "admin"

// shellyGen1MaxCredential is the documented maximum length of the user
// name and of the password (bytes; the docs say "length", the firmware is C).
const shellyGen1MaxCredential = 50

// shellyGen1Username returns the login user name in st.
func shellyGen1Username(st state) string {
	if st.life.gen1.username == "" {
		return shellyGen1User
	}
	return st.life.gen1.username
}

// shellyGen1Bool parses a Gen1 boolean parameter as the docs define it.
func shellyGen1Bool(v string) bool {
	switch v {
	case "1", "y", "Y", "t", "T":
		return true
	}
	return strings.EqualFold(v, "true")
}

func (a *shellyGen1API) serve(w http.ResponseWriter, r *http.Request) {
	now := a.d.now()
	st := a.d.lifeSnapshot(now)
	_ = r.ParseForm() // query and form body; errors leave what parsed
	if r.URL.Path == "/shelly" {
		apiJSON(w, http.StatusOK, a.shelly(st))
		return
	}
	if st.authEnabled && !apiBasicAuthOK(r, shellyGen1Username(st), st.password) {
		// The realm the firmware sends is not documented (unverified); the
		// device's host name is used so that each device has its own.
		w.Header().Set("WWW-Authenticate", `Basic realm="`+a.d.Host+`"`)
		apiBody(w, http.StatusUnauthorized, "text/plain", "401 Unauthorized")
		return
	}
	switch r.URL.Path {
	case "/settings":
		if shellyGen1Bool(r.Form.Get("reset")) {
			// The answer to a reset is not documented (unverified): like
			// every resource, the device answers its document, then resets.
			apiJSON(w, http.StatusOK, a.settings(st))
			a.factoryReset(now)
			return
		}
		apiJSON(w, http.StatusOK, a.settings(st))
	case "/settings/login":
		a.serveLogin(w, r, st, now)
	case "/status":
		apiJSON(w, http.StatusOK, a.status(st, now))
	case "/ota":
		a.serveOTA(w, r, st, now)
	case "/ota/check":
		// The device already knows what the vendor offers (latestFirmware).
		apiJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case "/reboot":
		// The answer to /reboot is not documented (unverified): {"ok":true}.
		apiJSON(w, http.StatusOK, map[string]bool{"ok": true})
		a.d.mu.Lock()
		a.d.lifeRebootLocked(now, nil)
		a.d.mu.Unlock()
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "404 Not Found")
	}
}

// serveLogin answers /settings/login, changing the login when asked.
func (a *shellyGen1API) serveLogin(w http.ResponseWriter, r *http.Request, st state, now time.Time) {
	q := r.Form
	for _, key := range []string{"username", "password"} {
		if v, ok := q[key]; ok && (len(v[0]) < 1 || len(v[0]) > shellyGen1MaxCredential) {
			// The status is documented (4xx, text/plain); the text is not (unverified).
			apiBody(w, http.StatusBadRequest, "text/plain", "Bad "+key+": length must be 1 to 50")
			return
		}
	}
	if q.Has("enabled") && shellyGen1Bool(q.Get("enabled")) && !q.Has("password") && st.password == "" {
		apiBody(w, http.StatusBadRequest, "text/plain", "Bad password: a password is required") // (unverified)
		return
	}
	if q.Has("enabled") || q.Has("username") || q.Has("password") || q.Has("unprotected") {
		d := a.d
		d.mu.Lock()
		s := &d.state
		if q.Has("username") {
			s.life.gen1.username = q.Get("username")
		}
		if q.Has("password") {
			s.password = q.Get("password")
		}
		if q.Has("unprotected") {
			s.life.gen1.unprotected = shellyGen1Bool(q.Get("unprotected"))
		}
		if q.Has("enabled") {
			// Disabling keeps the credentials, so enabling again needs none.
			s.authEnabled = shellyGen1Bool(q.Get("enabled"))
		}
		d.mu.Unlock()
		st = d.lifeSnapshot(now)
	}
	apiJSON(w, http.StatusOK, a.login(st))
}

// serveOTA answers /ota, starting the update when asked for one.
func (a *shellyGen1API) serveOTA(w http.ResponseWriter, r *http.Request, st state, now time.Time) {
	if shellyGen1Bool(r.Form.Get("update")) {
		d := a.d
		d.mu.Lock()
		// Only while something newer is offered and nothing is flashing yet.
		if cur := d.state; apiUpdateOfferedTo(d.Firmware, cur) && !now.Before(cur.life.gen1.updateUntil) {
			d.state.life.gen1.updateUntil = d.lifeUpdateLocked(now, lifeInstallLatest)
		}
		d.mu.Unlock()
		st = d.lifeSnapshot(now)
	}
	apiJSON(w, http.StatusOK, a.ota(st, now))
}

// factoryReset wipes the device: it drops off the network and comes back
// unconfigured, login off and password gone.
func (a *shellyGen1API) factoryReset(now time.Time) {
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.authEnabled, d.state.password = false, ""
	d.state.life.gen1 = shellyGen1State{unconfigured: true}
	d.lifeFactoryResetLocked(now, nil)
}

// apiUpdateOfferedTo reports whether the vendor offers firmware other than
// running (the running firmware read under the device lock).
func apiUpdateOfferedTo(running string, st state) bool {
	return st.latestFirmware != "" && st.latestFirmware != running
}

type shellyGen1Shelly struct {
	Type         string `json:"type"`
	MAC          string `json:"mac"`
	Auth         bool   `json:"auth"`
	FW           string `json:"fw"`
	LongID       int    `json:"longid"`
	Discoverable bool   `json:"discoverable"`
	NumOutputs   int    `json:"num_outputs"`
}

func (a *shellyGen1API) shelly(st state) shellyGen1Shelly {
	return shellyGen1Shelly{
		Type: a.d.Model, MAC: a.d.MAC, Auth: st.authEnabled, FW: st.life.firmware,
		LongID: 1, Discoverable: true, NumOutputs: 1,
	}
}

type shellyGen1Login struct {
	Enabled     bool   `json:"enabled"`
	Unprotected bool   `json:"unprotected"`
	Username    string `json:"username"`
}

func (a *shellyGen1API) login(st state) shellyGen1Login {
	// Since v1.7.0 the password is never returned.
	return shellyGen1Login{Enabled: st.authEnabled, Unprotected: st.life.gen1.unprotected,
		Username: shellyGen1Username(st)}
}

type shellyGen1WiFiSTA struct {
	Enabled    bool    `json:"enabled"`
	SSID       *string `json:"ssid"`
	IPv4Method string  `json:"ipv4_method"`
	IP         *string `json:"ip"`
	GW         *string `json:"gw"`
	Mask       *string `json:"mask"`
	DNS        *string `json:"dns"`
}

type shellyGen1Settings struct {
	Device struct {
		Type       string `json:"type"`
		MAC        string `json:"mac"`
		Hostname   string `json:"hostname"`
		NumOutputs int    `json:"num_outputs"`
	} `json:"device"`
	WiFiAP struct {
		Enabled bool   `json:"enabled"`
		SSID    string `json:"ssid"`
		Key     string `json:"key"`
	} `json:"wifi_ap"`
	WiFiSTA   shellyGen1WiFiSTA `json:"wifi_sta"`
	WiFiSTA1  shellyGen1WiFiSTA `json:"wifi_sta1"`
	APRoaming struct {
		Enabled   bool `json:"enabled"`
		Threshold int  `json:"threshold"`
	} `json:"ap_roaming"`
	MQTT struct {
		Enable              bool   `json:"enable"`
		Server              string `json:"server"`
		User                string `json:"user"`
		ID                  string `json:"id"`
		ReconnectTimeoutMax int    `json:"reconnect_timeout_max"`
		ReconnectTimeoutMin int    `json:"reconnect_timeout_min"`
		CleanSession        bool   `json:"clean_session"`
		KeepAlive           int    `json:"keep_alive"`
		MaxQoS              int    `json:"max_qos"`
		Retain              bool   `json:"retain"`
		UpdatePeriod        int    `json:"update_period"`
	} `json:"mqtt"`
	CoIoT struct {
		Enabled      bool   `json:"enabled"`
		UpdatePeriod int    `json:"update_period"`
		Peer         string `json:"peer"`
	} `json:"coiot"`
	SNTP struct {
		Server  string `json:"server"`
		Enabled bool   `json:"enabled"`
	} `json:"sntp"`
	Login        shellyGen1Login `json:"login"`
	PinCode      string          `json:"pin_code"`
	Name         string          `json:"name"`
	FW           string          `json:"fw"`
	Discoverable bool            `json:"discoverable"`
	BuildInfo    struct {
		BuildID        string `json:"build_id"`
		BuildTimestamp string `json:"build_timestamp"`
		BuildVersion   string `json:"build_version"`
	} `json:"build_info"`
	Cloud                    shellyGen1Cloud `json:"cloud"`
	Timezone                 string          `json:"timezone"`
	Lat                      float64         `json:"lat"`
	Lng                      float64         `json:"lng"`
	TZAutodetect             bool            `json:"tzautodetect"`
	TZUTCOffset              int             `json:"tz_utc_offset"`
	TZDST                    bool            `json:"tz_dst"`
	TZDSTAuto                bool            `json:"tz_dst_auto"`
	Time                     string          `json:"time"`
	Unixtime                 int64           `json:"unixtime"`
	DebugEnable              bool            `json:"debug_enable"`
	AllowCrossOrigin         bool            `json:"allow_cross_origin"`
	WiFiRecoveryRebootEnable bool            `json:"wifirecovery_reboot_enabled"`
}

type shellyGen1Cloud struct {
	Enabled   bool `json:"enabled"`
	Connected bool `json:"connected"`
}

func (a *shellyGen1API) settings(st state) shellyGen1Settings {
	d := a.d
	fw := st.life.firmware
	var s shellyGen1Settings
	s.Device.Type, s.Device.MAC, s.Device.Hostname, s.Device.NumOutputs = d.Model, d.MAC, d.Host, 1
	s.WiFiAP.SSID = d.Host
	ssid := "Zuhause"
	s.WiFiSTA = shellyGen1WiFiSTA{Enabled: true, SSID: &ssid, IPv4Method: "dhcp"}
	s.WiFiSTA1 = shellyGen1WiFiSTA{IPv4Method: "dhcp"}
	s.APRoaming.Threshold = -70
	s.MQTT.Server, s.MQTT.ID = "192.168.33.3:1883", d.Host
	s.MQTT.ReconnectTimeoutMax, s.MQTT.ReconnectTimeoutMin = 60, 2
	s.MQTT.CleanSession, s.MQTT.KeepAlive, s.MQTT.UpdatePeriod = true, 60, 30
	s.CoIoT.Enabled, s.CoIoT.UpdatePeriod = true, 15
	s.SNTP.Server, s.SNTP.Enabled = "time.google.com", true
	s.Login = a.login(st)
	s.Name, s.FW, s.Discoverable = d.Name, fw, true
	s.BuildInfo.BuildID = fw
	s.BuildInfo.BuildTimestamp = shellyGen1BuildTime(fw)
	s.BuildInfo.BuildVersion = "1.0"
	s.Cloud = shellyGen1Cloud{Enabled: true}
	// Personal data a real device holds: its location.
	s.Timezone, s.Lat, s.Lng = "Europe/Berlin", 52.5200, 13.4050
	s.TZAutodetect, s.TZUTCOffset, s.TZDSTAuto = true, 3600, true
	s.WiFiRecoveryRebootEnable = true
	if st.life.gen1.unconfigured {
		// Factory defaults as an unconfigured device answers on its own
		// access point: AP on, no network, no name, no location (the
		// default values of name, cloud and location are (unverified)).
		s.WiFiAP.Enabled = true
		s.WiFiSTA = shellyGen1WiFiSTA{IPv4Method: "dhcp"}
		s.Name = ""
		s.Cloud = shellyGen1Cloud{}
		s.Timezone, s.Lat, s.Lng, s.TZUTCOffset = "", 0, 0, 0
	}
	return s
}

// shellyGen1BuildTime turns the "20230913-112003" prefix of a Gen1 firmware
// id into the RFC 3339 build_timestamp, or "" if it has another form.
func shellyGen1BuildTime(fw string) string {
	stamp, _, _ := strings.Cut(fw, "/")
	t, err := time.Parse("20060102-150405", stamp)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

type shellyGen1OTA struct {
	Status     string `json:"status"`
	HasUpdate  bool   `json:"has_update"`
	NewVersion string `json:"new_version"`
	OldVersion string `json:"old_version"`
}

func (a *shellyGen1API) ota(st state, now time.Time) shellyGen1OTA {
	fw := st.life.firmware
	o := shellyGen1OTA{Status: "idle", NewVersion: fw, OldVersion: fw}
	if apiUpdateOfferedTo(fw, st) {
		o.Status, o.HasUpdate, o.NewVersion = "pending", true, st.latestFirmware
		if now.Before(st.life.gen1.updateUntil) {
			o.Status = "updating"
		}
	}
	return o
}

type shellyGen1Status struct {
	WiFiSTA struct {
		Connected bool   `json:"connected"`
		SSID      string `json:"ssid"`
		IP        string `json:"ip"`
		RSSI      int    `json:"rssi"`
	} `json:"wifi_sta"`
	Cloud shellyGen1Cloud `json:"cloud"`
	MQTT  struct {
		Connected bool `json:"connected"`
	} `json:"mqtt"`
	Time      string            `json:"time"`
	Unixtime  int64             `json:"unixtime"`
	Serial    int               `json:"serial"`
	HasUpdate bool              `json:"has_update"`
	MAC       string            `json:"mac"`
	Relays    []shellyGen1Relay `json:"relays"`
	Update    shellyGen1OTA     `json:"update"`
	RAMTotal  int               `json:"ram_total"`
	RAMFree   int               `json:"ram_free"`
	FSSize    int               `json:"fs_size"`
	FSFree    int               `json:"fs_free"`
	Uptime    int64             `json:"uptime"`
}

type shellyGen1Relay struct {
	IsOn     bool   `json:"ison"`
	HasTimer bool   `json:"has_timer"`
	Source   string `json:"source"`
}

func (a *shellyGen1API) status(st state, now time.Time) shellyGen1Status {
	var s shellyGen1Status
	s.WiFiSTA.Connected, s.WiFiSTA.SSID, s.WiFiSTA.IP, s.WiFiSTA.RSSI = true, "Zuhause", a.d.Addr.String(), -58
	s.Cloud = shellyGen1Cloud{Enabled: true}
	s.Serial, s.MAC = 1, a.d.MAC
	s.Relays = []shellyGen1Relay{{Source: "input"}}
	s.Update = a.ota(st, now)
	s.HasUpdate = s.Update.HasUpdate
	s.RAMTotal, s.RAMFree, s.FSSize, s.FSFree = 50592, 38916, 233681, 162648
	s.Uptime = lifeUptime(st, a.start, now)
	if st.life.gen1.unconfigured {
		// Not connected to any network: it serves its own access point.
		s.WiFiSTA.Connected, s.WiFiSTA.SSID, s.WiFiSTA.IP, s.WiFiSTA.RSSI = false, "", "", 0
		s.Cloud = shellyGen1Cloud{}
	}
	return s
}
