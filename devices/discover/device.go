package discover

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits on what the scanner keeps of one device.
const (
	// MaxDevices bounds the devices one scan keeps; announcements for more are
	// counted as dropped. A household has tens of devices, not thousands.
	MaxDevices = 1024
	// MaxServicesPerDevice bounds the services kept per device.
	MaxServicesPerDevice = 32
	// MaxAddressesPerDevice bounds the addresses kept per device.
	MaxAddressesPerDevice = 16
)

// Limits on what one sender (the source address of mDNS answers) may
// announce in a scan, so that a flood from one address cannot crowd out
// the rest of the household; what is over them is dropped and counted in
// Result.Dropped. A device answers for itself, but one address may answer
// for several: a Thread border router for the Matter accessories behind
// it, a sleep proxy for sleeping computers, a print server for its queues.
const (
	// MaxHostsPerSender bounds the host names one sender's answers add.
	MaxHostsPerSender = 64
	// MaxInstancesPerSender bounds the service instances one sender's
	// answers add.
	MaxInstancesPerSender = 128
	// MaxTypesPerSender bounds the service types beyond KnownTypes that
	// one sender's answers to the type enumeration add (of MaxExtraTypes).
	MaxTypesPerSender = 16
)

// Service is one DNS-SD service instance a device announces.
type Service struct {
	// Type is the service type, e.g. "_http._tcp".
	Type string `json:"type"`
	// Instance is the instance name as the person wrote it, decoded and made
	// safe for display.
	Instance string `json:"instance"`
	Port     int    `json:"port"`
	// TXT holds the TXT record's pairs (see ParseTXT); nil when empty.
	TXT map[string]string `json:"txt"`

	expires time.Time
}

// Device is everything announced by one host, merged.
type Device struct {
	// ID is the device's stable identity: a hardware identity announced in
	// TXT (Hue bridgeid, HomeKit id, WLED or ESPHome mac, Cast id) when there
	// is one, else the host name. It survives address changes.
	ID string `json:"id"`
	// Name is the friendliest name the device announces.
	Name string `json:"name"`
	// Host is the mDNS host name, e.g. "shelly1-b929cc.local".
	Host      string       `json:"host"`
	Addresses []netip.Addr `json:"addresses"`
	Services  []Service    `json:"services"`
	// Protocols names what the device was found over (ProtocolsOf its
	// services): "mdns", "ssdp".
	Protocols []string  `json:"protocols"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// clone returns a copy that shares nothing mutable with d.
func (d *Device) clone() Device {
	c := *d
	c.Addresses = slices.Clone(d.Addresses)
	c.Services = slices.Clone(d.Services)
	c.Protocols = slices.Clone(d.Protocols)
	return c
}

// merge folds one resolved service into d and reports whether anything a
// person would see changed.
func (d *Device) merge(s Service, addrs []netip.Addr, now time.Time) bool {
	changed := false
	d.LastSeen = now
	i := slices.IndexFunc(d.Services, func(o Service) bool { return o.Type == s.Type && o.Instance == s.Instance })
	switch {
	case i >= 0:
		old := d.Services[i]
		d.Services[i] = s
		changed = old.Port != s.Port || !mapsEqual(old.TXT, s.TXT)
	case len(d.Services) < MaxServicesPerDevice:
		d.Services = append(d.Services, s)
		slices.SortFunc(d.Services, compareServices)
		changed = true
	}
	for _, a := range addrs {
		if len(d.Addresses) >= MaxAddressesPerDevice {
			break
		}
		if !slices.Contains(d.Addresses, a) {
			d.Addresses = append(d.Addresses, a)
			changed = true
		}
	}
	slices.SortFunc(d.Addresses, netip.Addr.Compare)
	if changed {
		d.ID = identity(d.Host, d.Services)
		d.Name = friendlyName(d.Host, d.Services)
		d.Protocols = ProtocolsOf(d.Services)
	}
	return changed
}

// expire removes the services whose announcements ran out before now and
// reports whether any did.
func (d *Device) expire(now time.Time) bool {
	n := len(d.Services)
	d.Services = slices.DeleteFunc(d.Services, func(s Service) bool { return now.After(s.expires) })
	if len(d.Services) == n {
		return false
	}
	if len(d.Services) > 0 {
		d.ID = identity(d.Host, d.Services)
		d.Name = friendlyName(d.Host, d.Services)
		d.Protocols = ProtocolsOf(d.Services)
	}
	return true
}

func compareServices(a, b Service) int {
	return cmp.Or(cmp.Compare(typeRank(a.Type), typeRank(b.Type)), strings.Compare(a.Type, b.Type), strings.Compare(a.Instance, b.Instance))
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// hardwareIDs names, per service type, the TXT key that carries a hardware
// identity and the prefix of the identity built from it.
var hardwareIDs = []struct{ typ, key, prefix string }{
	{"_hue._tcp", "bridgeid", "hue-"},
	{"_hap._tcp", "id", "hap-"},
	{"_hap._udp", "id", "hap-"},
	{"_wled._tcp", "mac", "mac-"},
	{"_esphomelib._tcp", "mac", "mac-"},
	{"_axis-video._tcp", "macaddress", "mac-"},
	{"_googlecast._tcp", "id", "cast-"},
}

// identity picks a device's stable identity (see Device.ID).
func identity(host string, services []Service) string {
	for _, h := range hardwareIDs {
		for _, s := range services {
			if s.Type != h.typ {
				continue
			}
			if id := idToken(s.TXT[h.key]); len(id) >= 6 {
				return h.prefix + id
			}
		}
	}
	return idToken(strings.TrimSuffix(host, ".local"))
}

// idToken keeps the letters, digits and hyphens of s, in lower case, at most 64.
func idToken(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if b.Len() == 64 {
			break
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// nameKeys are TXT keys that carry the name a person gave the device.
var nameKeys = []struct{ typ, key string }{
	{"_googlecast._tcp", "fn"},
	{"_esphomelib._tcp", "friendly_name"},
	{"_matterc._udp", "dn"},
}

// friendlyName picks the name to show: a name the person gave in TXT, else
// the instance name of the most specific service, else the host name.
func friendlyName(host string, services []Service) string {
	for _, n := range nameKeys {
		for _, s := range services {
			if v := s.TXT[n.key]; s.Type == n.typ && v != "" {
				return devtext.Clean(v, devtext.Label) // a TXT value may be longer than a name
			}
		}
	}
	for _, s := range services { // sorted most specific first
		if s.Instance == "" {
			continue
		}
		if _, room, ok := strings.Cut(s.Instance, "@"); ok && s.Type == "_sonos._tcp" && room != "" {
			return room // Sonos announces "RINCON_<id>@<room>"
		}
		return s.Instance
	}
	return strings.TrimSuffix(host, ".local")
}

// Announcement is one service as a responder announces it, TXT as the raw
// strings on the wire.
type Announcement struct {
	Type     string
	Instance string
	Port     int
	TXT      []string
}

// FromAnnouncements builds the Device a scan reports for host (without
// ".local") announcing anns at addrs, with the same decoding, limits,
// identity and naming: the in-process demo household uses it in place of mDNS.
func FromAnnouncements(host string, addrs []netip.Addr, anns []Announcement, now time.Time) Device {
	d := &Device{Host: devtext.Clean(host+".local", devtext.Name), FirstSeen: now}
	for _, a := range anns {
		escaped := make([]string, len(a.TXT))
		for i, t := range a.TXT {
			escaped[i] = strings.ReplaceAll(t, `\`, `\\`) // ParseTXT takes the escaped form
		}
		d.merge(Service{Type: a.Type, Instance: devtext.Clean(a.Instance, devtext.Label), Port: a.Port, TXT: ParseTXT(escaped),
			expires: now.Add(expiryGrace)}, addrs, now)
	}
	return d.clone()
}

// PreferredAddress picks the address to reach a device at among those it
// announced, by rank: private or loopback IPv4 (RFC 1918, 127/8), then
// link-local IPv4 (169.254/16), then private or loopback IPv6 (ULA fc00::/7,
// ::1), then link-local IPv6 (fe80::/10), and only then any other address,
// such as a public one a device may announce; the first in the list among
// those of the best rank. It returns the zero (invalid) address when there
// is none.
func PreferredAddress(addrs []netip.Addr) netip.Addr {
	if len(addrs) == 0 {
		return netip.Addr{}
	}
	return slices.MinFunc(addrs, func(a, b netip.Addr) int { return cmp.Compare(addressRank(a), addressRank(b)) })
}

// addressRank orders addresses for PreferredAddress, lowest first. An
// IPv4-mapped IPv6 address ranks as the IPv4 address it carries.
func addressRank(a netip.Addr) int {
	a = a.Unmap()
	switch {
	case a.Is4() && (a.IsPrivate() || a.IsLoopback()):
		return 0
	case a.Is4() && a.IsLinkLocalUnicast():
		return 1
	case a.Is6() && (a.IsPrivate() || a.IsLoopback()):
		return 2
	case a.Is6() && a.IsLinkLocalUnicast():
		return 3
	}
	return 4
}
