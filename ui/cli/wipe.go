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

func runWipe(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("wipe", out, errOut)
	fw := f.flagWords()
	all := f.Bool("all", false, fw.t("cli.flag.wipeall"))
	dryRun := f.Bool("dry-run", false, fw.t("cli.flag.dryrun"))
	yes := f.Bool("yes", false, fw.t("cli.flag.wipeyes"))
	typed := f.String("confirm", "", fw.t("cli.flag.confirm"))
	receiptPath := f.String("receipt", "", fw.t("cli.flag.receipt"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, -1); err != nil {
		return err
	}
	w := f.words
	if *all && f.NArg() > 0 {
		return f.Usagef("cli.wipe.both")
	}
	format, ok := receiptFormat(*receiptPath)
	if !ok {
		return f.Usagef("cli.wipe.receiptname", "File", *receiptPath)
	}
	h, err := env.open(*dataDir, *iface, f.Lang(), errOut, w)
	if err != nil {
		return err
	}
	defer h.Close()
	c := &wipeRun{
		w: h, in: bufio.NewReader(stdin), out: out, errOut: errOut,
		human: !*asJSON, lang: h.Lang(), words: wipeWordsFor(h.Lang()), t: w, receiptPath: *receiptPath, format: format, interactive: *typed == "",
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
			if err == nil && (*all || f.NArg() > 0) {
				err = errors.New(w.t("cli.wipe.resumedfirst"))
			}
			return finish(err)
		}
	}
	if !*all && f.NArg() == 0 {
		if doc.Unfinished != nil {
			return finish(nil)
		}
		return f.Usagef("cli.error.missing", "Usage", w.t("cli.usage.wipe"))
	}

	var ids []string
	if !*all {
		if ids, err = selectIDs(h, f.Args()); err != nil {
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
			c.say(w.t("cli.wipe.dryreceipt"))
		}
		return finish(nil)
	case len(doc.Plan.Wiped()) == 0:
		return finish(wipe.ErrNothingToWipe)
	case !*yes:
		fmt.Fprintln(errOut, w.t("cli.wipe.confirm"))
		return finish(ErrUsage)
	}
	conf, err := c.confirm(doc.Plan, *typed)
	if err != nil {
		fmt.Fprintln(errOut, w.t("cli.wipe.notconfirmed", "Error", err))
		return finish(ErrUsage)
	}
	doc.Receipt, err = c.w.ExecuteWipe(ctx, doc.Plan, conf, c.options())
	if doc.Receipt != nil {
		err = errors.Join(err, c.conclude(doc.Receipt))
	}
	return finish(err)
}

// receiptFormat returns how a receipt file is written, by its extension;
// false for an extension Porchlight does not write.
func receiptFormat(path string) (string, bool) {
	if path == "" {
		return "", true
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return "html", true
	case ".json":
		return "json", true
	}
	return "", false
}

// wipeRun is one wipe command's conversation with the person.
type wipeRun struct {
	w           *app.Core
	in          *bufio.Reader
	out, errOut io.Writer
	// human is set for text output (not --json).
	human bool
	lang  string
	// words say the wipe's reasons, evidence and limits in lang; t the
	// command line's own words.
	words       wipeWords
	t           *words
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
	fmt.Fprintln(c.errOut, c.t.t("cli.wipe.plandamaged", "File", damaged.Aside))
	return nil
}

// say prints a line for people (not with --json).
func (c *wipeRun) say(line string) {
	if c.human {
		fmt.Fprintln(c.out, line)
	}
}

// ask prints a prompt and reads one line; "" at the end of the input.
func (c *wipeRun) ask(prompt string) string {
	fmt.Fprint(c.errOut, prompt)
	line, _ := c.in.ReadString('\n')
	return strings.TrimSpace(line)
}

func (c *wipeRun) showUnfinished(u *app.UnfinishedWipe) {
	c.say(c.t.t("cli.wipe.unfinished", "When", u.Started.Local().Format("2006-01-02 15:04")))
	for _, d := range u.Devices {
		state := string(d.State)
		if state == "" {
			state = c.t.t("cli.wipe.notstarted")
		}
		if why := c.words.step(wipe.Event{Reason: d.Reason, Evidence: d.Evidence, Detail: d.Detail}); why != "" {
			state += " — " + why
		}
		c.say("  " + d.Name + ": " + state)
	}
}

func (c *wipeRun) showPlan(p *app.WipePlan) {
	wiped := p.Wiped()
	c.say(c.t.t("cli.wipe.plan", "Count", len(wiped), "Total", len(p.Devices)))
	n := 0
	for _, d := range p.Devices {
		if d.Method == wipe.Blocked {
			continue
		}
		n++
		c.say(fmt.Sprintf("\n%d. %s — %s", n, d.Name, d.Product))
		if d.Method == wipe.Automatic {
			c.say("   " + c.t.t("cli.wipe.automatic"))
			if !d.PasswordInForce {
				c.say("   " + c.t.t("cli.wipe.nopassword"))
			}
		} else {
			c.say("   " + c.words.reason(d.Reason, d.Detail))
			c.steps(d.ResetSteps)
		}
		c.checks(d.Checks)
		if len(d.KeyringEntries) == 0 {
			c.say("   " + c.t.t("cli.wipe.local"))
		} else {
			c.say("   " + c.t.t("cli.wipe.localentries", "Count", len(d.KeyringEntries), "Entries", strings.Join(d.KeyringEntries, ", ")))
		}
		c.cloud(d)
	}
	for _, d := range p.Devices {
		if d.Method != wipe.Blocked {
			continue
		}
		c.say("\n" + c.t.t("cli.wipe.blocked", "Name", d.Name, "Reason", c.words.reason(d.Reason, d.Detail)))
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
		c.say("   " + c.t.t("cli.wipe.checks", "List", strings.Join(parts, "  ")))
	}
}

func (c *wipeRun) steps(steps []string) {
	for i, s := range steps {
		c.say(fmt.Sprintf("     %d. %s", i+1, s))
	}
}

func (c *wipeRun) cloud(d wipe.DevicePlan) {
	if d.CloudAccount == nil {
		return
	}
	c.say("   " + c.t.t("cli.wipe.cloud", "Service", d.CloudAccount.Service, "URL", d.CloudAccount.URL))
	c.steps(d.CloudSteps)
}

// confirm turns --confirm, or what the person types, into the plan's confirmation.
func (c *wipeRun) confirm(p *app.WipePlan, typed string) (app.WipeConfirmation, error) {
	if phrase := p.Phrase(); phrase != "" && typed == "" {
		typed = c.ask(c.t.t("cli.wipe.type", "Count", len(p.Wiped()), "Phrase", phrase) + "\n> ")
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
	fmt.Fprintln(c.errOut, "\n"+c.t.t("cli.wipe.follow", "Name", d.Name))
	for i, s := range d.ResetSteps {
		fmt.Fprintf(c.errOut, "  %d. %s\n", i+1, s)
	}
	for {
		switch answer := strings.ToLower(c.ask(c.t.t("cli.wipe.doneorskip") + " ")); answer {
		case "done", c.t.t("cli.wipe.done"):
			return true, nil
		case "skip", c.t.t("cli.wipe.skip"), "":
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
	c.say("\n" + c.t.t("cli.wipe.wiped", "Count", wiped, "Total", len(rc.Devices)))
	for _, d := range rc.Devices {
		switch d.Outcome {
		case wipe.OutcomeWiped:
			c.say("  ✓ " + c.t.t("cli.wipe.wipedone", "Name", d.Name, "How", c.words.evidence[d.ConfirmedBy], "When", d.ConfirmedAt.Local().Format("15:04:05")))
		default:
			c.say(fmt.Sprintf("  ✗ %s: %s: %s", d.Name, c.words.outcomes[d.Outcome], c.words.reason(d.Reason, d.Detail)))
		}
		if d.CloudAccount != nil && d.Outcome == wipe.OutcomeWiped {
			c.say("    " + c.t.t("cli.wipe.cloudyourself", "Service", d.CloudAccount.Service, "URL", d.CloudAccount.URL))
		}
	}
	if !rc.Finished {
		c.say(c.t.t("cli.wipe.notfinished"))
	}
	c.say("\n" + c.t.t("cli.wipe.limits"))
	for _, l := range rc.Limits {
		c.say("  - " + c.words.limits[l])
	}
	if c.receiptPath != "" {
		if err := c.writeReceipt(rc); err != nil {
			return err
		}
		c.say("\n" + c.t.t("cli.wipe.receipt", "File", c.receiptPath))
	}
	if wiped < len(rc.Devices) {
		return errors.New(c.t.t("cli.wipe.notall"))
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
		return fmt.Errorf("%s: %w", c.t.t("cli.wipe.receiptfailed"), err)
	}
	return nil
}
