package wipe_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// TestPlanPreflight: each device gets the method its family and the
// pre-flight call for, with the reason and the failing check; planning
// sends nothing.
func TestPlanPreflight(t *testing.T) {
	tests := []struct {
		name       string
		spec       fakeSpec
		before     func(e *env)
		wantMethod wipe.Method
		// wantInForce is whether the device asked for a password.
		wantInForce bool
		// wantFailed is the check that failed, "" for none.
		wantFailed string
		wantReason wipe.Reason
	}{
		{name: "password held and accepted", spec: fakeSpec{family: autoFamily, password: "s3cret-pass"},
			wantMethod: wipe.Automatic, wantInForce: true},
		{name: "no password on the device", spec: fakeSpec{family: autoFamily},
			wantMethod: wipe.Automatic},
		{name: "not claimed", spec: fakeSpec{family: autoFamily, password: "s3cret-pass", unclaimed: true},
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckYours, wantReason: wipe.ReasonNotYours},
		{name: "family without a reset API", spec: fakeSpec{family: "sonos"},
			wantMethod: wipe.Manual, wantReason: wipe.ReasonNoAutoReset},
		{name: "never identified, no driver", spec: fakeSpec{family: ""},
			wantMethod: wipe.Manual, wantReason: wipe.ReasonNoAutoReset},
		{name: "unreachable", spec: fakeSpec{family: autoFamily, password: "s3cret-pass", device: &fakeDevice{unreachable: true}},
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckReachable, wantReason: wipe.ReasonUnreachable},
		{name: "another device in its place", spec: fakeSpec{family: autoFamily, password: "s3cret-pass", device: &fakeDevice{impostor: true}},
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckIdentity, wantReason: wipe.ReasonOtherDevice},
		{name: "held password refused", spec: fakeSpec{family: autoFamily, password: "s3cret-pass", heldPassword: "old-pass-1"},
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckPassword, wantReason: wipe.ReasonPasswordRefused},
		{name: "password in force, none held", spec: fakeSpec{family: autoFamily},
			before:     func(e *env) { e.devices["dev"].set(func(d *fakeDevice) { d.password = "someone-elses" }) },
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckPassword, wantReason: wipe.ReasonNoPassword},
		{name: "keyring unavailable", spec: fakeSpec{family: autoFamily, password: "s3cret-pass"},
			before:     func(e *env) { e.vault.SetUnavailable(true) },
			wantMethod: wipe.Blocked, wantFailed: wipe.CheckPassword, wantReason: wipe.ReasonKeyring},
		{name: "asks to wait, then answers", spec: fakeSpec{family: autoFamily, password: "s3cret-pass", device: &fakeDevice{rateLimited: 2}},
			wantMethod: wipe.Automatic, wantInForce: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.id, tt.spec.name = "dev", "Kitchen plug"
			e := newEnv(t, tt.spec)
			if tt.before != nil {
				tt.before(e)
			}
			p, err := e.wiper().Plan(context.Background(), []string{"dev"})
			if err != nil {
				t.Fatal(err)
			}
			d := p.Devices[0]
			if d.Method != tt.wantMethod || d.PasswordInForce != tt.wantInForce {
				t.Errorf("method %s (password in force %t), want %s (%t); reason %q", d.Method, d.PasswordInForce, tt.wantMethod, tt.wantInForce, d.Reason)
			}
			if d.Reason != tt.wantReason {
				t.Errorf("reason %q, want %q", d.Reason, tt.wantReason)
			}
			failed := ""
			for _, c := range d.Checks {
				if !c.OK {
					failed = c.What
				}
			}
			if failed != tt.wantFailed {
				t.Errorf("failed check %q, want %q: %+v", failed, tt.wantFailed, d.Checks)
			}
			if d.Method != wipe.Automatic && len(d.ResetSteps) == 0 {
				t.Error("a device Porchlight does not reset itself comes without the vendor's steps")
			}
			if commands, _ := e.devices["dev"].counts(); commands != 0 {
				t.Errorf("planning sent %d reset commands", commands)
			}
			if len(e.states("dev")) != 0 {
				t.Error("planning wrote to the journal")
			}
		})
	}
}

// TestPlanContents: every claimed device by default; the manual steps
// include deleting the vendor cloud account; local data is listed.
func TestPlanContents(t *testing.T) {
	e := newEnv(t,
		fakeSpec{id: "plug", name: "Plug", family: autoFamily, password: "s3cret-pass"},
		fakeSpec{id: "speaker", name: "Speaker", family: "sonos"},
		fakeSpec{id: "neighbour", name: "Neighbour's TV", family: "chromecast", unclaimed: true},
	)
	w := e.wiper()
	w.Lang = "de"
	p, err := w.Plan(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Devices) != 2 || p.Lang != "de" {
		t.Fatalf("plan of every claimed device: %+v", p.Devices)
	}
	var speaker wipe.DevicePlan
	for _, d := range p.Devices {
		if d.ID == "speaker" {
			speaker = d
		}
		if d.ID == "plug" && (len(d.KeyringEntries) != 1 || d.KeyringEntries[0] != "plug/admin") {
			t.Errorf("plug's keyring entries: %v", d.KeyringEntries)
		}
	}
	if speaker.CloudAccount == nil || speaker.CloudAccount.Service == "" || len(speaker.CloudSteps) == 0 {
		t.Errorf("the Sonos speaker's plan lacks deleting the Sonos account: %+v", speaker)
	}
	if len(speaker.ResetSteps) == 0 || !strings.Contains(strings.Join(speaker.ResetSteps, " "), "Sie") {
		t.Errorf("German reset steps: %v", speaker.ResetSteps)
	}
	if _, err := w.Plan(context.Background(), []string{"nope"}); !errors.Is(err, wipe.ErrNoSuchDevice) {
		t.Errorf("planning an unknown device: %v", err)
	}
}

// TestConfirm: one device needs one yes; more need the typed phrase; a
// confirmation fits only the plan it was made for.
func TestConfirm(t *testing.T) {
	e := newEnv(t,
		fakeSpec{id: "a", name: "A", family: autoFamily, password: "pass-a-123"},
		fakeSpec{id: "b", name: "B", family: autoFamily, password: "pass-b-123"},
		fakeSpec{id: "c", name: "C", family: autoFamily, device: &fakeDevice{unreachable: true}},
	)
	w := e.wiper()
	ctx := context.Background()
	one, err := w.Plan(ctx, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if one.Phrase() != "" {
		t.Errorf("one device asks to type %q", one.Phrase())
	}
	if _, err := one.Confirm(""); err != nil {
		t.Errorf("one device, one yes: %v", err)
	}
	two, err := w.Plan(ctx, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if two.Phrase() != "wipe 2" {
		t.Errorf("phrase %q, want %q (the blocked device does not count)", two.Phrase(), "wipe 2")
	}
	for _, typed := range []string{"", "yes", "y", "wipe", "wipe 3", "wipe 2 3", "wipe2"} {
		if _, err := two.Confirm(typed); !errors.Is(err, wipe.ErrWrongPhrase) {
			t.Errorf("Confirm(%q): %v, want ErrWrongPhrase", typed, err)
		}
	}
	c, err := two.Confirm("  WIPE   2 ")
	if err != nil {
		t.Fatalf("Confirm with extra spaces and capitals: %v", err)
	}
	if _, err := w.Execute(ctx, one, c, opts(nil)); !errors.Is(err, wipe.ErrNotConfirmed) {
		t.Errorf("executing a plan with another plan's confirmation: %v", err)
	}
	if _, err := w.Execute(ctx, two, wipe.Confirmation{}, opts(nil)); !errors.Is(err, wipe.ErrNotConfirmed) {
		t.Errorf("executing without a confirmation: %v", err)
	}
	for _, id := range []string{"a", "b"} {
		if commands, _ := e.devices[id].counts(); commands != 0 {
			t.Errorf("%s got %d reset commands without a valid confirmation", id, commands)
		}
	}
	none, err := w.Plan(ctx, []string{"c"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := none.Confirm(""); !errors.Is(err, wipe.ErrNothingToWipe) {
		t.Errorf("confirming a plan with nothing to wipe: %v", err)
	}
}

// FuzzMatchPhrase: whatever the person types, MatchPhrase never panics and
// accepts only the phrase itself, in any case, with any spacing around and
// between its words (but some between them): never a part of it, never more.
func FuzzMatchPhrase(f *testing.F) {
	for _, s := range []string{"wipe 3", " Wipe  3\n", "wipe", "3", "", "wipe 3 3", "ｗｉｐｅ 3", "wipe\u00a03", "WIPE 3\r", "wipe3", "wipe 30", "\u0130"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		if wipe.MatchPhrase(typed, "") {
			t.Errorf("an empty phrase matched %q", typed)
		}
		if !wipe.MatchPhrase(typed, "wipe 3") {
			return
		}
		words := strings.Fields(typed)
		if len(words) != 2 || !strings.EqualFold(words[0], "wipe") || words[1] != "3" {
			t.Errorf("MatchPhrase accepted %q", typed)
		}
	})
}
