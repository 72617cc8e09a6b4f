package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	t.Run("working keyring", func(t *testing.T) {
		var f Fake
		st := Probe(context.Background(), &f)
		if !st.Available || st.Problem != "" || st.Fix != "" || st.Err != nil {
			t.Fatalf("Probe = %+v, want available", st)
		}
		if left := f.Accounts(); len(left) != 0 {
			t.Errorf("probe left entries behind: %q", left)
		}
		if got, want := f.Calls(), (FakeCalls{Set: 1, Get: 1, Delete: 1}); got != want {
			t.Errorf("Calls = %+v, want %+v", got, want)
		}
	})
	t.Run("unavailable keyring", func(t *testing.T) {
		var f Fake
		f.SetUnavailable(true)
		st := Probe(context.Background(), &f)
		if st.Available || !errors.Is(st.Err, ErrUnavailable) {
			t.Fatalf("Probe = %+v, want unavailable", st)
		}
		if !strings.Contains(st.Problem, "locked or not available") || st.Fix != fixAdvice {
			t.Errorf("Problem %q / Fix %q are not the plain-language texts", st.Problem, st.Fix)
		}
	})
	t.Run("keyring returns something else", func(t *testing.T) {
		b, calls := memBackend()
		wrong := hookBackend(func(op, service, user, password string) (string, error) {
			if op == "get" {
				return "not what was stored", nil
			}
			return b(op, service, user, password)
		})
		st := Probe(context.Background(), newKeyring(time.Minute, wrong))
		if st.Available || !errors.Is(st.Err, ErrUnavailable) || !errors.Is(st.Err, errProbeMismatch) {
			t.Fatalf("Probe = %+v, want unavailable because of the mismatch", st)
		}
		if got := strings.Join(calls(), ","); got != "set,delete" {
			t.Errorf("backend calls = %s, want the probe entry deleted", got)
		}
	})
	t.Run("keyring stops answering", func(t *testing.T) {
		b, _ := memBackend()
		entered := make(chan string, 4)
		release := make(chan struct{})
		defer close(release)
		stuckRead := hookBackend(func(op, service, user, password string) (string, error) {
			entered <- op
			if op == "get" {
				<-release
			}
			return b(op, service, user, password)
		})
		st := Probe(context.Background(), newKeyring(30*time.Millisecond, stuckRead))
		var ue *UnavailableError
		if st.Available || !errors.As(st.Err, &ue) || ue.Timeout == 0 {
			t.Fatalf("Probe = %+v, want a timeout", st)
		}
		if !strings.Contains(st.Problem, "did not answer") {
			t.Errorf("Problem %q does not mention the missing answer", st.Problem)
		}
		if got := <-entered + "," + <-entered; got != "set,get" {
			t.Errorf("backend calls = %s, want set,get", got)
		}
		select {
		case op := <-entered:
			t.Errorf("backend saw a %s after the keyring stopped answering", op)
		default:
		}
	})
	t.Run("caller gives up", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var f Fake
		st := Probe(ctx, &f)
		if st.Available || !errors.Is(st.Err, context.Canceled) || errors.Is(st.Err, ErrUnavailable) || st.Problem == "" {
			t.Fatalf("Probe = %+v, want a not-finished status", st)
		}
	})
}
