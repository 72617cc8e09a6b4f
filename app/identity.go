package app

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
	_ "github.com/porchlight/porchlight/devices/driver/all" // every family's driver
	"github.com/porchlight/porchlight/devices/identify"
)

// ErrNotClaimed: Porchlight acts only on devices the person claimed.
var ErrNotClaimed = errors.New("this device is not marked as yours; claim it first ('porchlight claim DEVICE')")

// IdentityProblem says why a device could not prove it is the one the
// person claimed.
type IdentityProblem int

// The identity problems.
const (
	// NeverLearned: when the device was claimed, it showed no hardware
	// identity, so there is nothing it could prove now.
	NeverLearned IdentityProblem = iota + 1
	// OtherDevice: a device answered in its place with another hardware
	// identity (or as another kind of device).
	OtherDevice
	// Hidden: a device answered as its kind but did not show its hardware
	// identity without a password (Tasmota hides it once it has one).
	Hidden
	// NewKey: a device answered with the right hardware identity but not
	// over HTTPS with the key pinned when it was claimed: a replayed
	// identity, or a device that was reset or replaced.
	NewKey
)

// IdentityError reports a claimed device that did not prove its identity:
// nothing was sent to it. The person decides whether it was replaced (then
// they forget it and claim the new one).
type IdentityError struct {
	// ID and Name are the claimed device's.
	ID, Name string
	Problem  IdentityProblem
	// Addr is where the device that failed the proof answered (invalid
	// for NeverLearned).
	Addr netip.Addr
}

func (e *IdentityError) Error() string {
	switch e.Problem {
	case NeverLearned:
		return fmt.Sprintf("Porchlight cannot confirm that the device is your %q: it showed no hardware identity when you claimed it; nothing was sent. If you are sure it is yours, forget it and claim it again", e.Name)
	case Hidden:
		return fmt.Sprintf("Porchlight cannot confirm that the device at %s is your %q: it shows its hardware identity only with its password; nothing was sent. If it was replaced, forget it and claim the new one", e.Addr, e.Name)
	case NewKey:
		return fmt.Sprintf("the device at %s answers as your %q but not with the encryption key it had when you claimed it; nothing was sent. If you reset or replaced it, forget it and claim it again", e.Addr, e.Name)
	default:
		return fmt.Sprintf("the device at %s is not your %q: it reports another hardware identity; nothing was sent. If you replaced it, forget the old one and claim the new one", e.Addr, e.Name)
	}
}

// Claim marks the devices with ids as the person's own, optionally naming
// one and placing it in a room: Porchlight acts only on claimed devices.
// It reads each device's identity now, at its address, and pins what the
// device itself answered (family and hardware identity): before any secret
// is sent, the device must prove that identity again. Claiming again
// learns the identity anew (after the person replaced a device).
func (c *Core) Claim(ctx context.Context, ids []string, name, room string) error {
	var errs []error
	for _, id := range ids {
		inv, ok := c.Inventory.Get(id)
		if !ok {
			errs = append(errs, fmt.Errorf("%w: %q", ErrNoSuchDevice, id))
			continue
		}
		pin := c.learn(ctx, inv)
		errs = append(errs, c.Inventory.Update(id, func(d *inventory.Device) {
			d.Claimed, d.Pinned = true, pin
			if name != "" && name != d.Name { // the person named it
				d.Name, d.Named = name, true
			}
			if room != "" {
				d.Room = room
			}
		}))
	}
	return errors.Join(errs...)
}

// learn reads what the device answers about itself at each of its
// addresses, and returns the identity of the first that answered with its
// family (for a camera, see learnCamera); the zero Pinned when none did.
func (c *Core) learn(ctx context.Context, inv Record) inventory.Pinned {
	if s, ok := cameraService(inv); ok {
		return c.learnCamera(ctx, inv, s)
	}
	for _, a := range inv.Addresses {
		if devhttp.CheckLocal(a) != nil {
			continue
		}
		id := identify.IdentifyAt(ctx, c.env.Network.Dialer(), asDevice(inv), a, 0)
		if id.Family == identify.Unknown {
			continue
		}
		pin := inventory.Pinned{Family: string(id.Family), Learned: time.Now().UTC(), TLSKey: id.TLSKey, TLSPort: id.TLSPort}
		if id.HardwareIDAnswered {
			pin.HardwareID, pin.ProvenAt = id.HardwareID, a
		}
		return pin
	}
	return inventory.Pinned{}
}

// pinClaimedBefore pins devices claimed before Porchlight pinned
// identities at claim time: their recorded family and hardware identity
// become the pinned ones, and their names count as the person's (a device's
// own name never replaces them). Runs once per data directory, at open.
func pinClaimedBefore(store *inventory.Store) error {
	return store.Batch(func(b *inventory.Batch) {
		for _, d := range b.Devices() {
			if d.Claimed && d.Pinned.Family == "" && d.Family != "" {
				b.Update(d.ID, func(d *inventory.Device) {
					d.Pinned = inventory.Pinned{Family: d.Family, HardwareID: d.HardwareID, Learned: time.Now().UTC()}
					d.Named = true
				})
			}
		}
	})
}

// target finds the claimed device with id, its driver and an address
// where it proves the identity pinned when it was claimed: the device
// there answers, itself, with the pinned hardware identity. It tries the
// address of the last proof first, then the remembered ones, then those a
// new scan finds. Where no device proves it, nothing is sent and the error
// is an *IdentityError (or wraps driver.ErrUnreachable when nothing
// answered at all).
func (c *Core) target(ctx context.Context, id string) (driver.Driver, driver.Target, error) {
	return c.locate(ctx, id, true)
}

// locate is target, looking for the device with a scan only when scan is set.
func (c *Core) locate(ctx context.Context, id string, scan bool) (driver.Driver, driver.Target, error) {
	inv, ok := c.Inventory.Get(id)
	if !ok {
		return nil, driver.Target{}, fmt.Errorf("%w: %q", ErrNoSuchDevice, id)
	}
	if !inv.Claimed {
		return nil, driver.Target{}, ErrNotClaimed
	}
	pin := inv.Pinned
	d, ok := driver.For(pin.Family)
	if !ok {
		d, ok = driver.For(inv.Family)
		if !ok {
			return nil, driver.Target{}, fmt.Errorf("%w: Porchlight cannot act on this device itself; 'porchlight check' shows the steps", driver.ErrUnsupported)
		}
	}
	if pin.HardwareID == "" {
		return nil, driver.Target{}, &IdentityError{ID: inv.ID, Name: inv.Name, Problem: NeverLearned}
	}
	p := prover{c: c, inv: inv}
	if t, ok := p.try(ctx, append([]netip.Addr{pin.ProvenAt}, inv.Addresses...), inv); ok {
		return d, t, p.proved(t)
	}
	if !scan {
		return nil, driver.Target{}, p.failure()
	}
	res, err := c.env.Network.Scan(ctx, ScanOptions{}, nil)
	if err != nil {
		return nil, driver.Target{}, fmt.Errorf("looking for the device on the network: %w", err)
	}
	for _, found := range res.Devices {
		if found.ID != inv.ID {
			continue
		}
		if err := c.Remember([]Device{found}); err != nil {
			return nil, driver.Target{}, err
		}
		seen := inv
		seen.Services = found.Services
		if t, ok := p.try(ctx, found.Addresses, seen); ok {
			return d, t, p.proved(t)
		}
	}
	return nil, driver.Target{}, p.failure()
}

// prover tries addresses for a device's proof of identity and remembers
// what answered instead.
type prover struct {
	c   *Core
	inv Record
	// ask is what one address shows of the pinned identity (identified,
	// as the device's driver family answers, when nil).
	ask func(ctx context.Context, a netip.Addr, seen Record) (proof, driver.Target)
	// tried are the addresses asked already.
	tried []netip.Addr
	// other, hidden and newKey are where a device failed the proof, and how.
	other, hidden, newKey netip.Addr
}

// proof is what one address showed of a device's pinned identity.
type proof int

const (
	// absent: nothing (or nothing known) answered there.
	absent proof = iota
	// otherDevice: another device answered (another family or hardware ID).
	otherDevice
	// hidden: the right family answered without showing its hardware ID.
	hidden
	// newKey: it answered with a TLS key other than the pinned one.
	newKey
	// proven: the device proved the pinned identity.
	proven
)

// try asks each address not tried yet, in order, and returns a target at
// the first where the device proves the pinned identity.
func (p *prover) try(ctx context.Context, addrs []netip.Addr, seen Record) (driver.Target, bool) {
	ask := p.ask
	if ask == nil {
		ask = p.identified
	}
	for _, a := range addrs {
		a = a.Unmap()
		if !a.IsValid() || slices.Contains(p.tried, a) || devhttp.CheckLocal(a) != nil {
			continue
		}
		p.tried = append(p.tried, a)
		switch got, t := ask(ctx, a, seen); got {
		case otherDevice:
			p.other = firstValid(p.other, a)
		case hidden:
			p.hidden = firstValid(p.hidden, a)
		case newKey:
			p.newKey = firstValid(p.newKey, a)
		case proven:
			return t, true
		}
	}
	return driver.Target{}, false
}

// identified is what the device at a answers, identified as its family's
// driver sees it (seen is what it announced), against the pinned identity.
func (p *prover) identified(ctx context.Context, a netip.Addr, seen Record) (proof, driver.Target) {
	pin := p.inv.Pinned
	dev := asDevice(seen)
	got := identify.IdentifyAt(ctx, p.c.env.Network.Dialer(), dev, a, 0)
	switch {
	case got.Family == identify.Unknown && got.HardwareID == "":
		return absent, driver.Target{}
	case string(got.Family) != pin.Family || (got.HardwareIDAnswered && got.HardwareID != pin.HardwareID):
		return otherDevice, driver.Target{}
	case !got.HardwareIDAnswered:
		return hidden, driver.Target{}
	case pin.TLSKey != "" && got.TLSKey != pin.TLSKey:
		return newKey, driver.Target{}
	case pin.TLSKey != "":
		return proven, driver.Target{ID: p.inv.ID, Addr: a, Port: pin.TLSPort, Key: pin.TLSKey, Net: p.c.env.Network.Dialer()}
	}
	return proven, driver.Target{ID: p.inv.ID, Addr: a, Port: webPort(dev), Net: p.c.env.Network.Dialer()}
}

// firstValid keeps the first address seen.
func firstValid(first, a netip.Addr) netip.Addr {
	if first.IsValid() {
		return first
	}
	return a
}

// proved records where the device proved its identity (nothing is written
// when that is where it proved it last time).
func (p *prover) proved(t driver.Target) error {
	return p.c.Inventory.Update(p.inv.ID, func(d *inventory.Device) {
		d.Pinned.ProvenAt = t.Addr
		if !slices.Contains(d.Addresses, t.Addr) {
			d.Addresses = append([]netip.Addr{t.Addr}, d.Addresses...)
		}
	})
}

// failure is the error when no address proved the identity.
func (p *prover) failure() error {
	switch {
	case p.other.IsValid():
		return &IdentityError{ID: p.inv.ID, Name: p.inv.Name, Problem: OtherDevice, Addr: p.other}
	case p.newKey.IsValid():
		return &IdentityError{ID: p.inv.ID, Name: p.inv.Name, Problem: NewKey, Addr: p.newKey}
	case p.hidden.IsValid():
		return &IdentityError{ID: p.inv.ID, Name: p.inv.Name, Problem: Hidden, Addr: p.hidden}
	}
	return fmt.Errorf("%s was not found on the network: %w", p.inv.Name, driver.ErrUnreachable)
}

// webPort is the port of the device's web API (0 lets the driver choose).
func webPort(d Device) int {
	for _, s := range d.Services {
		if s.Type == "_http._tcp" && s.Port > 0 {
			return s.Port
		}
	}
	return 0
}

// lastSeen returns the driver of the device with id and where it was last
// seen, for reporting on a device that no longer answers (nothing secret
// is sent there); a nil driver when either is unknown.
func (c *Core) lastSeen(id string) (driver.Driver, driver.Target) {
	inv, ok := c.Inventory.Get(id)
	d, known := driver.For(inv.Family)
	if !ok || !known || len(inv.Addresses) == 0 {
		return nil, driver.Target{}
	}
	return d, driver.Target{ID: id, Addr: discover.PreferredAddress(inv.Addresses), Port: webPort(asDevice(inv)), Net: c.env.Network.Dialer()}
}

// keptRead asks a claimed device about its firmware with the password
// Porchlight keeps for it, once the device proved its identity at an
// address it is known at (no scan); nil when Porchlight keeps no password,
// the family cannot be asked, or the device did not answer or prove itself.
func (c *Core) keptRead(ctx context.Context, id string) *checkup.KeptRead {
	inv, ok := c.Inventory.Get(id)
	if !ok || !inv.Claimed || len(inv.Secrets) == 0 {
		return nil
	}
	creds, err := c.credentials(ctx, id)
	if err != nil || creds == nil {
		return nil
	}
	d, t, err := c.locate(ctx, id, false)
	if err != nil {
		return nil
	}
	info, err := d.CheckUpdate(ctx, t, creds)
	if err != nil {
		return nil
	}
	return &checkup.KeptRead{Current: info.Current, Available: info.Available, Tells: d.Capabilities().Update}
}
