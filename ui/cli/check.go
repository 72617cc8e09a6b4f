package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/app/report"
	"github.com/porchlight/porchlight/assets"
)

// statusWords shows a status in words and a symbol, never colour alone.
var statusWords = map[checkup.Status]string{
	checkup.OK: "ok     ", checkup.Problem: "PROBLEM", checkup.Unknown: "unknown", checkup.NotApplicable: "n/a    ",
}

func runCheck(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("check", errOut)
	asJSON := fs.Bool("json", false, "print JSON (schema 1, see docs/cli.md) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if a scan is needed")
	timeout := fs.Duration("timeout", 2*time.Second, "how long to wait for each answer from a device")
	lang := fs.String("lang", "", "language of the results: en or de (default: from LC_ALL, LC_MESSAGES or LANG)")
	factory := fs.Bool("try-factory-passwords", false, "also try the maker's documented factory passwords on the named devices, which must be marked as yours: each once, at least 3 seconds apart, stopping at the first the device accepts")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: porchlight check [OPTIONS] [DEVICE...]\nChecks devices (an id, name, host or address; all when none is named) against EN 303 645.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if *factory && fs.NArg() == 0 {
		fmt.Fprintln(errOut, "--try-factory-passwords needs the devices named: Porchlight never tries passwords on every device at once")
		return ErrUsage
	}
	h, err := env.open(*dataDir, *iface, *lang, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	warnUnfinished(h, errOut)
	if *factory {
		devices, err := devicesOrScan(ctx, h, fs.Args(), errOut)
		if err != nil {
			return err
		}
		for i, d := range devices {
			if err := tryFactoryPasswords(ctx, h, fs.Arg(i), d.ID, errOut); err != nil {
				return err
			}
		}
	}
	devices, err := devicesOrScan(ctx, h, fs.Args(), errOut)
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(errOut, "Checking %d devices…\n", len(devices))
	}
	res, err := h.Check(ctx, devices, app.CheckOptions{Timeout: *timeout})
	if err != nil {
		return fmt.Errorf("the checkup did not finish: %w", err)
	}
	if *asJSON {
		return report.WriteJSON(out, res, h.Lang())
	}
	printCheckup(out, res, h.Lang())
	return nil
}

// tryFactoryPasswords tries the documented factory passwords of one device
// and says, on errOut, what is being sent and what the device did.
func tryFactoryPasswords(ctx context.Context, h *app.Core, ref, id string, errOut io.Writer) error {
	res, err := h.TryFactoryPasswords(ctx, id, func(i string) {
		fmt.Fprintf(errOut, "%s: sending the maker's documented factory password for %s, once (this takes a few seconds)…\n", ref, checkup.InterfaceName(checkup.English, i))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	for _, a := range res.Attempts {
		what := checkup.InterfaceName(checkup.English, a.Interface)
		switch a.Outcome {
		case factorypw.Accepted:
			fmt.Fprintf(errOut, "%s: %s ACCEPTED its factory password. The checkup below says how to change it.\n", ref, what)
			if a.Detail != "" {
				fmt.Fprintf(errOut, "%s: warning: %s\n", ref, a.Detail)
			}
		case factorypw.Refused:
			fmt.Fprintf(errOut, "%s: %s refused its factory password.\n", ref, what)
		case factorypw.NotInUse:
			fmt.Fprintf(errOut, "%s: %s is switched off, so there was no factory password to try.\n", ref, what)
		case factorypw.Failed:
			fmt.Fprintf(errOut, "%s: trying the factory password for %s did not finish: %s\n", ref, what, a.Detail)
		}
	}
	return nil
}

// printCheckup writes the human checkup in lang: summary first, then each
// device.
func printCheckup(w io.Writer, res app.Checkup, lang string) {
	fmt.Fprintln(w, res.Summary.Sentence(lang))
	if next := res.Summary.NextStep(lang); next != "" {
		fmt.Fprintln(w, "Most important next step:", next)
	}
	for _, c := range res.Devices {
		fmt.Fprintf(w, "\n%s — %s\n", c.Device.Name, describeDevice(c.Device, lang))
		var hidden []string
		for _, l := range c.Lines {
			if !l.Observable {
				hidden = append(hidden, l.Provision)
				continue
			}
			fmt.Fprintf(w, "  %s  %-5s %s: %s\n", statusWords[l.Status], l.Provision, l.Title(lang), l.Sentence(lang))
			if l.Status != checkup.Problem {
				continue
			}
			for _, e := range l.Evidence.Each(lang) {
				fmt.Fprintf(w, "                 evidence: %s\n", e)
			}
			if f := l.Fix; f != nil {
				if sum := f.Summary(lang); sum != "" {
					fmt.Fprintf(w, "                 fix: %s\n", sum)
				}
				for i, s := range f.Steps.In(lang) {
					fmt.Fprintf(w, "                 %d. %s\n", i+1, s)
				}
			}
		}
		if len(hidden) > 0 {
			fmt.Fprintf(w, "  (not observable from the network: %s)\n", strings.Join(hidden, ", "))
		}
	}
}

// describeDevice is "vendor model (kind) firmware" without the vendor
// twice, the kind in the GUI's words.
func describeDevice(d checkup.Device, lang string) string {
	what := app.DescribeModel(d.Vendor, d.Model)
	if kind := assets.KindWord(lang, d.Kind); kind != "" {
		what = strings.TrimSpace(what + " (" + kind + ")")
	}
	return strings.TrimSpace(what + " " + d.Firmware)
}

func runReport(ctx context.Context, env Env, args []string, _, errOut io.Writer) error {
	fs := newFlags("report", errOut)
	format := fs.String("format", "html", "html (a page to open, print or send) or json")
	outPath := fs.String("o", "", "the file to write (required)")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if a scan is needed")
	lang := fs.String("lang", "", "language of the report: en or de (default: from LC_ALL, LC_MESSAGES or LANG)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *outPath == "" || (*format != "html" && *format != "json") {
		fmt.Fprintln(errOut, "porchlight report needs -o FILE and --format html or json")
		return ErrUsage
	}
	h, err := env.open(*dataDir, *iface, *lang, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	devices, err := devicesOrScan(ctx, h, nil, errOut)
	if err != nil {
		return err
	}
	res, err := h.Check(ctx, devices, app.CheckOptions{})
	if err != nil {
		return fmt.Errorf("the checkup did not finish: %w", err)
	}
	f, err := os.Create(*outPath)
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	err = h.WriteReport(f, res, *format)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	fmt.Fprintf(errOut, "Wrote the report on %d devices to %s\n", len(res.Devices), *outPath)
	return nil
}

func runClaim(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("claim", errOut)
	name := fs.String("name", "", "a name for the device (only when claiming one)")
	room := fs.String("room", "", "the room it is in")
	dataDir := dataDirFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: porchlight claim [OPTIONS] DEVICE...\nMarks devices as yours: Porchlight only ever acts on devices you claimed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if fs.NArg() == 0 || (*name != "" && fs.NArg() > 1) {
		fs.Usage()
		return ErrUsage
	}
	h, err := env.open(*dataDir, "", "", errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	devices, err := h.Select(fs.Args())
	if err != nil {
		return err
	}
	ids := make([]string, len(devices))
	for i, d := range devices {
		ids[i] = d.ID
	}
	if err := h.Claim(ctx, ids, *name, *room); err != nil {
		return fmt.Errorf("saving: %w", err)
	}
	for _, d := range devices {
		fmt.Fprintf(out, "Claimed %s (%s)\n", d.Name, d.ID)
	}
	return nil
}
