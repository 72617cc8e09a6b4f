package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
)

// open builds the core for one command: the household in the chosen data
// directory, on the network env gives for iface, with results in lang. A
// corrupt inventory is reported on errOut, in w's words, and Porchlight
// goes on with an empty one.
func (env Env) open(dir, iface, lang string, errOut io.Writer, w *words) (*app.Core, error) {
	dir, err := app.DataDir(dir)
	if err != nil {
		return nil, err
	}
	c, err := app.Open(app.Env{Dir: dir, Vault: env.Vault, Network: env.Network(iface), Lang: lang})
	if errors.Is(err, inventory.ErrCorrupt) {
		fmt.Fprintln(errOut, w.t("cli.warning", "Warning", err))
		return c, nil
	}
	return c, err
}

// devicesOrScan returns the devices refs name, scanning first when nothing
// is remembered yet.
func devicesOrScan(ctx context.Context, c *app.Core, refs []string, errOut io.Writer, w *words) ([]app.Device, error) {
	if len(c.Devices()) == 0 {
		fmt.Fprintln(errOut, w.t("cli.scanfirst"))
		if _, err := c.Scan(ctx, app.ScanOptions{}, nil); err != nil {
			return nil, fmt.Errorf("%s: %w", w.t("cli.scan.failed"), err)
		}
	}
	return c.Select(refs)
}

// selectIDs returns the IDs of the devices refs name (see Core.Select).
func selectIDs(c *app.Core, refs []string) ([]string, error) {
	devices, err := c.Select(refs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(devices))
	for i, d := range devices {
		ids[i] = d.ID
	}
	return ids, nil
}

// oneID returns the ID of the one device ref names.
func oneID(c *app.Core, ref string) (string, error) {
	ids, err := selectIDs(c, []string{ref})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// openFor opens the core (see open) and finds the one device ref names.
func (env Env) openFor(ref, dir, iface string, f *Flags) (*app.Core, string, error) {
	c, err := env.open(dir, iface, f.Lang(), f.errOut, f.words)
	if err != nil {
		return nil, "", err
	}
	id, err := oneID(c, ref)
	if err != nil {
		c.Close()
		return nil, "", err
	}
	return c, id, nil
}
