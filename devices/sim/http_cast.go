package sim

import (
	"net/http"
	"strings"
	"time"
)

// Google Cast device, local HTTP API on port 8008.
//   - GET /setup/eureka_info is still served without authentication; with
//     ?params=<groups>[&options=detail] it answers only the named groups
//     (version, name, build_info, device_info, net, wifi, setup, settings,
//     opt_in, ...) in the nested form documented in rithvikvibhu/GHLocalApi
//     device-info.apib; without params it answers the classic flat object
//     (build_version, cast_build_revision, has_update, mac_address, ssid,
//     release_track, opt_in, setup_state, ...; field set as in public client
//     types such as DazWilkin/gohome deviceinfo.go). options=detail is
//     accepted and adds nothing here.
//   - Since June 2019 every other local endpoint needs the
//     cast-local-authorization-token over HTTPS on 8443; on 8008 they answer
//     403 with an empty body (ludeeus/googledevices #44, rithvikvibhu/
//     GHLocalApi #39, home-assistant/core #24815 "now returns just an empty
//     page").

func init() { familyHandlers[Chromecast] = newCastAPI }

// castAPI serves one Cast device.
type castAPI struct {
	d     *Device
	start time.Time
}

func newCastAPI(d *Device) http.Handler {
	a := &castAPI{d: d, start: d.now()}
	return apiBounded(a.serve)
}

func (a *castAPI) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/setup/eureka_info":
		if params := r.URL.Query().Get("params"); params != "" {
			apiJSON(w, http.StatusOK, a.groups(strings.Split(params, ",")))
			return
		}
		apiJSON(w, http.StatusOK, a.flat(a.d.apiSnapshot()))
	case strings.HasPrefix(r.URL.Path, "/setup/"):
		w.WriteHeader(http.StatusForbidden)
	default:
		apiBody(w, http.StatusNotFound, "text/plain", "Not Found")
	}
}

// castEurekaVersion is the "version" the eureka_info answers carry.
const castEurekaVersion = 12

// buildNumber is the last dotted part of the cast build revision.
func (a *castAPI) buildNumber() string {
	return a.d.Firmware[strings.LastIndexByte(a.d.Firmware, '.')+1:]
}

type castOptIn struct {
	Crash    bool `json:"crash"`
	Opencast bool `json:"opencast"`
	Stats    bool `json:"stats"`
}

type castFlat struct {
	BSSID             string    `json:"bssid"`
	BuildVersion      string    `json:"build_version"`
	CastBuildRevision string    `json:"cast_build_revision"`
	Connected         bool      `json:"connected"`
	EthernetConnected bool      `json:"ethernet_connected"`
	HasUpdate         bool      `json:"has_update"`
	HotspotBSSID      string    `json:"hotspot_bssid"`
	IPAddress         string    `json:"ip_address"`
	Locale            string    `json:"locale"`
	MACAddress        string    `json:"mac_address"`
	Name              string    `json:"name"`
	NoiseLevel        int       `json:"noise_level"`
	OptIn             castOptIn `json:"opt_in"`
	PublicKey         string    `json:"public_key"`
	ReleaseTrack      string    `json:"release_track"`
	SetupState        int       `json:"setup_state"`
	SignalLevel       int       `json:"signal_level"`
	SSDPUDN           string    `json:"ssdp_udn"`
	SSID              string    `json:"ssid"`
	Timezone          string    `json:"timezone"`
	TOSAccepted       bool      `json:"tos_accepted"`
	Uptime            float64   `json:"uptime"`
	Version           int       `json:"version"`
	WPAConfigured     bool      `json:"wpa_configured"`
	WPAID             int       `json:"wpa_id"`
	WPAState          int       `json:"wpa_state"`
}

// castSSID is the Wi-Fi network the simulated household uses.
const castSSID = "Zuhause"

func (a *castAPI) udn() string {
	id := a.d.Host
	if len(id) != 32 {
		return id
	}
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}

func (a *castAPI) flat(st state) castFlat {
	return castFlat{
		BSSID: "3c:a6:2f:00:00:01", BuildVersion: a.buildNumber(), CastBuildRevision: a.d.Firmware,
		Connected: true, HasUpdate: a.d.apiUpdateOffered(st), HotspotBSSID: a.d.apiTXT("bs"),
		IPAddress: a.d.Addr.String(), Locale: "de-DE", MACAddress: a.d.apiMAC(":"), Name: a.d.Name,
		NoiseLevel: -90, OptIn: castOptIn{Crash: true, Stats: true}, PublicKey: "MIIBCgKCAQEA",
		ReleaseTrack: "stable-channel", SetupState: 60, SignalLevel: -48, SSDPUDN: a.udn(),
		SSID: castSSID, Timezone: "Europe/Berlin", TOSAccepted: true,
		Uptime: float64(apiUptime(a.start, a.d.now())), Version: castEurekaVersion,
		WPAConfigured: true, WPAState: 10,
	}
}

// groups answers eureka_info?params=...: only the known groups named. The
// documented groups carry no has_update; the flat answer does.
func (a *castAPI) groups(names []string) map[string]any {
	out := map[string]any{}
	for _, name := range names {
		switch strings.TrimSpace(name) {
		case "version":
			out["version"] = castEurekaVersion
		case "name":
			out["name"] = a.d.Name
		case "build_info":
			out["build_info"] = map[string]any{"build_type": 2, "cast_build_revision": a.d.Firmware,
				"cast_control_version": 1, "preview_channel_state": 0, "release_track": "stable-channel",
				"system_build_number": a.buildNumber()}
		case "device_info":
			out["device_info"] = map[string]any{"cloud_device_id": strings.ToUpper(a.d.apiTXT("cd")),
				"factory_country_code": "DE", "hotspot_bssid": a.d.apiTXT("bs"), "mac_address": a.d.apiMAC(":"),
				"manufacturer": "Google Inc.", "model_name": a.d.Model, "public_key": "MIIBCgKCAQEA",
				"ssdp_udn": a.udn(), "uptime": float64(apiUptime(a.start, a.d.now()))}
		case "net":
			out["net"] = map[string]any{"ethernet_connected": false, "ip_address": a.d.Addr.String(), "online": true}
		case "wifi":
			out["wifi"] = map[string]any{"bssid": "3c:a6:2f:00:00:01", "has_changes": false, "noise_level": -90,
				"signal_level": -48, "ssid": castSSID, "wpa_configured": true, "wpa_id": 0, "wpa_state": 10}
		case "setup":
			out["setup"] = map[string]any{"setup_state": 60, "ssid_suffix": "", "tos_accepted": true}
		case "settings":
			out["settings"] = map[string]any{"closed_caption": map[string]any{}, "control_notifications": 1,
				"country_code": "DE", "locale": "de-DE", "network_standby": 0, "system_sound_effects": true,
				"time_format": 1, "timezone": "Europe/Berlin", "wake_on_cast": 1}
		case "opt_in":
			out["opt_in"] = castOptIn{Crash: true, Stats: true}
		}
	}
	return out
}
