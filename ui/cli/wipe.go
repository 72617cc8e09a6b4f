package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/wipe"
)

// wipeDocument is the JSON that wipe prints (see docs/wipe.md).
type wipeDocument struct {
	Schema int `json:"schema"`
	// Unfinished is the interrupted wipe found at start, if any.
	Unfinished *app.UnfinishedWipe `json:"unfinished"`
	// Resumed is the receipt of the interrupted wipe, finished now.
	Resumed *app.WipeReceipt `json:"resumed"`
	Plan    *app.WipePlan    `json:"plan"`
	Receipt *app.WipeReceipt `json:"receipt"`
}

// errNotAllWiped: the wipe ran, but not every device was wiped (exit 1).
var errNotAllWiped = errors.New("not every device was wiped; the summary says why")

func runWipe(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("wipe", errOut)
	all := fs.Bool("all", false, "wipe every device you claimed")
	dryRun := fs.Bool("dry-run", false, "only show what would happen (and any interrupted wipe)")
	yes := fs.Bool("yes", false, "confirm: erase the devices' settings and your data on them")
	typed := fs.String("confirm", "", `for scripts: the typed confirmation a wipe of more than one device needs, e.g. "wipe 3"; devices with manual steps are then skipped`)
	receiptPath := fs.String("receipt", "", "write the receipt to this file: .html or .json")
	lang := fs.String("lang", "", "language of the steps and of an HTML receipt: en or de (default: from LC_ALL, LC_MESSAGES or LANG)")
	asJSON := fs.Bool("json", false, "print JSON (schema 1, see docs/wipe.md) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if a device must be looked for")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: porchlight wipe (DEVICE...|--all) [--dry-run] [--yes [--confirm \"wipe N\"]] [--receipt FILE] [--json]\n"+
			"Erases your data from devices you claimed: a factory reset where Porchlight can do it, the vendor's steps where it cannot,\n"+
			"then forgets what Porchlight kept about them. Without a device, it finishes an interrupted wipe.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if *all && fs.NArg() > 0 {
		fmt.Fprintln(errOut, "name devices or give --all, not both")
		return ErrUsage
	}
	format, err := receiptFormat(*receiptPath)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return ErrUsage
	}
	if *lang != "" && *lang != "en" && *lang != "de" {
		fmt.Fprintf(errOut, "unknown language %q: en or de\n", *lang)
		return ErrUsage
	}
	h, err := env.open(*dataDir, *iface, *lang, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	c := &wipeRun{
		w: h, in: bufio.NewReader(stdin), out: out, errOut: errOut,
		human: !*asJSON, lang: h.Lang(), words: wipeWordsFor(h.Lang()), receiptPath: *receiptPath, format: format, interactive: *typed == "",
	}
	doc := wipeDocument{Schema: Schema}
	finish := func(err error) error {
		if *asJSON {
			if werr := writeJSON(out, doc); werr != nil {
				return werr
			}
		}
		return err
	}

	// An interrupted wipe comes first: shown, and finished unless this is a dry run.
	doc.Unfinished, err = c.w.UnfinishedWipe()
	if err = c.warnPlanDamaged(err); err != nil {
		return err
	}
	if u := doc.Unfinished; u != nil {
		c.showUnfinished(u)
		if !*dryRun {
			doc.Resumed, err = c.w.ResumeWipe(ctx, c.options())
			if doc.Resumed != nil {
				err = errors.Join(err, c.conclude(doc.Resumed))
			}
			if err == nil && (*all || fs.NArg() > 0) {
				err = errors.New("the interrupted wipe was finished first and nothing else was done; run the command again for the new wipe")
			}
			return finish(err)
		}
	}
	if !*all && fs.NArg() == 0 {
		if doc.Unfinished != nil {
			return finish(nil)
		}
		fs.Usage()
		return ErrUsage
	}

	var ids []string
	if !*all {
		if ids, err = selectIDs(h, fs.Args()); err != nil {
			return err
		}
	}
	if doc.Plan, err = c.w.PlanWipe(ctx, ids); doc.Plan == nil {
		return err
	}
	if err = c.warnPlanDamaged(err); err != nil {
		return err
	}
	c.showPlan(doc.Plan)
	switch {
	case *dryRun:
		if *receiptPath != "" {
			c.say("No receipt was written: a dry run does nothing.")
		}
		return finish(nil)
	case len(doc.Plan.Wiped()) == 0:
		return finish(wipe.ErrNothingToWipe)
	case !*yes:
		fmt.Fprintln(errOut, "A wipe erases every setting and all personal data on these devices, and cannot be undone.\nTo go ahead, run the same command with --yes.")
		return finish(ErrUsage)
	}
	conf, err := c.confirm(doc.Plan, *typed)
	if err != nil {
		fmt.Fprintf(errOut, "%v. Nothing was done.\n", err)
		return finish(ErrUsage)
	}
	doc.Receipt, err = c.w.ExecuteWipe(ctx, doc.Plan, conf, c.options())
	if doc.Receipt != nil {
		err = errors.Join(err, c.conclude(doc.Receipt))
	}
	return finish(err)
}

// receiptFormat returns how a receipt file is written, by its extension.
func receiptFormat(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return "html", nil
	case ".json":
		return "json", nil
	}
	return "", fmt.Errorf("--receipt %s: the file name must end in .html or .json", path)
}

// wipeRun is one wipe command's conversation with the person.
type wipeRun struct {
	w           *app.Core
	in          *bufio.Reader
	out, errOut io.Writer
	// human is set for text output (not --json).
	human bool
	lang  string
	// words say the wipe's reasons, evidence and limits in lang.
	words       wipeWords
	receiptPath string
	format      string
	// interactive is set when the person types the answers (no --confirm).
	interactive bool
}

// warnPlanDamaged tells the person, on the error output (also with --json),
// that a damaged plan file was kept aside (wipe.PlanDamagedError, a notice
// that comes with a result): then it returns nil, else err.
func (c *wipeRun) warnPlanDamaged(err error) error {
	var damaged *wipe.PlanDamagedError
	if !errors.As(err, &damaged) {
		return err
	}
	fmt.Fprintf(c.errOut, "Warning: "+c.words.planDamaged+"\n", damaged.Aside)
	return nil
}

// say prints a line for people (not with --json).
func (c *wipeRun) say(format string, args ...any) {
	if c.human {
		fmt.Fprintf(c.out, format+"\n", args...)
	}
}

// ask prints a prompt and reads one line; "" at the end of the input.
func (c *wipeRun) ask(prompt string) string {
	fmt.Fprint(c.errOut, prompt)
	line, _ := c.in.ReadString('\n')
	return strings.TrimSpace(line)
}

func (c *wipeRun) showUnfinished(u *app.UnfinishedWipe) {
	c.say("An interrupted wipe (started %s) is not finished:", u.Started.Local().Format("2006-01-02 15:04"))
	for _, d := range u.Devices {
		state := string(d.State)
		if state == "" {
			state = "not started"
		}
		if why := c.words.step(wipe.Event{Reason: d.Reason, Evidence: d.Evidence, Detail: d.Detail}); why != "" {
			state += " — " + why
		}
		c.say("  %s: %s", d.Name, state)
	}
}

func (c *wipeRun) showPlan(p *app.WipePlan) {
	wiped := p.Wiped()
	c.say("What the wipe will do (%d of %d devices):", len(wiped), len(p.Devices))
	n := 0
	for _, d := range p.Devices {
		if d.Method == wipe.Blocked {
			continue
		}
		n++
		c.say("\n%d. %s — %s", n, d.Name, d.Product)
		if d.Method == wipe.Automatic {
			c.say("   Porchlight factory-resets it: every setting and all your data on it are erased.")
			if !d.PasswordInForce {
				c.say("   It has no password, so Porchlight can confirm the reset only by seeing it restart.")
			}
		} else {
			c.say("   %s", c.words.reason(d.Reason, d.Detail))
			c.steps(d.ResetSteps)
		}
		c.checks(d.Checks)
		local := "its record (name, room, addresses)"
		switch len(d.KeyringEntries) {
		case 0:
		case 1:
			local = "the keyring entry " + d.KeyringEntries[0] + " and " + local
		default:
			local = "the keyring entries " + strings.Join(d.KeyringEntries, ", ") + " and " + local
		}
		c.say("   Once it is wiped, Porchlight deletes %s.", local)
		c.cloud(d)
	}
	for _, d := range p.Devices {
		if d.Method != wipe.Blocked {
			continue
		}
		c.say("\nNot wiped: %s — %s", d.Name, c.words.reason(d.Reason, d.Detail))
		c.checks(d.Checks)
	}
	c.say("")
}

// checks shows each check's outcome in words and a symbol, never colour alone.
func (c *wipeRun) checks(checks []wipe.Check) {
	var parts []string
	for _, ch := range checks {
		mark := "✓"
		if !ch.OK {
			mark = "✗"
		}
		parts = append(parts, mark+" "+c.words.checks[ch.What])
	}
	if len(parts) > 0 {
		c.say("   Checks: %s", strings.Join(parts, "  "))
	}
}

func (c *wipeRun) steps(steps []string) {
	for i, s := range steps {
		c.say("     %d. %s", i+1, s)
	}
}

func (c *wipeRun) cloud(d wipe.DevicePlan) {
	if d.CloudAccount == nil {
		return
	}
	c.say("   A reset does not delete your %s, if you have one. To delete it: %s", d.CloudAccount.Service, d.CloudAccount.URL)
	c.steps(d.CloudSteps)
}

// confirm turns --confirm, or what the person types, into the plan's confirmation.
func (c *wipeRun) confirm(p *app.WipePlan, typed string) (app.WipeConfirmation, error) {
	if phrase := p.Phrase(); phrase != "" && typed == "" {
		typed = c.ask(fmt.Sprintf("This erases %d devices and cannot be undone. To go ahead, type: %s\n> ", len(p.Wiped()), phrase))
	}
	return p.Confirm(typed)
}

// options report progress and, when the person is there, ask them to
// confirm each device's manual steps.
func (c *wipeRun) options() wipe.Options {
	o := wipe.Options{Progress: func(ev wipe.Event) {
		if !c.human {
			return
		}
		if ev.State != "" {
			fmt.Fprintf(c.errOut, "[%d/%d] %s: %s — %s\n", ev.Index, ev.Total, ev.Name, ev.State, c.words.step(ev))
		} else {
			fmt.Fprintf(c.errOut, "[%d/%d] %s: %s\n", ev.Index, ev.Total, ev.Name, c.words.step(ev))
		}
	}}
	if c.interactive {
		o.ConfirmManual = c.manual
	}
	return o
}

// manual shows a device's steps and waits for the person to say done or skip.
func (c *wipeRun) manual(_ context.Context, d wipe.DevicePlan) (bool, error) {
	fmt.Fprintf(c.errOut, "\n%s: please follow these steps now.\n", d.Name)
	for i, s := range d.ResetSteps {
		fmt.Fprintf(c.errOut, "  %d. %s\n", i+1, s)
	}
	for {
		switch strings.ToLower(c.ask(`Type "done" once you have followed them, or "skip": `)) {
		case "done":
			return true, nil
		case "skip", "":
			return false, nil
		}
	}
}

// conclude prints the summary and writes the receipt file; the error says
// when not every device was wiped.
func (c *wipeRun) conclude(rc *app.WipeReceipt) error {
	wiped := 0
	for _, d := range rc.Devices {
		if d.Outcome == wipe.OutcomeWiped {
			wiped++
		}
	}
	c.say("\nWiped %d of %d devices.", wiped, len(rc.Devices))
	for _, d := range rc.Devices {
		switch d.Outcome {
		case wipe.OutcomeWiped:
			c.say("  ✓ %s: %s (%s); Porchlight deleted its own data of it.", d.Name, c.words.evidence[d.ConfirmedBy], d.ConfirmedAt.Local().Format("15:04:05"))
		default:
			c.say("  ✗ %s: %s: %s", d.Name, c.words.outcomes[d.Outcome], c.words.reason(d.Reason, d.Detail))
		}
		if d.CloudAccount != nil && d.Outcome == wipe.OutcomeWiped {
			c.say("    Delete your %s yourself, if you have one: %s", d.CloudAccount.Service, d.CloudAccount.URL)
		}
	}
	if !rc.Finished {
		c.say("The wipe is not finished: run 'porchlight wipe' to continue it.")
	}
	c.say("\nWhat a wipe cannot do:")
	for _, l := range rc.Limits {
		c.say("  - %s", c.words.limits[l])
	}
	if c.receiptPath != "" {
		if err := c.writeReceipt(rc); err != nil {
			return err
		}
		c.say("\nThe receipt is in %s.", c.receiptPath)
	}
	if wiped < len(rc.Devices) {
		return errNotAllWiped
	}
	return nil
}

// writeReceipt writes the receipt file atomically, as HTML or JSON.
func (c *wipeRun) writeReceipt(rc *app.WipeReceipt) error {
	var buf bytes.Buffer
	var err error
	if c.format == "json" {
		err = wipe.WriteJSON(&buf, rc)
	} else {
		err = wipe.WriteHTML(&buf, rc, c.lang)
	}
	if err != nil {
		return err
	}
	if err := inventory.WriteFileAtomic(c.receiptPath, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("writing the receipt: %w", err)
	}
	return nil
}
