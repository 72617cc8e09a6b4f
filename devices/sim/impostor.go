package sim

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Impostor asks the lab for a device that copies a household device's mDNS
// announcement: the same Family, Name, Host, services and TXT records, and
// the same family HTTP API, but with a MAC of its own and a state of its
// own (no password set: auth off). It is what a device that only copies
// the announcement looks like, so tests can check that no secret is sent
// to it.
type Impostor struct {
	// Of is the Host of the household device the impostor copies.
	Of string
	// Addr is where the impostor answers: an IPv4 loopback address no other
	// device uses. The zero Addr means the next free lab address (see Addr).
	Addr netip.Addr
	// SameAddress makes the impostor take over the copied device's own
	// address: the real device leaves the network (it is neither served nor
	// announced) and the impostor answers there instead. Addr must then be
	// zero or that address.
	SameAddress bool
	// SameMAC makes the impostor replay the copied device's MAC (its
	// hardware identity) in its answers too. It still has a TLS key of its
	// own: a copy cannot have the real device's private key.
	SameMAC bool
}

// impostorOUI prefixes the MACs of impostors: locally administered, so no
// vendor's, and not the hostile devices' prefix.
var impostorOUI = [3]byte{0x02, 0x1C, 0x05}

// newImpostors builds the impostors specs ask for, copying devices of the
// household. It also returns the household devices that left the network
// for an impostor that took over their address.
func newImpostors(household []*Device, specs []Impostor) ([]*Device, map[*Device]bool, error) {
	if len(specs) > MaxDevices {
		return nil, nil, fmt.Errorf("a lab has at most %d impostors, not %d", MaxDevices, len(specs))
	}
	used := map[netip.Addr]bool{ResponderAddr: true, FloodAddr: true}
	for _, d := range household {
		used[d.Addr] = true
	}
	left := make(map[*Device]bool)
	impostors := make([]*Device, 0, len(specs))
	next := 0 // the index of the next lab address that may be free
	for k, spec := range specs {
		i := slices.IndexFunc(household, func(d *Device) bool { return strings.EqualFold(d.Host, spec.Of) })
		if i < 0 {
			return nil, nil, fmt.Errorf("impostor %d: no device of the household has the host name %q", k+1, spec.Of)
		}
		copied := household[i]
		if copied.Attack != "" {
			return nil, nil, fmt.Errorf("impostor %d: %q is a hostile device serving an attack, which an impostor cannot copy", k+1, spec.Of)
		}
		addr := spec.Addr.Unmap()
		switch {
		case spec.SameAddress:
			if addr.IsValid() && addr != copied.Addr {
				return nil, nil, fmt.Errorf("impostor %d of %q: it takes over the address %s, not %s", k+1, spec.Of, copied.Addr, addr)
			}
			if left[copied] {
				return nil, nil, fmt.Errorf("impostor %d: another impostor took over the address of %q already", k+1, spec.Of)
			}
			addr, left[copied] = copied.Addr, true
		case addr.IsValid():
			if !addr.Is4() || !addr.IsLoopback() {
				return nil, nil, fmt.Errorf("impostor %d of %q: %s is not an IPv4 loopback address", k+1, spec.Of, addr)
			}
			if used[addr] {
				return nil, nil, fmt.Errorf("impostor %d of %q: the address %s is taken", k+1, spec.Of, addr)
			}
		default:
			for used[Addr(next)] {
				next++
			}
			addr = Addr(next)
		}
		used[addr] = true
		mac := macFor(impostorOUI, k)
		if spec.SameMAC {
			mac = copied.MAC
		}
		impostors = append(impostors, copied.impostor(addr, mac))
	}
	return impostors, left, nil
}

// impostor returns a copy of d's announcement and API at addr, with its own
// MAC and a fresh state: the firmware d runs and is offered, nothing else.
func (d *Device) impostor(addr netip.Addr, mac string) *Device {
	services := slices.Clone(d.Services)
	for i := range services {
		services[i].TXT = slices.Clone(services[i].TXT)
	}
	return &Device{
		Family: d.Family, Name: d.Name, Host: d.Host, Addr: addr, MAC: mac,
		Model: d.Model, Firmware: d.CurrentFirmware(), Services: services, HTTPPorts: slices.Clone(d.HTTPPorts), TLSPorts: slices.Clone(d.TLSPorts),
		state: state{latestFirmware: d.apiSnapshot().latestFirmware},
	}
}
