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

// How a reset was confirmed.
const (
	// CameBackUnconfigured: the device answered again without a password.
	CameBackUnconfigured = "the device came back unconfigured"
	// LeftTheNetwork: the device stopped answering at its address (after a
	// reset, devices usually open their own setup Wi-Fi instead).
	LeftTheNetwork = "the device left the network"
)

// ErrNotConfirmed: Reset was called without the person's confirmation.
var ErrNotConfirmed = errors.New("a factory reset needs your explicit confirmation")

// Reset factory-resets the device after the person confirmed it: it
// journals the plan, sends the reset, and verifies it on the device — it came
// back without a password, or left the network — returning how it was
// confirmed. Once verified, and before it is journaled so, forget deletes
// what Porchlight kept for the device (its password): a crash in between
// leaves a reset that is checked again (see FinishReset), never a verified
// one whose password lingers. A reset that cannot be verified is reported
// "unknown", never done, and is checked again before anything is resent.
func Reset(ctx context.Context, j *journal.Journal, d driver.Driver, t driver.Target, creds *driver.Credentials, confirmed bool, forget func(context.Context) error, opts Options) (string, error) {
	if !confirmed {
		return "", ErrNotConfirmed
	}
	if !d.Capabilities().Reset {
		return "", fmt.Errorf("resetting a %s: %w", d.Family(), driver.ErrUnsupported)
	}
	action := "reset-" + t.ID + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	entry := func(state, detail string) error {
		return j.Append(journal.Entry{Action: action, Kind: KindReset, Device: t.ID, State: state, Detail: detail, HadPassword: creds != nil})
	}
	if err := entry(StatePlanned, "factory reset"); err != nil {
		return "", err
	}
	opts.say(Step{Kind: StepSendingReset, Device: t.ID})
	if err := d.FactoryReset(ctx, t, creds); err != nil && !errors.Is(err, driver.ErrUnreachable) {
		_ = entry(StateFailed, err.Error())
		return "", fmt.Errorf("the device refused the reset: %w", err)
	}
	// A device may drop the connection as it resets: that is no failure.
	if err := entry(StateSent, "reset sent"); err != nil {
		return "", err
	}
	opts.say(Step{Kind: StepWaitingReset, Device: t.ID})
	how, err := VerifyReset(ctx, d, t, opts)
	if err != nil {
		_ = entry(StateUnknown, err.Error())
		return "", err
	}
	if err := forget(ctx); err != nil {
		return how, err
	}
	return how, entry(StateVerified, how)
}

// VerifyReset looks at a device that was sent a reset until it answers
// without a password (it came back unconfigured); when the wait ends with
// the device not answering, it left the network.
func VerifyReset(ctx context.Context, d driver.Driver, t driver.Target, opts Options) (string, error) {
	reachable := false
	how, err := waitFor(ctx, opts, func(ctx context.Context) (bool, string, error) {
		err := d.Login(ctx, t, nil)
		reachable = err == nil || !errors.Is(err, driver.ErrUnreachable)
		if err == nil {
			return true, CameBackUnconfigured, nil
		}
		return false, "", err
	})
	switch {
	case err == nil:
		return how, nil
	case !reachable && ctx.Err() == nil:
		return LeftTheNetwork, nil
	}
	return "", fmt.Errorf("the device still asks for a password after the reset: %w", err)
}
