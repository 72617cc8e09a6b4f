package sim

import "net/http"

// Elgato Key Light REST API on port 9123 under /elgato, which does not
// require authentication (adamesch/elgato-key-light-api README and
// resources/*/GET_*.md):
//   - GET /elgato/accessory-info: productName, hardwareBoardType,
//     firmwareBuildNumber, firmwareVersion, serialNumber, displayName,
//     features ["lights"]. Newer builds also send hardwareRevision,
//     macAddress and wifi-info (seen in public client docs).
//   - GET /elgato/lights: {numberOfLights, lights:[{on, brightness,
//     temperature}]} with on 0|1, brightness 3–100, temperature 143–344.
//   - GET /elgato/lights/settings: power-on behaviour and fade durations.
// Writes (PUT lights/settings/accessory-info, POST identify) are not
// simulated yet.

func init() { familyHandlers[Elgato] = newElgatoAPI }

type elgatoAccessoryInfo struct {
	ProductName         string   `json:"productName"`
	HardwareBoardType   int      `json:"hardwareBoardType"`
	HardwareRevision    string   `json:"hardwareRevision"`
	MACAddress          string   `json:"macAddress"`
	FirmwareBuildNumber int      `json:"firmwareBuildNumber"`
	FirmwareVersion     string   `json:"firmwareVersion"`
	SerialNumber        string   `json:"serialNumber"`
	DisplayName         string   `json:"displayName"`
	Features            []string `json:"features"`
	WiFiInfo            struct {
		SSID         string `json:"ssid"`
		FrequencyMHz int    `json:"frequencyMHz"`
		RSSI         int    `json:"rssi"`
	} `json:"wifi-info"`
}

func newElgatoAPI(d *Device) http.Handler {
	return apiBounded(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case "/elgato/accessory-info":
			info := elgatoAccessoryInfo{
				ProductName: "Elgato Key Light", HardwareBoardType: 53, HardwareRevision: "1",
				MACAddress: d.apiMAC(":"), FirmwareBuildNumber: 218, FirmwareVersion: d.Firmware,
				SerialNumber: "BW" + d.MAC[2:12], DisplayName: d.Name, Features: []string{"lights"},
			}
			info.WiFiInfo.SSID, info.WiFiInfo.FrequencyMHz, info.WiFiInfo.RSSI = "Zuhause", 2400, -48
			apiJSON(w, http.StatusOK, info)
		case "/elgato/lights":
			apiJSON(w, http.StatusOK, map[string]any{
				"numberOfLights": 1,
				"lights":         []map[string]int{{"on": 0, "brightness": 25, "temperature": 213}},
			})
		case "/elgato/lights/settings":
			apiJSON(w, http.StatusOK, map[string]int{
				"powerOnBehavior": 1, "powerOnBrightness": 20, "powerOnTemperature": 213,
				"switchOnDurationMs": 100, "switchOffDurationMs": 300, "colorChangeDurationMs": 100,
			})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}
