package wipe

import (
	"bytes"
	"testing"
)

// FuzzDecodePlan checks the plan file's promises for any content. A plan
// file that loads is saved and loads again to the same plan (saved twice,
// the same bytes), with the digest the person's confirmation is tied to.
// One that does not load is reported (loadPlan refuses it and the wipe goes
// on from the journal); none loads as the plan of a wipe of nothing. The
// committed corpus holds plan files as Execute saves them (the lab's
// household, automatic, manual and blocked devices) and damaged ones.
func FuzzDecodePlan(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePlan(data)
		if err != nil {
			return
		}
		if p.Action == "" || len(p.Wiped()) == 0 {
			t.Fatalf("%q loads as a plan of nothing", data)
		}
		saved, err := encodePlan(p)
		if err != nil {
			t.Fatalf("%q loads but cannot be saved: %v", data, err)
		}
		again, err := decodePlan(saved)
		if err != nil {
			t.Fatalf("the saved plan does not load: %v\n%s", err, saved)
		}
		if again.digest() != p.digest() {
			t.Fatalf("the plan loads again as another plan:\n%s", saved)
		}
		if resaved, err := encodePlan(again); err != nil || !bytes.Equal(resaved, saved) {
			t.Fatalf("saved again differently (%v):\n%s\nthen\n%s", err, saved, resaved)
		}
	})
}

// TestDecodePlanRefusesPlansOfNothing: a plan file that lost its devices
// (or holds only blocked ones, or one without its ID) is corrupt, so a
// resume goes on from the journal's devices instead of wiping none.
func TestDecodePlanRefusesPlansOfNothing(t *testing.T) {
	for name, file := range map[string]string{
		"no plan":                  `{"schema":1,"plan":null}`,
		"no action":                `{"schema":1,"plan":{"devices":[{"id":"a","method":"automatic"}]}}`,
		"device list under a typo": `{"schema":1,"plan":{"action":"wipe-1","devics":[{"id":"a","method":"automatic"}]}}`,
		"only blocked devices":     `{"schema":1,"plan":{"action":"wipe-1","devices":[{"id":"a","method":"blocked"}]}}`,
		"a device without its ID":  `{"schema":1,"plan":{"action":"wipe-1","devices":[{"id":"a","method":"manual"},{"method":"automatic"}]}}`,
		"another format":           `{"schema":2,"plan":{"action":"wipe-1","devices":[{"id":"a","method":"manual"}]}}`,
		"cut short":                `{"schema":1,"plan":{"action":"wipe-1","devices":[{"id":"a","meth`,
	} {
		if p, err := decodePlan([]byte(file)); err == nil {
			t.Errorf("%s: loaded %+v", name, p)
		}
	}
	p, err := decodePlan([]byte(`{"schema":1,"plan":{"action":"wipe-1","devices":[{"id":"a","method":"blocked"},{"id":"b","method":"manual"}]}}`))
	if err != nil || p.Action != "wipe-1" || len(p.Wiped()) != 1 {
		t.Errorf("a whole plan: %+v, %v", p, err)
	}
}
