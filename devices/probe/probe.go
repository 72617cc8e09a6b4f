// Package probe observes what a device exposes on the network: which of a
// short list of ports accept connections, whether its web interfaces use
// TLS, whether its management interface answers without a password, and
// what its announcements give away. It only ever reads: it never writes to a
// device to test it, and every exchange is bounded (see devhttp).
package probe

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
)

// Ports are the TCP ports probed on every device: remote shells and file
// transfer (21 FTP, 22 SSH, 23 and 2323 telnet, 5555 Android debugging),
// web interfaces (80, 443, 8080, 8443), video (554 RTSP), messaging (1883
// MQTT without TLS), ESPHome's native API (6053), ISP remote management
// (7547 TR-069) and Elgato's API (9123).
var Ports = []int{21, 22, 23, 2323, 80, 443, 554, 1883, 5555, 6053, 7547, 8080, 8443, 9123}

// Defaults for Options.
const (
	DefaultTimeout     = 2 * time.Second
	DefaultConcurrency = 8
)

// Options bounds a probe.
type Options struct {
	// Timeout bounds each connection and each exchange (DefaultTimeout when zero).
	Timeout time.Duration
	// Network reaches the device (the real network when nil).
	Network devhttp.Network
	// Concurrency bounds the connections open at once to one device
	// (DefaultConcurrency when zero).
	Concurrency int
}

// Report is what a probe observed on one device.
type Report struct {
	// Address is the address probed.
	Address netip.Addr `json:"address"`
	// OpenPorts are the probed ports that accepted a connection, sorted.
	OpenPorts []int `json:"open_ports"`
	// Web describes each web interface found.
	Web []Web `json:"web"`
	// Management is the read of the family's management interface without
	// a password, when the family has one that can be read.
	Management *Management `json:"management,omitempty"`
	// Announced holds what the device's announcements give away.
	Announced Announced `json:"announced"`
	// Errors lists what could not be observed, and why.
	Errors []string `json:"errors,omitempty"`
}

// Web is one web interface of a device.
type Web struct {
	Port int  `json:"port"`
	TLS  bool `json:"tls"`
	// Status is the answer to GET /, 0 when there was none.
	Status int `json:"status"`
	// RedirectsToTLS is set when a plain-HTTP interface sends people to https.
	RedirectsToTLS bool `json:"redirects_to_tls,omitempty"`
	// TLSInfo describes the TLS connection, for TLS interfaces.
	TLSInfo *devhttp.TLSInfo `json:"tls_info,omitempty"`
	// Error says why the interface could not be read.
	Error string `json:"error,omitempty"`
}

// Management is a read of a family's management interface without a password.
type Management struct {
	// Asked is the request, e.g. "GET http://127.77.0.1:80/settings".
	Asked  string `json:"asked"`
	Status int    `json:"status"`
	// Open is set when the interface answered with its configuration
	// without asking for a password; false when it asked for one.
	Open bool `json:"open"`
	// Error says why it could not be read (Open is then meaningless).
	Error string `json:"error,omitempty"`
}

// Announced holds security-relevant facts from a device's announcements.
type Announced struct {
	// CredentialKeys lists TXT keys that carry a username or password
	// (OctoPrint's discovery plugin announces "u" and "p").
	CredentialKeys []string `json:"credential_keys,omitempty"`
	// HomeKitUnpaired: the HomeKit status flags say the accessory is not
	// paired (sf bit 0), so anyone with its setup code can take it.
	HomeKitUnpaired bool `json:"homekit_unpaired,omitempty"`
	// MatterCommissioningOpen: the Matter commissioning window is open (CM ≠ 0).
	MatterCommissioningOpen bool `json:"matter_commissioning_open,omitempty"`
	// ESPHomeAPIUnencrypted: ESPHome's native API has no encryption key
	// (TXT api_encryption_supported without api_encryption).
	ESPHomeAPIUnencrypted bool `json:"esphome_api_unencrypted,omitempty"`
	// Services counts the announced services.
	Services int `json:"services"`
}

// Probe observes d, identified as id. It never fails as a whole: what could
// not be observed is listed in Report.Errors.
func Probe(ctx context.Context, d discover.Device, id identify.Identity, opts Options) Report {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	r := Report{Announced: announced(d)}
	addr := discover.PreferredAddress(d.Addresses)
	if !addr.IsValid() {
		r.Errors = append(r.Errors, "the device announced no address")
		return r
	}
	r.Address = addr
	if err := devhttp.CheckLocal(addr); err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	r.OpenPorts = devhttp.OpenPorts(ctx, opts.Network, addr, portsFor(d, id.Family), timeout, conc)
	c := devhttp.New(opts.Network, addr, timeout)
	r.Web = webInterfaces(ctx, c, r.OpenPorts)
	r.Management = management(ctx, c, d, id)
	return r
}

// familyPorts are the ports a family serves without announcing them
// (device-apis.md §3.8, §3.11).
var familyPorts = map[identify.Family][]int{
	identify.Chromecast: {8008},
	identify.Sonos:      {1400},
}

// portsFor is Ports, the family's own ports and the ports the device
// announced services on.
func portsFor(d discover.Device, f identify.Family) []int {
	ports := slices.Clone(Ports)
	for _, p := range familyPorts[f] {
		if !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	for _, s := range d.Services {
		if s.Port > 0 && !slices.Contains(ports, s.Port) && !strings.HasSuffix(s.Type, "._udp") {
			ports = append(ports, s.Port)
		}
	}
	slices.Sort(ports)
	return ports
}

// webPorts are the probed ports that usually carry a web interface, and
// whether they speak TLS.
var webPorts = map[int]bool{80: false, 8080: false, 443: true, 8443: true}

// webInterfaces reads GET / on each open web port.
func webInterfaces(ctx context.Context, c *devhttp.Client, open []int) []Web {
	var webs []Web
	for _, port := range open {
		useTLS, ok := webPorts[port]
		if !ok {
			continue
		}
		w := Web{Port: port, TLS: useTLS}
		res, err := c.Do(ctx, devhttp.Request{TLS: useTLS, Port: port, Path: "/"})
		if err != nil {
			w.Error = devtext.Clean(err.Error(), devtext.Message)
		}
		if res != nil {
			w.Status, w.TLSInfo = res.Status, res.TLS
			w.RedirectsToTLS = !useTLS && strings.HasPrefix(strings.ToLower(res.Location), "https://")
		}
		webs = append(webs, w)
	}
	return webs
}

// managementReads names, per family, the read that shows whether its
// management interface answers without a password (device-apis.md §3).
var managementReads = map[identify.Family]string{
	identify.ShellyGen1: "/settings",
	identify.ShellyGen2: "/rpc/Shelly.GetConfig",
	identify.Tasmota:    "/cm?cmnd=Status%200",
	identify.Elgato:     "/elgato/lights",
	identify.WLED:       "/json/state",
}

// management reads the family's management interface without a password.
func management(ctx context.Context, c *devhttp.Client, d discover.Device, id identify.Identity) *Management {
	path, ok := managementReads[id.Family]
	if !ok {
		return nil
	}
	port := 80
	if id.Family == identify.Elgato {
		port = 9123
	}
	for _, s := range d.Services {
		if (s.Type == "_http._tcp" || s.Type == "_elg._tcp") && s.Port > 0 {
			port = s.Port
		}
	}
	res, err := c.Do(ctx, devhttp.Request{Port: port, Path: path})
	m := &Management{Asked: res.Asked, Status: res.Status}
	switch {
	case err != nil:
		m.Error = devtext.Clean(err.Error(), devtext.Message)
	case res.Status == 401 || res.Status == 403:
		m.Open = false
	case res.Status >= 200 && res.Status <= 299 && !res.Truncated && looksLikeJSON(res.Body):
		m.Open = true
	default:
		m.Error = "unexpected answer " + strconv.Itoa(res.Status)
	}
	return m
}

func looksLikeJSON(b []byte) bool {
	s := strings.TrimSpace(string(b))
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// announced reads what d's TXT records give away.
func announced(d discover.Device) Announced {
	a := Announced{Services: len(d.Services)}
	for _, s := range d.Services {
		switch s.Type {
		case "_hap._tcp", "_hap._udp":
			if sf, err := strconv.Atoi(s.TXT["sf"]); err == nil && sf&1 == 1 {
				a.HomeKitUnpaired = true
			}
		case "_matterc._udp":
			if cm := s.TXT["cm"]; cm != "" && cm != "0" {
				a.MatterCommissioningOpen = true
			}
		case "_esphomelib._tcp":
			_, supported := s.TXT["api_encryption_supported"]
			_, used := s.TXT["api_encryption"]
			a.ESPHomeAPIUnencrypted = supported && !used
		}
		for _, k := range []string{"u", "user", "username", "p", "pass", "password", "passwd", "pwd"} {
			if _, ok := s.TXT[k]; ok && !slices.Contains(a.CredentialKeys, k) {
				a.CredentialKeys = append(a.CredentialKeys, k)
			}
		}
	}
	return a
}
