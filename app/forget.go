package app

import (
	"context"
	"fmt"

	"github.com/porchlight/porchlight/app/vault"
)

// Forgotten is what Forget deleted.
type Forgotten struct {
	// Devices are the IDs of the devices forgotten.
	Devices []string `json:"devices"`
	// KeyringEntries are the keyring accounts deleted (names only).
	KeyringEntries []string `json:"keyring_entries"`
	// InventoryDeleted is set when the whole inventory file was deleted.
	InventoryDeleted bool `json:"inventory_deleted"`
}

// Forget deletes every keyring entry Porchlight made for the devices with
// the given IDs, as its index names them (an entry is indexed before it is
// stored, so the index lists all of them), and forgets the devices. With all
// set, it does so for every device and deletes the inventory file itself.
func (c *Core) Forget(ctx context.Context, ids []string, all bool) (Forgotten, error) {
	if all {
		ids = nil
		for _, d := range c.Inventory.Devices() {
			ids = append(ids, d.ID)
		}
	}
	var accounts []string
	for _, id := range ids {
		inv, _ := c.Inventory.Get(id)
		accounts = append(accounts, inv.Secrets...)
	}
	deleted, err := vault.DeleteAll(ctx, c.Vault, accounts)
	res := Forgotten{Devices: ids, KeyringEntries: deleted}
	if err != nil {
		return res, fmt.Errorf("deleting the passwords from the keyring (nothing else was deleted): %w", err)
	}
	if all {
		res.InventoryDeleted = true
		return res, c.Inventory.Delete()
	}
	return res, c.Inventory.Remove(ids...)
}
