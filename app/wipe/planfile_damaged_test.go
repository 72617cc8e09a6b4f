package wipe_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// damagedPlan is a plan file cut short, as a crash in the middle of writing
// it without the atomic rename would leave it.
const damagedPlan = `{"schema":1,"plan":{"action":"wipe-1","devices":[{"id":"dev","meth`

// wantSetAside checks that err reports a damaged plan file in a sentence
// naming where it was kept, that the file is there with the damaged bytes,
// and that no plan file is left in its place. It returns the copy's path.
func wantSetAside(t *testing.T, dir string, err error) string {
	t.Helper()
	var damaged *wipe.PlanDamagedError
	if !errors.As(err, &damaged) || !errors.Is(err, wipe.ErrPlanDamaged) {
		t.Fatalf("error %v, want a *PlanDamagedError", err)
	}
	if say := damaged.Error(); !strings.Contains(say, damaged.Aside) || !strings.HasPrefix(say, wipe.ErrPlanDamaged.Error()) || !strings.Contains(err.Error(), say) {
		t.Errorf("the sentence %q (in %q) does not say where the file was kept", say, err)
	}
	if filepath.Dir(damaged.Aside) != dir || !strings.HasPrefix(filepath.Base(damaged.Aside), wipe.PlanFile+".damaged-") {
		t.Errorf("kept as %s, want wipe-plan.json.damaged-<time> in %s", damaged.Aside, dir)
	}
	if data, err := os.ReadFile(damaged.Aside); err != nil || string(data) != damagedPlan {
		t.Errorf("the copy holds %q (%v), want the damaged file's bytes", data, err)
	}
	if _, err := os.Stat(filepath.Join(dir, wipe.PlanFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a plan file is still in place: %v", err)
	}
	return damaged.Aside
}

// TestDamagedPlanOfAnUnfinishedWipe: the plan file of an interrupted wipe is
// damaged. The first look at the wipe sets the file aside and says so, with
// the wipe as the journal has it; the wipe then finishes from the journal,
// and the damaged copy outlives it.
func TestDamagedPlanOfAnUnfinishedWipe(t *testing.T) {
	for _, first := range []string{"Unfinished", "Resume", "Execute", "Plan"} {
		t.Run(first, func(t *testing.T) {
			e := newEnv(t, fakeSpec{id: "dev", name: "Plug", family: autoFamily, password: "pass-dev-1", device: &fakeDevice{awayAfterReset: 1}},
				fakeSpec{id: "other", name: "Lamp", family: autoFamily, password: "pass-other-2"})
			w, p, c := e.plan("dev")
			if !executeUntil(t, w, p, c, "dev", wipe.Acknowledged) {
				t.Fatal("the crash point was never reached")
			}
			before := e.states("dev")
			_, p2, c2 := e.plan("other") // a new wipe, planned while the plan file was whole
			if err := os.WriteFile(filepath.Join(e.dir, wipe.PlanFile), []byte(damagedPlan), 0o600); err != nil {
				t.Fatal(err)
			}
			var aside string
			switch first {
			case "Unfinished":
				u, err := e.wiper().Unfinished()
				aside = wantSetAside(t, e.dir, err)
				if u == nil || len(u.Devices) != 1 || u.Devices[0].ID != "dev" || u.Devices[0].Name != "Plug" || u.Devices[0].State != wipe.Acknowledged {
					t.Fatalf("the unfinished wipe: %+v, want Plug acknowledged, from the journal", u)
				}
				if again, err := e.wiper().Unfinished(); err != nil || again == nil || again.Action != u.Action {
					t.Errorf("looked at again: %+v, %v; want the same wipe and no error", again, err)
				}
			case "Execute":
				_, err := e.wiper().Execute(context.Background(), p2, c2, opts(nil))
				if !errors.Is(err, wipe.ErrUnfinished) {
					t.Errorf("a new wipe: %v, want ErrUnfinished", err)
				}
				aside = wantSetAside(t, e.dir, err)
			case "Plan":
				p3, err := e.wiper().Plan(context.Background(), []string{"other"})
				if p3 == nil || len(p3.Devices) != 1 {
					t.Errorf("plan %+v, want one of the device", p3)
				}
				aside = wantSetAside(t, e.dir, err)
			}
			rc, err := e.wiper().Resume(context.Background(), opts(nil))
			if first == "Resume" {
				aside = wantSetAside(t, e.dir, err)
			} else if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if rc == nil || !rc.Finished || rc.Devices[0].Outcome != wipe.OutcomeWiped || rc.Devices[0].Name != "Plug" {
				t.Fatalf("receipt %+v, want Plug wiped and the wipe finished", rc)
			}
			if states := e.states("dev"); len(states) <= len(before) || !slices.Equal(states[:len(before)], before) {
				t.Errorf("journal %v, want it to go on from %v", states, before)
			}
			if data, err := os.ReadFile(aside); err != nil || string(data) != damagedPlan {
				t.Errorf("after the wipe the damaged copy holds %q (%v)", data, err)
			}
		})
	}
}

// TestDamagedStalePlan: a damaged plan file with no wipe under way is set
// aside, not deleted, when the next wipe is planned, and the plan is made.
func TestDamagedStalePlan(t *testing.T) {
	e := newEnv(t, fakeSpec{id: "dev", name: "Plug", family: autoFamily, password: "pass-dev-1"})
	if err := os.WriteFile(filepath.Join(e.dir, wipe.PlanFile), []byte(damagedPlan), 0o600); err != nil {
		t.Fatal(err)
	}
	w := e.wiper()
	if u, err := w.Unfinished(); u != nil || err != nil {
		t.Fatalf("unfinished wipe %+v, %v; want none", u, err)
	}
	p, err := w.Plan(context.Background(), nil)
	wantSetAside(t, e.dir, err)
	if p == nil || len(p.Wiped()) != 1 {
		t.Fatalf("plan %+v, want the claimed device", p)
	}
	c, err := p.Confirm(p.Phrase())
	if err != nil {
		t.Fatal(err)
	}
	if rc, err := w.Execute(context.Background(), p, c, opts(nil)); err != nil || !rc.Finished {
		t.Errorf("the new wipe: %+v, %v", rc, err)
	}
	if p2, err := w.Plan(context.Background(), nil); err != nil || p2 == nil {
		t.Errorf("planned again: %v", err)
	}
}
