package setup

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWalkThroughAndBack walks the setup to its end and back, with and
// without a router found: the router step comes after the checkup only
// when there is one.
func TestWalkThroughAndBack(t *testing.T) {
	fixing := []string{"fix/password/a", "fix/update/a", "fix/privacy/a", "fix/password/b", "fix/update/b", "fix/privacy/b", "summary//"}
	for _, tc := range []struct {
		router bool
		want   []string
	}{
		{false, append([]string{"welcome//", "promise//", "scan//", "confirm//", "checkup//"}, fixing...)},
		{true, append([]string{"welcome//", "promise//", "scan//", "confirm//", "checkup//", "router//"}, fixing...)},
	} {
		want := tc.want
		s := Start()
		var path []string
		for s.Step != Done {
			if s.Step == Confirm {
				s.Devices, s.Router = []string{"a", "b"}, tc.router
			}
			path = append(path, string(s.Step)+"/"+string(s.Part)+"/"+s.Device())
			s = s.Next()
			if len(path) > 30 {
				t.Fatal("the setup never ends")
			}
		}
		if len(path) != len(want) {
			t.Fatalf("router %v: path %v, want %v", tc.router, path, want)
		}
		for i := range want {
			if path[i] != want[i] {
				t.Fatalf("router %v: step %d = %s, want %s (path %v)", tc.router, i, path[i], want[i], path)
			}
		}
		back := State{Step: Summary, Devices: []string{"a", "b"}, Router: tc.router}
		for i := len(want) - 1; i > 0; i-- {
			back = back.Back()
			if got := string(back.Step) + "/" + string(back.Part) + "/" + back.Device(); got != want[i-1] {
				t.Fatalf("router %v: back from %s = %s, want %s", tc.router, want[i], got, want[i-1])
			}
		}
		if back.Back().Step != Welcome {
			t.Error("back from the first step left the setup")
		}
	}
	if s := (State{Step: Router, Router: true}).ToSummary(); s.Step != Summary {
		t.Errorf("to the summary from the router step = %s", s.Step)
	}
	if s := (State{Step: Router, Router: true}).Next(); s.Step != Summary || !s.valid() {
		t.Errorf("next from the router step without devices = %+v, want the summary", s)
	}
}

func TestNoDeviceConfirmedSkipsToSummary(t *testing.T) {
	if s := (State{Step: Confirm}).Next(); s.Step != Summary {
		t.Errorf("next from confirm without devices = %s, want summary", s.Step)
	}
	// Found by FuzzDecode: back from fixing the only device, forget it, and
	// Next went on to fix no device at all.
	s := State{Step: Fix, Devices: []string{"a"}, Part: Password}.Back().Without("a").Next()
	if s.Step != Summary || !s.valid() {
		t.Errorf("next from the checkup once its last device was forgotten = %+v, want the summary", s)
	}
}

func TestSaveAndResume(t *testing.T) {
	dir := t.TempDir()
	if s, err := Load(dir); err != nil || s.Step != Welcome {
		t.Fatalf("a new setup = %+v, %v", s, err)
	}
	s := State{Step: Fix, Devices: []string{"a", "b"}, Current: 1, Part: Update}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || got.Device() != "b" || got.Part != Update {
		t.Fatalf("resumed %+v, %v", got, err)
	}
	for _, bad := range []string{"{", `{"step":"fly"}`, `{"step":"fix","devices":[],"current":3,"part":"password"}`} {
		os.WriteFile(filepath.Join(dir, FileName), []byte(bad), 0o600)
		if s, err := Load(dir); err == nil || s.Step != Welcome {
			t.Errorf("Load(%q) = %+v, %v; want the start and an error", bad, s, err)
		}
	}
}

func TestSkipSummaryAndWithout(t *testing.T) {
	fixing := func(current int, part Part) State {
		return State{Step: Fix, Devices: []string{"a", "b", "c"}, Current: current, Part: part}
	}
	tests := []struct {
		name string
		got  State
		want State
	}{
		{"skip to the next device", fixing(0, Update).SkipDevice(), fixing(1, Password)},
		{"skip the last device", fixing(2, Password).SkipDevice(), State{Step: Summary, Devices: []string{"a", "b", "c"}, Current: 2}},
		{"skip outside fixing", Start().SkipDevice(), Start()},
		{"to the summary", fixing(1, Privacy).ToSummary(), State{Step: Summary, Devices: []string{"a", "b", "c"}, Current: 1}},
		{"to the summary from the welcome", Start().ToSummary(), Start()},
		{"forget the current device", fixing(1, Update).Without("b"), State{Step: Fix, Devices: []string{"a", "c"}, Current: 1, Part: Password}},
		{"forget an earlier device", fixing(2, Update).Without("a"), State{Step: Fix, Devices: []string{"b", "c"}, Current: 1, Part: Update}},
		{"forget a later device", fixing(0, Update).Without("c"), State{Step: Fix, Devices: []string{"a", "b"}, Current: 0, Part: Update}},
		{"forget the last device being fixed", fixing(2, Privacy).Without("c"), State{Step: Summary, Devices: []string{"a", "b"}}},
		{"forget an unknown device", fixing(0, Update).Without("x"), fixing(0, Update)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
			if !tt.got.valid() {
				t.Errorf("%+v is not a valid state", tt.got)
			}
		})
	}
}
