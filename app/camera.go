package app

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/wsd"
)

// CameraFamily is the pinned family of a camera claimed over ONVIF.
const CameraFamily = "onvif-camera"

// cameraTLSPort is where a camera serves its device service over HTTPS.
const cameraTLSPort = 443

// cameraTimeout bounds each request to a camera.
const cameraTimeout = 3 * time.Second

// cameraService returns the ONVIF camera service r announced over
// WS-Discovery, and whether it has one.
func cameraService(r Record) (discover.Service, bool) {
	i := slices.IndexFunc(r.Services, wsd.IsCamera)
	if i < 0 {
		return discover.Service{}, false
	}
	return r.Services[i], true
}

// cameraPath is the path of the camera's device service at addr.
func cameraPath(s discover.Service, addr netip.Addr) string {
	if _, path, err := wsd.ServiceURL(s.TXT[wsd.KeyXAddr], addr); err == nil {
		return path
	}
	return "/onvif/device_service"
}

// cameraDefault is the factory login the camera's maker documents for its
// model (the model a checkup found, else the one it announced), if any.
func cameraDefault(r Record) (catalog.CameraDefault, bool) {
	s, ok := cameraService(r)
	if !ok {
		return catalog.CameraDefault{}, false
	}
	for _, model := range []string{r.Model, s.TXT[wsd.KeyHardware]} {
		if d, ok, err := catalog.CameraDefaultFor(model); err == nil && ok {
			return d, true
		}
	}
	return catalog.CameraDefault{}, false
}

// learnCamera pins what a camera proves about itself without credentials:
// the key its device service answers with over HTTPS, which a copy of its
// announcement cannot have. A camera without HTTPS proves nothing, and
// gets the zero Pinned.
func (c *Core) learnCamera(ctx context.Context, inv Record, s discover.Service) inventory.Pinned {
	for _, a := range inv.Addresses {
		a = a.Unmap()
		if devhttp.CheckLocal(a) != nil {
			continue
		}
		key, err := wsd.Key(ctx, devhttp.New(c.env.Network.Dialer(), a, cameraTimeout), cameraTLSPort, cameraPath(s, a))
		if err != nil {
			continue
		}
		return inventory.Pinned{Family: CameraFamily, HardwareID: s.TXT[wsd.KeyUUID], TLSKey: key, TLSPort: cameraTLSPort,
			ProvenAt: a, Learned: time.Now().UTC()}
	}
	return inventory.Pinned{}
}

// cameraTarget finds where the claimed camera proves the key pinned when
// it was claimed (the prover's rules, each address asked for its key over
// HTTPS), and returns that address and its device service's path: nothing
// is sent elsewhere.
func (c *Core) cameraTarget(ctx context.Context, inv Record) (netip.Addr, string, error) {
	s, _ := cameraService(inv)
	pin := inv.Pinned
	if pin.Family != CameraFamily || pin.TLSKey == "" {
		return netip.Addr{}, "", &IdentityError{ID: inv.ID, Name: inv.Name, Problem: NeverLearned}
	}
	p := prover{c: c, inv: inv, ask: func(ctx context.Context, a netip.Addr, _ Record) (proof, driver.Target) {
		key, err := wsd.Key(ctx, devhttp.New(c.env.Network.Dialer(), a, cameraTimeout), pin.TLSPort, cameraPath(s, a))
		switch {
		case errors.Is(err, wsd.ErrNotONVIF):
			return otherDevice, driver.Target{}
		case err != nil:
			return absent, driver.Target{} // nothing answered here over HTTPS
		case key != pin.TLSKey:
			return newKey, driver.Target{}
		}
		return proven, driver.Target{ID: inv.ID, Addr: a, Port: pin.TLSPort, Key: pin.TLSKey}
	}}
	t, ok := p.try(ctx, append([]netip.Addr{pin.ProvenAt}, inv.Addresses...), inv)
	if !ok {
		return netip.Addr{}, "", p.failure()
	}
	return t.Addr, cameraPath(s, t.Addr), p.proved(t)
}

// tryCameraFactory tries, once, the factory login the camera's maker
// documents for its model, as the person asked, on the claimed camera inv:
// only where it proves the key pinned when it was claimed, over HTTPS to
// that key, as a PasswordDigest in a read-only GetDeviceInformation, at
// least factorypw.Spacing after the previous run's try. The result is kept
// in the inventory; the login never is.
func (c *Core) tryCameraFactory(ctx context.Context, inv Record, progress func(iface string)) (FactoryResult, error) {
	def, ok := cameraDefault(inv)
	if !ok {
		return FactoryResult{}, ErrNoFactoryPassword
	}
	if !inv.Claimed {
		return FactoryResult{}, ErrNotClaimed
	}
	addr, path, err := c.cameraTarget(ctx, inv)
	if err != nil {
		return FactoryResult{}, err
	}
	if prev := inv.FactoryPasswords; prev != nil && prev.Tried() {
		if d := time.Until(prev.LastSent().Add(factorypw.Spacing)); d > 0 {
			if err := driver.Wait(ctx, d); err != nil {
				return FactoryResult{}, err
			}
		}
	}
	if progress != nil {
		progress(catalog.InterfaceONVIF)
	}
	now := time.Now()
	a := factorypw.Attempt{Interface: catalog.InterfaceONVIF, At: now, Default: def.ID}
	client := devhttp.New(c.env.Network.Dialer(), addr, cameraTimeout)
	client.RequireKey(inv.Pinned.TLSKey)
	login, _, err := wsd.TryLogin(ctx, client, true, inv.Pinned.TLSPort, path, def.Username, def.Password, now)
	switch {
	case login == wsd.LoginAccepted:
		a.Outcome = factorypw.Accepted
	case login == wsd.LoginRefused:
		a.Outcome = factorypw.Refused
	case err != nil && errors.Is(err, context.Canceled):
		a.Outcome, a.Detail = factorypw.Failed, "stopped before the device answered"
	case err != nil:
		a.Outcome, a.Detail = factorypw.Failed, err.Error()
	default:
		a.Outcome, a.Detail = factorypw.Failed, "the device's answer could not be understood"
	}
	res := FactoryResult{Checked: now, Attempts: []factorypw.Attempt{a}}
	if err := c.Inventory.Update(inv.ID, func(d *inventory.Device) { d.FactoryPasswords = &res }); err != nil {
		return res, fmt.Errorf("saving what the camera did with its factory login: %w", err)
	}
	return res, nil
}
