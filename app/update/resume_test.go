package update

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/devices/driver"
)

func TestInterruptions(t *testing.T) {
	j := journal.Open(t.TempDir())
	for _, e := range []journal.Entry{
		{Action: "u1", Kind: KindUpdate, Device: "a", State: StatePlanned, From: "1.4.4", To: "1.6.2"},
		{Action: "r1", Kind: KindReset, Device: "b", State: StatePlanned, HadPassword: true},
		{Action: "w1", Kind: "wipe", Device: "c", State: "planned"},
		{Action: "u1", Kind: KindUpdate, Device: "a", State: StateSent, From: "1.4.4", To: "1.6.2"},
		{Action: "r1", Kind: KindReset, Device: "b", State: StateSent},
		{Action: "r1", Kind: KindReset, Device: "b", State: StateVerified},
		{Action: "u2", Kind: KindUpdate, Device: "d", State: StatePlanned},
		{Action: "u2", Kind: KindUpdate, Device: "d", State: StateUnknown},
		{Action: "r2", Kind: KindReset, Device: "e", State: StatePlanned},
		{Action: "r2", Kind: KindReset, Device: "e", State: StateUnconfirmed},
	} {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"action":"r3","kind":"reset","dev`) // a crash in the middle of planning r3
	f.Close()
	got, damaged, err := Interruptions(j)
	if err != nil || damaged != 1 || len(got) != 2 {
		t.Fatalf("Interruptions = %+v, %d damaged, %v; want u1 and u2, 1 damaged", got, damaged, err)
	}
	if u := got[0]; u.Action != "u1" || u.Device != "a" || u.State != StateSent || u.From != "1.4.4" || u.To != "1.6.2" || u.Started.IsZero() || u.At.Before(u.Started) {
		t.Errorf("first interruption %+v", u)
	}
	if u := got[1]; u.Action != "u2" || u.State != StateUnknown || u.From != "" {
		t.Errorf("second interruption %+v", u)
	}
}

// interrupted journals e, an update or a reset of target, as sent and
// returns the interruption.
func interrupted(t *testing.T, j *journal.Journal, e journal.Entry) Interruption {
	t.Helper()
	e.Action, e.Device, e.State = "x1", target.ID, StateSent
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	if err := j.Append(e); err != nil {
		t.Fatal(err)
	}
	its, _, err := Interruptions(j)
	if err != nil || len(its) != 1 {
		t.Fatalf("Interruptions = %+v, %v", its, err)
	}
	return its[0]
}

// lastEntry returns the journal's last entry.
func lastEntry(t *testing.T, j *journal.Journal) journal.Entry {
	t.Helper()
	entries, _, err := j.Entries()
	if err != nil {
		t.Fatal(err)
	}
	return entries[len(entries)-1]
}

// errIdentity stands for a device that does not prove its identity.
var errIdentity = errors.New("another device answers in its place")

func TestFinishUpdate(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string
		ago        time.Duration // since the last step
		infos      []driver.UpdateInfo
		locateErr  error
		want       Outcome
		version    string
		checkAgain bool
		wantState  string // the journal's last state afterwards
	}{
		{"installed meanwhile", "1.4.4", "1.6.2", 0, []driver.UpdateInfo{{}, {Current: "1.4.4", InProgress: true}, {Current: "1.6.2"}}, nil, Done, "1.6.2", false, StateVerified},
		{"installs without saying so", "1.4.4", "1.6.2", 0, []driver.UpdateInfo{{Current: "1.4.4", Available: "1.6.2"}, {Current: "1.4.4", Available: "1.6.2"}, {Current: "1.6.2"}}, nil, Done, "1.6.2", false, StateVerified},
		{"never started", "1.4.4", "1.6.2", 0, []driver.UpdateInfo{{Current: "1.4.4", Available: "1.6.2"}}, nil, NotDone, "1.4.4", false, StateFailed},
		{"long ago: one look tells", "1.4.4", "1.6.2", time.Hour, []driver.UpdateInfo{{Current: "1.4.4", Available: "1.6.2"}, {Current: "1.6.2"}}, nil, NotDone, "1.4.4", false, StateFailed},
		{"long ago and away: it gets the wait", "1.4.4", "1.6.2", time.Hour, []driver.UpdateInfo{{}, {Current: "1.6.2"}}, nil, Done, "1.6.2", false, StateVerified},
		{"away until the wait ends", "1.4.4", "1.6.2", 0, []driver.UpdateInfo{{}}, nil, NotConfirmed, "", true, StateSent},
		{"another device answers", "1.4.4", "1.6.2", 0, []driver.UpdateInfo{{Current: "1.6.2"}}, errIdentity, NotConfirmed, "", true, StateSent},
		{"older journal without the version it ran, runs the planned one", "", "1.6.2", 0, []driver.UpdateInfo{{Current: "1.6.2"}}, nil, Done, "1.6.2", false, StateVerified},
		{"older journal without versions", "", "", 0, []driver.UpdateInfo{{Current: "1.4.4"}}, nil, NotConfirmed, "1.4.4", false, StateUnconfirmed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journal.Open(t.TempDir())
			it := interrupted(t, j, journal.Entry{Kind: KindUpdate, From: tt.from, To: tt.to, At: time.Now().Add(-tt.ago).UTC()})
			dev := &scripted{infos: tt.infos, caps: driver.Capabilities{Update: true}}
			locate := func(context.Context) (driver.Driver, driver.Target, error) { return dev, target, tt.locateErr }
			f, err := FinishUpdate(context.Background(), j, it, locate, nil, fast)
			if err != nil || f.Outcome != tt.want || f.Version != tt.version || f.CheckAgain != tt.checkAgain || (f.Outcome == NotConfirmed) != (f.Cause != nil) {
				t.Fatalf("FinishUpdate = %+v, %v; want %s %q, check again %t", f, err, tt.want, tt.version, tt.checkAgain)
			}
			if dev.started {
				t.Error("an update was started")
			}
			last := lastEntry(t, j)
			if last.State != tt.wantState || (tt.wantState == StateVerified && last.To != tt.version) {
				t.Errorf("journal ends %+v, want %s", last, tt.wantState)
			}
			if its, _, _ := Interruptions(j); (len(its) == 1) != tt.checkAgain {
				t.Errorf("still interrupted: %+v", its)
			}
		})
	}
}

// resetting is a device after a reset was maybe sent: each look (a login
// without a password) shows the next of its states, the last one repeating.
type resetting struct {
	*scripted
	looks []string // "away", "unconfigured", "protected" (takes the held password), "other" (another one)
	now   string
}

func (r *resetting) Login(_ context.Context, _ driver.Target, creds *driver.Credentials) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if creds == nil {
		r.now = next(&r.looks)
	}
	switch {
	case r.now == "away":
		return driver.ErrUnreachable
	case r.now == "unconfigured":
		return nil
	case r.now == "protected" && creds != nil:
		return nil
	}
	return driver.ErrAuth
}

func TestFinishReset(t *testing.T) {
	held := &driver.Credentials{Password: "kept-Pass.word1"}
	errKeyring := errors.New("keyring locked")
	tests := []struct {
		name        string
		hadPassword bool
		creds       *driver.Credentials
		ago         time.Duration // since the last step
		looks       []string
		forgetErr   error
		want        Outcome
		checkAgain  bool
		forgot      bool
		wantState   string
		wantErr     error
	}{
		{"came back unconfigured", true, held, 0, []string{"away", "unconfigured"}, nil, Done, false, true, StateVerified, nil},
		{"a crash while forgetting: the password is gone already", true, nil, 0, []string{"unconfigured"}, nil, Done, false, true, StateVerified, nil},
		{"not reset: still takes the password", true, held, 0, []string{"protected"}, nil, NotDone, false, false, StateFailed, nil},
		{"takes the password, then comes back unconfigured", true, held, 0, []string{"protected", "protected", "away", "unconfigured"}, nil, Done, false, true, StateVerified, nil},
		{"long ago: one look tells", true, held, time.Hour, []string{"protected", "unconfigured"}, nil, NotDone, false, false, StateFailed, nil},
		{"asks for another password", true, held, 0, []string{"other"}, nil, NotConfirmed, false, false, StateUnconfirmed, nil},
		{"had no password before the reset", false, nil, 0, []string{"unconfigured"}, nil, NotConfirmed, false, false, StateUnconfirmed, nil},
		{"stays away: not taken for reset", true, held, 0, []string{"away"}, nil, NotConfirmed, true, false, StateSent, nil},
		{"long ago and away: it gets the wait", true, held, time.Hour, []string{"away", "unconfigured"}, nil, Done, false, true, StateVerified, nil},
		{"the password cannot be forgotten", true, held, 0, []string{"unconfigured"}, errKeyring, Done, false, true, StateSent, errKeyring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journal.Open(t.TempDir())
			it := interrupted(t, j, journal.Entry{Kind: KindReset, HadPassword: tt.hadPassword, At: time.Now().Add(-tt.ago).UTC()})
			dev := &resetting{scripted: &scripted{caps: driver.Capabilities{Reset: true}}, looks: tt.looks}
			locate := func(context.Context) (driver.Driver, driver.Target, error) { return dev, target, nil }
			forgot := false
			forget := func(context.Context) error { forgot = true; return tt.forgetErr }
			f, err := FinishReset(context.Background(), j, it, locate, tt.creds, forget, fast)
			if !errors.Is(err, tt.wantErr) || f.Outcome != tt.want || f.CheckAgain != tt.checkAgain || forgot != tt.forgot {
				t.Fatalf("FinishReset = %+v, %v (forgot %t); want %s, check again %t", f, err, forgot, tt.want, tt.checkAgain)
			}
			if dev.reset {
				t.Error("a reset was sent")
			}
			if last := lastEntry(t, j); last.State != tt.wantState {
				t.Errorf("journal ends %+v, want %s", last, tt.wantState)
			}
		})
	}
}
