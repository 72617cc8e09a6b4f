package sim

import (
	"net"
	"net/http"
	"slices"
	"time"
)

// The write side of the simulated devices takes time, as real devices do:
// an update downloads and flashes, a device restarts, a factory reset wipes
// the device and it comes back unconfigured. This file holds the timeline
// every family shares.
//
// Nothing runs in the background: changes that happen later are steps with
// a due time, applied (under the device's lock) by the first request or
// accessor that looks at the device after that time. A device that is down
// (rebooting, or dropped off after a reset) really fails its HTTP clients:
// its handler hijacks the connection and closes it with a TCP reset before
// answering anything, which works over the lab's loopback listeners and over
// the demo's in-memory connections alike.

// Timing says how long a simulated device's slow operations take. A zero
// field means the default (DefaultTiming). Set it with Device.SetTiming,
// typically to FastTiming in tests that exercise updates and resets.
type Timing struct {
	// Update is how long a firmware update downloads and flashes before the
	// device restarts (Shelly, Tasmota, Hue).
	Update time.Duration
	// Reboot is how long a restarting device is unreachable.
	Reboot time.Duration
	// ResetDropOff is how long a device is unreachable after a factory reset
	// before it comes back unconfigured.
	ResetDropOff time.Duration
	// RebootDelay is how long a Shelly Gen2 keeps answering (with error -109
	// "shutting down") after Shelly.Reboot without delay_ms; the firmware
	// default is 1000 ms.
	RebootDelay time.Duration
	// LinkButton is how long a Hue bridge accepts new users after
	// PressLinkButton: 30 s, as Philips documents.
	LinkButton time.Duration
	// PINRetryCooldown is WLED's PIN_RETRY_COOLDOWN (3 s): a settings PIN or
	// OTA passphrase is not accepted that soon after the previous attempt
	// or settings save.
	PINRetryCooldown time.Duration
	// PINTimeout is how long WLED settings stay unlocked after the right PIN
	// (PIN_TIMEOUT, 15 minutes, counted from the last save).
	PINTimeout time.Duration
}

// DefaultTiming returns the timing devices have unless told otherwise:
// short but real durations, and the vendors' own for protocol timers.
func DefaultTiming() Timing {
	return Timing{
		Update:           1500 * time.Millisecond,
		Reboot:           time.Second,
		ResetDropOff:     time.Second,
		RebootDelay:      time.Second,
		LinkButton:       30 * time.Second,
		PINRetryCooldown: 3 * time.Second,
		PINTimeout:       15 * time.Minute,
	}
}

// FastTiming returns a timing for tests: updates, reboots and resets take
// tens of milliseconds, the WLED retry cooldown 200 ms; the Hue link button
// window (5 s) and the WLED unlock lifetime stay long enough not to expire
// under a slow test.
func FastTiming() Timing {
	return Timing{
		Update:           60 * time.Millisecond,
		Reboot:           60 * time.Millisecond,
		ResetDropOff:     60 * time.Millisecond,
		RebootDelay:      30 * time.Millisecond,
		LinkButton:       5 * time.Second,
		PINRetryCooldown: 200 * time.Millisecond,
		PINTimeout:       15 * time.Minute,
	}
}

// withDefaults fills the zero fields of t from DefaultTiming.
func (t Timing) withDefaults() Timing {
	def := DefaultTiming()
	fill := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	fill(&t.Update, def.Update)
	fill(&t.Reboot, def.Reboot)
	fill(&t.ResetDropOff, def.ResetDropOff)
	fill(&t.RebootDelay, def.RebootDelay)
	fill(&t.LinkButton, def.LinkButton)
	fill(&t.PINRetryCooldown, def.PINRetryCooldown)
	fill(&t.PINTimeout, def.PINTimeout)
	return t
}

// SetTiming sets how long the device's slow operations take from now on;
// zero fields take their defaults. It is safe to call while the device is
// served.
func (d *Device) SetTiming(t Timing) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.state.life.timing = t
}

// Timing returns the device's timing, defaults filled in.
func (d *Device) Timing() Timing {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state.life.timing.withDefaults()
}

// SetClock makes the device read the time from now instead of the system
// clock (nil: the system clock again), for its timeline (updates, restarts,
// resets, cooldowns, the link button) and what it reports (uptime, clock,
// nonces). It is for tests that reach the device over real connections,
// where testing/synctest's fake clock cannot go: a test advances its own
// clock instead of waiting, so no window can close on it early.
func (d *Device) SetClock(now func() time.Time) {
	if now == nil {
		d.clock.Store(nil)
		return
	}
	d.clock.Store(&now)
}

// now is the device's time: from its clock (SetClock), else the system's.
func (d *Device) now() time.Time {
	if c := d.clock.Load(); c != nil {
		return (*c)()
	}
	return time.Now()
}

// CurrentFirmware returns the firmware the device runs now. Firmware
// changes when an update completes; read it through this method while the
// device is served.
func (d *Device) CurrentFirmware() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lifeSettleLocked(d.now())
	return d.Firmware
}

// Reachable reports whether the device answers HTTP now (false while it
// restarts or after a factory reset, until it is back).
func (d *Device) Reachable() bool {
	return !d.lifeIsDown(d.now())
}

// lifeState is the write side's memory of one device.
type lifeState struct {
	// timing is what SetTiming set (zero fields: defaults).
	timing Timing
	// downFrom and downUntil bound the time the device does not answer.
	downFrom, downUntil time.Time
	// bootedAt is when the device last came up; zero means it has been
	// running since long before the lab started.
	bootedAt time.Time
	// steps are the changes due later, ordered by due time.
	steps []lifeStep
	// firmware is the running firmware, copied from Device.Firmware by
	// lifeSnapshot so that handlers never read the field unlocked.
	firmware string

	gen1    shellyGen1State
	gen2    shellyGen2State
	tasmota tasmotaState
	wled    wledState
	hue     hueState
}

// lifeStep is a change due at a time; apply runs with d.mu held and gets
// the due time (not the time it happens to be applied).
type lifeStep struct {
	at    time.Time
	apply func(d *Device, at time.Time)
}

// lifeTiming returns the device's timing; d.mu must be held.
func (d *Device) lifeTimingLocked() Timing { return d.state.life.timing.withDefaults() }

// lifeAddLocked schedules a step; d.mu must be held.
func (d *Device) lifeAddLocked(at time.Time, apply func(d *Device, at time.Time)) {
	// A new slice each time: snapshots share the old one.
	steps := make([]lifeStep, 0, len(d.state.life.steps)+1)
	steps = append(steps, d.state.life.steps...)
	steps = append(steps, lifeStep{at: at, apply: apply})
	slices.SortStableFunc(steps, func(a, b lifeStep) int { return a.at.Compare(b.at) })
	d.state.life.steps = steps
}

// lifeSettleLocked applies every step due at now, in order; d.mu must be held.
func (d *Device) lifeSettleLocked(now time.Time) {
	for {
		steps := d.state.life.steps
		if len(steps) == 0 || steps[0].at.After(now) {
			return
		}
		d.state.life.steps = steps[1:]
		steps[0].apply(d, steps[0].at)
	}
}

// lifeDownLocked reports whether the device is unreachable at now; d.mu
// must be held and the steps settled.
func (d *Device) lifeDownLocked(now time.Time) bool {
	l := &d.state.life
	return !now.Before(l.downFrom) && now.Before(l.downUntil)
}

// lifeIsDown settles the device and reports whether it is unreachable.
func (d *Device) lifeIsDown(now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lifeSettleLocked(now)
	return d.lifeDownLocked(now)
}

// lifeSnapshot settles the device at now and returns a copy of its state,
// with life.firmware set to the running firmware.
func (d *Device) lifeSnapshot(now time.Time) state {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lifeSettleLocked(now)
	st := d.state
	st.life.firmware = d.Firmware
	return st
}

// lifeGoDownLocked makes the device unreachable from at for dur, then runs
// back (if any) as it comes up again; d.mu must be held.
func (d *Device) lifeGoDownLocked(at time.Time, dur time.Duration, back func(d *Device, at time.Time)) {
	d.lifeAddLocked(at, func(d *Device, at time.Time) {
		d.state.life.downFrom, d.state.life.downUntil = at, at.Add(dur)
	})
	d.lifeAddLocked(at.Add(dur), func(d *Device, at time.Time) {
		d.state.life.bootedAt = at
		if back != nil {
			back(d, at)
		}
	})
}

// lifeRebootLocked restarts the device at at: it is unreachable for the
// reboot time, then runs back; d.mu must be held.
func (d *Device) lifeRebootLocked(at time.Time, back func(d *Device, at time.Time)) {
	d.lifeGoDownLocked(at, d.lifeTimingLocked().Reboot, back)
}

// lifeUpdateLocked starts a firmware update at now: the device flashes for
// the update time (answering as the family does meanwhile), restarts, and
// comes back running install's result. It returns when flashing ends.
// d.mu must be held.
func (d *Device) lifeUpdateLocked(now time.Time, install func(d *Device)) time.Time {
	done := now.Add(d.lifeTimingLocked().Update)
	d.lifeRebootLocked(done, func(d *Device, _ time.Time) { install(d) })
	return done
}

// lifeFactoryResetLocked drops the device off the network at now for the
// reset drop-off time; it comes back running back. Pending steps (an update
// in progress) are cancelled: the reset wins. d.mu must be held.
func (d *Device) lifeFactoryResetLocked(now time.Time, back func(d *Device, at time.Time)) {
	d.state.life.steps = nil
	d.lifeGoDownLocked(now, d.lifeTimingLocked().ResetDropOff, back)
}

// lifeInstallLatest makes the device run the newest firmware its vendor
// offers; d.mu must be held (it is, in a step).
func lifeInstallLatest(d *Device) {
	if d.state.latestFirmware != "" {
		d.Firmware = d.state.latestFirmware
	}
}

// lifeUptime is the uptime a device reports: since it last came up, or
// since its handler started when it has not restarted in the lab.
func lifeUptime(st state, start, now time.Time) int64 {
	if !st.life.bootedAt.IsZero() {
		start = st.life.bootedAt
	}
	return apiUptime(start, now)
}

// lifeGate wraps a family API so that a device that is down drops every
// connection instead of answering.
func lifeGate(d *Device, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d.lifeIsDown(d.now()) {
			lifeDrop(w)
			return
		}
		h(w, r)
	}
}

// lifeDrop closes the request's connection without answering, with a TCP
// reset where the connection is TCP, so that the client sees its request
// fail as it does against a device that is restarting. A caller that has
// no connection to drop (an in-process recorder) gets 503 instead.
func lifeDrop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		apiBody(w, http.StatusServiceUnavailable, "text/plain", "simulated device is not reachable now")
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}
