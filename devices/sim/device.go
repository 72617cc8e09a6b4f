// Package sim simulates a household of smart devices for tests, demos and
// benchmarks: each device answers mDNS through the lab's responder and serves
// its family's local HTTP API, as the vendor documents it, on its own
// loopback address.
package sim

import (
	"crypto/tls"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Family names a device family the lab can simulate.
type Family string

// The families of ../shared/reference/device-apis.md.
const (
	ShellyGen1 Family = "shelly-gen1"
	ShellyGen2 Family = "shelly-gen2"
	Tasmota    Family = "tasmota"
	WLED       Family = "wled"
	ESPHome    Family = "esphome"
	HueBridge  Family = "hue-bridge"
	IPPPrinter Family = "ipp-printer"
	Chromecast Family = "chromecast"
	HomeKit    Family = "homekit"
	Matter     Family = "matter"
	Sonos      Family = "sonos"
	Elgato     Family = "elgato"
	OctoPrint  Family = "octoprint"
	// Hostile is a device built to attack the scanner, not to be managed.
	Hostile Family = "hostile"
	// AnnounceOnly is a device whose local API the lab does not simulate:
	// it only announces itself, as the real device does, and Porchlight
	// can know it by its announcements alone (identify's family "unknown").
	AnnounceOnly Family = "unknown"
)

// Service is one DNS-SD service a simulated device announces.
type Service struct {
	// Type is the service type without domain, e.g. "_http._tcp".
	Type string `json:"type"`
	// Instance is the instance name as people wrote it (UTF-8, spaces, dots).
	Instance string `json:"instance"`
	Port     int    `json:"port"`
	// TXT holds the TXT strings ("key=value"); nil announces an empty TXT record.
	TXT []string `json:"txt"`
}

// Device is one simulated device. Exported fields describe what the device
// announces and serves; mutable state lives behind mu.
type Device struct {
	Family Family `json:"family"`
	// Name is the friendly name the device reports about itself.
	Name string `json:"name"`
	// Host is the mDNS host label without ".local", e.g. "shellyplus1-a8032ab12345".
	Host string     `json:"host"`
	Addr netip.Addr `json:"address"`
	// MAC is the hardware address as 12 upper-case hex digits.
	MAC      string `json:"mac"`
	Model    string `json:"model"`
	Firmware string `json:"firmware"`
	// Vendor and Kind are what a person would name the device: the
	// catalog's vendor ID and kind ("signify", "light"), empty where the
	// lab does not say.
	Vendor   string    `json:"vendor,omitempty"`
	Kind     string    `json:"kind,omitempty"`
	Services []Service `json:"services"`
	// HTTPPorts are the TCP ports on which Handler is served or, on a
	// device with an Attack, the attack.
	HTTPPorts []int `json:"http_ports"`
	// TLSPorts are the TCP ports on which Handler is served over HTTPS,
	// with the device's own key (see TLSKey).
	TLSPorts []int `json:"tls_ports,omitempty"`
	// Attack, set on hostile devices only, is what the device does to a
	// client that connects to its HTTPPorts, in place of a family's API.
	Attack Attack `json:"attack,omitempty"`

	mu    sync.Mutex
	state state
	// cert is the device's TLS key and certificate, made when first served.
	cert *tls.Certificate
	// credentialRequests is what CredentialRequests returns (credentials.go).
	credentialRequests []string
	// clock is what SetClock set; nil means time.Now.
	clock atomic.Pointer[func() time.Time]
}

// state is what a device remembers and may change through its API.
// It never leaves the process: passwords are not part of the manifest.
type state struct {
	// authEnabled reports whether the device asks for a password.
	authEnabled bool
	// password is the current password when authEnabled is set.
	password string
	// latestFirmware is the newest firmware the vendor offers this device.
	latestFirmware string
	// life is what the write side of the family APIs remembers: pending
	// reboots, updates and resets, and per-family settings (http_lifecycle.go).
	life lifeState
}

// Handler returns the device's HTTP API, or nil when the family serves none.
// Requests that carry a credential are recorded (see CredentialRequests).
func (d *Device) Handler() http.Handler {
	newHandler, ok := familyHandlers[d.Family]
	if !ok {
		return nil
	}
	return recordCredentials(d, newHandler(d))
}

// familyHandlers builds each family's HTTP API. Families that serve no HTTP
// (Matter) have no entry.
var familyHandlers = map[Family]func(*Device) http.Handler{}

// AuthEnabled reports whether the device currently asks for a password.
func (d *Device) AuthEnabled() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state.authEnabled
}
