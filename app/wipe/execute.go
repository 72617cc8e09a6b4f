package wipe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
)

// Evidence is how a device's erase was confirmed.
type Evidence string

// The kinds of evidence.
const (
	// CameBackUnconfigured: the device answered again without the password
	// it had before.
	CameBackUnconfigured Evidence = "came_back_unconfigured"
	// LeftTheNetwork: the device stopped answering after the reset, as a
	// reset device does when it opens its own setup Wi-Fi.
	LeftTheNetwork Evidence = "left_the_network"
	// Restarted: a device that had no password restarted after
	// acknowledging the reset; that is all Porchlight could see.
	Restarted Evidence = "restarted"
	// PersonConfirmed: the person said they followed the manual steps.
	PersonConfirmed Evidence = "person_confirmed"
)

// Unfinished is an interrupted wipe.
type Unfinished struct {
	Action  string    `json:"action"`
	Started time.Time `json:"started"`
	// Devices are the wipe's devices, each with the last step it reached.
	Devices []UnfinishedDevice `json:"devices"`
}

// UnfinishedDevice is where one device of an interrupted wipe stopped.
type UnfinishedDevice struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// State is the last journal state; "" for a device of the plan whose
	// turn had not come.
	State State     `json:"state"`
	At    time.Time `json:"at,omitzero"`
	// Reason and Evidence are those of the last journal entry; Detail is
	// its free text (an error's), if any.
	Reason   Reason   `json:"reason,omitempty"`
	Evidence Evidence `json:"evidence,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

// Unfinished returns the interrupted wipe in the journal, nil when there
// is none: a wipe with a device whose last state is not final. When its
// plan file is damaged, the file is set aside and Unfinished returns the
// wipe as the journal has it together with a *PlanDamagedError: show both.
func (w *Wiper) Unfinished() (*Unfinished, error) {
	entries, err := w.entries()
	if err != nil {
		return nil, err
	}
	var action string
	for _, e := range journal.Latest(entries) {
		if e.Kind == Kind && !State(e.State).Final() {
			action = e.Action
			break
		}
	}
	if action == "" {
		return nil, nil
	}
	p, notice := w.planOf(action, entries)
	latest := latestOf(action, entries)
	u := &Unfinished{Action: action, Started: started(action, entries)}
	for _, d := range p.Wiped() {
		e := latest[d.ID]
		u.Devices = append(u.Devices, UnfinishedDevice{
			ID: d.ID, Name: d.Name, State: State(e.State), At: e.At,
			Reason: Reason(e.Reason), Evidence: Evidence(e.Evidence), Detail: e.Detail,
		})
	}
	return u, notice
}

// entries reads the journal, with the typed fields of entries written
// before there were any filled in (see fromOldJournal).
func (w *Wiper) entries() ([]journal.Entry, error) {
	entries, _, err := w.Journal.Entries()
	if err != nil {
		return nil, err
	}
	for i, e := range entries {
		entries[i] = fromOldJournal(e)
	}
	return entries, nil
}

// planOf returns the plan of action: the plan file, or, when it is gone
// or damaged, one rebuilt from the journal and the inventory. notice
// reports a plan file that could not be read (see readPlan).
func (w *Wiper) planOf(action string, entries []journal.Entry) (p *Plan, notice error) {
	if p, notice = w.loadPlan(action); p != nil {
		return p, nil
	}
	p = &Plan{Action: action, Created: started(action, entries), Lang: w.lang()}
	cat, _ := w.catalog()
	for _, e := range entries {
		if e.Action != action || e.State != string(Planned) {
			continue
		}
		if _, dup := p.device(e.Device); dup {
			continue
		}
		d := DevicePlan{ID: e.Device, Name: e.Device, Method: Manual, KeyringEntries: []string{}}
		if Method(e.Method) == Automatic {
			d.Method = Automatic
		}
		if r, ok := w.Inventory.Get(e.Device); ok {
			if cat != nil {
				d.describe(cat, r, w.lang())
			}
			d.Name, d.KeyringEntries = r.Name, slices.Clone(r.Secrets)
		}
		// Whether it had a password is not known: Resume assumes not, so
		// that a device answering as before is never taken for reset.
		p.Devices = append(p.Devices, d)
	}
	return p, notice
}

// latestOf returns each device's last entry of action.
func latestOf(action string, entries []journal.Entry) map[string]journal.Entry {
	out := make(map[string]journal.Entry)
	for _, e := range entries {
		if e.Action == action {
			out[e.Device] = e
		}
	}
	return out
}

// started returns the time of action's first entry.
func started(action string, entries []journal.Entry) time.Time {
	for _, e := range entries {
		if e.Action == action {
			return e.At
		}
	}
	return time.Time{}
}

// Execute wipes the devices of p after the person confirmed it (see
// Plan.Confirm): every device is planned in the journal first, then each is
// wiped in turn, and the receipt is returned. A device that cannot be wiped
// is recorded and the others go on; the error reports what stopped the wipe
// or kept it from finishing (the journal, the keyring, ctx), with the
// receipt of what was done so far. It refuses to start while an interrupted
// wipe is unfinished.
func (w *Wiper) Execute(ctx context.Context, p *Plan, c Confirmation, opts Options) (*Receipt, error) {
	if p == nil || c.digest != p.digest() {
		return nil, ErrNotConfirmed
	}
	devices := p.Wiped()
	if len(devices) == 0 {
		return nil, ErrNothingToWipe
	}
	entries, err := w.entries()
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(entries, func(e journal.Entry) bool { return e.Action == p.Action }) {
		return nil, ErrAlreadyStarted
	}
	if u, err := w.Unfinished(); u != nil {
		return nil, errors.Join(ErrUnfinished, err)
	} else if err != nil {
		return nil, err
	}
	if err := w.savePlan(p); err != nil {
		return nil, err
	}
	r := newRun(w, p, devices, opts)
	for _, d := range devices {
		if err := r.planned(d); err != nil {
			return nil, err
		}
	}
	err = r.each(ctx, devices, func(d DevicePlan) error { return r.start(ctx, d) })
	return w.finish(p, err)
}

// Resume finishes the interrupted wipe (see Unfinished). A device that was
// sent its reset is checked before anything is sent again: when it came
// back unconfigured or left the network, its erase is verified; when it
// still takes the password Porchlight holds, it was not reset and is sent
// the reset again; when Porchlight cannot tell, it is left unconfirmed and
// nothing is sent. The person's confirmation was given when the wipe
// started; Resume acts only on the devices of that wipe.
func (w *Wiper) Resume(ctx context.Context, opts Options) (*Receipt, error) {
	u, notice := w.Unfinished()
	if u == nil {
		return nil, cmpErr(notice, ErrNoUnfinished)
	}
	entries, err := w.entries()
	if err != nil {
		return nil, err
	}
	p, _ := w.planOf(u.Action, entries) // a damaged file was set aside by Unfinished: notice says so
	latest := latestOf(u.Action, entries)
	devices := p.Wiped()
	r := newRun(w, p, devices, opts)
	err = r.each(ctx, devices, func(d DevicePlan) error {
		last, seen := latest[d.ID]
		switch state := State(last.State); {
		case !seen:
			if err := r.planned(d); err != nil {
				return err
			}
			return r.start(ctx, d)
		case state == Planned:
			return r.start(ctx, d)
		case state == Sent, state == Acknowledged, state == Unknown:
			return r.recheck(ctx, d)
		case state == Verified:
			return r.forget(ctx, d)
		}
		return nil // final
	})
	rc, err := w.finish(p, err)
	return rc, errors.Join(notice, err)
}

// finish builds the receipt and, when the wipe is finished, deletes its plan file.
func (w *Wiper) finish(p *Plan, err error) (*Receipt, error) {
	rc, rerr := w.receipt(p)
	if rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	if rc.Finished {
		err = errors.Join(err, w.removePlan())
	}
	return rc, err
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// run is one Execute or Resume.
type run struct {
	w     *Wiper
	plan  *Plan
	opts  Options
	total int
	// index is each device's place in the wipe, from 1.
	index map[string]int
}

func newRun(w *Wiper, p *Plan, devices []DevicePlan, opts Options) *run {
	r := &run{w: w, plan: p, opts: opts, total: len(devices), index: make(map[string]int, len(devices))}
	for i, d := range devices {
		r.index[d.ID] = i + 1
	}
	return r
}

// each runs do for every device in turn. Failures to delete Porchlight's
// own data are collected and the next device goes on; a journal error or
// an ended ctx stops the wipe, leaving the rest for Resume.
func (r *run) each(ctx context.Context, devices []DevicePlan, do func(DevicePlan) error) error {
	var errs []error
	for _, d := range devices {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		err := do(d)
		var lerr *localDataError
		if errors.As(err, &lerr) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	return errors.Join(errs...)
}

// localDataError: a device was wiped but Porchlight's own data of it (the
// keyring entries, the record) could not be deleted; Resume tries again.
type localDataError struct {
	name string
	err  error
}

func (e *localDataError) Error() string {
	return fmt.Sprintf("%s was wiped, but Porchlight could not delete its own data (it tries again when the wipe resumes): %v", e.name, e.err)
}

func (e *localDataError) Unwrap() error { return e.err }

// record journals a device's new state with why, and err's text as the
// detail when there is one, then reports it.
func (r *run) record(d DevicePlan, s State, why Reason, err error) error {
	e := journal.Entry{State: string(s), Reason: string(why)}
	if err != nil {
		e.Detail = err.Error()
	}
	return r.write(d, e, nil)
}

// write journals e for device d, then reports it; deleted are the keyring
// entries the step deleted.
func (r *run) write(d DevicePlan, e journal.Entry, deleted []string) error {
	e.Action, e.Kind, e.Device = r.plan.Action, Kind, d.ID
	if err := r.w.Journal.Append(e); err != nil {
		return err
	}
	r.report(d, Event{State: State(e.State), Reason: Reason(e.Reason), Evidence: Evidence(e.Evidence), Deleted: deleted, Detail: e.Detail})
	return nil
}

// planned journals a device as part of the wipe, with how it is wiped.
func (r *run) planned(d DevicePlan) error {
	if d.Method == Automatic {
		return r.write(d, journal.Entry{State: string(Planned), Reason: string(ReasonPlannedAutomatic), Method: string(Automatic)}, nil)
	}
	return r.write(d, journal.Entry{State: string(Planned), Reason: string(ReasonPlannedManual), Method: string(Manual)}, nil)
}

// verified journals how a device's erase was confirmed.
func (r *run) verified(d DevicePlan, ev Evidence) error {
	return r.write(d, journal.Entry{State: string(Verified), Evidence: string(ev)}, nil)
}

// say reports a step that is not journaled.
func (r *run) say(d DevicePlan, why Reason) { r.report(d, Event{Reason: why}) }

// report tells Progress of e, a step of device d.
func (r *run) report(d DevicePlan, e Event) {
	if r.opts.Progress != nil {
		e.Device, e.Name, e.Index, e.Total = d.ID, d.Name, r.index[d.ID], r.total
		r.opts.Progress(e)
	}
}

// start wipes a planned device from the beginning.
func (r *run) start(ctx context.Context, d DevicePlan) error {
	if d.Method == Manual {
		return r.manual(ctx, d)
	}
	cat, err := r.w.catalog()
	if err != nil {
		return err
	}
	r.say(d, ReasonRechecking)
	pf := r.w.preflight(ctx, cat, d.ID)
	switch {
	case pf.method != Automatic:
		// Nothing was sent.
		e := journal.Entry{State: string(Failed), Reason: string(cmp.Or(pf.reason, ReasonNoAutoReset)), Detail: pf.detail}
		return r.write(d, e, nil)
	case pf.passwordInForce != d.PasswordInForce:
		return r.record(d, Failed, ReasonPasswordChanged, nil)
	}
	return r.send(ctx, d, pf.drv, pf.target, pf.creds, ReasonSending)
}

// send journals the reset as sent, sends it and confirms it.
func (r *run) send(ctx context.Context, d DevicePlan, drv driver.Driver, t driver.Target, creds *driver.Credentials, why Reason) error {
	if err := r.record(d, Sent, why, nil); err != nil {
		return err
	}
	err := patiently(ctx, r.opts.wait(), r.opts.poll(), func() error { return drv.FactoryReset(ctx, t, creds) })
	switch {
	case err == nil:
		if err := r.record(d, Acknowledged, ReasonAccepted, nil); err != nil {
			return err
		}
	case refused(err):
		return r.record(d, Failed, ReasonRefused, err)
	default:
		// A device may drop the connection as it resets: not an answer, not a failure.
		if err := r.record(d, Unknown, ReasonNoAnswer, err); err != nil {
			return err
		}
	}
	return r.confirm(ctx, d, drv, t)
}

// refused reports whether err is the device's clear refusal, after which
// nothing was done.
func refused(err error) bool {
	for _, e := range []error{driver.ErrAuth, driver.ErrRefused, driver.ErrUnsupported, driver.ErrNeedsPairing, driver.ErrRateLimited} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// confirm watches a device that was sent its reset and journals what it
// shows: verified (and then deletes Porchlight's data of it) or unknown.
func (r *run) confirm(ctx context.Context, d DevicePlan, drv driver.Driver, t driver.Target) error {
	r.say(d, ReasonWaitingForRestart)
	ev, err := r.watch(ctx, d, drv, t)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return errors.Join(r.record(d, Unknown, ReasonNotConfirmed, err), ctx.Err())
	}
	if err := r.verified(d, ev); err != nil {
		return err
	}
	return r.forget(ctx, d)
}

// restartPoll is the longest time between two looks at a device whose
// reset can only show as a restart.
const restartPoll = 200 * time.Millisecond

// watch waits for a device to show its reset. One that had a password
// shows it by answering without one; one that had none can only show a
// restart: it must be seen away, then back. Staying away to the end of
// the wait means it left the network.
func (r *run) watch(ctx context.Context, d DevicePlan, drv driver.Driver, t driver.Target) (Evidence, error) {
	if d.PasswordInForce {
		how, err := update.VerifyReset(ctx, drv, t, update.Options{Wait: r.opts.wait(), Poll: r.opts.poll()})
		if err != nil {
			return "", err
		}
		if how == update.LeftTheNetwork {
			return LeftTheNetwork, nil
		}
		return CameBackUnconfigured, nil
	}
	wctx, cancel := context.WithTimeout(ctx, r.opts.wait())
	defer cancel()
	// A restart can be short: look often enough not to miss it between two looks.
	tick := time.NewTicker(min(r.opts.poll(), restartPoll))
	defer tick.Stop()
	away, gone := false, false
	for {
		select {
		case <-wctx.Done():
			switch {
			case ctx.Err() != nil:
				return "", ctx.Err()
			case gone:
				return LeftTheNetwork, nil
			}
			return "", fmt.Errorf("waited %s and did not see it restart", r.opts.wait())
		case <-tick.C:
			err := drv.Login(wctx, t, nil)
			gone = errors.Is(err, driver.ErrUnreachable)
			away = away || gone
			if err == nil && away {
				return Restarted, nil
			}
		}
	}
}

// recheck looks at a device that may have been reset before anything is
// sent again (see Resume).
func (r *run) recheck(ctx context.Context, d DevicePlan) error {
	r.say(d, ReasonCheckingReset)
	creds, err := r.w.Credentials(ctx, d.ID)
	if err != nil {
		return fmt.Errorf("reading %s's password from the keyring: %w", d.Name, err)
	}
	drv, t, err := r.w.Locate(ctx, d.ID)
	switch {
	case err != nil && errors.Is(err, driver.ErrUnreachable) && drv != nil:
		// Not where it was, and not found: watch where it was last seen.
		return r.confirm(ctx, d, drv, t)
	case err != nil:
		return r.record(d, Unconfirmed, ReasonCannotCheck, err)
	}
	if !d.PasswordInForce {
		return r.record(d, Unconfirmed, ReasonAnswersAsBefore, nil)
	}
	login := func(c *driver.Credentials) error {
		return patiently(ctx, r.opts.wait(), r.opts.poll(), func() error { return drv.Login(ctx, t, c) })
	}
	switch err := login(nil); {
	case err == nil:
		if err := r.verified(d, CameBackUnconfigured); err != nil {
			return err
		}
		return r.forget(ctx, d)
	case errors.Is(err, driver.ErrUnreachable):
		return r.confirm(ctx, d, drv, t)
	case !errors.Is(err, driver.ErrAuth):
		return r.record(d, Unconfirmed, ReasonCannotCheck, err)
	}
	if creds == nil || login(creds) != nil {
		return r.record(d, Unconfirmed, ReasonUnknownPassword, nil)
	}
	return r.send(ctx, d, drv, t, creds, ReasonResending)
}

// manual asks the person to follow a device's steps.
func (r *run) manual(ctx context.Context, d DevicePlan) error {
	if r.opts.ConfirmManual == nil {
		return r.record(d, Skipped, ReasonNobodyToConfirm, nil)
	}
	r.say(d, ReasonWaitingForYou)
	done, err := r.opts.ConfirmManual(ctx, d)
	switch {
	case err != nil:
		return err
	case !done:
		return r.record(d, Skipped, ReasonSkipped, nil)
	}
	if err := r.verified(d, PersonConfirmed); err != nil {
		return err
	}
	return r.forget(ctx, d)
}

// forget deletes what Porchlight keeps of a device whose erase was
// verified: its keyring entries, as the index names them (at the plan and
// now), then its record.
func (r *run) forget(ctx context.Context, d DevicePlan) error {
	accounts := slices.Clone(d.KeyringEntries)
	rec, known := r.w.Inventory.Get(d.ID)
	for _, a := range rec.Secrets {
		if !slices.Contains(accounts, a) {
			accounts = append(accounts, a)
		}
	}
	deleted, err := vault.DeleteAll(ctx, r.w.Vault, accounts)
	if err != nil {
		return &localDataError{name: d.Name, err: err}
	}
	if known {
		if err := r.w.Inventory.Remove(d.ID); err != nil {
			return &localDataError{name: d.Name, err: err}
		}
	}
	return r.write(d, journal.Entry{State: string(LocalDataDeleted), Reason: string(ReasonLocalDataDeleted), Deleted: deleted}, deleted)
}
