package update

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/devices/driver"
)

// Interruption is an update or a factory reset that was started and not
// seen to its end: Porchlight stopped in the middle (a crash, the computer
// was turned off) or the device did not confirm in time. Nothing is sent
// again on its account: FinishUpdate and FinishReset only look at the device.
type Interruption struct {
	// Action names it in the journal; Kind is KindUpdate or KindReset.
	Action, Kind string
	// Device is the device's ID.
	Device string
	// Started is when it was journaled first.
	Started time.Time
	// State is the last step journaled: StatePlanned (the command was about
	// to go out; the device may or may not have received it), StateSent or
	// StateUnknown (the device did not confirm it in time); At is when.
	State string
	At    time.Time
	// From and To are an update's versions as its entries recorded them:
	// the one the device ran and the one it was to install ("" when unknown).
	From, To string
	// HadPassword is a reset's: the device had a password Porchlight held
	// when the reset was planned.
	HadPassword bool
}

// Interruptions returns the updates and resets in j whose last state is
// not final, in the order they started, and the number of damaged journal
// lines that were skipped.
func Interruptions(j *journal.Journal) ([]Interruption, int, error) {
	entries, damaged, err := j.Entries()
	if err != nil {
		return nil, damaged, err
	}
	var out []Interruption
	for _, last := range journal.Latest(entries) {
		if (last.Kind != KindUpdate && last.Kind != KindReset) || Final(last.State) {
			continue
		}
		it := Interruption{Action: last.Action, Kind: last.Kind, Device: last.Device, State: last.State, At: last.At}
		for _, e := range entries {
			if e.Action != last.Action || e.Device != last.Device {
				continue
			}
			if it.Started.IsZero() {
				it.Started = e.At
			}
			if e.From != "" || e.To != "" {
				it.From, it.To = e.From, e.To
			}
			it.HadPassword = it.HadPassword || e.HadPassword
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b Interruption) int { return a.Started.Compare(b.Started) })
	return out, damaged, nil
}

// Outcome is what a look at an interrupted update or reset found.
type Outcome string

// The outcomes of FinishUpdate and FinishReset.
const (
	// Done: the device shows it happened: it reports a version other than
	// the one it ran, or it came back unconfigured (it answers without the
	// password it had). Journaled as verified.
	Done Outcome = "done"
	// NotDone: the device shows it did not happen: it runs the version it
	// had and installs nothing, or it still takes the password Porchlight
	// holds. Journaled as failed; nothing was sent again.
	NotDone Outcome = "not_done"
	// NotConfirmed: Porchlight could not tell; nothing was sent again.
	NotConfirmed Outcome = "not_confirmed"
)

// Finding is what FinishUpdate or FinishReset found.
type Finding struct {
	Outcome Outcome
	// Version is the version the device reports (an update that answered).
	Version string
	// CheckAgain is set when the device could not be reached or checked
	// (NotConfirmed): nothing is journaled, the interruption stays and is
	// checked again next time. Without it, a NotConfirmed device answered
	// but could not show what happened, and that is journaled as unconfirmed.
	CheckAgain bool
	// Cause says why it is not confirmed; nil otherwise.
	Cause error
}

// Locator finds the device of an interruption where it proves its identity
// (nothing secret is sent before), returning its driver and where to reach
// it. Its error wraps driver.ErrUnreachable while the device does not answer.
type Locator func(ctx context.Context) (driver.Driver, driver.Target, error)

// Why an interrupted action could not be confirmed, although the device answered.
var (
	// ErrNoVersions: the journal does not say which version the device ran
	// (an entry written before Porchlight recorded versions).
	ErrNoVersions = errors.New("the journal does not say which version the device ran before the update")
	// ErrNoPasswordHeld: Porchlight held no password for the device when
	// the reset was planned, so a device answering without one does not
	// show a reset.
	ErrNoPasswordHeld = errors.New("the device had no password Porchlight held before the reset, so it cannot tell whether it was reset")
	// ErrOtherPassword: the device asks for a password Porchlight does not hold.
	ErrOtherPassword = errors.New("the device asks for a password Porchlight does not hold")
)

// FinishUpdate looks at the device of an interrupted update and journals
// what it shows: verified with the version it reports when that differs
// from the one it ran; failed when it still runs that one and installs
// nothing once the update has had opts.Wait since its last journaled step
// (some families do not say they are installing); unconfirmed when the
// journal does not say which version it ran. Meanwhile it looks again every
// opts.Poll, and gives a device that is away or installing opts.Wait from
// now; one that stays away is checked again next time. It never starts an
// update. The error reports a journal that could not be written.
func FinishUpdate(ctx context.Context, j *journal.Journal, it Interruption, locate Locator, creds *driver.Credentials, opts Options) (Finding, error) {
	opts.say(Step{Kind: StepCheckUpdate, Device: it.Device})
	f, err := look(ctx, it, opts, func(ctx context.Context) (Finding, error) {
		d, t, err := locate(ctx)
		if err != nil {
			return cannotCheck(err)
		}
		info, err := d.CheckUpdate(ctx, t, creds)
		switch {
		case err != nil:
			return cannotCheck(err)
		case info.InProgress:
			return Finding{}, errInstalling
		case it.From != "" && info.Current != it.From, it.From == "" && it.To != "" && info.Current == it.To:
			return Finding{Outcome: Done, Version: info.Current}, nil
		case it.From != "":
			return Finding{}, fmt.Errorf("%w: the device still runs %s", errAsBefore, info.Current)
		}
		return Finding{Outcome: NotConfirmed, Version: info.Current, Cause: ErrNoVersions}, nil
	})
	switch {
	case errors.Is(err, errAsBefore):
		f = Finding{Outcome: NotDone, Version: it.From}
	case err != nil:
		f = Finding{Outcome: NotConfirmed, CheckAgain: true, Cause: err}
	}
	entry := journal.Entry{Action: it.Action, Kind: KindUpdate, Device: it.Device, From: it.From, To: it.To}
	switch {
	case f.Outcome == Done:
		entry.State, entry.Detail, entry.To = StateVerified, "checked after an interruption: the device reports "+f.Version, f.Version
	case f.Outcome == NotDone:
		entry.State, entry.Detail = StateFailed, "checked after an interruption: the device still runs "+f.Version+" and installs nothing; nothing was sent again"
	case !f.CheckAgain:
		entry.State, entry.Detail = StateUnconfirmed, "checked after an interruption: "+f.Cause.Error()+"; nothing was sent again"
	default:
		return f, nil
	}
	return f, j.Append(entry)
}

// FinishReset looks at the device of an interrupted factory reset and
// journals what it shows. A device that answers without a password
// although it had one Porchlight held (see Interruption.HadPassword) came
// back unconfigured: forget deletes what Porchlight kept for it (again, if
// a crash interrupted that), then the reset is journaled verified. One that
// still takes the password creds Porchlight holds once the reset has had
// opts.Wait since its last journaled step was not reset (failed).
// Otherwise it is unconfirmed. Meanwhile it looks again every opts.Poll,
// and gives a device that is away opts.Wait from now; one that stays away
// is checked again next time: after an interruption, a device that left
// the network is not taken for reset, so no password is forgotten on that
// account. It never sends a reset. The error reports a journal that could
// not be written, or forget's failure.
func FinishReset(ctx context.Context, j *journal.Journal, it Interruption, locate Locator, creds *driver.Credentials, forget func(context.Context) error, opts Options) (Finding, error) {
	opts.say(Step{Kind: StepCheckReset, Device: it.Device})
	f, err := look(ctx, it, opts, func(ctx context.Context) (Finding, error) {
		d, t, err := locate(ctx)
		if err != nil {
			return cannotCheck(err)
		}
		err = d.Login(ctx, t, nil)
		switch {
		case err == nil && it.HadPassword:
			return Finding{Outcome: Done}, nil
		case err == nil:
			return Finding{Outcome: NotConfirmed, Cause: ErrNoPasswordHeld}, nil
		case !errors.Is(err, driver.ErrAuth):
			return cannotCheck(err)
		case creds == nil:
			return Finding{Outcome: NotConfirmed, Cause: ErrOtherPassword}, nil
		}
		switch err := d.Login(ctx, t, creds); {
		case err == nil:
			return Finding{}, fmt.Errorf("%w: the device still takes the password Porchlight holds", errAsBefore)
		case errors.Is(err, driver.ErrAuth):
			return Finding{Outcome: NotConfirmed, Cause: ErrOtherPassword}, nil
		default:
			return cannotCheck(err)
		}
	})
	switch {
	case errors.Is(err, errAsBefore):
		f = Finding{Outcome: NotDone}
	case err != nil:
		f = Finding{Outcome: NotConfirmed, CheckAgain: true, Cause: err}
	}
	entry := journal.Entry{Action: it.Action, Kind: KindReset, Device: it.Device, HadPassword: it.HadPassword}
	switch {
	case f.Outcome == Done:
		if err := forget(ctx); err != nil {
			return f, err
		}
		entry.State, entry.Detail = StateVerified, CameBackUnconfigured
	case f.Outcome == NotDone:
		entry.State, entry.Detail = StateFailed, "checked after an interruption: the device still takes the password Porchlight holds, so it was not reset; nothing was sent again"
	case !f.CheckAgain:
		entry.State, entry.Detail = StateUnconfirmed, "checked after an interruption: "+f.Cause.Error()+"; nothing was sent again"
	default:
		return f, nil
	}
	return f, j.Append(entry)
}

// Not yet: what a look at the device of an interrupted action returns
// while it may still change.
var (
	// errInstalling: the device says it is installing.
	errInstalling = errors.New("the device is still installing")
	// errAsBefore: the device is as it was before the action; it may not
	// have begun yet.
	errAsBefore = errors.New("nothing changed yet")
)

// cannotCheck sorts an error of reaching a device: one that is away for
// now (restarting) or asks to wait is worth another look (returned as the
// error); any other ends the looking, to be checked again next time.
func cannotCheck(err error) (Finding, error) {
	if errors.Is(err, driver.ErrUnreachable) || errors.Is(err, driver.ErrRateLimited) {
		return Finding{}, err
	}
	return Finding{Outcome: NotConfirmed, CheckAgain: true, Cause: err}, nil
}

// look asks probe what the device shows, at once and then every opts.Poll
// while probe answers not yet (an error). A device that is away or busy
// gets opts.Wait from now; one that is as it was before the action
// (errAsBefore) gets opts.Wait since the action's last journaled step, so
// an interruption long ago is told by one look. When the time is up, the
// error wraps the last look's.
func look(ctx context.Context, it Interruption, opts Options, probe func(context.Context) (Finding, error)) (Finding, error) {
	start := time.Now()
	tick := time.NewTicker(opts.poll())
	defer tick.Stop()
	for {
		f, err := probe(ctx)
		if err == nil {
			return f, nil
		}
		limit := start.Add(opts.wait())
		if errors.Is(err, errAsBefore) {
			limit = it.At.Add(opts.wait())
		}
		if !time.Now().Before(limit) {
			return Finding{}, fmt.Errorf("waited %s: %w", opts.wait(), err)
		}
		select {
		case <-ctx.Done():
			return Finding{}, fmt.Errorf("%w (%v)", ctx.Err(), err)
		case <-tick.C:
		}
	}
}
