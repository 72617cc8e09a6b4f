package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
)

// dataDirFlag adds --data-dir to fs.
func dataDirFlag(fs *flag.FlagSet) *string {
	return fs.String("data-dir", "", "where Porchlight keeps its data (default: $"+app.DataDirEnv+", else your configuration folder)")
}

// open builds the core for one command: the household in the chosen data
// directory, on the network env gives for iface, with results in lang (the
// environment's language when empty, see language). A corrupt inventory is
// reported on errOut and Porchlight goes on with an empty one.
func (env Env) open(dir, iface, lang string, errOut io.Writer) (*app.Core, error) {
	dir, err := app.DataDir(dir)
	if err != nil {
		return nil, err
	}
	c, err := app.Open(app.Env{Dir: dir, Vault: env.Vault, Network: env.Network(iface), Lang: cmp.Or(lang, language(os.Getenv))})
	if errors.Is(err, inventory.ErrCorrupt) {
		fmt.Fprintf(errOut, "Warning: %v\n", err)
		return c, nil
	}
	return c, err
}

// language is the language of results the environment asks for, as POSIX
// orders it: LC_ALL, then LC_MESSAGES, then LANG; German when that names
// German, else English.
func language(getenv func(string) string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(v); l != "" {
			if strings.HasPrefix(strings.ToLower(l), "de") {
				return "de"
			}
			return "en"
		}
	}
	return "en"
}

// devicesOrScan returns the devices refs name, scanning first when nothing
// is remembered yet.
func devicesOrScan(ctx context.Context, c *app.Core, refs []string, errOut io.Writer) ([]app.Device, error) {
	if len(c.Devices()) == 0 {
		fmt.Fprintln(errOut, "No devices known yet: looking for them first…")
		if _, err := c.Scan(ctx, app.ScanOptions{}, nil); err != nil {
			return nil, fmt.Errorf("the scan did not finish: %w", err)
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
func (env Env) openFor(ref, dir, iface string, errOut io.Writer) (*app.Core, string, error) {
	c, err := env.open(dir, iface, "", errOut)
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
