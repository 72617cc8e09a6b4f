// Package update checks for and installs firmware updates through a
// device's driver, and factory-resets devices. Both are irreversible: the
// caller confirms first, every step is journaled before it is taken, and
// the result is verified on the device itself (the new version is reported;
// the device came back unconfigured or left the network) before it is
// reported done.
package update

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/devices/driver"
)

// Journal kinds of an update and a reset.
const (
	KindUpdate = "update"
	KindReset  = "reset"
)

// Journal states of an update or a reset. An update or a reset goes
// planned → sent → verified; planned is written just before the command
// goes out, so after a crash it may or may not have reached the device.
const (
	StatePlanned  = "planned"
	StateSent     = "sent"
	StateVerified = "verified"
	StateFailed   = "failed"
	// StateUnknown: the device did not confirm within the wait; it is checked
	// again before anything is resent.
	StateUnknown = "unknown"
	// StateUnconfirmed: checked after an interruption, the device answered
	// but could not show whether it happened; nothing was sent again.
	StateUnconfirmed = "unconfirmed"
)

// Final reports whether an update or a reset in state is over: verified,
// failed or unconfirmed. Any other state is an interruption (see
// Interruptions).
func Final(state string) bool {
	return state == StateVerified || state == StateFailed || state == StateUnconfirmed
}

// Defaults for Options.
const (
	DefaultWait = 5 * time.Minute
	DefaultPoll = 2 * time.Second
)

// Options bound the wait for a device to come back.
type Options struct {
	// Wait is how long to wait for the device to finish (DefaultWait when zero).
	Wait time.Duration
	// Poll is the time between two looks at the device (DefaultPoll when zero).
	Poll time.Duration
	// Progress, when set, is told each step as it begins; the UI and the
	// command line say it in the person's language (see Step.English).
	Progress func(Step)
}

// StepKind is what an update or reset is doing.
type StepKind string

// The steps of an update or a reset.
const (
	StepUpToDate     StepKind = "up-to-date"      // Current: nothing to install
	StepStarting     StepKind = "starting"        // From → To
	StepInstalling   StepKind = "installing"      // the device restarts while it does
	StepInstalled    StepKind = "installed"       // To: what it runs now
	StepSendingReset StepKind = "sending-reset"   // the factory reset is sent
	StepWaitingReset StepKind = "waiting-restart" // waiting for it to come back
	StepCheckUpdate  StepKind = "check-interrupted-update"
	StepCheckReset   StepKind = "check-interrupted-reset"
)

// Step is one step of an update or a reset, for progress displays.
type Step struct {
	Kind   StepKind
	Device string
	// From and To are versions, where the step has them.
	From, To string
}

// English says the step in English, for the command line and logs.
func (s Step) English() string {
	switch s.Kind {
	case StepUpToDate:
		return fmt.Sprintf("%s is up to date (%s).", s.Device, s.From)
	case StepStarting:
		return fmt.Sprintf("Starting the update of %s from %s to %s…", s.Device, s.From, s.To)
	case StepInstalling:
		return "Installing; the device restarts while it does. This can take a few minutes."
	case StepInstalled:
		return fmt.Sprintf("%s now runs %s.", s.Device, s.To)
	case StepSendingReset:
		return fmt.Sprintf("Sending the factory reset to %s…", s.Device)
	case StepWaitingReset:
		return fmt.Sprintf("Waiting for %s to restart…", s.Device)
	case StepCheckUpdate:
		return fmt.Sprintf("Checking whether the interrupted update of %s happened…", s.Device)
	case StepCheckReset:
		return fmt.Sprintf("Checking whether the interrupted factory reset of %s happened…", s.Device)
	}
	return string(s.Kind)
}

func (o Options) wait() time.Duration { return cmpOr(o.Wait, DefaultWait) }
func (o Options) poll() time.Duration { return cmpOr(o.Poll, DefaultPoll) }

func (o Options) say(s Step) {
	if o.Progress != nil {
		o.Progress(s)
	}
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Result is how an update ended.
type Result struct {
	From, To string
	// Verified is set when the device itself reported the new version.
	Verified bool
}

// Check asks the device about its firmware.
func Check(ctx context.Context, d driver.Driver, t driver.Target, creds *driver.Credentials) (driver.UpdateInfo, error) {
	if !d.Capabilities().Update {
		return driver.UpdateInfo{}, fmt.Errorf("checking for updates on a %s: %w", d.Family(), driver.ErrUnsupported)
	}
	return d.CheckUpdate(ctx, t, creds)
}

// Apply installs the available update: it journals the plan, starts the
// update, waits for the device to come back and verifies that it reports a
// version other than the one it had. It does nothing when the device says
// it is up to date.
func Apply(ctx context.Context, j *journal.Journal, d driver.Driver, t driver.Target, creds *driver.Credentials, opts Options) (Result, error) {
	info, err := Check(ctx, d, t, creds)
	if err != nil {
		return Result{}, err
	}
	res := Result{From: info.Current, To: info.Available}
	if info.Available == "" && !info.InProgress {
		opts.say(Step{Kind: StepUpToDate, Device: t.ID, From: info.Current})
		return res, nil
	}
	action := "update-" + t.ID + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	entry := func(state, detail string) error {
		return j.Append(journal.Entry{Action: action, Kind: KindUpdate, Device: t.ID, State: state, Detail: detail, From: res.From, To: res.To})
	}
	if err := entry(StatePlanned, fmt.Sprintf("from %s to %s", info.Current, info.Available)); err != nil {
		return res, err
	}
	if !info.InProgress {
		opts.say(Step{Kind: StepStarting, Device: t.ID, From: info.Current, To: info.Available})
		if err := d.StartUpdate(ctx, t, creds); err != nil {
			_ = entry(StateFailed, err.Error())
			return res, fmt.Errorf("starting the update: %w", err)
		}
	}
	if err := entry(StateSent, "update started"); err != nil {
		return res, err
	}
	opts.say(Step{Kind: StepInstalling, Device: t.ID})
	now, err := waitFor(ctx, opts, func(ctx context.Context) (bool, string, error) {
		info, err := d.CheckUpdate(ctx, t, creds)
		if err != nil {
			return false, "", err
		}
		return !info.InProgress && info.Current != res.From, info.Current, nil
	})
	if err != nil {
		_ = entry(StateUnknown, "the device did not confirm the new version: "+err.Error())
		return res, fmt.Errorf("the device did not confirm the update (it will be checked again): %w", err)
	}
	res.To, res.Verified = now, true
	if err := entry(StateVerified, "the device reports "+now); err != nil {
		return res, err
	}
	opts.say(Step{Kind: StepInstalled, Device: t.ID, To: now})
	return res, nil
}

// errNotYet is what a poll returns while the device is away or busy.
var errNotYet = errors.New("not yet")

// waitFor calls look every opts.poll() until it reports done or opts.wait()
// passes; failures to reach the device meanwhile are expected (it restarts).
func waitFor(ctx context.Context, opts Options, look func(context.Context) (bool, string, error)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, opts.wait())
	defer cancel()
	tick := time.NewTicker(opts.poll())
	defer tick.Stop()
	last := errNotYet
	for {
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("waited %s: %w", opts.wait(), last)
		case <-tick.C:
			done, what, err := look(ctx)
			if err == nil && done {
				return what, nil
			}
			if err != nil {
				last = err
			}
		}
	}
}
