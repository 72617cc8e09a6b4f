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
//   - JSON answers are application/json; errors are 4xx with a text/plain body.
//   - The HTTP method is ignored.
//   - Every resource except /shelly needs HTTP Basic auth once login is enabled.
//   - /ota status is one of idle|pending|updating|unknown; the sample shows
//     "pending" with has_update true and new_version == old_version when idle.
//
// Only the read side is simulated: query parameters that would change
// settings (including /settings?reset=1) are ignored for now.

func init() { familyHandlers[ShellyGen1] = newShellyGen1API }

// shellyGen1API serves one Gen1 device.
type shellyGen1API struct {
	d     *Device
	start time.Time
}

func newShellyGen1API(d *Device) http.Handler {
	api := &shellyGen1API{d: d, start: time.Now()}
	return apiBounded(api.serve)
}

// shellyGen1User is the user name Gen1 devices use by default for login.
const shellyGen1User = "admin"

func (a *shellyGen1API) serve(w http.ResponseWriter, r *http.Request) {
	st := a.d.apiSnapshot()
	if r.URL.Path == "/shelly" {
		apiJSON(w, http.StatusOK, a.shelly(st))
		return
	}
	if st.authEnabled && !apiBasicAuthOK(r, shellyGen1User, st.password) {
		// The realm the firmware sends is not documented (unverified); the
		// device's host name is used so that each device has its own.
		w.Header().Set("WWW-Authenticate", `Basic realm="`+a.d.Host+`"`)
		apiBody(w, http.StatusUnauthorized, "text/plain", "401 Unauthorized")
		return
	}
	switch r.URL.Path {
	case "/settings":
		apiJSON(w, http.StatusOK, a.settings(st))
	case "/settings/login":
		apiJSON(w, http.StatusOK, a.login(st))
	case "/status":
		apiJSON(w, http.StatusOK, a.status(st))
	case "/ota":
		apiJSON(w, http.StatusOK, a.ota(st))
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "404 Not Found")
	}
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
		Type: a.d.Model, MAC: a.d.MAC, Auth: st.authEnabled, FW: a.d.Firmware,
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
	return shellyGen1Login{Enabled: st.authEnabled, Username: shellyGen1User}
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
	s.Name, s.FW, s.Discoverable = d.Name, d.Firmware, true
	s.BuildInfo.BuildID = d.Firmware
	s.BuildInfo.BuildTimestamp = shellyGen1BuildTime(d.Firmware)
	s.BuildInfo.BuildVersion = "1.0"
	s.Cloud = shellyGen1Cloud{Enabled: true}
	// Personal data a real device holds: its location.
	s.Timezone, s.Lat, s.Lng = "Europe/Berlin", 52.5200, 13.4050
	s.TZAutodetect, s.TZUTCOffset, s.TZDSTAuto = true, 3600, true
	s.WiFiRecoveryRebootEnable = true
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

func (a *shellyGen1API) ota(st state) shellyGen1OTA {
	o := shellyGen1OTA{Status: "idle", NewVersion: a.d.Firmware, OldVersion: a.d.Firmware}
	if a.d.apiUpdateOffered(st) {
		o.Status, o.HasUpdate, o.NewVersion = "pending", true, st.latestFirmware
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

func (a *shellyGen1API) status(st state) shellyGen1Status {
	var s shellyGen1Status
	s.WiFiSTA.Connected, s.WiFiSTA.SSID, s.WiFiSTA.IP, s.WiFiSTA.RSSI = true, "Zuhause", a.d.Addr.String(), -58
	s.Cloud = shellyGen1Cloud{Enabled: true}
	s.Serial, s.MAC = 1, a.d.MAC
	s.Relays = []shellyGen1Relay{{Source: "input"}}
	s.Update = a.ota(st)
	s.HasUpdate = s.Update.HasUpdate
	s.RAMTotal, s.RAMFree, s.FSSize, s.FSFree = 50592, 38916, 233681, 162648
	s.Uptime = apiUptime(a.start)
	return s
}
