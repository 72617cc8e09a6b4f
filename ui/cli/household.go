package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/vault"
)

// dataDirFlag adds --data-dir to fs.
func dataDirFlag(fs *flag.FlagSet) *string {
	return fs.String("data-dir", "", "where Porchlight keeps its data (default: $"+app.DataDirEnv+", else your configuration folder)")
}

// openHousehold opens the household in the chosen data directory. A
// corrupt inventory is reported on errOut and Porchlight goes on with an
// empty one.
func openHousehold(dir string, errOut io.Writer) (*app.Household, error) {
	dir, err := app.DataDir(dir)
	if err != nil {
		return nil, err
	}
	h, err := app.OpenHousehold(dir, openVault())
	if errors.Is(err, inventory.ErrCorrupt) {
		fmt.Fprintf(errOut, "Warning: %v\n", err)
		return h, nil
	}
	return h, err
}

// devicesOrScan returns the devices refs name, scanning first when nothing
// is remembered yet.
func devicesOrScan(ctx context.Context, h *app.Household, refs []string, iface string, errOut io.Writer) ([]app.Device, error) {
	if len(h.Devices()) == 0 {
		fmt.Fprintln(errOut, "No devices known yet: looking for them first…")
		res, err := app.Scan(ctx, app.ScanOptions{Interface: iface}, nil)
		if err != nil {
			return nil, fmt.Errorf("the scan did not finish: %w", err)
		}
		if err := h.Remember(res.Devices); err != nil {
			return nil, fmt.Errorf("remembering the devices: %w", err)
		}
	}
	return h.Select(refs)
}

// selectIDs returns the IDs of the devices refs name (see Household.Select).
func selectIDs(h *app.Household, refs []string) ([]string, error) {
	devices, err := h.Select(refs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(devices))
	for i, d := range devices {
		ids[i] = d.ID
	}
	return ids, nil
}

// openVault opens the OS keyring; tests replace it with a fake.
var openVault = func() vault.Store { return vault.NewKeyring(0) }
