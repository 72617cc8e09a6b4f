package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/devices/driver"
)

// What an interrupted action was.
const (
	// ActionUpdate is a firmware update.
	ActionUpdate = update.KindUpdate
	// ActionReset is a factory reset.
	ActionReset = update.KindReset
)

// How far an interrupted action got: its last journaled step.
const (
	// ReachedPlanned: the command was about to go out; the device may or
	// may not have received it.
	ReachedPlanned = update.StatePlanned
	// ReachedSent: the device was sent the command.
	ReachedSent = update.StateSent
	// ReachedNotConfirmedInTime: the device did not confirm it within the wait.
	ReachedNotConfirmedInTime = update.StateUnknown
)

// FinishOutcome is what checking an interrupted action found (see
// update.Done, update.NotDone and update.NotConfirmed).
type FinishOutcome = update.Outcome

// InterruptedAction is a firmware update or a factory reset that was
// started and not seen to its end: Porchlight stopped in the middle (a
// crash, the computer was turned off) or the device did not confirm it in
// time. Nothing is sent again on its account; FinishAction only checks the
// device.
type InterruptedAction struct {
	// Device is the device's ID; Name the name Porchlight knows it by.
	Device string `json:"device"`
	Name   string `json:"name"`
	// Kind is ActionUpdate or ActionReset.
	Kind string `json:"kind"`
	// Action names it in the journal.
	Action string `json:"action"`
	// Started is when it was journaled first.
	Started time.Time `json:"started"`
	// Reached is its last step (ReachedPlanned, ReachedSent or
	// ReachedNotConfirmedInTime); At is when it was journaled.
	Reached string    `json:"reached"`
	At      time.Time `json:"at"`
	// From and To are an update's versions: the one the device ran and the
	// one it was to install ("" when not known).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// UnfinishedActions is what the journal shows of updates and resets not
// seen to their end.
type UnfinishedActions struct {
	// Actions are the interrupted updates and resets of the devices
	// Porchlight knows, the oldest first.
	Actions []InterruptedAction `json:"actions"`
	// DamagedLines counts journal lines that could not be read and were
	// skipped: a step being written when Porchlight stopped, which was
	// never taken, or other damage to the file.
	DamagedLines int `json:"damaged_lines"`
}

// UnfinishedActions returns the interrupted updates and resets: show them
// at start and finish each with FinishAction (or before the next action on
// its device). An action on a device Porchlight no longer knows (it was
// forgotten) is left out: there is nothing it could check.
func (c *Core) UnfinishedActions() (UnfinishedActions, error) {
	its, damaged, err := update.Interruptions(c.Journal)
	res := UnfinishedActions{DamagedLines: damaged}
	if err != nil {
		return res, err
	}
	for _, it := range its {
		inv, known := c.Inventory.Get(it.Device)
		if !known {
			continue
		}
		res.Actions = append(res.Actions, InterruptedAction{
			Device: it.Device, Name: inv.Name, Kind: it.Kind, Action: it.Action,
			Started: it.Started, Reached: it.State, At: it.At, From: it.From, To: it.To,
		})
	}
	return res, nil
}

// ErrNotInterrupted: FinishAction was given an action that is no longer
// interrupted (it was finished meanwhile).
var ErrNotInterrupted = errors.New("this update or reset is no longer unfinished")

// FinishedAction is what checking an interrupted action found.
type FinishedAction struct {
	InterruptedAction
	// Outcome: update.Done (an update: the device reports Version; a reset:
	// the device came back unconfigured and Porchlight forgot the password
	// it held), update.NotDone (the device runs the version it had and
	// installs nothing, or still takes the password Porchlight holds) or
	// update.NotConfirmed (Porchlight could not tell).
	Outcome FinishOutcome `json:"outcome"`
	// Version is the version the device reports (an update).
	Version string `json:"version,omitempty"`
	// CheckAgain: the device could not be reached or checked, so the action
	// stays unfinished and is shown again.
	CheckAgain bool `json:"check_again"`
	// Cause says why it is not confirmed; nil otherwise.
	Cause error `json:"-"`
}

// FinishAction checks the device of an interrupted update or reset and
// records what it shows (see update.FinishUpdate and update.FinishReset):
// it waits, up to opts.Wait, for a device that is away or still
// installing; it never sends the update or the reset again. The device must
// prove its identity first, as for every action. An update that happened
// is recorded with the version the device reports; a reset that happened
// forgets the password Porchlight held, as Reset does. The error reports
// what kept the result from being recorded (the journal, the keyring, the
// inventory); what the device showed is in the result.
func (c *Core) FinishAction(ctx context.Context, a InterruptedAction, opts UpdateOptions) (FinishedAction, error) {
	res := FinishedAction{InterruptedAction: a}
	its, _, err := update.Interruptions(c.Journal)
	if err != nil {
		return res, err
	}
	i := slices.IndexFunc(its, func(it update.Interruption) bool { return it.Action == a.Action && it.Device == a.Device })
	if i < 0 {
		return res, ErrNotInterrupted
	}
	it := its[i]
	creds, err := c.credentials(ctx, a.Device)
	if err != nil {
		return res, err
	}
	// The first look may scan for a device that moved; later ones, while it
	// restarts, ask where it is known.
	scan := true
	locate := func(ctx context.Context) (driver.Driver, driver.Target, error) {
		d, t, err := c.locate(ctx, a.Device, scan)
		scan = false
		return d, t, err
	}
	var f update.Finding
	switch it.Kind {
	case ActionUpdate:
		f, err = update.FinishUpdate(ctx, c.Journal, it, locate, creds, opts)
		if err == nil && f.Outcome == update.Done {
			err = c.Inventory.Update(a.Device, func(d *inventory.Device) { d.Firmware = f.Version })
		}
	case ActionReset:
		f, err = update.FinishReset(ctx, c.Journal, it, locate, creds, func(ctx context.Context) error { return c.forgetReset(ctx, a.Device) }, opts)
	}
	res.Outcome, res.Version, res.CheckAgain, res.Cause = f.Outcome, f.Version, f.CheckAgain, f.Cause
	return res, err
}
