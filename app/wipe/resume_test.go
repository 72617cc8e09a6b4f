package wipe_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// crash is what a Progress callback panics with to stop a wipe dead right
// after a journal entry, as a crash would.
type crash struct{}

// executeUntil runs the planned wipe and "crashes" right after device's
// entry of state; it reports whether that point was reached.
func executeUntil(t *testing.T, w *wipe.Wiper, p *wipe.Plan, c wipe.Confirmation, device string, state wipe.State) (crashed bool) {
	t.Helper()
	o := opts(nil)
	o.Progress = func(ev wipe.Event) {
		if ev.Device == device && ev.State == state {
			panic(crash{})
		}
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crash); !ok {
				panic(r)
			}
			crashed = true
		}
	}()
	if _, err := w.Execute(context.Background(), p, c, o); err != nil {
		t.Fatal(err)
	}
	return false
}

// count returns how often states holds s.
func count(states []string, s wipe.State) int {
	n := 0
	for _, x := range states {
		if x == string(s) {
			n++
		}
	}
	return n
}

// TestCrashAtEveryTransition stops a wipe of three devices right after each
// journal transition of each device, then resumes it in a fresh Wiper:
// every device ends verified exactly once, receives exactly one reset, and
// loses its keyring entry only once verified. (The real-kill version against
// the lab is TestLabKillAtEveryTransition.)
func TestCrashAtEveryTransition(t *testing.T) {
	ids := []string{"a", "b", "c"}
	for _, state := range []wipe.State{wipe.Planned, wipe.Sent, wipe.Acknowledged, wipe.Verified, wipe.LocalDataDeleted} {
		for _, victim := range ids {
			t.Run(fmt.Sprintf("%s/%s", state, victim), func(t *testing.T) {
				var specs []fakeSpec
				for _, id := range ids {
					specs = append(specs, fakeSpec{id: id, name: "Device " + id, family: autoFamily, password: "pass-" + id + "-123", device: &fakeDevice{awayAfterReset: 2}})
				}
				e := newEnv(t, specs...)
				w, p, c := e.plan(ids...)
				if !executeUntil(t, w, p, c, victim, state) {
					t.Fatal("the crash point was never reached")
				}
				for _, id := range ids {
					if !e.held(id) && count(e.states(id), wipe.Verified) == 0 {
						t.Errorf("%s: the keyring entry was deleted before the reset was verified", id)
					}
				}
				u, err := e.wiper().Unfinished()
				if err != nil {
					t.Fatal(err)
				}
				lastOfAll := state == wipe.LocalDataDeleted && victim == ids[len(ids)-1]
				if (u == nil) != lastOfAll {
					t.Fatalf("unfinished wipe after the crash: %+v", u)
				}
				if u != nil {
					if u.Action != p.Action || len(u.Devices) != 3 || u.Devices[0].Name != "Device a" {
						t.Errorf("unfinished wipe shown as %+v", u)
					}
					rc, err := e.wiper().Resume(context.Background(), opts(nil))
					if err != nil {
						t.Fatal(err)
					}
					if !rc.Finished {
						t.Errorf("resumed wipe not finished: %+v", rc.Devices)
					}
				}
				for _, id := range ids {
					states := e.states(id)
					if count(states, wipe.Verified) != 1 || states[len(states)-1] != string(wipe.LocalDataDeleted) {
						t.Errorf("%s: journal %v, want verified once and local-data-deleted last", id, states)
					}
					if commands, resets := e.devices[id].counts(); commands != 1 || resets != 1 {
						t.Errorf("%s: %d reset commands, %d resets, want one", id, commands, resets)
					}
					if e.held(id) {
						t.Errorf("%s: the password is still held after a verified reset", id)
					}
				}
				if _, err := os.Stat(filepath.Join(e.dir, wipe.PlanFile)); !os.IsNotExist(err) && !lastOfAll {
					t.Errorf("the plan file outlived the wipe: %v", err)
				}
			})
		}
	}
}

// TestResumeRecheck: a device whose reset may have gone out is checked
// before anything is sent again.
func TestResumeRecheck(t *testing.T) {
	const pw = "s3cret-pass"
	tests := []struct {
		name string
		spec fakeSpec
		// at is the state the wipe stops after.
		at wipe.State
		// meanwhile changes the device while Porchlight is not running.
		meanwhile    func(d *fakeDevice)
		dropPlan     bool
		wantLast     wipe.State
		wantCommands int
	}{
		{name: "sent, never arrived: sent again", spec: fakeSpec{family: autoFamily, password: pw},
			at: wipe.Sent, wantLast: wipe.LocalDataDeleted, wantCommands: 1},
		{name: "acknowledged, came back: verified without sending", spec: fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{awayAfterReset: 1}},
			at: wipe.Acknowledged, meanwhile: func(d *fakeDevice) { d.away = 0 }, wantLast: wipe.LocalDataDeleted, wantCommands: 1},
		{name: "acknowledged, still away: watched until back", spec: fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{awayAfterReset: 1}},
			at: wipe.Acknowledged, meanwhile: func(d *fakeDevice) { d.away = 5 }, wantLast: wipe.LocalDataDeleted, wantCommands: 1},
		{name: "acknowledged, gone for good: left the network", spec: fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{leaves: true}},
			at: wipe.Acknowledged, wantLast: wipe.LocalDataDeleted, wantCommands: 1},
		{name: "no password: cannot tell, nothing resent", spec: fakeSpec{family: autoFamily, device: &fakeDevice{awayAfterReset: 1}},
			at: wipe.Sent, wantLast: wipe.Unconfirmed, wantCommands: 0},
		{name: "someone else's password: cannot tell", spec: fakeSpec{family: autoFamily, password: pw},
			at: wipe.Sent, meanwhile: func(d *fakeDevice) { d.password = "someone-elses" }, wantLast: wipe.Unconfirmed, wantCommands: 0},
		{name: "another device in its place: nothing sent", spec: fakeSpec{family: autoFamily, password: pw},
			at: wipe.Sent, meanwhile: func(d *fakeDevice) { d.impostor = true }, wantLast: wipe.Unconfirmed, wantCommands: 0},
		{name: "plan file lost: came back, but whether it had a password is unknown", spec: fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{awayAfterReset: 1}},
			at: wipe.Acknowledged, meanwhile: func(d *fakeDevice) { d.away = 0 }, dropPlan: true, wantLast: wipe.Unconfirmed, wantCommands: 1},
		{name: "plan file lost, verified: local data deleted", spec: fakeSpec{family: autoFamily, password: pw, device: &fakeDevice{awayAfterReset: 1}},
			at: wipe.Verified, dropPlan: true, wantLast: wipe.LocalDataDeleted, wantCommands: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.id, tt.spec.name = "dev", "Plug"
			e := newEnv(t, tt.spec)
			w, p, c := e.plan("dev")
			if !executeUntil(t, w, p, c, "dev", tt.at) {
				t.Fatal("the crash point was never reached")
			}
			if tt.meanwhile != nil {
				e.devices["dev"].set(tt.meanwhile)
			}
			if tt.dropPlan {
				if err := os.Remove(filepath.Join(e.dir, wipe.PlanFile)); err != nil {
					t.Fatal(err)
				}
			}
			rc, err := e.wiper().Resume(context.Background(), opts(nil))
			if err != nil {
				t.Fatal(err)
			}
			states := e.states("dev")
			if last := states[len(states)-1]; last != string(tt.wantLast) {
				t.Errorf("journal %v, want it to end %s", states, tt.wantLast)
			}
			if commands, _ := e.devices["dev"].counts(); commands != tt.wantCommands {
				t.Errorf("%d reset commands, want %d", commands, tt.wantCommands)
			}
			wiped := tt.wantLast == wipe.LocalDataDeleted
			if e.held("dev") == wiped && tt.spec.password != "" {
				t.Errorf("password held: %t after %v", e.held("dev"), states)
			}
			if got := rc.Devices[0].Outcome; (got == wipe.OutcomeWiped) != wiped || !rc.Finished {
				t.Errorf("receipt: %s, finished %t", got, rc.Finished)
			}
			if tt.dropPlan && rc.Devices[0].Name != "Plug" {
				t.Errorf("without the plan file the receipt names the device %q", rc.Devices[0].Name)
			}
			if slices.Contains(states, string(wipe.Failed)) {
				t.Errorf("a device that may have been reset was reported failed: %v", states)
			}
		})
	}
}

// TestResumeJournalBeforeTypedReasons resumes a wipe that the version
// before typed reasons interrupted: its journal (testdata, written by that
// version) says what happened only in English sentences, and so do the
// reasons in its plan file. The wipe is shown with the reasons, methods and
// evidence those sentences meant, and finishes as it would have: the
// manual device is asked about (its planned entry said "manual steps"),
// the verified ones keep their evidence, and the one acknowledged is
// checked and not sent the reset again. Without the plan file, it goes on
// from the journal alone.
func TestResumeJournalBeforeTypedReasons(t *testing.T) {
	const action = "wipe-dnbh42s9nhk2"
	for _, withPlan := range []bool{true, false} {
		t.Run(fmt.Sprintf("plan file %t", withPlan), func(t *testing.T) {
			e := newEnv(t,
				fakeSpec{id: "done", name: "Hall plug", family: autoFamily, password: "pass-done-1"},
				fakeSpec{id: "refused", name: "Garage relay", family: autoFamily, password: "pass-refused-2", reply: replyRefuse},
				fakeSpec{id: "left", name: "Attic plug", family: autoFamily, password: "pass-left-3", device: &fakeDevice{leaves: true}},
				fakeSpec{id: "acked", name: "Desk lamp", family: autoFamily, password: "pass-acked-4"},
				fakeSpec{id: "manual", name: "Living-room speaker", family: "sonos", password: "pass-manual-5"},
				fakeSpec{id: "away", name: "Shed plug", family: autoFamily, password: "pass-away-6", device: &fakeDevice{unreachable: true}},
			)
			// Where the old version left the household: done wiped and
			// forgotten, left and acked reset (acked back on the network).
			for _, id := range []string{"done", "left", "acked"} {
				e.devices[id].set(func(d *fakeDevice) { d.reset(); d.away = 0 })
			}
			if err := e.wiper().Inventory.Remove("done"); err != nil {
				t.Fatal(err)
			}
			if err := e.vault.Delete(context.Background(), "done/admin"); err != nil {
				t.Fatal(err)
			}
			files := []string{"journal.jsonl"}
			if withPlan {
				files = append(files, wipe.PlanFile)
			}
			for _, f := range files {
				data, err := os.ReadFile(filepath.Join("testdata", "before-typed-reasons", f))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(e.dir, f), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}

			u, err := e.wiper().Unfinished()
			if err != nil || u == nil || u.Action != action {
				t.Fatalf("unfinished wipe: %+v, %v", u, err)
			}
			shown := map[string]wipe.UnfinishedDevice{}
			for _, d := range u.Devices {
				shown[d.ID] = d
			}
			for id, want := range map[string]wipe.UnfinishedDevice{
				"done":    {State: wipe.LocalDataDeleted, Reason: wipe.ReasonLocalDataDeleted},
				"refused": {State: wipe.Failed, Reason: wipe.ReasonRefused, Detail: "fake: the device refused"},
				"left":    {State: wipe.Verified, Evidence: wipe.LeftTheNetwork},
				"acked":   {State: wipe.Acknowledged, Reason: wipe.ReasonAccepted},
				"manual":  {State: wipe.Planned, Reason: wipe.ReasonPlannedManual},
			} {
				got := shown[id]
				if got.State != want.State || got.Reason != want.Reason || got.Evidence != want.Evidence || got.Detail != want.Detail {
					t.Errorf("%s shown as %+v, want %+v", id, got, want)
				}
			}
			if len(u.Devices) != 5 {
				t.Errorf("%d devices shown, want 5: %+v", len(u.Devices), u.Devices)
			}

			var asked []string
			o := opts(nil)
			o.ConfirmManual = func(_ context.Context, d wipe.DevicePlan) (bool, error) {
				asked = append(asked, d.ID)
				return true, nil
			}
			rc, err := e.wiper().Resume(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if !rc.Finished || !slices.Equal(asked, []string{"manual"}) {
				t.Errorf("finished %t; asked about %v, want the manual device only", rc.Finished, asked)
			}
			type outcome struct {
				outcome wipe.Outcome
				by      wipe.Evidence
				reason  wipe.Reason
			}
			want := map[string]outcome{
				"done":    {wipe.OutcomeWiped, wipe.CameBackUnconfigured, ""},
				"refused": {wipe.OutcomeNotWiped, "", wipe.ReasonRefused},
				"left":    {wipe.OutcomeWiped, wipe.LeftTheNetwork, ""},
				"acked":   {wipe.OutcomeWiped, wipe.CameBackUnconfigured, ""},
				"manual":  {wipe.OutcomeWiped, wipe.PersonConfirmed, ""},
				"away":    {wipe.OutcomeNotWiped, "", wipe.ReasonUnreachable},
			}
			if !withPlan {
				// Whether acked had a password is not in the old journal:
				// answering as before, it cannot be taken for reset. The
				// blocked device was never in the journal.
				want["acked"] = outcome{wipe.OutcomeNotWiped, "", wipe.ReasonAnswersAsBefore}
				delete(want, "away")
			}
			for _, d := range rc.Devices {
				got := outcome{d.Outcome, d.ConfirmedBy, d.Reason}
				if got != want[d.ID] {
					t.Errorf("%s: %+v (%q), want %+v", d.ID, got, d.Detail, want[d.ID])
				}
				delete(want, d.ID)
			}
			if len(want) > 0 {
				t.Errorf("not on the receipt: %v", want)
			}
			for id, d := range e.devices {
				if commands, _ := d.counts(); commands != 0 {
					t.Errorf("%s was sent %d resets on resume", id, commands)
				}
			}
			for _, id := range []string{"left", "manual"} {
				if e.held(id) {
					t.Errorf("%s: the password is still held after its verified erase", id)
				}
			}
			if !e.held("refused") {
				t.Error("the password of the device that refused its reset was deleted")
			}
		})
	}
}
