// Package factorypw tries a device's vendor-documented factory passwords,
// when the person asks for it on a device they marked as theirs: only the
// defaults the catalog documents for the device's family, each once, at
// least Spacing apart, stopping at the first the device accepts. Results
// name the interface and what the device did, never the password.
package factorypw

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/driver"
)

// Spacing is the least time between two tries on one device.
const Spacing = 3 * time.Second

// Outcome is what became of one documented default.
type Outcome string

// The outcomes.
const (
	// Accepted: the device accepted its factory password.
	Accepted Outcome = "accepted"
	// Refused: the device refused it.
	Refused Outcome = "refused"
	// NotInUse: the interface asks for no password at all, so there was
	// nothing to try.
	NotInUse Outcome = "not in use"
	// NotTried: the default was not sent; Reason says why.
	NotTried Outcome = "not tried"
	// Failed: the try could not be finished; Detail says what happened.
	Failed Outcome = "failed"
)

// Reason says why a default was not tried.
type Reason string

// The reasons.
const (
	// AuthOff: the vendor ships the interface without any password; the
	// checkup's read-only requests already tell whether one was set.
	AuthOff Reason = "auth off by default"
	// OwnNetwork: the password belongs to the device's own setup network
	// (its access point), not to anything on the home network.
	OwnNetwork Reason = "own network"
	// NoWay: Porchlight has no way to try this password on this device.
	NoWay Reason = "no way to try"
	// Stopped: an earlier default was accepted, so no more were tried.
	Stopped Reason = "stopped"
)

// Attempt is what became of one of the family's documented defaults.
type Attempt struct {
	// Interface is the catalog credential's interface ("ota", "web" …).
	Interface string  `json:"interface"`
	Outcome   Outcome `json:"outcome"`
	Reason    Reason  `json:"reason,omitempty"`
	// Detail is what went wrong, for Failed, and for an Accepted
	// password after which the device could not be put back as it was.
	Detail string `json:"detail,omitempty"`
	// At is when the password was sent (zero when it was not).
	At time.Time `json:"at,omitzero"`
	// Default is the catalog id of the camera factory login tried (see
	// catalog.CameraDefault), "" for a family's documented defaults.
	Default string `json:"default,omitempty"`
}

// Result is one run over a device's documented defaults.
type Result struct {
	Checked  time.Time `json:"checked"`
	Attempts []Attempt `json:"attempts"`
}

// Accepted returns the attempt the device accepted, if any.
func (r Result) Accepted() (Attempt, bool) {
	for _, a := range r.Attempts {
		if a.Outcome == Accepted {
			return a, true
		}
	}
	return Attempt{}, false
}

// Tried reports whether any password was sent.
func (r Result) Tried() bool {
	for _, a := range r.Attempts {
		if !a.At.IsZero() {
			return true
		}
	}
	return false
}

// LastSent is when the last password was sent (zero when none was).
func (r Result) LastSent() time.Time {
	var last time.Time
	for _, a := range r.Attempts {
		if a.At.After(last) {
			last = a.At
		}
	}
	return last
}

// Input is one device and how to reach it.
type Input struct {
	// Family is the device's catalog entry: its DefaultCredentials are
	// the only passwords tried.
	Family catalog.Family
	// Driver is the family's driver; nil, or one that cannot try
	// factory passwords, leaves every default untried.
	Driver driver.Driver
	Target driver.Target
	// Held is the password Porchlight holds for the device (nil: none).
	Held *driver.Credentials
	// NotBefore is the earliest time the first password may be sent (the
	// previous run's last try plus Spacing).
	NotBefore time.Time
	// Now and Sleep replace the clock in tests (time.Now and a timer
	// when nil).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Try goes through the family's documented defaults in catalog order and
// tries each one the driver can, once, at least Spacing after the one
// before, and stops at the first the device accepts. progress, when not
// nil, is called with each interface just before its password is sent.
func Try(ctx context.Context, in Input, progress func(iface string)) Result {
	now, sleep := in.Now, in.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = driver.Wait
	}
	tester, _ := in.Driver.(driver.FactoryTester)
	res := Result{Checked: now(), Attempts: []Attempt{}}
	next, stopped := in.NotBefore, false
	for _, c := range in.Family.DefaultCredentials {
		a := Attempt{Interface: c.Interface, Outcome: NotTried}
		switch {
		case c.AuthOffByDefault || c.Password == "":
			a.Reason = AuthOff
		case c.Interface == "wifi-ap":
			a.Reason = OwnNetwork
		case stopped:
			a.Reason = Stopped
		case tester == nil || !tester.CanTryFactory(c.Interface):
			a.Reason = NoWay
		default:
			if d := next.Sub(now()); d > 0 {
				if err := sleep(ctx, d); err != nil {
					a.Outcome, a.Detail = Failed, err.Error()
					res.Attempts = append(res.Attempts, a)
					continue
				}
			}
			if progress != nil {
				progress(c.Interface)
			}
			a.At = now()
			out, err := tester.TryFactory(ctx, in.Target, c.Interface, c.Password, in.Held)
			next = now().Add(Spacing)
			a.Outcome, a.Detail = outcome(out, err)
			a.Detail = strings.ReplaceAll(a.Detail, c.Password, "[redacted]")
			stopped = a.Outcome == Accepted
		}
		res.Attempts = append(res.Attempts, a)
	}
	return res
}

// outcome maps a driver's answer to an attempt's outcome and detail.
func outcome(out driver.FactoryOutcome, err error) (Outcome, string) {
	detail := ""
	if err != nil {
		detail = err.Error()
	}
	switch {
	case out == driver.FactoryAccepted:
		return Accepted, detail
	case err != nil && errors.Is(err, context.Canceled):
		return Failed, "stopped before the device answered"
	case err != nil:
		return Failed, detail
	case out == driver.FactoryRefused:
		return Refused, ""
	case out == driver.FactoryNotInUse:
		return NotInUse, ""
	}
	return Failed, "the device's answer could not be understood"
}
