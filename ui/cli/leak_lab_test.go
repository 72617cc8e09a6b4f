//go:build linux

package cli

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestNoSecretLeaks runs a whole session against the lab that stores device
// passwords — scan, claim, new passwords (human and JSON), checkup, reports,
// update checks, a factory-password try — and then searches everything
// printed, every log line and every file in the data directory for each
// password the keyring holds and for the factory password that was tried.
func TestNoSecretLeaks(t *testing.T) {
	simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	fake := useFakeVault(t)
	var logs bytes.Buffer
	prevLog := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prevLog)

	dir := t.TempDir()
	var printed bytes.Buffer
	run := func(args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{args[0], "--data-dir", dir}, args[1:]...)
		code := Run(context.Background(), testEnv, args, &out, &errOut)
		printed.Write(out.Bytes())
		printed.Write(errOut.Bytes())
		if code != 0 && code != 1 {
			t.Fatalf("porchlight %s exited %d: %s", strings.Join(args, " "), code, errOut.String())
		}
	}
	run("scan", "--interface", "lo")
	run("scan", "--json", "--interface", "lo")
	devices := []string{"shelly1-000000", "shellyplusplugs-a8032a000001", "tasmota-000002-0002"}
	run(append([]string{"claim"}, devices...)...)
	run("password", devices[0])
	run("password", "--json", devices[1])
	run("password", devices[2])
	run("password", "--json", devices[2]) // a second change, from a password Porchlight holds
	run("check", "--interface", "lo")
	run("check", "--json", "--interface", "lo")
	run("claim", "Schreibtisch Lampe")
	run("check", "--try-factory-passwords", "Schreibtisch Lampe")
	run("check", "--json", "Schreibtisch Lampe")
	run("update", "--json", devices[0])
	run("report", "--format", "html", "-o", filepath.Join(dir, "report.html"))
	run("report", "--format", "json", "-o", filepath.Join(dir, "report.json"))

	var secrets []string
	for _, acct := range fake.Accounts() {
		pw, err := fake.Get(context.Background(), acct)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, pw)
	}
	if !strings.Contains(printed.String(), "ACCEPTED its factory password") {
		t.Fatalf("the desk lamp's factory passphrase was not found: %s", printed.String())
	}
	secrets = append(secrets, sim.WLEDDefaultOTAPassword) // public, but never repeated
	if len(secrets) < 4 {
		t.Fatalf("the session stored %d passwords, want at least 3 (printed: %s)", len(secrets), printed.String())
	}
	haystacks := map[string][]byte{"printed output": printed.Bytes(), "logs": logs.Bytes()}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		haystacks[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(haystacks) < 5 {
		t.Fatalf("only %d places searched; the session wrote less than expected", len(haystacks))
	}
	for where, b := range haystacks {
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("a device password appears in %s", where)

			}
		}
	}
}
