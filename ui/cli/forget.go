package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/porchlight/porchlight/app"
)

// forgetDocument is the JSON that forget prints.
type forgetDocument struct {
	Schema int `json:"schema"`
	app.Forgotten
}

func runForget(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("forget", errOut)
	all := fs.Bool("all", false, "forget every device and delete Porchlight's device list")
	yes := fs.Bool("yes", false, "confirm")
	asJSON := fs.Bool("json", false, "print JSON (schema 1) instead of text")
	dataDir := dataDirFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: porchlight forget [--all] --yes [DEVICE...]\nDeletes the passwords Porchlight keeps in your keyring for devices, and forgets them. The devices themselves are not changed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if *all == (fs.NArg() > 0) {
		fs.Usage()
		return ErrUsage
	}
	if !*yes {
		fmt.Fprintln(errOut, "This deletes the passwords Porchlight keeps for these devices; if you did not write them down, you will need to reset the devices to log in again.\nTo go ahead, add --yes.")
		return ErrUsage
	}
	h, err := env.open(*dataDir, "", "", errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	var ids []string
	if !*all {
		if ids, err = selectIDs(h, fs.Args()); err != nil {
			return err
		}
	}
	res, err := h.Forget(ctx, ids, *all)
	if *asJSON {
		if werr := writeJSON(out, forgetDocument{Schema: Schema, Forgotten: res}); werr != nil {
			return werr
		}
		return err
	}
	fmt.Fprintf(out, "Forgot %d devices.\n", len(res.Devices))
	for _, a := range res.KeyringEntries {
		fmt.Fprintf(out, "Deleted from the keyring: %s\n", a)
	}
	if res.InventoryDeleted {
		fmt.Fprintf(out, "Deleted the device list (%s).\n", h.Inventory.Path())
	}
	return err
}
