package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
	_ "github.com/porchlight/porchlight/devices/driver/all" // every family's driver
	"github.com/porchlight/porchlight/devices/identify"
)

// Errors of actions on devices.
var (
	// ErrNotClaimed: Porchlight acts only on devices the person claimed.
	ErrNotClaimed = errors.New("this device is not marked as yours; claim it first ('porchlight claim DEVICE')")
	// ErrMoved: the device answers at its address with another identity.
	ErrMoved = errors.New("another device now answers at this device's address, and the device itself was not found; Porchlight sends it nothing")
)

// UpdateOptions bounds an update or a reset (see update.Options).
type UpdateOptions = update.Options

// UpdateInfo is what a device says about its firmware.
type UpdateInfo = driver.UpdateInfo

// UpdateResult is how an update ended.
type UpdateResult = update.Result

// target finds the claimed device ref names, its driver and where it is
// now. When it no longer answers at its address, or something else answers
// there, it looks for it on the network and checks its hardware identity
// before any secret is sent to a new address.
func (h *Household) target(ctx context.Context, ref string, scanOpts ScanOptions) (driver.Driver, driver.Target, error) {
	devs, err := h.Select([]string{ref})
	if err != nil {
		return nil, driver.Target{}, err
	}
	inv, _ := h.Inventory.Get(devs[0].ID)
	if !inv.Claimed {
		return nil, driver.Target{}, ErrNotClaimed
	}
	dev := devs[0]
	id := identify.Identify(ctx, dev, 0)
	if !sameDevice(inv, id, true) {
		moved, err := h.find(ctx, inv, scanOpts)
		if err != nil {
			return nil, driver.Target{}, err
		}
		dev, id = moved, identify.Identify(ctx, moved, 0)
		if !sameDevice(inv, id, false) {
			return nil, driver.Target{}, ErrMoved
		}
	}
	family := string(id.Family)
	d, ok := driver.For(family)
	if !ok {
		return nil, driver.Target{}, fmt.Errorf("%w: Porchlight cannot act on a %s itself; 'porchlight check' shows the steps", driver.ErrUnsupported, id)
	}
	err = h.Inventory.Update(inv.ID, func(d *inventory.Device) {
		d.Family, d.Addresses = family, dev.Addresses
		if id.HardwareID != "" {
			d.HardwareID = id.HardwareID
		}
	})
	return d, driver.Target{ID: inv.ID, Addr: discover.PreferredAddress(dev.Addresses), Port: webPort(dev)}, err
}

// sameDevice reports whether id, just read at an address, is the remembered
// device: same family, and the same hardware identity when one was recorded.
// At the device's known address a device may hide its hardware identity
// behind its password (Tasmota does); at a new address it must show it, as
// a secret goes there only when the identity matches.
func sameDevice(inv inventory.Device, id identify.Identity, knownAddress bool) bool {
	if id.Family == identify.Unknown || (inv.Family != "" && inv.Family != string(id.Family)) {
		return false
	}
	if knownAddress && id.HardwareID == "" {
		return true
	}
	return inv.HardwareID == "" || inv.HardwareID == id.HardwareID
}

// find scans the network for the device with inv's identity.
func (h *Household) find(ctx context.Context, inv inventory.Device, opts ScanOptions) (Device, error) {
	res, err := h.scan(ctx, opts, nil)
	if err != nil {
		return Device{}, fmt.Errorf("looking for the device on the network: %w", err)
	}
	i := slices.IndexFunc(res.Devices, func(d Device) bool { return d.ID == inv.ID })
	if i < 0 {
		return Device{}, fmt.Errorf("%s was not found on the network: %w", inv.Name, driver.ErrUnreachable)
	}
	if err := h.Remember(res.Devices[i : i+1]); err != nil {
		return Device{}, err
	}
	return res.Devices[i], nil
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

// credentials returns the password Porchlight holds for a device, nil
// when it holds none.
func (h *Household) credentials(ctx context.Context, id string) (*driver.Credentials, error) {
	acct, err := vault.Account(id, password.PurposeAdmin)
	if err != nil {
		return nil, err
	}
	pw, err := h.Vault.Get(ctx, acct)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the device's password from the keyring: %w", err)
	}
	return &driver.Credentials{Password: pw}, nil
}

// SetPassword gives a claimed device a new password (next, or a generated
// one when empty) without ever locking the person out (see package
// password), and keeps it in the keyring. It returns the device's ID.
func (h *Household) SetPassword(ctx context.Context, ref, next string, scanOpts ScanOptions) (string, error) {
	d, t, err := h.target(ctx, ref, scanOpts)
	if err != nil {
		return "", err
	}
	r := &password.Rotator{Vault: h.Vault, Inventory: h.Inventory}
	if _, err := r.Rotate(ctx, d, t, next); err != nil {
		return t.ID, err
	}
	return t.ID, nil
}

// CheckUpdate asks a claimed device about its firmware.
func (h *Household) CheckUpdate(ctx context.Context, ref string, scanOpts ScanOptions) (UpdateInfo, error) {
	d, t, err := h.target(ctx, ref, scanOpts)
	if err != nil {
		return UpdateInfo{}, err
	}
	creds, err := h.credentials(ctx, t.ID)
	if err != nil {
		return UpdateInfo{}, err
	}
	return update.Check(ctx, d, t, creds)
}

// ApplyUpdate installs a claimed device's available update, waits for it
// and verifies the new version (see update.Apply).
func (h *Household) ApplyUpdate(ctx context.Context, ref string, scanOpts ScanOptions, opts UpdateOptions) (UpdateResult, error) {
	d, t, err := h.target(ctx, ref, scanOpts)
	if err != nil {
		return UpdateResult{}, err
	}
	creds, err := h.credentials(ctx, t.ID)
	if err != nil {
		return UpdateResult{}, err
	}
	res, err := update.Apply(ctx, h.Journal, d, t, creds, opts)
	if err == nil && res.Verified {
		err = h.Inventory.Update(t.ID, func(d *inventory.Device) { d.Firmware = res.To })
	}
	return res, err
}

// Reset factory-resets a claimed device after the person confirmed it,
// verifies it (see update.Reset) and only then forgets the password
// Porchlight held for it. It returns how the reset was confirmed.
func (h *Household) Reset(ctx context.Context, ref string, confirmed bool, scanOpts ScanOptions, opts UpdateOptions) (string, error) {
	if !confirmed {
		return "", update.ErrNotConfirmed
	}
	d, t, err := h.target(ctx, ref, scanOpts)
	if err != nil {
		return "", err
	}
	creds, err := h.credentials(ctx, t.ID)
	if err != nil {
		return "", err
	}
	how, err := update.Reset(ctx, h.Journal, d, t, creds, true, opts)
	if err != nil {
		return "", err
	}
	inv, _ := h.Inventory.Get(t.ID)
	if _, err := vault.DeleteAll(ctx, h.Vault, inv.Secrets); err != nil {
		return how, fmt.Errorf("the device was reset, but its password could not be removed from the keyring: %w", err)
	}
	return how, h.Inventory.Update(t.ID, func(d *inventory.Device) { d.Secrets, d.Firmware = nil, "" })
}

// DefaultActionTimeout bounds one whole action from the command line.
const DefaultActionTimeout = 10 * time.Minute
