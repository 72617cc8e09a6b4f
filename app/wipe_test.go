package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestSessionWipeDemo drives a wipe as the desktop app does, against the
// demo household (in the process, no network): plan a claimed Shelly Plus,
// confirm, execute with progress, and find nothing left to resume.
func TestSessionWipeDemo(t *testing.T) {
	s, demo := demoCore(t)
	ctx := context.Background()
	res, err := s.Scan(ctx, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, sd := range demo.Devices() {
		if sd.Family == sim.ShellyGen2 && !sd.AuthEnabled() {
			sd.SetTiming(sim.FastTiming())
			for _, d := range res.Devices {
				if d.Host == sd.Host+".local" {
					id = d.ID
				}
			}
			break
		}
	}
	if id == "" {
		t.Fatal("the demo has no Shelly Plus without a password")
	}
	if err := s.Claim(ctx, []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	p, err := s.PlanWipe(ctx, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if d := p.Devices[0]; d.Method != wipe.Automatic || d.PasswordInForce {
		t.Fatalf("plan: %+v", d)
	}
	c, err := p.Confirm("")
	if err != nil {
		t.Fatal(err)
	}
	var states []wipe.State
	rc, err := s.ExecuteWipe(ctx, p, c, WipeOptions{Wait: 5 * time.Second, Poll: 10 * time.Millisecond, Progress: func(ev WipeEvent) {
		if ev.State != "" {
			states = append(states, ev.State)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if d := rc.Devices[0]; d.Outcome != wipe.OutcomeWiped || d.ConfirmedBy != wipe.Restarted {
		t.Errorf("receipt: %s by %s (%s); steps %v", d.Outcome, d.ConfirmedBy, d.Detail, states)
	}
	if len(states) != 5 {
		t.Errorf("progress states %v", states)
	}
	if u, err := s.UnfinishedWipe(); u != nil || err != nil {
		t.Errorf("unfinished: %+v, %v", u, err)
	}
	if _, err := s.ResumeWipe(ctx, WipeOptions{}); !errors.Is(err, wipe.ErrNoUnfinished) {
		t.Errorf("resume: %v", err)
	}
	if _, ok := s.Record(id); ok {
		t.Error("the wiped device is still remembered")
	}
}
