package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/porchlight/porchlight/app"
)

func runLab(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("lab", errOut)
	profile := fs.String("profile", "home", "the household: home, large or hostile")
	devices := fs.Int("devices", 0, "how many devices a large household has (default 250)")
	asJSON := fs.Bool("json", false, "print the lab's manifest as JSON (schema 1) instead of text")
	iface := fs.String("interface", "", "answer mDNS on this interface (default: the one the multicast route names)")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := app.ParseLabProfile(*profile)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return errUsage
	}
	lab, err := app.StartLab(app.LabConfig{Profile: p, Devices: *devices, Interface: *iface})
	if err != nil {
		return fmt.Errorf("cannot start the lab: %w", err)
	}
	defer lab.Close()
	m := lab.Manifest()
	if *asJSON {
		if err := writeJSON(out, m); err != nil {
			return err
		}
	} else {
		printManifest(out, m)
	}
	<-ctx.Done()
	fmt.Fprintln(errOut, "Stopping the lab.")
	return nil
}

func printManifest(w io.Writer, m app.LabManifest) {
	fmt.Fprintf(w, "Serving the %s household: %d devices. Press Ctrl+C to stop.\n", m.Profile, len(m.Devices))
	for _, d := range m.Devices {
		types := make([]string, len(d.Services))
		for i, s := range d.Services {
			types[i] = s.Type
		}
		fmt.Fprintf(w, "  %-15s %-13s %q on %s (%s)", d.Address, d.Family, d.Name, d.Host, strings.Join(types, " "))
		if len(d.HTTP) > 0 {
			fmt.Fprintf(w, " %s", strings.Join(d.HTTP, " "))
		}
		fmt.Fprintln(w)
	}
}
