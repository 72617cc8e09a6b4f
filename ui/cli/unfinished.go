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

// warnUnfinished tells, on out, about each interrupted update and reset, in
// plain words, and how to finish it.
func warnUnfinished(h *app.Core, out io.Writer, w *words) {
	u, err := h.UnfinishedActions()
	if err != nil {
		fmt.Fprintln(out, w.t("cli.warning", "Warning", w.t("cli.journal.unreadable", "Error", err)))
		return
	}
	for _, a := range u.Actions {
		fmt.Fprintln(out, w.t("cli.warning", "Warning", interruptedSentence(a, w)))
		fmt.Fprintln(out, "  "+w.t("cli.interrupted.howto", "Command", resumeCommand[a.Kind], "ID", a.Device))
	}
}

// interruptedSentence says what an interrupted action is and how far it got.
func interruptedSentence(a app.InterruptedAction, w *words) string {
	key := "cli.interrupted." + a.Kind + "."
	switch a.Reached {
	case app.ReachedPlanned:
		key += "planned"
	case app.ReachedSent:
		key += "sent"
	default:
		key += "unknown"
	}
	return w.t(key, "Name", deviceName(a), "To", a.To, "When", a.Started.Local().Format("2006-01-02 15:04"))
}

// deviceName is "name (id)", or the id when the device has no other name.
func deviceName(a app.InterruptedAction) string {
	if a.Name == "" || a.Name == a.Device {
		return a.Device
	}
	return a.Name + " (" + a.Device + ")"
}

// finishedSentence says what checking an interrupted action found.
func finishedSentence(r app.FinishedAction, w *words) string {
	name := deviceName(r.InterruptedAction)
	switch {
	case r.Outcome == update.Done || r.Outcome == update.NotDone:
		how := ""
		if r.Kind == app.ActionReset && r.Outcome == update.Done {
			how = w.t("wipe.evidence.came_back_unconfigured")
		}
		return w.t("cli.finished."+r.Kind+"."+string(r.Outcome), "Name", name, "Version", r.Version, "ID", r.Device, "How", how)
	case r.CheckAgain:
		return w.t("cli.finished."+r.Kind+".again", "Name", name, "Cause", r.Cause)
	}
	return w.t("cli.finished."+r.Kind+".not_confirmed", "Name", name, "Cause", r.Cause)
}

// finishInterrupted checks the device of every interrupted action of kind
// (every kind when empty) on the device with id (every device when empty),
// says on out what each showed, and returns the results and the number of
// damaged journal lines that were skipped.
func finishInterrupted(ctx context.Context, h *app.Core, id, kind string, opts app.UpdateOptions, out io.Writer, w *words) ([]app.FinishedAction, int, error) {
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
			return done, u.DamagedLines, fmt.Errorf("%s: %w", w.t("cli.finishing."+a.Kind, "Name", deviceName(a)), err)
		}
		fmt.Fprintln(out, finishedSentence(r, w))
		done = append(done, r)
	}
	return done, u.DamagedLines, nil
}

// finishFirst finishes the interrupted actions on the device with id
// before a new action on it, saying on out what each showed. The error
// wraps errUnfinished when one could not be checked. It returns the results.
func finishFirst(ctx context.Context, h *app.Core, id string, opts app.UpdateOptions, out io.Writer, w *words) ([]app.FinishedAction, error) {
	done, _, err := finishInterrupted(ctx, h, id, "", opts, out, w)
	if err != nil {
		return done, err
	}
	for _, r := range done {
		if r.CheckAgain {
			return done, fmt.Errorf("%s; %w", w.t("cli.finishfirst."+r.Kind, "Name", deviceName(r.InterruptedAction)), errUnfinished)
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
func runResume(ctx context.Context, env Env, kind, ref, dataDir, iface string, asJSON bool, f *Flags) error {
	w, out, errOut := f.words, f.out, f.errOut
	h, err := env.open(dataDir, iface, f.Lang(), errOut, w)
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
	say := out
	if asJSON {
		say = io.Discard
	}
	done, damaged, err := finishInterrupted(ctx, h, id, kind, app.UpdateOptions{Progress: progress(errOut, w, asJSON)}, say, w)
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
		fmt.Fprintln(out, w.t("cli.resume.none."+kind))
	}
	if damaged > 0 {
		fmt.Fprintln(out, w.t("cli.journal.damaged", "Count", damaged))
	}
	return nil
}
