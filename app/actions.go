package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
)

// UpdateOptions bounds an update or a reset (see update.Options).
type UpdateOptions = update.Options

// UpdateInfo is what a device says about its firmware.
type UpdateInfo = driver.UpdateInfo

// UpdateStep is one step of an update or reset, for progress displays.
type UpdateStep = update.Step

// UpdateResult is how an update ended.
type UpdateResult = update.Result

// credentials returns the password Porchlight holds for a device, nil
// when it holds none.
func (c *Core) credentials(ctx context.Context, id string) (*driver.Credentials, error) {
	acct, err := vault.Account(id, password.PurposeAdmin)
	if err != nil {
		return nil, err
	}
	pw, err := c.Vault.Get(ctx, acct)
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
// password), and keeps it in the keyring.
func (c *Core) SetPassword(ctx context.Context, id, next string) error {
	if err := c.needKeyring(ctx); err != nil {
		return err
	}
	d, t, err := c.target(ctx, id)
	if err != nil {
		return err
	}
	r := &password.Rotator{Vault: c.Vault, Inventory: c.Inventory}
	if _, err = r.Rotate(ctx, d, t, next); err != nil {
		return err
	}
	return c.did(id, inventory.Done{Action: "password"})
}

// CheckUpdate asks a claimed device about its firmware.
func (c *Core) CheckUpdate(ctx context.Context, id string) (UpdateInfo, error) {
	d, t, err := c.target(ctx, id)
	if err != nil {
		return UpdateInfo{}, err
	}
	creds, err := c.credentials(ctx, t.ID)
	if err != nil {
		return UpdateInfo{}, err
	}
	return update.Check(ctx, d, t, creds)
}

// ApplyUpdate installs a claimed device's available update, waits for it
// and verifies the new version (see update.Apply).
func (c *Core) ApplyUpdate(ctx context.Context, id string, opts UpdateOptions) (UpdateResult, error) {
	d, t, err := c.target(ctx, id)
	if err != nil {
		return UpdateResult{}, err
	}
	creds, err := c.credentials(ctx, t.ID)
	if err != nil {
		return UpdateResult{}, err
	}
	res, err := update.Apply(ctx, c.Journal, d, t, creds, opts)
	if err == nil && res.Verified {
		err = c.did(id, inventory.Done{Action: "update", To: res.To}, func(d *inventory.Device) { d.Firmware = res.To })
	}
	return res, err
}

// Reset factory-resets a claimed device after the person confirmed it,
// verifies it (see update.Reset) and only then forgets the password
// Porchlight held for it. It returns how the reset was confirmed.
func (c *Core) Reset(ctx context.Context, id string, confirmed bool, opts UpdateOptions) (string, error) {
	if !confirmed {
		return "", update.ErrNotConfirmed
	}
	d, t, err := c.target(ctx, id)
	if err != nil {
		return "", err
	}
	creds, err := c.credentials(ctx, t.ID)
	if err != nil {
		return "", err
	}
	how, err := update.Reset(ctx, c.Journal, d, t, creds, true, func(ctx context.Context) error { return c.forgetReset(ctx, t.ID) }, opts)
	if err != nil {
		return how, err
	}
	return how, c.did(id, inventory.Done{Action: "reset"})
}

// did records what Porchlight did to the device with id, for the
// summaries, together with what else it changed (one write).
func (c *Core) did(id string, d inventory.Done, also ...func(*inventory.Device)) error {
	d.At = time.Now().UTC()
	return c.Inventory.Update(id, func(r *inventory.Device) {
		for _, change := range also {
			change(r)
		}
		r.Done = append(r.Done, d)
		if len(r.Done) > inventory.MaxDone {
			r.Done = r.Done[len(r.Done)-inventory.MaxDone:]
		}
	})
}

// forgetReset deletes what Porchlight kept for a device that was reset:
// its keyring entries, as its index names them, and the firmware it ran.
func (c *Core) forgetReset(ctx context.Context, id string) error {
	inv, _ := c.Inventory.Get(id)
	if _, err := vault.DeleteAll(ctx, c.Vault, inv.Secrets); err != nil {
		return fmt.Errorf("the device was reset, but its password could not be removed from the keyring: %w", err)
	}
	return c.Inventory.Update(id, func(d *inventory.Device) { d.Secrets, d.Firmware = nil, "" })
}

// DefaultActionTimeout bounds one whole action from the command line.
const DefaultActionTimeout = 10 * time.Minute
