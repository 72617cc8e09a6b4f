package sim

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Tasmota web server, as the firmware implements it (arendst/Tasmota
// tasmota/tasmota_xdrv_driver/xdrv_01_9_webserver.ino, HandleHttpCommand and
// HandleNotFound) and documents it (tasmota/docs Commands.md,
// JSON-Status-Responses.md):
//   - /cm?cmnd=<command> answers application/json. With a web password set,
//     HTTP Basic credentials or user=admin&password=<pw> are required, else
//     401 {"WARNING":"Need user=<username>&password=<password>"} (401 since
//     v8.2.3, 200 before). No cmnd: {"WARNING":"Enter command cmnd="}.
//   - Unknown command: {"Command":"Unknown"} (support_command.ino).
//   - Status 0 concatenates Status, StatusPRM, StatusFWR, StatusLOG,
//     StatusMEM, StatusNET, StatusMQT, StatusTIM, StatusSNS, StatusSTS; field
//     names from real v12–v15 answers seen in public code.
//   - Unknown paths: 404 text/plain "File Not Found\n\nURI: ...".
//   - The main page needs the web password (HTTP Basic) when one is set.
//
// The write side, from the firmware source (support_command.ino CmndUpgrade,
// CmndReset, CmndRestart; xdrv_01_9_webserver.ino CmndWebPassword; strings
// from i18n.h) and Commands.md:
//   - WebPassword without argument answers {"WebPassword":"****"}; with one
//     it sets the password and answers it in clear ({"WebPassword":"<pw>"}),
//     WebPassword2 answers "****" instead. "0" (or a lone `"`) clears it,
//     "1" restores the compile-time default WEB_PASSWORD, empty in stock
//     builds. Commands.md gives a 32 character limit; longer values are cut
//     to 32 here (how the firmware treats them is (unverified)).
//   - Upgrade 1 (or Upgrade <version> newer than the running one) answers
//     {"Upgrade":"Version <running> from <OtaUrl>"}, then downloads OtaUrl,
//     flashes and restarts; anything else answers {"Upgrade":"1 or ><running>
//     to upgrade"}. The OTA download runs in the firmware's main loop, so the
//     web server does not answer until the restart is over.
//   - Reset 1 answers {"Reset":"Reset and Restarting"}, Reset 2..6
//     {"Reset":"Erase, Reset and Restarting"}, Reset 99 {"Reset":"Done"},
//     anything else {"Reset":"1 to reset"}. 1 and 2 also forget the Wi-Fi
//     credentials (the device then opens its own access point), 3 erases the
//     SDK's Wi-Fi calibration only, 4..6 keep Wi-Fi (6 also MQTT).
//   - Restart 1 answers {"Restart":"Restarting"}; Restart 99 restarts at
//     once without answering; anything else {"Restart":"1 to restart"}.
//
// Simplifications: a device whose Wi-Fi settings were erased comes back on
// its lab address, not its own access point; Reset 3 is a plain restart;
// Restart 2 (halt) and 9 (deep sleep) are not simulated.

func init() { familyHandlers[Tasmota] = newTasmotaAPI }

// tasmotaUser is WEB_USERNAME, fixed at compile time ("admin" in stock builds).
const tasmotaUser = "admin"

// tasmotaMaxCommand is MQTT_MAX_PACKET_SIZE: longer commands are not run.
const tasmotaMaxCommand = 1200

// tasmotaAPI serves one Tasmota device.
type tasmotaAPI struct {
	d     *Device
	start time.Time
}

func newTasmotaAPI(d *Device) http.Handler {
	a := &tasmotaAPI{d: d, start: d.now()}
	return apiBounded(lifeGate(d, a.serve))
}

// tasmotaState is what a Tasmota device's write side remembers.
type tasmotaState struct {
	// otaURL is the OtaUrl setting; "" means the default.
	otaURL string
	// unconfigured is set by Reset 1, 2, 4, 5 and 6: firmware defaults.
	unconfigured bool
}

// tasmotaDefaultOtaURL is OTA_URL of stock builds.
const tasmotaDefaultOtaURL = "http://ota.tasmota.com/tasmota/release/tasmota.bin.gz"

// tasmotaDefaultName is the FriendlyName and DeviceName of a device with
// firmware defaults.
const tasmotaDefaultName = "Tasmota"

// tasmotaMaxPassword is the WebPassword limit Commands.md gives.
const tasmotaMaxPassword = 32

func (a *tasmotaAPI) serve(w http.ResponseWriter, r *http.Request) {
	st := a.d.lifeSnapshot(a.d.now())
	_ = r.ParseForm() // like Webserver->arg(): query and form body; errors leave what parsed
	switch r.URL.Path {
	case "/cm":
		a.command(w, r, st)
	case "/":
		a.mainPage(w, r, st)
	default:
		method := "POST"
		if r.Method == http.MethodGet {
			method = "GET"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "File Not Found\n\nURI: %s\nMethod: %s\nArguments: %d\n", r.URL.Path, method, len(r.Form))
		for name, values := range r.Form {
			for _, v := range values {
				fmt.Fprintf(&b, " %s: %s\n", name, v)
			}
		}
		apiBody(w, http.StatusNotFound, "text/plain", b.String())
	}
}

// authorized reports whether the request may use the web server.
func (a *tasmotaAPI) authorized(r *http.Request, st state) bool {
	if !st.authEnabled {
		return true
	}
	return apiBasicAuthOK(r, tasmotaUser, st.password) ||
		(r.Form.Get("user") == tasmotaUser && apiSecretEqual(r.Form.Get("password"), st.password))
}

func (a *tasmotaAPI) command(w http.ResponseWriter, r *http.Request, st state) {
	if !a.authorized(r, st) {
		apiJSON(w, http.StatusUnauthorized, map[string]string{"WARNING": "Need user=<username>&password=<password>"})
		return
	}
	cmnd := strings.TrimSpace(r.Form.Get("cmnd"))
	if cmnd == "" || len(cmnd) >= tasmotaMaxCommand {
		apiJSON(w, http.StatusOK, map[string]string{"WARNING": "Enter command cmnd="})
		return
	}
	name, arg, _ := strings.Cut(cmnd, " ")
	arg = strings.TrimSpace(arg)
	// An index may be glued to the command name ("WebPassword2"); for
	// Status and Module it is the argument: "Status0" = "Status 0".
	base := strings.TrimRightFunc(name, func(r rune) bool { return r >= '0' && r <= '9' })
	index := name[len(base):]
	if l := strings.ToLower(base); (l == "status" || l == "module") && index != "" && arg == "" {
		arg = index
	}
	switch strings.ToLower(base) {
	case "status":
		apiJSON(w, http.StatusOK, a.status(st, arg))
	case "module":
		apiJSON(w, http.StatusOK, map[string]map[string]string{"Module": {"1": a.d.Model}})
	case "webpassword":
		apiJSON(w, http.StatusOK, a.webPassword(index, arg))
	case "otaurl":
		apiJSON(w, http.StatusOK, a.otaURL(arg))
	case "upgrade":
		apiJSON(w, http.StatusOK, a.upgrade(st, arg))
	case "reset":
		apiJSON(w, http.StatusOK, a.reset(arg))
	case "restart":
		if arg == "99" {
			lifeDrop(w) // EspRestart() at once: no answer
			a.restart()
			return
		}
		if arg != "1" {
			apiJSON(w, http.StatusOK, map[string]string{"Restart": "1 to restart"})
			return
		}
		apiJSON(w, http.StatusOK, map[string]string{"Restart": "Restarting"})
		a.restart()
	default:
		apiJSON(w, http.StatusOK, map[string]string{"Command": "Unknown"})
	}
}

// webPassword is WebPassword[2] [<value>|0|1].
func (a *tasmotaAPI) webPassword(index, arg string) map[string]string {
	if arg == "" {
		return map[string]string{"WebPassword": "****"}
	}
	pw := arg
	switch arg {
	case "0", `"`:
		pw = ""
	case "1":
		pw = "" // WEB_PASSWORD of stock builds
	}
	if len(pw) > tasmotaMaxPassword {
		pw = pw[:tasmotaMaxPassword] // (unverified)
	}
	a.d.mu.Lock()
	a.d.state.authEnabled, a.d.state.password = pw != "", pw
	a.d.mu.Unlock()
	if index == "2" {
		return map[string]string{"WebPassword": "****"}
	}
	return map[string]string{"WebPassword": pw}
}

// otaURL is OtaUrl [<url>|1].
func (a *tasmotaAPI) otaURL(arg string) map[string]string {
	a.d.mu.Lock()
	defer a.d.mu.Unlock()
	switch arg {
	case "":
	case "1":
		a.d.state.life.tasmota.otaURL = ""
	default:
		a.d.state.life.tasmota.otaURL = arg
	}
	return map[string]string{"OtaUrl": tasmotaOtaURL(a.d.state)}
}

// tasmotaOtaURL returns the OtaUrl setting in st.
func tasmotaOtaURL(st state) string {
	if st.life.tasmota.otaURL == "" {
		return tasmotaDefaultOtaURL
	}
	return st.life.tasmota.otaURL
}

// tasmotaVersion is the version part of a firmware string: "13.2.0" of
// "13.2.0(tasmota)".
func tasmotaVersion(fw string) string {
	v, _, _ := strings.Cut(fw, "(")
	return v
}

// tasmotaNewer reports whether version v is newer than cur, comparing up to
// four dot-separated numbers as NewerVersion does.
func tasmotaNewer(v, cur string) bool {
	parse := func(s string) ([4]int, bool) {
		var n [4]int
		parts := strings.Split(s, ".")
		if len(parts) > 4 {
			return n, false
		}
		for i, p := range parts {
			x, err := strconv.Atoi(p)
			if err != nil || x < 0 {
				return n, false
			}
			n[i] = x
		}
		return n, true
	}
	nv, ok1 := parse(v)
	nc, ok2 := parse(cur)
	if !ok1 || !ok2 {
		return false
	}
	for i := range nv {
		if nv[i] != nc[i] {
			return nv[i] > nc[i]
		}
	}
	return false
}

// upgrade is Upgrade 1 | Upgrade <version>.
func (a *tasmotaAPI) upgrade(st state, arg string) map[string]string {
	running := tasmotaVersion(st.life.firmware)
	if arg != "1" && (len(arg) < 3 || !tasmotaNewer(arg, running)) {
		return map[string]string{"Upgrade": "1 or >" + running + " to upgrade"}
	}
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	// Busy in the OTA download until the restart is over: down from now.
	t := d.lifeTimingLocked()
	d.lifeGoDownLocked(d.now(), t.Update+t.Reboot, func(d *Device, _ time.Time) {
		// The build name stays: "14.3.0" is installed as "14.3.0(tasmota)".
		if latest := d.state.latestFirmware; latest != "" {
			if _, build, ok := strings.Cut(d.Firmware, "("); ok && !strings.Contains(latest, "(") {
				latest += "(" + build
			}
			d.Firmware = latest
		}
	})
	return map[string]string{"Upgrade": "Version " + running + " from " + tasmotaOtaURL(st)}
}

// reset is Reset <n>.
func (a *tasmotaAPI) reset(arg string) map[string]string {
	n, err := strconv.Atoi(arg)
	if err != nil {
		n = -1
	}
	switch {
	case n == 99:
		return map[string]string{"Reset": "Done"}
	case n < 1 || n > 6:
		return map[string]string{"Reset": "1 to reset"}
	}
	d := a.d
	d.mu.Lock()
	defer d.mu.Unlock()
	now := a.d.now()
	if n == 3 {
		d.lifeRebootLocked(now, nil) // SDK Wi-Fi calibration erased: settings kept
	} else {
		d.state.authEnabled, d.state.password = false, ""
		d.state.life.tasmota = tasmotaState{unconfigured: true}
		d.lifeFactoryResetLocked(now, nil)
	}
	if n == 1 {
		return map[string]string{"Reset": "Reset and Restarting"}
	}
	return map[string]string{"Reset": "Erase, Reset and Restarting"}
}

// restart takes the device down for a restart from now.
func (a *tasmotaAPI) restart() {
	a.d.mu.Lock()
	defer a.d.mu.Unlock()
	a.d.lifeRebootLocked(a.d.now(), nil)
}

// tasmotaStatus holds the sections a Status command answers, in firmware order.
type tasmotaStatus struct {
	Status    *tasmotaStatusDevice `json:"Status,omitempty"`
	StatusPRM *tasmotaStatusPRM    `json:"StatusPRM,omitempty"`
	StatusFWR *tasmotaStatusFWR    `json:"StatusFWR,omitempty"`
	StatusLOG map[string]any       `json:"StatusLOG,omitempty"`
	StatusMEM map[string]any       `json:"StatusMEM,omitempty"`
	StatusNET *tasmotaStatusNET    `json:"StatusNET,omitempty"`
	StatusMQT map[string]any       `json:"StatusMQT,omitempty"`
	StatusTIM map[string]any       `json:"StatusTIM,omitempty"`
	StatusSNS map[string]any       `json:"StatusSNS,omitempty"`
	StatusSTS map[string]any       `json:"StatusSTS,omitempty"`
}

type tasmotaStatusDevice struct {
	Module       int      `json:"Module"`
	DeviceName   string   `json:"DeviceName"`
	FriendlyName []string `json:"FriendlyName"`
	Topic        string   `json:"Topic"`
	ButtonTopic  string   `json:"ButtonTopic"`
	Power        string   `json:"Power"`
	PowerOnState int      `json:"PowerOnState"`
	LedState     int      `json:"LedState"`
	SaveData     int      `json:"SaveData"`
	SaveState    int      `json:"SaveState"`
	ButtonRetain int      `json:"ButtonRetain"`
	PowerRetain  int      `json:"PowerRetain"`
}

type tasmotaStatusPRM struct {
	Baudrate      int    `json:"Baudrate"`
	SerialConfig  string `json:"SerialConfig"`
	GroupTopic    string `json:"GroupTopic"`
	OtaURL        string `json:"OtaUrl"`
	RestartReason string `json:"RestartReason"`
	Uptime        string `json:"Uptime"`
	StartupUTC    string `json:"StartupUTC"`
	Sleep         int    `json:"Sleep"`
	CfgHolder     int    `json:"CfgHolder"`
	BootCount     int    `json:"BootCount"`
	SaveCount     int    `json:"SaveCount"`
}

type tasmotaStatusFWR struct {
	Version       string `json:"Version"`
	BuildDateTime string `json:"BuildDateTime"`
	Boot          int    `json:"Boot"`
	Core          string `json:"Core"`
	SDK           string `json:"SDK"`
	CPUFrequency  int    `json:"CpuFrequency"`
	Hardware      string `json:"Hardware"`
	CR            string `json:"CR"`
}

type tasmotaStatusNET struct {
	Hostname   string  `json:"Hostname"`
	IPAddress  string  `json:"IPAddress"`
	Gateway    string  `json:"Gateway"`
	Subnetmask string  `json:"Subnetmask"`
	DNSServer1 string  `json:"DNSServer1"`
	DNSServer2 string  `json:"DNSServer2"`
	Mac        string  `json:"Mac"`
	Webserver  int     `json:"Webserver"`
	HTTPAPI    int     `json:"HTTP_API"`
	WifiConfig int     `json:"WifiConfig"`
	WifiPower  float64 `json:"WifiPower"`
}

// status answers "Status <arg>". Status numbers the simulator does not know
// answer like "Status" without argument (unverified).
func (a *tasmotaAPI) status(st state, arg string) tasmotaStatus {
	all := a.allStatus(st)
	switch arg {
	case "0":
		return all
	case "1":
		return tasmotaStatus{StatusPRM: all.StatusPRM}
	case "2":
		return tasmotaStatus{StatusFWR: all.StatusFWR}
	case "3":
		return tasmotaStatus{StatusLOG: all.StatusLOG}
	case "4":
		return tasmotaStatus{StatusMEM: all.StatusMEM}
	case "5":
		return tasmotaStatus{StatusNET: all.StatusNET}
	case "6":
		return tasmotaStatus{StatusMQT: all.StatusMQT}
	case "7":
		return tasmotaStatus{StatusTIM: all.StatusTIM}
	case "10":
		return tasmotaStatus{StatusSNS: all.StatusSNS}
	case "11":
		return tasmotaStatus{StatusSTS: all.StatusSTS}
	}
	return tasmotaStatus{Status: all.Status}
}

// tasmotaDuration formats an uptime as Tasmota does: "1T07:25:12".
func tasmotaDuration(sec int64) string {
	return fmt.Sprintf("%dT%02d:%02d:%02d", sec/86400, sec%86400/3600, sec%3600/60, sec%60)
}

// name is the device's friendly name: the firmware default after a reset.
func (a *tasmotaAPI) name(st state) string {
	if st.life.tasmota.unconfigured {
		return tasmotaDefaultName
	}
	return a.d.Name
}

func (a *tasmotaAPI) allStatus(st state) tasmotaStatus {
	d := a.d
	now := a.d.now().UTC()
	up := lifeUptime(st, a.start, now)
	startup := a.start
	if !st.life.bootedAt.IsZero() {
		startup = st.life.bootedAt
	}
	name := a.name(st)
	uptime := tasmotaDuration(up)
	suffix := d.MAC[6:]
	return tasmotaStatus{
		Status: &tasmotaStatusDevice{
			Module: 1, DeviceName: name, FriendlyName: []string{name}, Topic: "tasmota_" + suffix,
			ButtonTopic: "0", Power: "0", PowerOnState: 3, LedState: 1, SaveData: 1, SaveState: 1,
		},
		StatusPRM: &tasmotaStatusPRM{
			Baudrate: 115200, SerialConfig: "8N1", GroupTopic: "tasmotas",
			OtaURL:        tasmotaOtaURL(st),
			RestartReason: "Power On", Uptime: uptime,
			StartupUTC: startup.UTC().Format("2006-01-02T15:04:05"), Sleep: 50, CfgHolder: 4617,
			BootCount: 7, SaveCount: 23,
		},
		StatusFWR: &tasmotaStatusFWR{
			Version: st.life.firmware, BuildDateTime: "2023-10-24T10:05:00", Boot: 31, Core: "2_7_4_9",
			SDK: "2.2.2-dev(38a443e)", CPUFrequency: 80, Hardware: "ESP8266EX", CR: "415/699",
		},
		StatusLOG: map[string]any{"SerialLog": 2, "WebLog": 2, "MqttLog": 0, "SysLog": 0, "LogHost": "",
			"LogPort": 514, "SSId": []string{"Zuhause", ""}, "TelePeriod": 300},
		StatusMEM: map[string]any{"ProgramSize": 640, "Free": 360, "Heap": 25, "ProgramFlashSize": 1024,
			"FlashSize": 1024, "FlashChipId": "14405E", "FlashFrequency": 40, "FlashMode": "DOUT"},
		StatusNET: &tasmotaStatusNET{
			Hostname: d.Host, IPAddress: d.Addr.String(), Gateway: "0.0.0.0", Subnetmask: "255.0.0.0",
			DNSServer1: "0.0.0.0", DNSServer2: "0.0.0.0", Mac: d.apiMAC(":"),
			Webserver: 2, HTTPAPI: 1, WifiConfig: 4, WifiPower: 17.0,
		},
		StatusMQT: map[string]any{"MqttHost": "", "MqttPort": 1883, "MqttClientMask": "DVES_%06X",
			"MqttClient": "DVES_" + suffix, "MqttUser": "DVES_USER", "MqttCount": 0,
			"MAX_PACKET_SIZE": tasmotaMaxCommand, "KEEPALIVE": 30, "SOCKET_TIMEOUT": 4},
		StatusTIM: map[string]any{"UTC": now.Format("2006-01-02T15:04:05Z"),
			"Local": now.Format("2006-01-02T15:04:05"), "Timezone": "+00:00"},
		StatusSNS: map[string]any{"Time": now.Format("2006-01-02T15:04:05")},
		StatusSTS: map[string]any{"Time": now.Format("2006-01-02T15:04:05"), "Uptime": uptime,
			"UptimeSec": up, "Heap": 25, "SleepMode": "Dynamic", "Sleep": 50, "LoadAvg": 19,
			"MqttCount": 0, "POWER": "OFF", "Wifi": map[string]any{"AP": 1, "SSId": "Zuhause",
				"Channel": 6, "Mode": "11n", "RSSI": 80, "Signal": -60, "LinkCount": 1}},
	}
}

func (a *tasmotaAPI) mainPage(w http.ResponseWriter, r *http.Request, st state) {
	if st.authEnabled && !apiBasicAuthOK(r, tasmotaUser, st.password) {
		// ESP8266WebServer::requestAuthentication's default realm.
		w.Header().Set("WWW-Authenticate", `Basic realm="Login Required"`)
		apiBody(w, http.StatusUnauthorized, "text/html", "")
		return
	}
	name := html.EscapeString(a.name(st))
	version, build, _ := strings.Cut(st.life.firmware, "(")
	page := `<!DOCTYPE html><html lang="en" class=""><head><meta charset='utf-8'>` +
		`<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no"/>` +
		`<title>` + name + ` - Main Menu</title></head><body>` +
		`<div style='text-align:left;display:inline-block;min-width:340px;'><div style='text-align:center;'>` +
		`<noscript>To use Tasmota, please enable JavaScript<br></noscript>` +
		`<h3>` + html.EscapeString(a.d.Model) + `</h3><h2>` + name + `</h2></div>` +
		`<p><form action='cn' method='get'><button>Configuration</button></form></p>` +
		`<p><form action='cs' method='get'><button>Console</button></form></p>` +
		`<div style='text-align:right;font-size:11px;'><hr/><a href='https://bit.ly/tasmota' target='_blank' style='color:#aaa;'>` +
		`Tasmota ` + html.EscapeString(version) + ` (` + html.EscapeString(strings.TrimSuffix(build, ")")) +
		`) by Theo Arends</a></div></div></body></html>`
	apiBody(w, http.StatusOK, "text/html", page)
}
