package update

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/devices/driver"
)

// scripted is a device whose answers follow a script, one step per look.
type scripted struct {
	mu      sync.Mutex
	infos   []driver.UpdateInfo // CheckUpdate answers, the last one repeats
	logins  []error             // Login(nil) answers, the last one repeats
	started bool
	reset   bool
	caps    driver.Capabilities
}

func (s *scripted) Family() string                      { return "scripted" }
func (s *scripted) Capabilities() driver.Capabilities   { return s.caps }
func (s *scripted) PasswordRules() driver.PasswordRules { return driver.PasswordRules{} }
func (s *scripted) SetPassword(context.Context, driver.Target, *driver.Credentials, driver.Credentials) error {
	return driver.ErrUnsupported
}

func next[T any](list *[]T) T {
	v := (*list)[0]
	if len(*list) > 1 {
		*list = (*list)[1:]
	}
	return v
}

func (s *scripted) CheckUpdate(context.Context, driver.Target, *driver.Credentials) (driver.UpdateInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := next(&s.infos)
	if info.Current == "" {
		return info, driver.ErrUnreachable
	}
	return info, nil
}

func (s *scripted) StartUpdate(context.Context, driver.Target, *driver.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started = true
	return nil
}

func (s *scripted) Login(context.Context, driver.Target, *driver.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return next(&s.logins)
}

func (s *scripted) FactoryReset(context.Context, driver.Target, *driver.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset = true
	return nil
}

var (
	target = driver.Target{ID: "shelly1-00002a", Addr: netip.MustParseAddr("127.77.0.1")}
	fast   = Options{Wait: 300 * time.Millisecond, Poll: 5 * time.Millisecond}
)

func states(t *testing.T, j *journal.Journal) []string {
	t.Helper()
	entries, _, err := j.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, e := range entries {
		s = append(s, e.State)
	}
	return s
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestApply(t *testing.T) {
	caps := driver.Capabilities{Update: true, Reset: true}
	tests := []struct {
		name       string
		infos      []driver.UpdateInfo
		wantErr    bool
		wantStates []string
		verified   bool
	}{
		{"installs, restarts, reports the new version", []driver.UpdateInfo{
			{Current: "1.4.4", Available: "1.6.2"}, {Current: "1.4.4", InProgress: true}, {}, {}, {Current: "1.6.2"},
		}, false, []string{StatePlanned, StateSent, StateVerified}, true},
		{"up to date: nothing is done", []driver.UpdateInfo{{Current: "1.6.2"}}, false, nil, false},
		{"never comes back with a new version", []driver.UpdateInfo{
			{Current: "1.4.4", Available: "1.6.2"}, {Current: "1.4.4", InProgress: true},
		}, true, []string{StatePlanned, StateSent, StateUnknown}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journal.Open(t.TempDir())
			dev := &scripted{infos: tt.infos, caps: caps}
			res, err := Apply(context.Background(), j, dev, target, nil, fast)
			if (err != nil) != tt.wantErr || res.Verified != tt.verified {
				t.Fatalf("Apply = %+v, %v", res, err)
			}
			if got := states(t, j); !equal(got, tt.wantStates) {
				t.Errorf("journal states %v, want %v", got, tt.wantStates)
			}
		})
	}
	if _, err := Apply(context.Background(), journal.Open(t.TempDir()), &scripted{}, target, nil, fast); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("Apply on a family without updates = %v, want ErrUnsupported", err)
	}
}

func TestReset(t *testing.T) {
	caps := driver.Capabilities{Reset: true}
	tests := []struct {
		name       string
		logins     []error
		want       string
		wantErr    bool
		wantStates []string
	}{
		{"comes back unconfigured", []error{driver.ErrUnreachable, driver.ErrUnreachable, nil}, CameBackUnconfigured, false, []string{StatePlanned, StateSent, StateVerified}},
		{"leaves the network", []error{driver.ErrAuth, driver.ErrUnreachable}, LeftTheNetwork, false, []string{StatePlanned, StateSent, StateVerified}},
		{"still protected: not reported done", []error{driver.ErrAuth}, "", true, []string{StatePlanned, StateSent, StateUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := journal.Open(t.TempDir())
			dev := &scripted{logins: tt.logins, caps: caps}
			forgot := 0
			forget := func(context.Context) error { forgot++; return nil }
			how, err := Reset(context.Background(), j, dev, target, nil, true, forget, fast)
			if (err != nil) != tt.wantErr || how != tt.want || !dev.reset {
				t.Fatalf("Reset = %q, %v (reset sent: %v); want %q", how, err, dev.reset, tt.want)
			}
			if want := map[bool]int{true: 0, false: 1}[tt.wantErr]; forgot != want {
				t.Errorf("forgot the password %d times, want %d", forgot, want)
			}
			if got := states(t, j); !equal(got, tt.wantStates) {
				t.Errorf("journal states %v, want %v", got, tt.wantStates)
			}
		})
	}
	dev := &scripted{logins: []error{nil}, caps: caps}
	forget := func(context.Context) error { return errors.New("forgotten without a reset") }
	if _, err := Reset(context.Background(), journal.Open(t.TempDir()), dev, target, nil, false, forget, fast); !errors.Is(err, ErrNotConfirmed) || dev.reset {
		t.Errorf("Reset without confirmation = %v, reset sent %v", err, dev.reset)
	}
}
