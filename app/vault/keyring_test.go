package vault

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

const testAccount = "shelly-a8032ab12345/admin"

// hookBackend is a backend whose every call goes through one function; op
// is "set", "get" or "delete".
type hookBackend func(op, service, user, password string) (string, error)

func (h hookBackend) Set(service, user, password string) error {
	_, err := h("set", service, user, password)
	return err
}

func (h hookBackend) Get(service, user string) (string, error) {
	return h("get", service, user, "")
}

func (h hookBackend) Delete(service, user string) error {
	_, err := h("delete", service, user, "")
	return err
}

// memBackend is a working in-memory backend that behaves like go-keyring
// and records every op it receives on calls.
func memBackend() (b hookBackend, calls func() []string) {
	var mu sync.Mutex
	entries := map[string]string{}
	var log []string
	b = func(op, service, user, password string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, op)
		key := service + "\x00" + user
		switch op {
		case "set":
			entries[key] = password
			return "", nil
		case "get":
			if v, ok := entries[key]; ok {
				return v, nil
			}
			return "", keyring.ErrNotFound
		default:
			if _, ok := entries[key]; !ok {
				return "", keyring.ErrNotFound
			}
			delete(entries, key)
			return "", nil
		}
	}
	calls = func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), log...)
	}
	return b, calls
}

// failingBackend returns err from every call.
func failingBackend(err error) hookBackend {
	return func(string, string, string, string) (string, error) { return "", err }
}

func TestKeyringRoundTrip(t *testing.T) {
	ctx := context.Background()
	b, calls := memBackend()
	k := newKeyring(time.Minute, b)
	secret := "pässwörd with spaces\nand a newline"
	if err := k.Set(ctx, testAccount, secret); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := k.Get(ctx, testAccount); err != nil || got != secret {
		t.Fatalf("Get = %q, %v; want the stored secret", got, err)
	}
	if err := k.Delete(ctx, testAccount); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(ctx, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := k.Delete(ctx, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
	if got, want := strings.Join(calls(), ","), "set,get,delete,get,delete"; got != want {
		t.Errorf("backend calls = %s, want %s", got, want)
	}
}

func TestKeyringUsesServiceName(t *testing.T) {
	var gotService, gotUser string
	k := newKeyring(time.Minute, hookBackend(func(_, service, user, _ string) (string, error) {
		gotService, gotUser = service, user
		return "", nil
	}))
	if err := k.Set(context.Background(), testAccount, "pw"); err != nil {
		t.Fatal(err)
	}
	if gotService != "Porchlight" || gotUser != testAccount {
		t.Errorf("backend got service %q user %q, want %q %q", gotService, gotUser, "Porchlight", testAccount)
	}
}

func TestKeyringSizeLimit(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		refused bool
	}{
		{"empty", 0, false},
		{"typical", 32, false},
		{"exactly the limit", MaxSecretBytes, false},
		{"one byte over", MaxSecretBytes + 1, true},
		{"far over", 100 << 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, calls := memBackend()
			k := newKeyring(time.Minute, b)
			secret := strings.Repeat("s3cr3t!", tt.size/7+1)[:tt.size]
			err := k.Set(context.Background(), testAccount, secret)
			if !tt.refused {
				if err != nil {
					t.Fatalf("Set of %d bytes: %v", tt.size, err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Set of %d bytes: %v, want ErrTooLarge", tt.size, err)
			}
			if errors.Is(err, ErrUnavailable) {
				t.Errorf("too large must not look like an unavailable keyring: %v", err)
			}
			if strings.Contains(err.Error(), "s3cr3t!") {
				t.Errorf("error contains the secret: %v", err)
			}
			if n := len(calls()); n != 0 {
				t.Errorf("backend was called %d times for a refused secret", n)
			}
		})
	}
}

func TestKeyringRefusesInvalidAccountsBeforeTheKeyring(t *testing.T) {
	b, calls := memBackend()
	k := newKeyring(time.Minute, b)
	ctx := context.Background()
	bad := "no-purpose"
	errs := map[string]error{"Set": k.Set(ctx, bad, "pw"), "Delete": k.Delete(ctx, bad)}
	_, errs["Get"] = k.Get(ctx, bad)
	for op, err := range errs {
		if !errors.Is(err, ErrInvalidAccount) {
			t.Errorf("%s(%q) = %v, want ErrInvalidAccount", op, bad, err)
		}
	}
	if n := len(calls()); n != 0 {
		t.Errorf("backend was called %d times for invalid accounts", n)
	}
}

func TestKeyringErrorMapping(t *testing.T) {
	noProvider := errors.New("The name org.freedesktop.secrets was not provided by any .service files")
	locked := errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	tests := []struct {
		name        string
		backendErr  error
		want        error // sentinel the result must match
		unavailable bool
	}{
		{"not found", keyring.ErrNotFound, ErrNotFound, false},
		{"wrapped not found", errors.Join(errors.New("lookup"), keyring.ErrNotFound), ErrNotFound, false},
		{"data too big", keyring.ErrSetDataTooBig, ErrTooLarge, false},
		{"no provider", noProvider, ErrUnavailable, true},
		{"locked", locked, ErrUnavailable, true},
		{"anything else", errors.New("exit status 1"), ErrUnavailable, true},
	}
	ops := []struct {
		name string
		op   string
		run  func(*Keyring) error
	}{
		{"Set", opSave, func(k *Keyring) error { return k.Set(context.Background(), testAccount, "pw") }},
		{"Get", opRead, func(k *Keyring) error { _, err := k.Get(context.Background(), testAccount); return err }},
		{"Delete", opDelete, func(k *Keyring) error { return k.Delete(context.Background(), testAccount) }},
	}
	for _, tt := range tests {
		for _, op := range ops {
			t.Run(tt.name+"/"+op.name, func(t *testing.T) {
				err := op.run(newKeyring(time.Minute, failingBackend(tt.backendErr)))
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want it to match %v", err, tt.want)
				}
				if got := errors.Is(err, ErrUnavailable); got != tt.unavailable {
					t.Fatalf("errors.Is(err, ErrUnavailable) = %v, want %v (err: %v)", got, tt.unavailable, err)
				}
				if !errors.Is(err, tt.backendErr) && tt.want != ErrNotFound {
					t.Errorf("the cause %v is not kept in %v", tt.backendErr, err)
				}
				if !tt.unavailable {
					return
				}
				var ue *UnavailableError
				if !errors.As(err, &ue) {
					t.Fatalf("%T is not an *UnavailableError", err)
				}
				if ue.Op != op.op || ue.Account != testAccount || ue.Timeout != 0 {
					t.Errorf("UnavailableError{Op: %q, Account: %q, Timeout: %v}, want %q, %q, 0", ue.Op, ue.Account, ue.Timeout, op.op, testAccount)
				}
				msg := err.Error()
				for _, want := range []string{"keyring locked or unavailable", "is locked or not available", fixAdvice, tt.backendErr.Error()} {
					if !strings.Contains(msg, want) {
						t.Errorf("message %q lacks %q", msg, want)
					}
				}
			})
		}
	}
}

func TestKeyringRedactsSecretFromErrors(t *testing.T) {
	const secret = "correct-horse-battery-staple"
	k := newKeyring(time.Minute, failingBackend(errors.New("security: bad input near '"+secret+"'")))
	err := k.Set(context.Background(), testAccount, secret)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errRedacted) {
		t.Fatalf("got %v, want an unavailable error with the redacted cause", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error contains the secret: %v", err)
	}
}

func TestKeyringSurvivesBackendPanic(t *testing.T) {
	k := newKeyring(time.Minute, hookBackend(func(string, string, string, string) (string, error) {
		panic("interface conversion: interface {} is string, not []dbus.ObjectPath")
	}))
	_, err := k.Get(context.Background(), testAccount)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("got %v, want ErrUnavailable mentioning the panic", err)
	}
	// The keyring is free again afterwards.
	if _, err := k.Get(context.Background(), testAccount); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("second call: %v", err)
	}
}

// blockingBackend blocks every call until release is closed and reports
// each op on entered as it starts.
func blockingBackend() (b hookBackend, entered chan string, release chan struct{}) {
	entered = make(chan string, 16)
	release = make(chan struct{})
	b = func(op, _, _, _ string) (string, error) {
		entered <- op
		<-release
		return "late", nil
	}
	return b, entered, release
}

func TestKeyringTimeout(t *testing.T) {
	ops := []struct {
		name, op string
		run      func(*Keyring) error
	}{
		{"Set", opSave, func(k *Keyring) error { return k.Set(context.Background(), testAccount, "hunter2") }},
		{"Get", opRead, func(k *Keyring) error { _, err := k.Get(context.Background(), testAccount); return err }},
		{"Delete", opDelete, func(k *Keyring) error { return k.Delete(context.Background(), testAccount) }},
	}
	for _, tt := range ops {
		t.Run(tt.name, func(t *testing.T) {
			b, entered, release := blockingBackend()
			defer close(release)
			const timeout = 30 * time.Millisecond
			k := newKeyring(timeout, b)
			start := time.Now()
			err := tt.run(k)
			elapsed := time.Since(start)
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("got %v, want ErrUnavailable", err)
			}
			if elapsed < timeout {
				t.Errorf("returned after %v, before the %v timeout", elapsed, timeout)
			}
			if op := <-entered; op != strings.ToLower(tt.name) {
				t.Errorf("backend saw %q", op)
			}
			var ue *UnavailableError
			if !errors.As(err, &ue) || ue.Timeout != timeout || ue.Op != tt.op {
				t.Fatalf("got %#v, want an *UnavailableError with Op %q and Timeout %v", err, tt.op, timeout)
			}
			msg := err.Error()
			for _, want := range []string{"keyring locked or unavailable", "did not answer within 30ms", fixAdvice} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("message contains the secret: %q", msg)
			}
		})
	}
}

// TestKeyringStuckCallsDoNotPileUp checks that while one call is stuck in
// the keyring, later calls time out without reaching it, and that the
// keyring is used again once the stuck call returns.
func TestKeyringStuckCallsDoNotPileUp(t *testing.T) {
	b, entered, release := blockingBackend()
	k := newKeyring(30*time.Millisecond, b)
	ctx := context.Background()

	if err := k.Set(ctx, testAccount, "pw"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("first call: %v, want ErrUnavailable", err)
	}
	<-entered
	for range 3 {
		if _, err := k.Get(ctx, testAccount); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("call while stuck: %v, want ErrUnavailable", err)
		}
	}
	select {
	case op := <-entered:
		t.Fatalf("a %s reached the keyring while another call was stuck in it", op)
	default:
	}

	close(release)
	k.timeout = time.Minute // the stuck call now ends; wait for it as long as needed
	got, err := k.Get(ctx, testAccount)
	if err != nil || got != "late" {
		t.Fatalf("call after the keyring recovered: %q, %v", got, err)
	}
	if op := <-entered; op != "get" {
		t.Fatalf("backend saw %q, want get", op)
	}
}

func TestKeyringContext(t *testing.T) {
	t.Run("cancelled before the call", func(t *testing.T) {
		b, calls := memBackend()
		k := newKeyring(time.Minute, b)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := k.Set(ctx, testAccount, "pw")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
			t.Fatalf("got %v, want context.Canceled and not ErrUnavailable", err)
		}
		if n := len(calls()); n != 0 {
			t.Errorf("backend called %d times with a cancelled context", n)
		}
	})
	t.Run("cancelled while stuck", func(t *testing.T) {
		b, entered, release := blockingBackend()
		defer close(release)
		k := newKeyring(time.Minute, b)
		ctx, cancel := context.WithCancelCause(context.Background())
		result := make(chan error, 1)
		go func() {
			_, err := k.Get(ctx, testAccount)
			result <- err
		}()
		<-entered
		cause := errors.New("window closed")
		cancel(cause)
		err := <-result
		if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) || errors.Is(err, ErrUnavailable) {
			t.Fatalf("got %v, want context.Canceled with its cause, not ErrUnavailable", err)
		}
	})
}

func TestNewKeyringTimeout(t *testing.T) {
	tests := []struct {
		in, want time.Duration
	}{
		{0, DefaultTimeout},
		{-time.Second, DefaultTimeout},
		{2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		if got := NewKeyring(tt.in).timeout; got != tt.want {
			t.Errorf("NewKeyring(%v).timeout = %v, want %v", tt.in, got, tt.want)
		}
	}
	if DefaultTimeout != 15*time.Second {
		t.Errorf("DefaultTimeout = %v, want 15s", DefaultTimeout)
	}
}

func TestKeyringConcurrentUse(t *testing.T) {
	b, _ := memBackend()
	k := newKeyring(time.Minute, b)
	hammer(t, k)
}
