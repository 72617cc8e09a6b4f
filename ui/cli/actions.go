package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
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
	Schema int    `json:"schema"`
	Device string `json:"device"`
	Action string `json:"action"`
	Done   bool   `json:"done"`
	// Detail says what happened, in plain words; never a secret.
	Detail  string `json:"detail"`
	Current string `json:"current,omitempty"`
	Update  string `json:"available,omitempty"`
}

func runPassword(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("password", errOut)
	fromStdin := fs.Bool("stdin", false, "read the new password from standard input instead of generating one")
	fs.Bool("generate", true, "generate a strong new password (the default)")
	asJSON := fs.Bool("json", false, "print JSON (schema 1) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if the device must be looked for")
	ref, err := oneDevice(fs, args, "Usage: porchlight password [OPTIONS] DEVICE\nGives a device you claimed a new password, kept in your computer's keyring (never printed).")
	if err != nil {
		return err
	}
	next := ""
	if *fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the new password: %w", err)
		}
		if next = strings.TrimRight(line, "\r\n"); next == "" {
			fmt.Fprintln(errOut, "no password on standard input")
			return ErrUsage
		}
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	if _, err := finishFirst(ctx, h, id, app.UpdateOptions{}, errOut); err != nil {
		return err
	}
	if err := h.SetPassword(ctx, id, next); err != nil {
		return err
	}
	detail := "The device has a new password. Porchlight keeps it in your computer's keyring."
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "password", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}

func runUpdate(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("update", errOut)
	fs.Bool("check", true, "only ask the device whether an update is available (the default)")
	apply := fs.Bool("apply", false, "install the available update and wait until the device runs it")
	resume := fs.Bool("resume", false, "check the devices of interrupted updates (of DEVICE, or all) and record whether they happened; nothing is installed again")
	asJSON := fs.Bool("json", false, "print JSON (schema 1) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if the device must be looked for")
	const usage = "Usage: porchlight update [--check|--apply] [OPTIONS] DEVICE\n       porchlight update --resume [OPTIONS] [DEVICE]\nChecks for, or installs, a firmware update on a device you claimed, or finishes an interrupted one."
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if *resume && *apply {
		fmt.Fprintln(errOut, "--resume and --apply do not go together: --resume only checks what an interrupted update did")
		return ErrUsage
	}
	ref, err := deviceArg(fs, *resume, usage)
	if err != nil {
		return err
	}
	if *resume {
		return runResume(ctx, env, app.ActionUpdate, ref, *dataDir, *iface, *asJSON, out, errOut)
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	doc := actionDocument{Schema: Schema, Device: id, Action: "update-check"}
	progress := func(s app.UpdateStep) {
		if !*asJSON {
			fmt.Fprintln(errOut, s.English())
		}
	}
	if !*apply {
		info, err := h.CheckUpdate(ctx, id)
		if err != nil {
			return err
		}
		doc.Done, doc.Current, doc.Update = true, info.Current, info.Available
		doc.Detail = fmt.Sprintf("It runs %s and is up to date.", info.Current)
		if info.Available != "" {
			doc.Detail = fmt.Sprintf("It runs %s; %s is available. Install it with: porchlight update --apply %s", info.Current, info.Available, ref)
		}
	} else {
		doc.Action = "update"
		if _, err := finishFirst(ctx, h, id, app.UpdateOptions{Progress: progress}, errOut); err != nil {
			return err
		}
		res, err := h.ApplyUpdate(ctx, id, app.UpdateOptions{Progress: progress})
		if err != nil {
			return err
		}
		doc.Done, doc.Current = true, res.To
		doc.Detail = fmt.Sprintf("It runs %s and is up to date.", res.From)
		if res.Verified {
			doc.Detail = fmt.Sprintf("Updated from %s to %s; the device confirmed it.", res.From, res.To)
		}
	}
	if *asJSON {
		return writeJSON(out, doc)
	}
	fmt.Fprintln(out, doc.Detail)
	return nil
}

func runReset(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("reset", errOut)
	yes := fs.Bool("yes", false, "confirm: erase every setting and all personal data on the device")
	resume := fs.Bool("resume", false, "check the devices of interrupted factory resets (of DEVICE, or all) and record whether they happened; nothing is reset again")
	asJSON := fs.Bool("json", false, "print JSON (schema 1) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if the device must be looked for")
	const usage = "Usage: porchlight reset --yes [OPTIONS] DEVICE\n       porchlight reset --resume [OPTIONS] [DEVICE]\nFactory-resets a device you claimed, or finishes an interrupted reset. A reset cannot be undone: its settings and your data on it are erased."
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	ref, err := deviceArg(fs, *resume, usage)
	if err != nil {
		return err
	}
	if *resume {
		return runResume(ctx, env, app.ActionReset, ref, *dataDir, *iface, *asJSON, out, errOut)
	}
	if !*yes {
		fmt.Fprintf(errOut, "A factory reset erases every setting and all personal data on %s, and cannot be undone.\nTo go ahead, run: porchlight reset --yes %s\n", ref, ref)
		return ErrUsage
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	progress := func(s app.UpdateStep) {
		if !*asJSON {
			fmt.Fprintln(errOut, s.English())
		}
	}
	done, err := finishFirst(ctx, h, id, app.UpdateOptions{Progress: progress}, errOut)
	if err != nil {
		return err
	}
	how := ""
	if slices.ContainsFunc(done, func(r app.FinishedAction) bool { return r.Kind == app.ActionReset && r.Outcome == update.Done }) {
		// The reset the person asked for again already happened: not twice.
		how = update.CameBackUnconfigured
	} else if how, err = h.Reset(ctx, id, true, app.UpdateOptions{Progress: progress}); err != nil {
		return err
	}
	detail := "The device was reset: " + how + "."
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "reset", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}

func runPair(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("pair", errOut)
	asJSON := fs.Bool("json", false, "print JSON (schema 1) instead of text")
	dataDir := dataDirFlag(fs)
	iface := fs.String("interface", "", "scan only this network interface, if the device must be looked for")
	ref, err := oneDevice(fs, args, "Usage: porchlight pair [OPTIONS] DEVICE\nPairs Porchlight with a device you claimed that needs it (a Hue bridge): press its link button, then run this within 30 seconds.")
	if err != nil {
		return err
	}
	h, id, err := env.openFor(ref, *dataDir, *iface, errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	if err := h.Pair(ctx, id); err != nil {
		return err
	}
	detail := "Paired. Porchlight keeps the bridge's app key in your computer's keyring."
	if *asJSON {
		return writeJSON(out, actionDocument{Schema: Schema, Device: id, Action: "pair", Done: true, Detail: detail})
	}
	fmt.Fprintln(out, detail)
	return nil
}

// oneDevice parses args, which must name exactly one device.
func oneDevice(fs *flag.FlagSet, args []string, usage string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", usageError(err)
	}
	return deviceArg(fs, false, usage)
}

// deviceArg returns the one device the parsed fs names; with optional, it
// may name none (""). Anything else prints usage.
func deviceArg(fs *flag.FlagSet, optional bool, usage string) (string, error) {
	if fs.NArg() > 1 || (fs.NArg() == 0 && !optional) {
		fmt.Fprintln(fs.Output(), usage)
		fs.PrintDefaults()
		return "", ErrUsage
	}
	return fs.Arg(0), nil
}
