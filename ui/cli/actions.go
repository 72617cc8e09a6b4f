package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/update"
)

// stdin is where --stdin reads a password; tests replace it.
var stdin io.Reader = os.Stdin

// actionDocument is the JSON that password, update and reset print.
type actionDocument struct {
	Schema int `json:"schema"`
	// Device is the device's ID, whatever name it was called by.
	Device string `json:"device"`
	Action string `json:"action"`
	Done   bool   `json:"done"`
	// Detail says what happened, in plain words; never a secret.
	Detail  string `json:"detail"`
	Current string `json:"current,omitempty"`
	Update  string `json:"available,omitempty"`
}

// resetHow are the words for how a reset was confirmed (update's constants).
var resetHow = map[string]string{
	update.CameBackUnconfigured: "wipe.evidence.came_back_unconfigured",
	update.LeftTheNetwork:       "wipe.evidence.left_the_network",
}

// progress says each step of an update or reset on errOut, unless quiet.
func progress(errOut io.Writer, w *words, quiet bool) func(app.UpdateStep) {
	return func(s app.UpdateStep) {
		if !quiet {
			fmt.Fprintln(errOut, w.t("step."+string(s.Kind), "Name", s.Device, "From", s.From, "To", s.To))
		}
	}
}

func runPassword(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("password", out, errOut)
	fw := f.flagWords()
	f.Bool("generate", true, fw.t("cli.flag.generate"))
	fromStdin := f.Bool("stdin", false, fw.t("cli.flag.stdin"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 1, 1); err != nil {
		return err
	}
	w, ref := f.words, f.Arg(0)
	next := ""
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: %w", w.t("cli.password.reading"), err)
		}
		if next = strings.TrimRight(line, "\r\n"); next == "" {
			return f.Usagef("cli.password.none")
		}
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, f)
	if err != nil {
		return err
	}
	defer h.Close()
	if _, err := finishFirst(ctx, h, id, app.UpdateOptions{}, errOut, w); err != nil {
		return err
	}
	if err := h.SetPassword(ctx, id, next); err != nil {
		return err
	}
	detail := w.t("cli.password.done")
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "password", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}

func runUpdate(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("update", out, errOut)
	fw := f.flagWords()
	f.Bool("check", true, fw.t("cli.flag.check"))
	apply := f.Bool("apply", false, fw.t("cli.flag.apply"))
	resume := f.Bool("resume", false, fw.t("cli.flag.resumeupdate"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, 1); err != nil {
		return err
	}
	w, ref := f.words, f.Arg(0)
	if *resume && *apply {
		return f.Usagef("cli.update.resumeapply")
	}
	if *resume {
		return runResume(ctx, env, app.ActionUpdate, ref, *dataDir, *iface, *asJSON, f)
	}
	if ref == "" {
		return f.Usagef("cli.error.missing", "Usage", w.t("cli.usage.update"))
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, f)
	if err != nil {
		return err
	}
	defer h.Close()
	doc := actionDocument{Schema: Schema, Device: id, Action: "update-check"}
	say := progress(errOut, w, *asJSON)
	if !*apply {
		info, err := h.CheckUpdate(ctx, id)
		if err != nil {
			return err
		}
		doc.Done, doc.Current, doc.Update = true, info.Current, info.Available
		doc.Detail = w.t("cli.update.current", "Current", info.Current)
		if info.Available != "" {
			doc.Detail = w.t("cli.update.available", "Current", info.Current, "Available", info.Available, "ID", id)
		}
	} else {
		doc.Action = "update"
		if _, err := finishFirst(ctx, h, id, app.UpdateOptions{Progress: say}, errOut, w); err != nil {
			return err
		}
		res, err := h.ApplyUpdate(ctx, id, app.UpdateOptions{Progress: say})
		if err != nil {
			return err
		}
		doc.Done, doc.Current = true, res.To
		doc.Detail = w.t("cli.update.current", "Current", res.From)
		if res.Verified {
			doc.Detail = w.t("cli.update.done", "From", res.From, "To", res.To)
		}
	}
	if *asJSON {
		return writeJSON(out, doc)
	}
	fmt.Fprintln(out, doc.Detail)
	return nil
}

func runReset(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("reset", out, errOut)
	fw := f.flagWords()
	yes := f.Bool("yes", false, fw.t("cli.flag.resetyes"))
	resume := f.Bool("resume", false, fw.t("cli.flag.resumereset"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, 1); err != nil {
		return err
	}
	w, ref := f.words, f.Arg(0)
	if *resume {
		return runResume(ctx, env, app.ActionReset, ref, *dataDir, *iface, *asJSON, f)
	}
	if ref == "" {
		return f.Usagef("cli.error.missing", "Usage", w.t("cli.usage.reset"))
	}
	if !*yes {
		fmt.Fprintln(errOut, w.t("cli.reset.confirm", "Device", ref))
		return ErrUsage
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, f)
	if err != nil {
		return err
	}
	defer h.Close()
	say := progress(errOut, w, *asJSON)
	done, err := finishFirst(ctx, h, id, app.UpdateOptions{Progress: say}, errOut, w)
	if err != nil {
		return err
	}
	how := ""
	if slices.ContainsFunc(done, func(r app.FinishedAction) bool { return r.Kind == app.ActionReset && r.Outcome == update.Done }) {
		// The reset the person asked for again already happened: not twice.
		how = update.CameBackUnconfigured
	} else if how, err = h.Reset(ctx, id, true, app.UpdateOptions{Progress: say}); err != nil {
		return err
	}
	if k, ok := resetHow[how]; ok {
		how = w.t(k)
	}
	detail := w.t("cli.reset.done", "How", how)
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "reset", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}

func runPair(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("pair", out, errOut)
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 1, 1); err != nil {
		return err
	}
	h, id, err := env.openFor(f.Arg(0), *dataDir, *iface, f)
	if err != nil {
		return err
	}
	defer h.Close()
	if err := h.Pair(ctx, id); err != nil {
		return err
	}
	detail := f.words.t("cli.pair.done")
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "pair", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}
