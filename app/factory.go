package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/driver"
)

// FactoryResult is what became of a device's documented factory passwords
// (see factorypw.Result).
type FactoryResult = factorypw.Result

// ErrNoFactoryPassword: the maker documents no factory password that
// Porchlight could try on the device.
var ErrNoFactoryPassword = errors.New("the maker documents no factory password that Porchlight could try on this device")

// FactoryPasswords lists the interfaces of a family whose documented
// factory password Porchlight can try (for WLED: "ota", the update lock),
// empty when there are none.
func FactoryPasswords(family string) []string {
	cat, err := catalog.Default()
	if err != nil {
		return nil
	}
	fam, ok := cat.Family(family)
	d, _ := driver.For(family)
	tester, _ := d.(driver.FactoryTester)
	if !ok || tester == nil {
		return nil
	}
	var ifaces []string
	for _, c := range fam.DefaultCredentials {
		if c.Password != "" && !c.AuthOffByDefault && tester.CanTryFactory(c.Interface) && !slices.Contains(ifaces, c.Interface) {
			ifaces = append(ifaces, c.Interface)
		}
	}
	return ifaces
}

// TryFactoryPasswords tries the documented factory passwords of the
// claimed device with id (for a camera, its maker's factory login for its
// model, see tryCameraFactory), as the person asked: each once, at least
// factorypw.Spacing apart (also from the previous run's last try), stopping
// at the first the device accepts. The result is kept in the inventory for
// the checkup; the passwords never are. progress, when not nil, is called
// with each interface just before its password is sent.
func (c *Core) TryFactoryPasswords(ctx context.Context, id string, progress func(iface string)) (FactoryResult, error) {
	if inv, ok := c.Inventory.Get(id); ok {
		if _, camera := cameraService(inv); camera {
			return c.tryCameraFactory(ctx, inv, progress)
		}
	}
	d, t, err := c.target(ctx, id)
	if err != nil {
		return FactoryResult{}, err
	}
	if len(FactoryPasswords(d.Family())) == 0 {
		return FactoryResult{}, ErrNoFactoryPassword
	}
	cat, err := catalog.Default()
	if err != nil {
		return FactoryResult{}, err
	}
	fam, _ := cat.Family(d.Family())
	held, err := c.credentials(ctx, t.ID)
	if err != nil {
		return FactoryResult{}, err
	}
	inv, _ := c.Inventory.Get(t.ID)
	in := factorypw.Input{Family: fam, Driver: d, Target: t, Held: held}
	if inv.FactoryPasswords != nil && inv.FactoryPasswords.Tried() {
		in.NotBefore = inv.FactoryPasswords.LastSent().Add(factorypw.Spacing)
	}
	res := factorypw.Try(ctx, in, progress)
	if err := c.Inventory.Update(t.ID, func(d *inventory.Device) { d.FactoryPasswords = &res }); err != nil {
		return res, fmt.Errorf("saving what the device did with its factory password: %w", err)
	}
	return res, nil
}

// FactoryPasswords lists the interfaces of the device with id whose
// documented factory password Porchlight can try (see FactoryPasswords):
// for a camera, its ONVIF service when its maker documents a factory
// login for its model.
func (c *Core) FactoryPasswords(id string) []string {
	r, ok := c.Record(id)
	if !ok {
		return nil
	}
	if _, camera := cameraService(r); camera {
		if _, ok := cameraDefault(r); ok {
			return []string{catalog.InterfaceONVIF}
		}
		return nil
	}
	return FactoryPasswords(r.Family)
}
