package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/porchlight/porchlight/app"
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
	f := NewFlags("scan", out, errOut)
	fw := f.flagWords()
	timeout := f.Duration("timeout", app.DefaultTimeout, fw.t("cli.flag.scantimeout"))
	settle := f.Duration("settle", app.DefaultSettle, fw.t("cli.flag.settle"))
	verbose := f.BoolP("verbose", "v", false, fw.t("cli.flag.verbose"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, 0); err != nil {
		return err
	}
	w := f.words
	if *timeout <= 0 || *settle <= 0 {
		return f.Usagef("cli.error.positive")
	}
	seen := make(map[string]bool)
	onEvent := func(e app.ScanEvent) {
		if *asJSON || e.Gone || seen[e.Device.Host] {
			return
		}
		seen[e.Device.Host] = true
		fmt.Fprintln(errOut, w.t("cli.scan.found", "Name", e.Device.Name, "Host", e.Device.Host))
	}
	if !*asJSON {
		fmt.Fprintln(errOut, w.t("cli.scan.looking"))
	}
	h, err := env.open(*dataDir, *iface, f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	res, err := h.Scan(ctx, app.ScanOptions{Timeout: *timeout, Settle: *settle}, onEvent)
	if err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.scan.failed"), err)
	}
	if *asJSON {
		if res.Devices == nil {
			res.Devices = []app.Device{}
		}
		return writeJSON(out, scanDocument{Schema: Schema, Devices: res.Devices, Types: res.Types, Dropped: res.Dropped, ElapsedMS: res.Elapsed.Milliseconds()})
	}
	printDevices(out, res, *verbose, w, h.Record)
	return nil
}

// printDevices writes the human report of a scan: one line per device
// (name, kind, addresses), and with verbose its host, ID, services and
// TXT records beneath.
//
// The kind is what the device's announcements say it is, as the core
// recorded it after the scan (record), in the GUI's words; else a word for
// its service type.
func printDevices(out io.Writer, res app.ScanResult, verbose bool, w *words, record func(id string) (app.Record, bool)) {
	if len(res.Devices) == 0 {
		fmt.Fprintln(out, w.t("cli.scan.none"))
	} else {
		fmt.Fprintln(out, w.t("cli.scan.summary", "Count", len(res.Devices), "Seconds", fmt.Sprintf("%.1f", res.Elapsed.Seconds())))
	}
	nameWidth, kindWidth := 0, 0
	kinds := make([]string, len(res.Devices))
	for i, d := range res.Devices {
		kinds[i] = deviceKind(d, w)
		if r, ok := record(d.ID); ok {
			if what := describeRecord(r, w); what != "" {
				kinds[i] = what
			}
		}
		nameWidth = max(nameWidth, len([]rune(d.Name)))
		kindWidth = max(kindWidth, len([]rune(kinds[i])))
	}
	nameWidth, kindWidth = min(nameWidth, 40), min(kindWidth, 30)
	for i, d := range res.Devices {
		addrs := make([]string, len(d.Addresses))
		for j, a := range d.Addresses {
			addrs[j] = a.String()
		}
		fmt.Fprintf(out, "  %s  %s  %s\n", pad(d.Name, nameWidth), pad(kinds[i], kindWidth), strings.Join(addrs, ", "))
		if !verbose {
			continue
		}
		fmt.Fprintf(out, "      %s %s\n      %s %s\n", w.t("cli.scan.host"), d.Host, w.t("cli.scan.id"), d.ID)
		for _, s := range d.Services {
			fmt.Fprintf(out, "      %s\n", w.t("cli.scan.service", "Type", s.Type, "Instance", fmt.Sprintf("%q", s.Instance), "Port", s.Port))
			for _, k := range sortedKeys(s.TXT) {
				fmt.Fprintf(out, "          %s=%s\n", k, s.TXT[k])
			}
		}
	}
	if res.Dropped > 0 {
		fmt.Fprintln(out, w.t("cli.scan.dropped", "Count", res.Dropped, "Max", app.MaxDevices))
	}
}

// deviceKind names what a device is, from the most specific service it
// announces ("Shelly device", "printer"), else that service's type.
func deviceKind(d app.Device, w *words) string {
	for _, s := range d.Services {
		if k, ok := w.lookup("cli.kind." + s.Type); ok {
			return k
		}
	}
	if k, ok := upnpKind(d, w); ok {
		return k
	}
	for _, s := range d.Services {
		if s.Type != "_http._tcp" {
			return s.Type
		}
	}
	if len(d.Services) > 0 {
		return w.t("cli.kind.web")
	}
	return w.t("cli.kind.unknown")
}

// upnpKind names what a device found over SSDP is, from its UPnP device
// type ("router" for an InternetGatewayDevice).
func upnpKind(d app.Device, w *words) (string, bool) {
	for _, s := range d.Services {
		typ, ok := strings.CutPrefix(s.Type, app.UPnPTypePrefix)
		if !ok {
			continue
		}
		if parts := strings.Split(typ, ":"); len(parts) >= 2 {
			if k, ok := w.lookup("cli.kind.upnp." + parts[len(parts)-2]); ok {
				return k, true
			}
		}
		return w.t("cli.kind.upnp"), true
	}
	return "", false
}

// pad fills s with spaces to width characters (longer names stay whole).
func pad(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
