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
)

func runCheck(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("check", out, errOut)
	fw := f.flagWords()
	asJSON := f.JSON()
	factory := f.Bool("try-factory-passwords", false, fw.t("cli.flag.factory"))
	timeout := f.Duration("timeout", 2*time.Second, fw.t("cli.flag.answertimeout"))
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, -1); err != nil {
		return err
	}
	w := f.words
	if *factory && f.NArg() == 0 {
		return f.Usagef("cli.check.factoryall")
	}
	h, err := env.open(*dataDir, *iface, f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	warnUnfinished(h, errOut, w)
	if *factory {
		devices, err := devicesOrScan(ctx, h, f.Args(), errOut, w)
		if err != nil {
			return err
		}
		for i, d := range devices {
			if err := tryFactoryPasswords(ctx, h, f.Arg(i), d.ID, errOut, w); err != nil {
				return err
			}
		}
	}
	devices, err := devicesOrScan(ctx, h, f.Args(), errOut, w)
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintln(errOut, w.t("cli.check.running", "Count", len(devices)))
	}
	res, err := h.Check(ctx, devices, app.CheckOptions{Timeout: *timeout})
	if err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.check.failed"), err)
	}
	if *asJSON {
		return report.WriteJSON(out, res, h.Lang())
	}
	printCheckup(out, res, h.Lang(), w)
	return nil
}

// tryFactoryPasswords tries the documented factory passwords of one device
// and says, on errOut, what is being sent and what the device did.
func tryFactoryPasswords(ctx context.Context, h *app.Core, ref, id string, errOut io.Writer, w *words) error {
	res, err := h.TryFactoryPasswords(ctx, id, func(i string) {
		fmt.Fprintln(errOut, w.t("cli.factory.sending", "Device", ref, "Interface", checkup.InterfaceName(w.lang, i)))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	for _, a := range res.Attempts {
		what := checkup.InterfaceName(w.lang, a.Interface)
		switch a.Outcome {
		case factorypw.Accepted:
			fmt.Fprintln(errOut, w.t("cli.factory.accepted", "Device", ref, "Interface", what))
			if a.Detail != "" {
				fmt.Fprintln(errOut, w.t("cli.factory.warning", "Device", ref, "Detail", a.Detail))
			}
		case factorypw.Refused:
			fmt.Fprintln(errOut, w.t("cli.factory.refused", "Device", ref, "Interface", what))
		case factorypw.NotInUse:
			fmt.Fprintln(errOut, w.t("cli.factory.notinuse", "Device", ref, "Interface", what))
		case factorypw.Failed:
			fmt.Fprintln(errOut, w.t("cli.factory.failed", "Device", ref, "Interface", what, "Detail", a.Detail))
		}
	}
	return nil
}

// statusKeys show a status in words and a symbol, never colour alone.
var statusKeys = map[checkup.Status]string{
	checkup.OK: "cli.status.ok", checkup.Problem: "cli.status.problem", checkup.Unknown: "cli.status.unknown", checkup.NotApplicable: "cli.status.na",
}

// printCheckup writes the human checkup in lang: summary first, then each
// device.
func printCheckup(out io.Writer, res app.Checkup, lang string, w *words) {
	fmt.Fprintln(out, res.Summary.Sentence(lang))
	if next := res.Summary.NextStep(lang); next != "" {
		fmt.Fprintln(out, w.t("cli.check.next", "Step", next))
	}
	width := 0
	for _, k := range statusKeys {
		width = max(width, len([]rune(w.t(k))))
	}
	indent := strings.Repeat(" ", width+10)
	for _, c := range res.Devices {
		fmt.Fprintf(out, "\n%s — %s\n", c.Device.Name, describeDevice(c.Device))
		var hidden []string
		for _, l := range c.Lines {
			if !l.Observable {
				hidden = append(hidden, l.Provision)
				continue
			}
			fmt.Fprintf(out, "  %s  %-5s %s: %s\n", pad(w.t(statusKeys[l.Status]), width), l.Provision, l.Title(lang), l.Sentence(lang))
			if l.Status != checkup.Problem {
				continue
			}
			for _, e := range l.Evidence.Each(lang) {
				fmt.Fprintf(out, "%s%s\n", indent, w.t("cli.check.evidence", "Evidence", e))
			}
			if fix := l.Fix; fix != nil {
				if sum := fix.Summary(lang); sum != "" {
					fmt.Fprintf(out, "%s%s\n", indent, w.t("cli.check.fix", "Fix", sum))
				}
				for i, s := range fix.Steps.In(lang) {
					fmt.Fprintf(out, "%s%d. %s\n", indent, i+1, s)
				}
			}
		}
		if len(hidden) > 0 {
			fmt.Fprintf(out, "  %s\n", w.t("cli.check.hidden", "List", strings.Join(hidden, ", ")))
		}
	}
}

// describeDevice is "vendor model firmware" without the vendor twice.
func describeDevice(d checkup.Device) string {
	return strings.TrimSpace(app.DescribeModel(d.Vendor, d.Model) + " " + d.Firmware)
}

func runReport(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("report", out, errOut)
	fw := f.flagWords()
	format := f.String("format", "html", fw.t("cli.flag.format"))
	outPath := f.StringP("output", "o", "", fw.t("cli.flag.output"))
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, 0); err != nil {
		return err
	}
	w := f.words
	if *outPath == "" || (*format != "html" && *format != "pdf" && *format != "json") {
		return f.Usagef("cli.report.needs")
	}
	h, err := env.open(*dataDir, *iface, f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	devices, err := devicesOrScan(ctx, h, nil, errOut, w)
	if err != nil {
		return err
	}
	res, err := h.Check(ctx, devices, app.CheckOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.check.failed"), err)
	}
	file, err := os.Create(*outPath)
	if err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.report.failed"), err)
	}
	err = h.WriteReport(file, res, *format)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.report.failed"), err)
	}
	fmt.Fprintln(errOut, w.t("cli.report.written", "Count", len(res.Devices), "File", *outPath))
	return nil
}

func runClaim(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("claim", out, errOut)
	fw := f.flagWords()
	name := f.String("name", "", fw.t("cli.flag.name"))
	room := f.String("room", "", fw.t("cli.flag.room"))
	dataDir := f.DataDir()
	if err := f.Parse(args, 1, -1); err != nil {
		return err
	}
	w := f.words
	if *name != "" && f.NArg() > 1 {
		return f.Usagef("cli.claim.onename")
	}
	h, err := env.open(*dataDir, "", f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	devices, err := h.Select(f.Args())
	if err != nil {
		return err
	}
	ids := make([]string, len(devices))
	for i, d := range devices {
		ids[i] = d.ID
	}
	if err := h.Claim(ctx, ids, *name, *room); err != nil {
		return fmt.Errorf("%s: %w", w.t("cli.saving"), err)
	}
	for _, d := range devices {
		fmt.Fprintln(out, w.t("cli.claim.done", "Name", d.Name, "ID", d.ID))
	}
	return nil
}
