package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestFake(t *testing.T) {
	ctx := context.Background()
	var f Fake
	if _, err := f.Get(ctx, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on empty Fake: %v, want ErrNotFound", err)
	}
	if err := f.Set(ctx, testAccount, "pw1"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set(ctx, testAccount, "pw2"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Get(ctx, testAccount); err != nil || got != "pw2" {
		t.Fatalf("Get = %q, %v; want pw2", got, err)
	}
	if got := f.Accounts(); !slices.Equal(got, []string{testAccount}) {
		t.Fatalf("Accounts = %q", got)
	}

	f.SetUnavailable(true)
	errs := map[string]error{"Set": f.Set(ctx, testAccount, "pw3"), "Delete": f.Delete(ctx, testAccount)}
	_, errs["Get"] = f.Get(ctx, testAccount)
	for op, err := range errs {
		var ue *UnavailableError
		if !errors.Is(err, ErrUnavailable) || !errors.As(err, &ue) ||
			!strings.Contains(err.Error(), "keyring locked or unavailable") {
			t.Errorf("%s while unavailable: %v, want an *UnavailableError", op, err)
		}
	}
	f.SetUnavailable(false)
	if got, err := f.Get(ctx, testAccount); err != nil || got != "pw2" {
		t.Fatalf("Get after recovery = %q, %v; want pw2 kept", got, err)
	}
	if err := f.Delete(ctx, testAccount); err != nil {
		t.Fatal(err)
	}
	if err := f.Delete(ctx, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
	if got, want := f.Calls(), (FakeCalls{Set: 3, Get: 4, Delete: 3}); got != want {
		t.Errorf("Calls = %+v, want %+v", got, want)
	}
}

func TestFakeChecksLikeKeyring(t *testing.T) {
	ctx := context.Background()
	var f Fake
	tests := []struct {
		name    string
		account string
		size    int
		want    error
	}{
		{"limit", testAccount, MaxSecretBytes, nil},
		{"over limit", testAccount, MaxSecretBytes + 1, ErrTooLarge},
		{"bad account", "nope", 1, ErrInvalidAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.Set(ctx, tt.account, strings.Repeat("x", tt.size))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Set: %v, want %v", err, tt.want)
			}
		})
	}
	cancelledCtx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Get(cancelledCtx, testAccount); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with cancelled context: %v", err)
	}
}

func TestFakeConcurrentUse(t *testing.T) {
	var f Fake
	hammer(t, &f)
	if got, want := f.Calls(), (FakeCalls{Set: 800, Get: 800, Delete: 400}); got != want {
		t.Errorf("Calls = %+v, want %+v", got, want)
	}
}

// hammer runs 8 goroutines × 100 rounds of Set, Get and (every other
// round) Delete on s, each goroutine on its own accounts, and checks every
// result; run it under -race.
func hammer(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				account := fmt.Sprintf("device-%d-%d/admin", g, i%10)
				secret := fmt.Sprintf("secret-%d-%d", g, i)
				if err := s.Set(ctx, account, secret); err != nil {
					errs <- err
					return
				}
				if got, err := s.Get(ctx, account); err != nil || got != secret {
					errs <- fmt.Errorf("Get(%s) = %q, %v; want %q", account, got, err, secret)
					return
				}
				if i%2 == 0 {
					if err := s.Delete(ctx, account); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	if f, ok := s.(*Fake); ok {
		// Readers run alongside the writers.
		wg.Go(func() {
			for range 100 {
				f.Accounts()
				f.Calls()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
