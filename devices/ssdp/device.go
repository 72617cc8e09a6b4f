package ssdp

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/discover"
)

// TXT keys of the service a root device becomes (see Service). Their
// values are the description's, cleaned.
const (
	KeyManufacturer = "manufacturer"
	KeyModel        = "model"
	KeyModelNumber  = "model_number"
	KeySerial       = "serial"
	KeyUDN          = "udn"
	KeyLocation     = "location"
	KeyServer       = "server"
	// KeyServices lists the service types of the root device and its
	// embedded devices, short ("WANIPConnection:2"), comma-separated.
	KeyServices = "services"
	// KeyDevices lists the embedded devices' types, short, comma-separated.
	KeyDevices = "devices"
	// KeyPresentation is the presentation (admin page) URL, as sent.
	KeyPresentation = "presentation"
	// KeyError says why the description could not be read.
	KeyError = "error"
)

// Service is f as one service of a device: its type is
// discover.UPnPTypePrefix and the root device's type (or "ssdp" when the
// description could not be read), its instance the friendly name, its
// port the description's, and its TXT what the description says.
func (f Found) Service() discover.Service {
	txt := map[string]string{KeyLocation: f.Location, KeyUDN: "uuid:" + f.UUID}
	if f.Server != "" {
		txt[KeyServer] = f.Server
	}
	s := discover.Service{Type: discover.UPnPTypePrefix + "ssdp", Port: f.Port, TXT: txt}
	if f.Err != "" {
		txt[KeyError] = f.Err
	}
	d := f.Description
	if d == nil {
		return s
	}
	r := d.Root
	s.Type = discover.UPnPTypePrefix + r.DeviceType
	s.Instance = r.FriendlyName
	set := func(k, v string) {
		if v != "" {
			txt[k] = devtext.Clean(v, devtext.Value)
		}
	}
	set(KeyManufacturer, r.Manufacturer)
	set(KeyModel, r.ModelName)
	set(KeyModelNumber, r.ModelNumber)
	set(KeySerial, r.SerialNumber)
	set(KeyUDN, r.UDN)
	set(KeyPresentation, r.PresentationURL)
	var services, devices []string
	for i, dev := range d.All() {
		if i > 0 {
			devices = append(devices, short(dev.DeviceType))
		}
		for _, sv := range dev.Services {
			if t := short(sv.ServiceType); !slices.Contains(services, t) {
				services = append(services, t)
			}
		}
	}
	set(KeyServices, strings.Join(services, ","))
	set(KeyDevices, strings.Join(devices, ","))
	return s
}

// short is the last two parts of a UPnP type URN: "WANIPConnection:2".
func short(urn string) string {
	parts := strings.Split(urn, ":")
	if len(parts) < 2 {
		return urn
	}
	return strings.Join(parts[len(parts)-2:], ":")
}

// Merge adds the root devices found over SSDP to the devices mDNS found:
// a root device at the address of an mDNS device becomes one more of its
// services; the same root device heard again at another address (a
// dual-stack device answering over IPv4 and IPv6: the same UUID, and its
// description's UDN says so) adds that address to its device; the others
// become devices of their own, one per address, identified by the first
// root device's UUID ("upnp-<uuid>"), with the address as host name. The
// result keeps mDNS's devices in order and adds the new ones after them,
// sorted by address (IPv4 first).
func Merge(mdns []discover.Device, found []Found) []discover.Device {
	out := slices.Clone(mdns)
	byAddr := map[netip.Addr]int{}
	for i, d := range out {
		for _, a := range d.Addresses {
			if _, ok := byAddr[a.Unmap()]; !ok {
				byAddr[a.Unmap()] = i
			}
		}
	}
	byUUID := map[string]int{}
	for _, f := range found {
		s := f.Service()
		i, ok := byAddr[f.Addr]
		if j, seen := byUUID[f.UUID]; !ok && seen && f.describes() {
			d := &out[j]
			d.Addresses = append(slices.Clone(d.Addresses), f.Addr)
			byAddr[f.Addr] = j
			if f.LastSeen.After(d.LastSeen) {
				d.LastSeen = f.LastSeen
			}
			continue
		}
		if !ok {
			id := "upnp-" + idToken(f.UUID)
			if slices.ContainsFunc(out, func(d discover.Device) bool { return d.ID == id }) {
				id += "-" + idToken(strings.NewReplacer(".", "-", ":", "-", "%", "-").Replace(f.Addr.String())) // another device claims the UUID
			}
			out = append(out, discover.Device{ID: id, Host: f.Addr.String(),
				Addresses: []netip.Addr{f.Addr}, FirstSeen: f.FirstSeen})
			i = len(out) - 1
			byAddr[f.Addr] = i
		}
		if _, seen := byUUID[f.UUID]; !seen && f.describes() {
			byUUID[f.UUID] = i
		}
		d := &out[i]
		d.Services = append(slices.Clone(d.Services), s)
		if f.LastSeen.After(d.LastSeen) {
			d.LastSeen = f.LastSeen
		}
		d.Protocols = discover.ProtocolsOf(d.Services)
		if !slices.Contains(d.Protocols, discover.ProtocolMDNS) {
			d.Name = ssdpName(d.Services, f.Addr)
		}
	}
	return out
}

// describes reports whether f's description was read and names the root
// device its messages did.
func (f Found) describes() bool {
	return f.Description != nil && f.UUID != "" && strings.EqualFold(f.Description.Root.UDN, "uuid:"+f.UUID)
}

// ssdpName is the name of a device found only over SSDP: a friendly name
// its root devices give (a router's IGD first), else its maker and model,
// else its address.
func ssdpName(services []discover.Service, addr netip.Addr) string {
	best := -1
	for i, s := range services {
		if s.Instance != "" && (best < 0 || IsGateway(s) && !IsGateway(services[best])) {
			best = i
		}
	}
	if best >= 0 {
		return services[best].Instance
	}
	for _, s := range services {
		if m := strings.TrimSpace(s.TXT[KeyManufacturer] + " " + s.TXT[KeyModel]); m != "" {
			return devtext.Clean(m, devtext.Label)
		}
	}
	return addr.String()
}

// IsGateway reports whether s is an Internet Gateway Device's root (a
// router that offers UPnP IGD).
func IsGateway(s discover.Service) bool {
	return strings.HasPrefix(strings.ToLower(s.Type), discover.UPnPTypePrefix+"urn:schemas-upnp-org:device:internetgatewaydevice:")
}

// idToken keeps the letters, digits and hyphens of s, lower case, at most 64.
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
