package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestFinishInterruptedActions finishes interrupted updates and resets of
// a demo Shelly whose password Porchlight holds: each is reported, checked
// on the device, recorded, and not reported again.
func TestFinishInterruptedActions(t *testing.T) {
	long := time.Now().Add(-time.Hour).UTC()
	tests := []struct {
		name string
		// before acts on the device before the start (as the interrupted
		// action may have); entry is the journal's last entry of the action.
		before  func(t *testing.T, c *Core, id string)
		entry   journal.Entry
		want    update.Outcome
		state   string // the journal's last state afterwards
		kept    bool   // Porchlight still holds the device's password
		listed  bool   // reported as interrupted
		version bool   // the result says the version the device runs
	}{
		{"an update that never reached the device", nil,
			journal.Entry{Kind: update.KindUpdate, State: update.StatePlanned, At: long, From: "", To: "v9"},
			update.NotDone, update.StateFailed, true, true, true},
		{"a reset that did not happen", nil,
			journal.Entry{Kind: update.KindReset, State: update.StateSent, At: long, HadPassword: true},
			update.NotDone, update.StateFailed, true, true, false},
		{"a reset that happened", resetNow,
			journal.Entry{Kind: update.KindReset, State: update.StateSent, HadPassword: true},
			update.Done, update.StateVerified, false, true, false},
		{"a device Porchlight forgot", forgetNow,
			journal.Entry{Kind: update.KindReset, State: update.StateSent, At: long, HadPassword: true},
			"", update.StateSent, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, id := demoShellyWithPassword(t)
			ctx := context.Background()
			if tt.entry.Kind == update.KindUpdate {
				rec, _ := c.Record(id)
				tt.entry.From = rec.Firmware
			}
			e := tt.entry
			e.Action, e.Device = e.Kind+"-"+id+"-test", id
			if err := c.Journal.Append(e); err != nil {
				t.Fatal(err)
			}
			if tt.before != nil {
				tt.before(t, c, id)
			}
			u, err := c.UnfinishedActions()
			if err != nil || len(u.Actions) != map[bool]int{true: 1, false: 0}[tt.listed] || u.DamagedLines != 0 {
				t.Fatalf("UnfinishedActions = %+v, %v", u, err)
			}
			if tt.listed {
				a := u.Actions[0]
				if a.Device != id || a.Kind != e.Kind || a.Reached != e.State || a.Name == "" || a.Started.IsZero() {
					t.Errorf("reported %+v", a)
				}
				res, err := c.FinishAction(ctx, a, UpdateOptions{Wait: 5 * time.Second, Poll: 20 * time.Millisecond})
				if err != nil || res.Outcome != tt.want || res.CheckAgain || (res.Version != "") != tt.version {
					t.Fatalf("FinishAction = %+v, %v; want %s", res, err, tt.want)
				}
				if _, err := c.FinishAction(ctx, a, UpdateOptions{}); !errors.Is(err, ErrNotInterrupted) {
					t.Errorf("finishing it again: %v, want ErrNotInterrupted", err)
				}
				if again, _ := c.UnfinishedActions(); len(again.Actions) != 0 {
					t.Errorf("still reported: %+v", again.Actions)
				}
			}
			entries, _, _ := c.Journal.Entries()
			if last := entries[len(entries)-1]; last.State != tt.state {
				t.Errorf("the journal ends %+v, want %s", last, tt.state)
			}
			if _, err := c.Password(ctx, id); (err == nil) != tt.kept {
				t.Errorf("Porchlight holds the password: %v, want %t", err, tt.kept)
			}
		})
	}
}

// demoShellyWithPassword opens a demo core with a claimed Shelly (Gen1, on
// fast timing) that has a password Porchlight holds, and returns its ID.
func demoShellyWithPassword(t *testing.T) (*Core, string) {
	t.Helper()
	c, n := demoCore(t)
	ctx := context.Background()
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	for _, sd := range n.Devices() {
		if sd.Family == sim.ShellyGen1 {
			sd.SetTiming(sim.FastTiming())
		}
	}
	for _, d := range c.Devices() {
		if !strings.HasPrefix(d.Host, "shelly1-") {
			continue
		}
		if err := c.Claim(ctx, []string{d.ID}, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Check(ctx, []Device{d}, CheckOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := c.SetPassword(ctx, d.ID, ""); err != nil {
			t.Fatal(err)
		}
		return c, d.ID
	}
	t.Fatal("the demo has no Shelly Gen1")
	return nil, ""
}

// resetNow factory-resets the device with its password, as an interrupted
// reset may have done before Porchlight stopped.
func resetNow(t *testing.T, c *Core, id string) {
	t.Helper()
	ctx := context.Background()
	d, tgt, err := c.target(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := c.credentials(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.FactoryReset(ctx, tgt, creds); err != nil {
		t.Fatal(err)
	}
}

// forgetNow forgets the device, as 'porchlight forget' does.
func forgetNow(t *testing.T, c *Core, id string) {
	t.Helper()
	if _, err := c.Forget(context.Background(), []string{id}, false); err != nil {
		t.Fatal(err)
	}
}
