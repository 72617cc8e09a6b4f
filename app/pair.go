package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/hue"
)

// ErrPressLinkButton: the bridge asks for its link button to be pressed.
var ErrPressLinkButton = errors.New("press the round link button on the bridge, then try again within 30 seconds")

// Pair pairs Porchlight with a claimed device that needs pairing (a Hue
// bridge): the person presses its link button, and the app key the bridge
// hands out is kept in the keyring like a password, never anywhere else.
func (c *Core) Pair(ctx context.Context, id string) error {
	if err := c.needKeyring(ctx); err != nil {
		return err
	}
	d, t, err := c.target(ctx, id)
	if err != nil {
		return err
	}
	if !d.Capabilities().Pairing {
		return fmt.Errorf("pairing a %s: %w", d.Family(), driver.ErrUnsupported)
	}
	acct, err := vault.Account(t.ID, password.PurposeAdmin)
	if err != nil {
		return err
	}
	if err := c.Inventory.Update(t.ID, func(d *inventory.Device) {
		if !slices.Contains(d.Secrets, acct) {
			d.Secrets = append(d.Secrets, acct)
		}
	}); err != nil {
		return err
	}
	key, err := hue.Pair(ctx, t, "Porchlight")
	if errors.Is(err, driver.ErrNeedsPairing) {
		return ErrPressLinkButton
	}
	if err != nil {
		return fmt.Errorf("pairing: %w", err)
	}
	if err := c.Vault.Set(ctx, acct, key); err != nil {
		return fmt.Errorf("keeping the bridge's app key: %w", err)
	}
	return c.did(id, inventory.Done{Action: "pair"})
}
