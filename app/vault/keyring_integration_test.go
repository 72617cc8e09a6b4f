//go:build keyring_integration && linux

// Integration tests of the vault against a real Secret Service. Run them,
// together with the unit tests, from the repository root with:
//
//	go test -tags keyring_integration -race ./app/vault/...
//
// They need dbus-daemon and gnome-keyring-daemon
// (`apt-get install -y dbus gnome-keyring`) and fail, not skip, without
// them. No dbus-run-session wrapper and no desktop session are needed:
// every test starts its own private session bus on a Unix socket in a
// temporary directory (and gnome-keyring-daemon where needed, with HOME and
// XDG directories in temporary directories), points
// DBUS_SESSION_BUS_ADDRESS at it and kills what it started. The keyring of
// the person running the tests is never touched; nothing uses the network.
// The tests change the process environment, so none of them runs in
// parallel.
//
// godbus keeps one process-wide session bus connection, which go-keyring
// uses, so the failure modes run in a fresh child process each: the test
// binary re-executes itself with vaultChildEnv set, TestMain sees it, runs
// the keyring calls and reports their outcome as JSON on stdout.

package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// vaultChildEnv, when set, makes the test binary act as a child process
// that runs childCalls with the timeout it names (e.g. "2s") and exits.
const vaultChildEnv = "PORCHLIGHT_VAULT_TEST_CHILD"

const (
	childAccount = "integration-test/admin"
	childSecret  = "child-secret-do-not-print"
)

func TestMain(m *testing.M) {
	if timeout := os.Getenv(vaultChildEnv); timeout != "" {
		os.Exit(childCalls(timeout))
	}
	os.Exit(m.Run())
}

// childReport is the outcome of one vault call made in a child process.
type childReport struct {
	Op          string        `json:"op"`
	Error       string        `json:"error"`
	Unavailable bool          `json:"unavailable"` // errors.Is(err, ErrUnavailable)
	Typed       bool          `json:"typed"`       // errors.As(err, **UnavailableError)
	TimedOut    bool          `json:"timed_out"`   // UnavailableError.Timeout > 0
	Elapsed     time.Duration `json:"elapsed"`
	// Only for "probe":
	Available bool   `json:"available"`
	Problem   string `json:"problem"`
	Fix       string `json:"fix"`
}

// childCalls probes the keyring, then calls Set, Get and Delete, and
// prints a childReport for each as JSON. It returns the exit code.
func childCalls(timeoutText string) int {
	timeout, err := time.ParseDuration(timeoutText)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx := context.Background()
	k := NewKeyring(timeout)
	report := func(op string, start time.Time, err error) childReport {
		r := childReport{Op: op, Elapsed: time.Since(start), Unavailable: errors.Is(err, ErrUnavailable)}
		if err != nil {
			r.Error = err.Error()
		}
		var ue *UnavailableError
		if errors.As(err, &ue) {
			r.Typed, r.TimedOut = true, ue.Timeout > 0
		}
		return r
	}

	var reports []childReport
	start := time.Now()
	st := Probe(ctx, k)
	r := report("probe", start, st.Err)
	r.Available, r.Problem, r.Fix = st.Available, st.Problem, st.Fix
	reports = append(reports, r)

	start = time.Now()
	reports = append(reports, report("set", start, k.Set(ctx, childAccount, childSecret)))
	start = time.Now()
	_, err = k.Get(ctx, childAccount)
	reports = append(reports, report("get", start, err))
	start = time.Now()
	reports = append(reports, report("delete", start, k.Delete(ctx, childAccount)))

	if err := json.NewEncoder(os.Stdout).Encode(reports); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// runChild runs childCalls in a fresh process on the bus at addr.
func runChild(t *testing.T, addr string, timeout time.Duration) []childReport {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = cleanEnv(map[string]string{
		vaultChildEnv:              timeout.String(),
		"DBUS_SESSION_BUS_ADDRESS": addr,
		"HOME":                     t.TempDir(),
	})
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child process: %v; stderr:\n%s", err, stderr.String())
	}
	var reports []childReport
	if err := json.Unmarshal(stdout.Bytes(), &reports); err != nil {
		t.Fatalf("child output %q: %v; stderr:\n%s", stdout.String(), err, stderr.String())
	}
	return reports
}

func TestUnavailableKeyring(t *testing.T) {
	tests := []struct {
		name string
		// provide starts what answers (or not) as the Secret Service and
		// returns a check to run after the child, or nil.
		provide   func(t *testing.T, addr string) func(t *testing.T)
		timeout   time.Duration
		wantCause string
		hangs     bool
	}{
		{
			name:      "no Secret Service provider",
			timeout:   5 * time.Second,
			wantCause: "The name org.freedesktop.secrets was not provided by any .service files",
		},
		{
			name: "gnome-keyring never unlocked",
			provide: func(t *testing.T, addr string) func(*testing.T) {
				startGnomeKeyring(t, addr, false)
				return nil
			},
			timeout:   5 * time.Second,
			wantCause: "failed to unlock correct collection",
		},
		{
			name: "provider never answers",
			provide: func(t *testing.T, addr string) func(*testing.T) {
				firstCall, calls := startHangingSecrets(t, addr)
				return func(t *testing.T) {
					select {
					case <-firstCall:
					default:
						t.Fatal("the hanging provider received no call, so the timeout was not caused by it")
					}
					// Calls after the first stuck one wait for it instead
					// of sending more requests.
					if n := calls(); n != 1 {
						t.Errorf("the hanging provider received %d calls, want 1", n)
					}
				}
			},
			timeout:   2 * time.Second,
			wantCause: "no answer from the keyring within 2s",
			hangs:     true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := startBus(t)
			var check func(*testing.T)
			if tt.provide != nil {
				check = tt.provide(t, addr)
			}
			reports := runChild(t, addr, tt.timeout)
			if check != nil {
				check(t)
			}
			if got := opsOf(reports); !slices.Equal(got, []string{"probe", "set", "get", "delete"}) {
				t.Fatalf("child reported %v", got)
			}
			for _, r := range reports {
				t.Logf("%s: %v: %s", r.Op, r.Elapsed.Round(time.Millisecond), r.Error)
				if !r.Unavailable || !r.Typed {
					t.Errorf("%s: error %q does not match ErrUnavailable as an *UnavailableError", r.Op, r.Error)
				}
				for _, want := range []string{"keyring locked or unavailable", "is locked or not available", fixAdvice, tt.wantCause} {
					if tt.hangs && want == "is locked or not available" {
						want = "did not answer within 2s"
					}
					if !strings.Contains(r.Error, want) {
						t.Errorf("%s: error %q lacks %q", r.Op, r.Error, want)
					}
				}
				if strings.Contains(r.Error, childSecret) {
					t.Errorf("%s: error contains the secret", r.Op)
				}
				if r.TimedOut != tt.hangs {
					t.Errorf("%s: timed out = %v, want %v", r.Op, r.TimedOut, tt.hangs)
				}
				switch {
				case tt.hangs && (r.Elapsed < tt.timeout || r.Elapsed > tt.timeout+2*time.Second):
					t.Errorf("%s: took %v, want just over the %v timeout", r.Op, r.Elapsed, tt.timeout)
				case !tt.hangs && r.Elapsed > 2*time.Second:
					t.Errorf("%s: took %v, want a quick error", r.Op, r.Elapsed)
				}
				if r.Op == "probe" && (r.Available || r.Problem == "" || r.Fix != fixAdvice) {
					t.Errorf("probe status: available %v, problem %q, fix %q", r.Available, r.Problem, r.Fix)
				}
			}
		})
	}
}

func opsOf(reports []childReport) []string {
	var ops []string
	for _, r := range reports {
		ops = append(ops, r.Op)
	}
	return ops
}

// useSessionBus points this process's session bus at addr until the test
// ends. godbus keeps one process-wide connection (dbus.SessionBus, used by
// go-keyring) and only replaces it once it is closed, so the cleanup closes
// it while the bus is still running; a later test then connects afresh.
func useSessionBus(t *testing.T, addr string) {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	t.Cleanup(func() {
		if conn, err := dbus.SessionBus(); err == nil {
			conn.Close()
		}
	})
}

func TestRealSecretService(t *testing.T) {
	addr := startBus(t)
	startGnomeKeyring(t, addr, true)
	useSessionBus(t, addr)
	ctx := context.Background()
	k := NewKeyring(5 * time.Second)

	t.Run("probe", func(t *testing.T) {
		if st := Probe(ctx, k); !st.Available {
			t.Fatalf("Probe = %+v, want available", st)
		}
	})

	t.Run("round trip and overwrite", func(t *testing.T) {
		const account = "shelly-a8032ab12345/admin"
		for _, secret := range []string{"first-password", "second-password"} {
			if err := k.Set(ctx, account, secret); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got, err := k.Get(ctx, account); err != nil || got != secret {
				t.Fatalf("Get = %q, %v; want %q", got, err, secret)
			}
		}
		if n := countItems(t, addr, account); n != 1 {
			t.Errorf("%d Secret Service items for %s, want 1", n, account)
		}
	})

	t.Run("unicode secret", func(t *testing.T) {
		const account = "hue-001788fffe123456/admin"
		secret := "Pässwörd 🔐 密码 пароль \u202e tab\tnewline\n"
		if err := k.Set(ctx, account, secret); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if got, err := k.Get(ctx, account); err != nil || got != secret {
			t.Fatalf("Get = %q, %v; want %q", got, err, secret)
		}
	})

	t.Run("exactly 2560 bytes", func(t *testing.T) {
		const account = "wled-aabbccddeeff/token"
		secret := strings.Repeat("0123456789", MaxSecretBytes/10)
		if err := k.Set(ctx, account, secret); err != nil {
			t.Fatalf("Set of %d bytes: %v", len(secret), err)
		}
		if got, err := k.Get(ctx, account); err != nil || got != secret {
			t.Fatalf("Get returned %d bytes, %v; want the %d stored", len(got), err, len(secret))
		}
	})

	t.Run("2561 bytes refused", func(t *testing.T) {
		const account = "wled-aabbccddeeff/too-long"
		err := k.Set(ctx, account, strings.Repeat("x", MaxSecretBytes+1))
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Set of 2561 bytes: %v, want ErrTooLarge", err)
		}
		if _, err := k.Get(ctx, account); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after a refused Set: %v, want ErrNotFound", err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		const account = "cast-4f1d2c3b/admin"
		if err := k.Set(ctx, account, "to be deleted"); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if err := k.Delete(ctx, account); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := k.Get(ctx, account); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
		}
		if n := countItems(t, addr, account); n != 0 {
			t.Errorf("%d Secret Service items left for %s", n, account)
		}
	})

	t.Run("not found", func(t *testing.T) {
		const account = "never-stored/admin"
		if _, err := k.Get(ctx, account); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
			t.Errorf("Get: %v, want ErrNotFound only", err)
		}
		if err := k.Delete(ctx, account); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
			t.Errorf("Delete: %v, want ErrNotFound only", err)
		}
	})

	t.Run("DeleteAll", func(t *testing.T) {
		stored := []string{"plug-1/admin", "plug-2/admin", "plug-2/pending", "bulb-3/admin"}
		for _, account := range stored {
			if err := k.Set(ctx, account, "pw for "+account); err != nil {
				t.Fatalf("Set(%s): %v", account, err)
			}
		}
		const keep = "plug-9/admin"
		if err := k.Set(ctx, keep, "not listed"); err != nil {
			t.Fatal(err)
		}
		// An entry that was never stored is not reported as deleted: only
		// what really went away is.
		listed := append(slices.Clone(stored), "never-stored/admin")
		deleted, err := DeleteAll(ctx, k, listed)
		if err != nil || !slices.Equal(deleted, stored) {
			t.Fatalf("DeleteAll = %q, %v; want %q", deleted, err, stored)
		}
		for _, account := range stored {
			if _, err := k.Get(ctx, account); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%s) after DeleteAll: %v, want ErrNotFound", account, err)
			}
		}
		if got, err := k.Get(ctx, keep); err != nil || got != "not listed" {
			t.Errorf("unlisted entry: %q, %v; want it kept", got, err)
		}
	})
}

// countItems asks the Secret Service directly, on its own connection, how
// many items are stored with service Porchlight and username account: the
// attributes other keyring apps see.
func countItems(t *testing.T, addr, account string) int {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the test bus: %v", err)
	}
	defer conn.Close()
	var unlocked, locked []dbus.ObjectPath
	err = conn.Object(secretsName, "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.SearchItems", 0, map[string]string{"service": Service, "username": account}).
		Store(&unlocked, &locked)
	if err != nil {
		t.Fatalf("SearchItems: %v", err)
	}
	return len(unlocked) + len(locked)
}
