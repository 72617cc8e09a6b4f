package wipe_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// TestExecuteTransitions: each way a device can answer its reset leads to
// the documented journal states, the keyring entry is deleted only after a
// verified reset, and the receipt says what happened.
func TestExecuteTransitions(t *testing.T) {
	const pw = "s3cret-pass"
	full := []string{"planned", "sent", "acknowledged", "verified", "local-data-deleted"}
	tests := []struct {
		name         string
		spec         fakeSpec
		confirm      func(context.Context, wipe.DevicePlan) (bool, error)
		wantStates   []string
		wantOutcome  wipe.Outcome
		wantEvidence wipe.Evidence
		// wantHeld: Porchlight still holds the password afterwards.
		wantHeld       bool
		wantUnfinished bool
	}{
		{name: "answers, restarts, comes back unconfigured",
			spec:       fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{awayAfterReset: 3}},
			wantStates: full, wantOutcome: wipe.OutcomeWiped, wantEvidence: wipe.CameBackUnconfigured},
		{name: "answers and leaves the network",
			spec:       fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{leaves: true}},
			wantStates: full, wantOutcome: wipe.OutcomeWiped, wantEvidence: wipe.LeftTheNetwork},
		{name: "resets without answering: unknown, then verified",
			spec:       fakeSpec{family: autoFamily, password: pw, reply: replyDrop, device: &fakeDevice{awayAfterReset: 2}},
			wantStates: []string{"planned", "sent", "unknown", "verified", "local-data-deleted"}, wantOutcome: wipe.OutcomeWiped, wantEvidence: wipe.CameBackUnconfigured},
		{name: "no answer and no reset: unknown, not failed",
			spec:       fakeSpec{family: autoFamily, password: pw, reply: replyLost},
			wantStates: []string{"planned", "sent", "unknown", "unknown"}, wantOutcome: wipe.OutcomeInDoubt, wantHeld: true, wantUnfinished: true},
		{name: "refuses: failed, password kept",
			spec:       fakeSpec{family: autoFamily, password: pw, reply: replyRefuse},
			wantStates: []string{"planned", "sent", "failed"}, wantOutcome: wipe.OutcomeNotWiped, wantHeld: true},
		{name: "no password: seen to restart",
			spec:       fakeSpec{family: autoFamily, device: &fakeDevice{awayAfterReset: 2}},
			wantStates: full, wantOutcome: wipe.OutcomeWiped, wantEvidence: wipe.Restarted},
		{name: "no password, never seen away: not confirmed",
			spec:       fakeSpec{family: autoFamily},
			wantStates: []string{"planned", "sent", "acknowledged", "unknown"}, wantOutcome: wipe.OutcomeInDoubt, wantUnfinished: true},
		{name: "manual, the person confirms",
			spec:       fakeSpec{family: "sonos", password: pw},
			confirm:    func(context.Context, wipe.DevicePlan) (bool, error) { return true, nil },
			wantStates: []string{"planned", "verified", "local-data-deleted"}, wantOutcome: wipe.OutcomeWiped, wantEvidence: wipe.PersonConfirmed},
		{name: "manual, the person skips",
			spec:       fakeSpec{family: "sonos", password: pw},
			confirm:    func(context.Context, wipe.DevicePlan) (bool, error) { return false, nil },
			wantStates: []string{"planned", "skipped"}, wantOutcome: wipe.OutcomeNotWiped, wantHeld: true},
		{name: "manual, nobody to confirm",
			spec:       fakeSpec{family: "sonos", password: pw},
			wantStates: []string{"planned", "skipped"}, wantOutcome: wipe.OutcomeNotWiped, wantHeld: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.id, tt.spec.name = "dev", "Kitchen plug"
			e := newEnv(t, tt.spec)
			w, p, c := e.plan("dev")
			var events []wipe.Event
			o := opts(&events)
			o.ConfirmManual = tt.confirm
			rc, err := w.Execute(context.Background(), p, c, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.states("dev"); !slices.Equal(got, tt.wantStates) {
				t.Errorf("journal %v, want %v", got, tt.wantStates)
			}
			var journaled []string
			for _, ev := range events {
				if ev.State != "" {
					journaled = append(journaled, string(ev.State))
				}
				if ev.Index != 1 || ev.Total != 1 || ev.Device != "dev" || ev.Name != "Kitchen plug" {
					t.Errorf("event %+v", ev)
				}
			}
			if !slices.Equal(journaled, tt.wantStates) {
				t.Errorf("progress %v, want the journal's states %v", journaled, tt.wantStates)
			}
			if e.held("dev") != tt.wantHeld {
				t.Errorf("password held afterwards: %t, want %t", e.held("dev"), tt.wantHeld)
			}
			_, known := e.wiper().Inventory.Get("dev")
			if known != tt.wantHeld && tt.spec.password != "" {
				t.Errorf("device still known: %t, want %t", known, tt.wantHeld)
			}
			d := rc.Devices[0]
			if d.Outcome != tt.wantOutcome || d.ConfirmedBy != tt.wantEvidence {
				t.Errorf("receipt: %s by %q, want %s by %q (%s)", d.Outcome, d.ConfirmedBy, tt.wantOutcome, tt.wantEvidence, d.Detail)
			}
			if rc.Finished == tt.wantUnfinished {
				t.Errorf("receipt finished: %t", rc.Finished)
			}
			u, err := e.wiper().Unfinished()
			if err != nil || (u != nil) != tt.wantUnfinished {
				t.Errorf("unfinished wipe: %+v, %v; want one: %t", u, err, tt.wantUnfinished)
			}
			if _, resets := e.devices["dev"].counts(); resets > 1 {
				t.Errorf("%d resets", resets)
			}
		})
	}
}

// TestRetryAfterFailedReset: a refused reset keeps the password, so a new
// wipe can send it again with the password Porchlight holds.
func TestRetryAfterFailedReset(t *testing.T) {
	e := newEnv(t, fakeSpec{id: "dev", name: "Plug", family: autoFamily, password: "s3cret-pass", reply: replyRefuse})
	w, p, c := e.plan("dev")
	if _, err := w.Execute(context.Background(), p, c, opts(nil)); err != nil {
		t.Fatal(err)
	}
	if !e.held("dev") {
		t.Fatal("the password was deleted after a failed reset")
	}
	if _, err := w.Execute(context.Background(), p, c, opts(nil)); !errors.Is(err, wipe.ErrAlreadyStarted) {
		t.Errorf("executing the same plan twice: %v", err)
	}
	e.devices["dev"].set(func(d *fakeDevice) { d.reply = replyAck })
	w, p, c = e.plan("dev")
	rc, err := w.Execute(context.Background(), p, c, opts(nil))
	if err != nil || rc.Devices[0].Outcome != wipe.OutcomeWiped {
		t.Fatalf("retry: %+v, %v", rc, err)
	}
	if commands, resets := e.devices["dev"].counts(); commands != 2 || resets != 1 || e.held("dev") {
		t.Errorf("%d commands, %d resets, password held %t", commands, resets, e.held("dev"))
	}
}

// TestExecuteRechecksBeforeSending: a device that changed since the plan
// was made is sent nothing.
func TestExecuteRechecksBeforeSending(t *testing.T) {
	e := newEnv(t, fakeSpec{id: "dev", name: "Plug", family: autoFamily, password: "s3cret-pass"})
	w, p, c := e.plan("dev")
	e.devices["dev"].set(func(d *fakeDevice) { d.password = "changed-elsewhere" })
	rc, err := w.Execute(context.Background(), p, c, opts(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.states("dev"); !slices.Equal(got, []string{"planned", "failed"}) {
		t.Errorf("journal %v", got)
	}
	if commands, _ := e.devices["dev"].counts(); commands != 0 || !e.held("dev") {
		t.Errorf("%d reset commands; password held %t", commands, e.held("dev"))
	}
	if rc.Devices[0].Reason != wipe.ReasonPasswordRefused {
		t.Errorf("receipt reason %q", rc.Devices[0].Reason)
	}
}

// TestKeyringUnavailableAfterReset: the first device is reset but its
// password cannot be deleted: the wipe stays unfinished at verified, and
// Resume deletes it once the keyring is back, sending nothing again. The
// second device, whose password cannot be read, is sent nothing.
func TestKeyringUnavailableAfterReset(t *testing.T) {
	e := newEnv(t,
		fakeSpec{id: "a", name: "A", family: autoFamily, password: "pass-a-123"},
		fakeSpec{id: "b", name: "B", family: autoFamily, password: "pass-b-123"},
	)
	w, p, c := e.plan("a", "b")
	o := opts(nil)
	o.Progress = func(ev wipe.Event) {
		if ev.State == wipe.Verified {
			e.vault.SetUnavailable(true)
		}
	}
	rc, err := w.Execute(context.Background(), p, c, o)
	if err == nil || !strings.Contains(err.Error(), "could not delete its own data") {
		t.Fatalf("error %v", err)
	}
	if rc.Finished || rc.Devices[0].Outcome != wipe.OutcomeErased || rc.Devices[1].Outcome != wipe.OutcomeNotWiped {
		t.Fatalf("receipt %+v", rc.Devices)
	}
	if rc.Devices[1].Reason != wipe.ReasonKeyring || rc.Devices[1].Detail == "" {
		t.Errorf("b: %s (%s)", rc.Devices[1].Reason, rc.Devices[1].Detail)
	}
	e.vault.SetUnavailable(false)
	if !e.held("a") || !e.held("b") {
		t.Fatal("a password was deleted while the keyring was unavailable")
	}
	rc, err = e.wiper().Resume(context.Background(), opts(nil))
	if err != nil || !rc.Finished || rc.Devices[0].Outcome != wipe.OutcomeWiped {
		t.Fatalf("resume: %+v, %v", rc, err)
	}
	if got := e.states("a"); !slices.Equal(got, []string{"planned", "sent", "acknowledged", "verified", "local-data-deleted"}) {
		t.Errorf("a: journal %v", got)
	}
	if commands, _ := e.devices["a"].counts(); commands != 1 || e.held("a") {
		t.Errorf("a: %d reset commands, password held %t", commands, e.held("a"))
	}
	if commands, _ := e.devices["b"].counts(); commands != 0 || !e.held("b") {
		t.Errorf("b: %d reset commands, password held %t", commands, e.held("b"))
	}
}

// TestOneWipeAtATime: a new wipe waits until the interrupted one is finished.
func TestOneWipeAtATime(t *testing.T) {
	e := newEnv(t,
		fakeSpec{id: "a", name: "A", family: autoFamily, password: "pass-a-123", reply: replyLost},
		fakeSpec{id: "b", name: "B", family: autoFamily, password: "pass-b-123"},
	)
	w, p, c := e.plan("a")
	if _, err := w.Execute(context.Background(), p, c, opts(nil)); err != nil {
		t.Fatal(err)
	}
	w, p, c = e.plan("b")
	if _, err := w.Execute(context.Background(), p, c, opts(nil)); !errors.Is(err, wipe.ErrUnfinished) {
		t.Errorf("a second wipe while one is unfinished: %v", err)
	}
	if commands, _ := e.devices["b"].counts(); commands != 0 {
		t.Error("the second wipe sent a reset")
	}
	e.devices["a"].set(func(d *fakeDevice) { d.reply = replyAck })
	if _, err := e.wiper().Resume(context.Background(), opts(nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.wiper().Resume(context.Background(), opts(nil)); !errors.Is(err, wipe.ErrNoUnfinished) {
		t.Errorf("resuming with nothing unfinished: %v", err)
	}
}
