package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/update"
)

// resumeCommand is the command that finishes an interrupted action of kind.
var resumeCommand = map[string]string{app.ActionUpdate: "update", app.ActionReset: "reset"}

// errUnfinished: an action was not started because an interrupted one on
// the same device could not be checked.
var errUnfinished = errors.New("nothing new is started on the device until it can be checked")

// warnUnfinished tells, on w, about each interrupted update and reset, in
// plain words, and how to finish it.
func warnUnfinished(h *app.Core, w io.Writer) {
	u, err := h.UnfinishedActions()
	if err != nil {
		fmt.Fprintf(w, "Warning: Porchlight could not read its journal of updates and resets: %v\n", err)
		return
	}
	for _, a := range u.Actions {
		fmt.Fprintf(w, "Warning: %s\n  To check the device and finish it (nothing is sent to it again): porchlight %s --resume %s\n", interruptedSentence(a), resumeCommand[a.Kind], a.Device)
	}
}

// interruptedSentence says what an interrupted action is and how far it got.
func interruptedSentence(a app.InterruptedAction) string {
	what := fmt.Sprintf("the firmware update of %s", deviceName(a))
	if a.To != "" {
		what += " to " + a.To
	}
	if a.Kind == app.ActionReset {
		what = "the factory reset of " + deviceName(a)
	}
	started := a.Started.Local().Format("2 Jan 2006 15:04")
	switch a.Reached {
	case app.ReachedPlanned:
		return fmt.Sprintf("%s, started %s, was interrupted as it was being sent: Porchlight does not know whether the device received it.", capitalize(what), started)
	case app.ReachedSent:
		return fmt.Sprintf("%s, started %s, was interrupted before the device confirmed it.", capitalize(what), started)
	}
	return fmt.Sprintf("%s, started %s, was not confirmed by the device in time.", capitalize(what), started)
}

// deviceName is "name (id)", or the id when the device has no other name.
func deviceName(a app.InterruptedAction) string {
	if a.Name == "" || a.Name == a.Device {
		return a.Device
	}
	return a.Name + " (" + a.Device + ")"
}

// capitalize puts the first letter of an English sentence in upper case.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// finishedSentence says what checking an interrupted action found.
func finishedSentence(r app.FinishedAction) string {
	name := deviceName(r.InterruptedAction)
	switch {
	case r.Kind == app.ActionUpdate && r.Outcome == update.Done:
		return fmt.Sprintf("The interrupted update of %s happened: it now runs %s.", name, r.Version)
	case r.Kind == app.ActionUpdate && r.Outcome == update.NotDone:
		return fmt.Sprintf("The interrupted update of %s did not happen: it still runs %s. Nothing was sent again; to install it: porchlight update --apply %s", name, r.Version, r.Device)
	case r.Kind == app.ActionReset && r.Outcome == update.Done:
		return fmt.Sprintf("The interrupted factory reset of %s happened: %s. Porchlight deleted the password it kept for it.", name, update.CameBackUnconfigured)
	case r.Kind == app.ActionReset && r.Outcome == update.NotDone:
		return fmt.Sprintf("The interrupted factory reset of %s did not happen: it still takes the password Porchlight keeps. Nothing was sent again.", name)
	case r.CheckAgain:
		return fmt.Sprintf("Porchlight could not check %s: %v. The interrupted %s stays unfinished and is checked again next time.", name, r.Cause, kindWord(r.Kind))
	}
	return fmt.Sprintf("Porchlight cannot tell whether the interrupted %s of %s happened: %v. Nothing was sent again, and it is recorded as not confirmed.", kindWord(r.Kind), name, r.Cause)
}

// kindWord names an interrupted action's kind in a sentence.
func kindWord(kind string) string {
	if kind == app.ActionReset {
		return "factory reset"
	}
	return "update"
}

// finishInterrupted checks the device of every interrupted action of kind
// (every kind when empty) on the device with id (every device when empty),
// says on w what each showed, and returns the results and the number of
// damaged journal lines that were skipped.
func finishInterrupted(ctx context.Context, h *app.Core, id, kind string, opts app.UpdateOptions, w io.Writer) ([]app.FinishedAction, int, error) {
	u, err := h.UnfinishedActions()
	if err != nil {
		return nil, u.DamagedLines, err
	}
	var done []app.FinishedAction
	for _, a := range u.Actions {
		if (id != "" && a.Device != id) || (kind != "" && a.Kind != kind) {
			continue
		}
		r, err := h.FinishAction(ctx, a, opts)
		if err != nil {
			return done, u.DamagedLines, fmt.Errorf("finishing the interrupted %s of %s: %w", kindWord(a.Kind), deviceName(a), err)
		}
		fmt.Fprintln(w, finishedSentence(r))
		done = append(done, r)
	}
	return done, u.DamagedLines, nil
}

// finishFirst finishes the interrupted actions on the device with id
// before a new action on it, saying on w what each showed. The error wraps
// errUnfinished when one could not be checked. It returns the results.
func finishFirst(ctx context.Context, h *app.Core, id string, opts app.UpdateOptions, w io.Writer) ([]app.FinishedAction, error) {
	done, _, err := finishInterrupted(ctx, h, id, "", opts, w)
	if err != nil {
		return done, err
	}
	for _, r := range done {
		if r.CheckAgain {
			return done, fmt.Errorf("the interrupted %s of %s could not be checked; %w", kindWord(r.Kind), deviceName(r.InterruptedAction), errUnfinished)
		}
	}
	return done, nil
}

// resumedDocument is the JSON of 'update --resume' and 'reset --resume'.
type resumedDocument struct {
	Schema  int             `json:"schema"`
	Resumed []resumedAction `json:"resumed"`
	// DamagedLines counts journal lines that could not be read and were skipped.
	DamagedLines int `json:"damaged_lines"`
}

// resumedAction is one finished action, with its cause in words.
type resumedAction struct {
	app.FinishedAction
	Cause string `json:"cause,omitempty"`
}

// runResume finishes the interrupted actions of kind (on the device ref
// names, or all): 'porchlight update --resume' and 'reset --resume'.
func runResume(ctx context.Context, env Env, kind, ref, dataDir, iface string, asJSON bool, out, errOut io.Writer) error {
	h, err := env.open(dataDir, iface, "", errOut)
	if err != nil {
		return err
	}
	defer h.Close()
	id := ""
	if ref != "" {
		if id, err = oneID(h, ref); err != nil {
			return err
		}
	}
	progress := func(s app.UpdateStep) {
		if !asJSON {
			fmt.Fprintln(errOut, s.English())
		}
	}
	say := out
	if asJSON {
		say = io.Discard
	}
	done, damaged, err := finishInterrupted(ctx, h, id, kind, app.UpdateOptions{Progress: progress}, say)
	if err != nil {
		return err
	}
	if asJSON {
		doc := resumedDocument{Schema: Schema, Resumed: []resumedAction{}, DamagedLines: damaged}
		for _, r := range done {
			ra := resumedAction{FinishedAction: r}
			if r.Cause != nil {
				ra.Cause = r.Cause.Error()
			}
			doc.Resumed = append(doc.Resumed, ra)
		}
		return writeJSON(out, doc)
	}
	if len(done) == 0 {
		fmt.Fprintf(out, "There is no interrupted %s to finish.\n", kindWord(kind))
	}
	if damaged > 0 {
		fmt.Fprintf(out, "%d damaged line(s) of Porchlight's journal were skipped: most likely a step being written when Porchlight stopped, which was never taken.\n", damaged)
	}
	return nil
}
