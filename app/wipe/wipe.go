// Package wipe is the one-click privacy wipe: it erases the person's data
// from the devices they choose and then forgets what Porchlight itself kept
// about them, with one confirmation for the whole wipe, a journal that makes
// it safe against crashes, and a receipt.
//
// A screen or the command line drives it in four steps:
//
//  1. [Wiper.Plan] says, for each chosen device, exactly what will happen:
//     an automatic factory reset through the device's local API, or the
//     vendor's steps for the person to follow (including deleting the
//     vendor cloud account where there is one), and what Porchlight deletes
//     on its side. A pre-flight checks every automatic reset before anything
//     starts (the device is the person's, answers, is the same hardware, and
//     takes the password Porchlight holds); a device that fails it is listed
//     as blocked, with the reason.
//  2. [Plan.Confirm] turns the person's one confirmation into the
//     [Confirmation] that Execute requires. More than one device needs a
//     typed confirmation: the person types [Plan.Phrase], e.g. "wipe 3".
//  3. [Wiper.Execute] wipes the devices one after another, reporting every
//     step through [Options.Progress], and returns the [Receipt].
//  4. After a crash, [Wiper.Unfinished] shows the interrupted wipe and
//     [Wiper.Resume] finishes it.
//
// # The journal
//
// Every step of every device is written to the journal (kind "wipe", one
// action per wipe) and synced to disk before the step is taken. An
// automatic reset goes planned → sent → acknowledged → verified →
// local-data-deleted:
//
//   - planned: the device is part of the wipe; nothing was sent yet. Every
//     device of a wipe is planned before the first one is touched.
//   - sent: the reset command is about to go out. From here the device may
//     have been reset, so nothing is sent again before the device was
//     checked (see Resume).
//   - acknowledged: the device answered the reset command.
//   - unknown: there was no answer, or the device did not confirm the reset
//     in time. Unknown is not failed: the device is checked again on resume.
//   - verified: the erase was confirmed: the device came back unconfigured,
//     left the network, restarted (a device that had no password), or the
//     person confirmed they followed the manual steps.
//   - local-data-deleted: Porchlight deleted its keyring entries and its
//     record of the device (final).
//
// Other final states: failed (the device refused the reset, or a check just
// before sending failed; nothing was erased and Porchlight keeps the
// password, so the wipe can be retried), skipped (manual steps the person
// did not confirm) and unconfirmed (after a crash, Porchlight could not tell
// whether the reset happened; nothing was sent again). A manual device goes
// planned → verified → local-data-deleted.
//
// A device's keyring entries are deleted only after its erase was verified,
// so a reset that failed can be retried with the password Porchlight holds.
// The journal holds device IDs, states, a [Reason], the [Method] of a
// planned entry and the [Evidence] of a verified one, and as a detail the
// text of an error (a device's error may name its address), never a secret
// or a device's name; the plan file next to it (see [PlanFile]) holds the
// names for the receipt and is deleted when the wipe is finished. Journals
// written before the reasons were typed hold English sentences instead;
// they are still read and resumed (see oldjournal.go).
//
// The package writes no prose: every reason, evidence and limit is a code
// that the desktop app, the command line and the HTML receipt render in the
// person's language.
package wipe

import (
	"context"
	"errors"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/driver"
)

// Kind is the journal kind of a wipe.
const Kind = "wipe"

// State is a device's step in a wipe, as the journal records it.
type State string

// The journal states of a wipe (see the package documentation).
const (
	Planned          State = "planned"
	Sent             State = "sent"
	Acknowledged     State = "acknowledged"
	Unknown          State = "unknown"
	Verified         State = "verified"
	LocalDataDeleted State = "local-data-deleted"
	Failed           State = "failed"
	Skipped          State = "skipped"
	Unconfirmed      State = "unconfirmed"
)

// Final reports whether a device in state s is done with: nothing is
// resumed from a final state.
func (s State) Final() bool {
	switch s {
	case LocalDataDeleted, Failed, Skipped, Unconfirmed:
		return true
	}
	return false
}

// Errors of a wipe.
var (
	// ErrNotConfirmed: Execute was given no confirmation, or one made for
	// another plan.
	ErrNotConfirmed = errors.New("a wipe needs your explicit confirmation of this plan")
	// ErrWrongPhrase: the typed confirmation does not match Plan.Phrase.
	ErrWrongPhrase = errors.New("the typed confirmation does not match")
	// ErrNothingToWipe: no device of the plan can be wiped.
	ErrNothingToWipe = errors.New("none of these devices can be wiped now")
	// ErrUnfinished: an interrupted wipe must be finished (Resume) before
	// another starts.
	ErrUnfinished = errors.New("an interrupted wipe must be finished first")
	// ErrAlreadyStarted: the plan was executed already; make a new one.
	ErrAlreadyStarted = errors.New("this wipe has already started; plan a new one")
	// ErrNoUnfinished: Resume found no interrupted wipe.
	ErrNoUnfinished = errors.New("there is no interrupted wipe")
	// ErrIdentity: something other than the device answers where it was;
	// Locate returns it (wrapped) so that the pre-flight can say so.
	ErrIdentity = errors.New("another device answers in its place")
)

// Locator finds the device with id where it is now and checks that it is
// the same hardware, returning its driver and where to reach it. Its error
// wraps driver.ErrUnreachable when the device neither answers nor can be
// found (it then returns, when it knows them, the driver and the address
// where the device was last seen, so that a device that may be resetting
// can be watched there), ErrIdentity when something else answers in its
// place, and driver.ErrUnsupported when Porchlight has no driver for the
// device.
type Locator func(ctx context.Context, id string) (driver.Driver, driver.Target, error)

// Wiper wipes devices of one household. Its fields are the household's
// parts; app.Core.Wiper fills them in. A Wiper keeps no state of its
// own (the journal and the plan file do): run one Execute or Resume at a
// time per data directory.
type Wiper struct {
	// Dir is the data directory, where the plan file is kept.
	Dir       string
	Journal   *journal.Journal
	Inventory *inventory.Store
	Vault     vault.Store
	// Catalog is the vendor data (catalog.Default() when nil).
	Catalog *catalog.Catalog
	// Locate finds a device and checks its identity.
	Locate Locator
	// Credentials returns the password Porchlight holds for a device, nil
	// when it holds none.
	Credentials func(ctx context.Context, id string) (*driver.Credentials, error)
	// Lang is the language of the steps in a plan ("en" or "de").
	Lang string
}

// Defaults for Options.
const (
	DefaultWait = 5 * time.Minute
	DefaultPoll = 2 * time.Second
)

// Options steer Execute and Resume.
type Options struct {
	// Wait bounds how long a device may take to confirm its reset
	// (DefaultWait when zero).
	Wait time.Duration
	// Poll is the time between two looks at a device (DefaultPoll when zero).
	Poll time.Duration
	// Progress, when set, is told every step, in order, on the calling
	// goroutine. A step with a State is already in the journal.
	Progress func(Event)
	// ConfirmManual, when set, shows the person a device's manual steps and
	// returns true once they say they followed them, false when they skip
	// the device. It may block until they answer. Without it, devices with
	// manual steps are skipped (scripts cannot follow steps).
	ConfirmManual func(ctx context.Context, d DevicePlan) (bool, error)
}

func (o Options) wait() time.Duration { return positiveOr(o.Wait, DefaultWait) }
func (o Options) poll() time.Duration { return positiveOr(o.Poll, DefaultPoll) }

func positiveOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Event is one step of a wipe, for progress displays.
type Event struct {
	// Device is the device's ID, Name its name.
	Device string
	Name   string
	// Index is the device's place in the wipe (1-based) and Total the
	// number of devices being wiped.
	Index, Total int
	// State is the journal state just written; empty for a step that is
	// not journaled (waiting for the device, for example).
	State State
	// Reason says what the step did or found; empty for a verified step,
	// whose Evidence says how the erase was confirmed.
	Reason   Reason
	Evidence Evidence
	// Deleted names the keyring entries Porchlight deleted (never their
	// values), for ReasonLocalDataDeleted.
	Deleted []string
	// Detail is free text from the device or an error, for logs; "" for most steps.
	Detail string
}

// catalog returns the vendor data.
func (w *Wiper) catalog() (*catalog.Catalog, error) {
	if w.Catalog != nil {
		return w.Catalog, nil
	}
	return catalog.Default()
}
