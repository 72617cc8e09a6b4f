package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
)

// scanDocument is the JSON that `porchlight scan --json` prints.
type scanDocument struct {
	Schema    int          `json:"schema"`
	Devices   []app.Device `json:"devices"`
	Types     []string     `json:"types"`
	Dropped   int          `json:"dropped"`
	ElapsedMS int64        `json:"elapsed_ms"`
}

func runScan(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("scan", errOut)
	timeout := fs.Duration("timeout", app.DefaultTimeout, "the longest the scan may take")
	settle := fs.Duration("settle", app.DefaultSettle, "finish once nothing new has arrived for this long")
	asJSON := fs.Bool("json", false, "print JSON (schema 1, see docs/cli.md) instead of text")
	iface := fs.String("interface", "", "scan only this network interface (default: every interface that can multicast)")
	dataDir := dataDirFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *timeout <= 0 || *settle <= 0 {
		fmt.Fprintln(errOut, "--timeout and --settle must be positive")
		return ErrUsage
	}
	seen := make(map[string]bool)
	onEvent := func(e app.ScanEvent) {
		if *asJSON || e.Gone || seen[e.Device.Host] {
			return
		}
		seen[e.Device.Host] = true
		fmt.Fprintf(errOut, "found %s (%s)\n", e.Device.Name, e.Device.Host)
	}
	if !*asJSON {
		fmt.Fprintln(errOut, "Looking for devices…")
	}
	h, err := env.open(*dataDir, *iface, "", errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	res, err := h.Scan(ctx, app.ScanOptions{Timeout: *timeout, Settle: *settle}, onEvent)
	if err != nil {
		return fmt.Errorf("the scan did not finish: %w", err)
	}
	if *asJSON {
		if res.Devices == nil {
			res.Devices = []app.Device{}
		}
		return writeJSON(out, scanDocument{Schema: Schema, Devices: res.Devices, Types: res.Types, Dropped: res.Dropped, ElapsedMS: res.Elapsed.Milliseconds()})
	}
	printDevices(out, res, h.Record)
	return nil
}

// printDevices writes the human report of a scan: each device once, with
// what its announcements say it is (from record) and its addresses and
// services.
func printDevices(w io.Writer, res app.ScanResult, record func(id string) (app.Record, bool)) {
	switch len(res.Devices) {
	case 0:
		fmt.Fprintln(w, "No devices answered. If you expected some, check that this computer is on your home network and that your firewall allows mDNS (UDP port 5353).")
	case 1:
		fmt.Fprintf(w, "Found 1 device in %.1f s:\n", res.Elapsed.Seconds())
	default:
		fmt.Fprintf(w, "Found %d devices in %.1f s:\n", len(res.Devices), res.Elapsed.Seconds())
	}
	for _, d := range res.Devices {
		addrs := make([]string, len(d.Addresses))
		for i, a := range d.Addresses {
			addrs[i] = a.String()
		}
		fmt.Fprintf(w, "\n%s\n", d.Name)
		if r, ok := record(d.ID); ok {
			if what := describeDevice(checkup.Device{Vendor: r.Vendor, Model: r.Model, Kind: r.Kind}, ""); what != "" {
				fmt.Fprintf(w, "  what:      %s\n", what)
			}
		}
		fmt.Fprintf(w, "  host:      %s\n  addresses: %s\n  id:        %s\n", d.Host, strings.Join(addrs, ", "), d.ID)
		for _, s := range d.Services {
			fmt.Fprintf(w, "  service:   %s %q port %d\n", s.Type, s.Instance, s.Port)
			for _, k := range sortedKeys(s.TXT) {
				fmt.Fprintf(w, "             %s=%s\n", k, s.TXT[k])
			}
		}
	}
	if res.Dropped > 0 {
		fmt.Fprintf(w, "\n%d announcements were ignored: more devices answered than Porchlight keeps (%d in all, fewer from any one address). Something on your network may be flooding it; the devices you already know are always kept.\n", res.Dropped, app.MaxDevices)
	}
}
