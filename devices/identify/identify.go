// Package identify tells what a discovered device is: its family, vendor,
// model, firmware and hardware identity. It reads what the device announced
// (TXT records) and makes at most two unauthenticated, read-only requests
// per device, chosen by what it announced; it decides by content, never by
// service type alone (Tasmota can pose as Shelly, Hue or WeMo). A device it
// cannot place stays an "unknown device", with what was seen.
package identify

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/discover"
)

// Family names a device family; the values match the catalog's family IDs.
type Family string

// The families Porchlight knows.
const (
	Unknown    Family = "unknown"
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
)

// Identity is what a device is, with the evidence.
type Identity struct {
	Family Family `json:"family"`
	// Vendor is the maker's name: the catalog's when a rule recognised the
	// maker (VendorID), else the maker the device named itself, else empty.
	Vendor string `json:"vendor,omitempty"`
	// VendorID is the catalog vendor a rule recognised, empty when none did.
	VendorID string `json:"vendor_id,omitempty"`
	// Kind is what sort of device it is (a catalog.Kind), empty when
	// nothing it announced says.
	Kind     string `json:"kind,omitempty"`
	Model    string `json:"model,omitempty"`
	Firmware string `json:"firmware,omitempty"`
	// Name is the name the device reports for itself (a Shelly's, a
	// Tasmota's DeviceName, a WLED's), when it reports one.
	Name string `json:"name,omitempty"`
	// HardwareID is a hardware identity the device reported (MAC, bridge
	// id, printer UUID), lower-case, when it reported one.
	HardwareID string `json:"hardware_id,omitempty"`
	// HardwareIDAnswered is set when HardwareID came from the device's own
	// answer at the address asked, not from its announcement: anyone on the
	// network can copy an announcement, so only an answered hardware ID
	// proves which device is there.
	HardwareIDAnswered bool `json:"hardware_id_answered,omitempty"`
	// TLSKey is the SHA-256 of the public key (SPKI) the device answered
	// with over HTTPS on TLSPort, hex; empty when it was not asked over
	// HTTPS.
	TLSKey  string `json:"tls_key,omitempty"`
	TLSPort int    `json:"tls_port,omitempty"`
	// Reported holds security-relevant facts the device volunteered.
	Reported Reported `json:"reported"`
	// Evidence lists what was read to reach this identity.
	Evidence []Evidence `json:"evidence"`
}

// Reported holds facts a device volunteered while being identified; nil
// means it said nothing about it.
type Reported struct {
	// AuthEnabled: whether the device says it asks for a password.
	AuthEnabled *bool `json:"auth_enabled,omitempty"`
	// UpdateAvailable: whether the device says newer firmware is available,
	// and NewFirmware which.
	UpdateAvailable *bool  `json:"update_available,omitempty"`
	NewFirmware     string `json:"new_firmware,omitempty"`
	// CloudEnabled: whether the device says it talks to its vendor's cloud.
	CloudEnabled *bool `json:"cloud_enabled,omitempty"`
	// SettingsPIN: whether the device's settings ask for a PIN (WLED, whose
	// controls never ask for one).
	SettingsPIN *bool `json:"settings_pin,omitempty"`
}

// Evidence is one thing read from a device: a request and the gist of the
// answer, or a TXT record.
type Evidence struct {
	// Asked is the request ("GET http://…/shelly") or the record ("TXT _hap._tcp").
	Asked string `json:"asked"`
	// Status is the HTTP status, 0 for a TXT record or a failed request.
	Status int `json:"status,omitempty"`
	// Saw is a short, display-safe summary of the answer.
	Saw string `json:"saw"`
}

// MaxRequests is the most requests Identify sends to one device.
const MaxRequests = 2

// Identify tells what d is, reached through n (the real network when nil). It never fails: a device that cannot be placed
// is Unknown, and a request that fails is recorded as evidence.
func Identify(ctx context.Context, n devhttp.Network, d discover.Device, timeout time.Duration) Identity {
	return IdentifyAt(ctx, n, d, discover.PreferredAddress(d.Addresses), timeout)
}

// IdentifyAt is Identify with its requests sent to addr, one of the
// device's addresses, through n (the real network when nil).
func IdentifyAt(ctx context.Context, n devhttp.Network, d discover.Device, addr netip.Addr, timeout time.Duration) Identity {
	var c asker
	if addr.IsValid() {
		c = devhttp.New(n, addr, timeout)
	}
	return identifyThrough(ctx, d, c)
}

// asker sends one request to the device and returns its answer: a
// devhttp.Client, or in tests a device in memory (devhttptest.Device).
type asker interface {
	Do(ctx context.Context, r devhttp.Request) (*devhttp.Response, error)
	Addr() netip.Addr
}

// identifyThrough tells what d is, asking it through c (nothing is asked
// when c is nil).
func identifyThrough(ctx context.Context, d discover.Device, c asker) Identity {
	p := &prober{d: d, c: c}
	id := p.identify(ctx)
	if id.Family == "" {
		id.Family = Unknown
	}
	p.recognise(&id)
	id.clean()
	id.Evidence = p.evidence
	return id
}

// clean makes every string of id that a device gave, whichever family rule
// read it (from TXT, JSON, XML or IPP, alone or joined with others), safe
// to show and at most devtext.Name characters long. The rules compare what
// the device said; only clean text leaves the package. Evidence is cleaned
// where it is recorded (see summary).
func (id *Identity) clean() {
	for _, s := range []*string{&id.Vendor, &id.Model, &id.Firmware, &id.HardwareID, &id.Reported.NewFirmware} {
		*s = devtext.Clean(*s, devtext.Name)
	}
	id.Name = devtext.Clean(id.Name, devtext.Label) // a name, like an instance name
}

// prober holds one identification's state.
type prober struct {
	d        discover.Device
	c        asker
	requests int
	evidence []Evidence
	// triedShelly is set once /shelly was asked, so it is asked only once.
	triedShelly bool
}

// identify applies the family rules in order of how specific their signal is.
func (p *prober) identify(ctx context.Context) Identity {
	for _, rule := range []func(context.Context) (Identity, bool){
		p.shellyByAnnouncement, p.wled, p.esphome, p.hue, p.cast, p.homekit, p.matter,
		p.sonos, p.elgato, p.octoprint, p.printer, p.byContent,
	} {
		if id, ok := rule(ctx); ok {
			return id
		}
	}
	return Identity{Family: Unknown}
}

// service returns the first service of type typ.
func (p *prober) service(typ string) (discover.Service, bool) {
	i := slices.IndexFunc(p.d.Services, func(s discover.Service) bool { return s.Type == typ })
	if i < 0 {
		return discover.Service{}, false
	}
	return p.d.Services[i], true
}

// txt records a service's TXT record as evidence and returns it.
func (p *prober) txt(s discover.Service) map[string]string {
	keys := make([]string, 0, len(s.TXT))
	for k := range s.TXT {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + s.TXT[k]
	}
	p.evidence = append(p.evidence, Evidence{Asked: "TXT " + s.Type + " " + s.Instance, Saw: summary(strings.Join(pairs, " "))})
	return s.TXT
}

// getJSON makes one of the device's MaxRequests requests and records it.
func (p *prober) getJSON(ctx context.Context, port int, path string, v any) bool {
	res, ok := p.get(ctx, port, path)
	return ok && p.decoded(res, v)
}

// decoded decodes the JSON answer of the last request into v; when it
// cannot, its evidence says why.
func (p *prober) decoded(res *devhttp.Response, v any) bool {
	if err := decodeJSON(res, v); err != nil {
		p.evidence[len(p.evidence)-1].Saw = summary(err.Error())
		return false
	}
	return true
}

// get makes one of the device's MaxRequests requests, a GET, and records it
// (see send).
func (p *prober) get(ctx context.Context, port int, path string) (*devhttp.Response, bool) {
	return p.send(ctx, devhttp.Request{Port: port, Path: path})
}

// send makes one of the device's MaxRequests requests and records it. It
// reports false when the budget is spent, the device has no address, or the
// request failed; a non-2xx answer is returned (and recorded) with true.
func (p *prober) send(ctx context.Context, req devhttp.Request) (*devhttp.Response, bool) {
	if p.c == nil || p.requests >= MaxRequests {
		return nil, false
	}
	p.requests++
	res, err := p.c.Do(ctx, req)
	ev := Evidence{Asked: res.Asked, Status: res.Status}
	if err != nil {
		ev.Saw = summary(err.Error())
		p.evidence = append(p.evidence, ev)
		return nil, false
	}
	ev.Saw = summary(string(res.Body))
	p.evidence = append(p.evidence, ev)
	return res, true
}

// httpPort is the port of the device's web service (80 when it announces none).
func (p *prober) httpPort() int {
	if s, ok := p.service("_http._tcp"); ok && s.Port > 0 {
		return s.Port
	}
	return 80
}

// summary makes an answer safe and short enough to show as evidence.
func summary(s string) string {
	return devtext.Clean(s, devtext.Summary)
}

// normaliseMAC turns "A8:03:2A:B1:23:45" or "a8032ab12345" into "a8032ab12345",
// or "" when s is not a MAC.
func normaliseMAC(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
			b.WriteRune(c)
		case c == ':' || c == '-' || c == '.':
		default:
			return ""
		}
	}
	if b.Len() != 12 {
		return ""
	}
	return b.String()
}

// boolPtr returns a pointer to b.
func boolPtr(b bool) *bool { return &b }

// answeredID records hw, read from the device's own answer, as its hardware
// identity; an empty hw changes nothing.
func (id *Identity) answeredID(hw string) {
	if hw != "" {
		id.HardwareID, id.HardwareIDAnswered = hw, true
	}
}

// String describes an identity in a few words, e.g. "Shelly Plus Plug S (1.4.4)".
func (id Identity) String() string {
	name := cmp.Or(strings.TrimSpace(id.Vendor+" "+id.Model), "unknown device")
	if id.Firmware != "" {
		return fmt.Sprintf("%s (%s)", name, id.Firmware)
	}
	return name
}
