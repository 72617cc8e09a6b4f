package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/ui/cli"
)

// runLab is 'porchlight lab': it serves a simulated household in the
// current (isolated) network namespace until ctx ends. It lives beside main
// because only the composition root may reach the simulated household.
func runLab(ctx context.Context, args []string, out, errOut io.Writer) error {
	f := cli.NewFlags("lab", out, errOut)
	profile := f.String("profile", "home", "the household: home, large or hostile")
	devices := f.Int("devices", 0, "how many devices a large household has (default 250)")
	asJSON := f.JSON()
	iface := f.String("interface", "", "answer mDNS on this interface (default: the one the multicast route names)")
	if err := f.Parse(args, 0, 0); err != nil {
		return err
	}
	p, err := sim.ParseProfile(*profile)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return cli.ErrUsage
	}
	lab, err := sim.Start(sim.Config{Profile: p, Devices: *devices, Interface: *iface})
	if err != nil {
		return fmt.Errorf("cannot start the lab: %w", err)
	}
	m := lab.Manifest()
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(m)
	} else {
		printManifest(out, m)
	}
	if err == nil {
		<-ctx.Done()
		fmt.Fprintln(errOut, "Stopping the lab.")
	}
	return errors.Join(err, lab.Close())
}

func printManifest(w io.Writer, m sim.Manifest) {
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
