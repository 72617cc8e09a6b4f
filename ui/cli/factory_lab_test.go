//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestTryFactoryPasswords: the factory-password check runs only on named
// devices the person claimed, says what it sends and what the device did,
// and its finding stays in the checkup afterwards.
func TestTryFactoryPasswords(t *testing.T) {
	simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	useFakeVault(t)
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{args[0], "--data-dir", dir}, args[1:]...)
		code := Run(context.Background(), testEnv, args, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, _, _ := run("scan", "--interface", "lo"); code != 0 {
		t.Fatalf("scan: exit %d", code)
	}
	if code, _, errOut := run("check", "--try-factory-passwords"); code != 2 || !strings.Contains(errOut, "needs the devices named") {
		t.Errorf("no device named: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run("check", "--try-factory-passwords", "Schreibtisch Lampe"); code == 0 || !strings.Contains(errOut, "not marked as yours") {
		t.Errorf("unclaimed: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run("claim", "Schreibtisch Lampe", "shellyplusplugs-a8032a000001"); code != 0 {
		t.Fatalf("claim: exit %d: %s", code, errOut)
	}
	code, out, errOut := run("check", "--try-factory-passwords", "Schreibtisch Lampe")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"sending the maker's documented factory password for the update lock, once",
		"the update lock ACCEPTED its factory password",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("progress lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Count(errOut, "sending the maker's") != 1 {
		t.Errorf("more than one password sent:\n%s", errOut)
	}
	if !strings.Contains(out, "PROBLEM  5.1   Passwords: It accepts its maker's factory password for the update lock") {
		t.Errorf("checkup:\n%s", out)
	}
	// A family with no documented factory password: nothing is sent.
	if code, _, errOut := run("check", "--try-factory-passwords", "shellyplusplugs-a8032a000001"); code == 0 || !strings.Contains(errOut, "documents no factory password") {
		t.Errorf("Shelly: exit %d, %s", code, errOut)
	}

	// Later checkups keep showing it, in JSON too, with the evidence.
	code, out, errOut = run("check", "--json", "--lang", "de", "Schreibtisch Lampe")
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc struct {
		Devices []struct {
			Lines []struct {
				Provision, Status, Sentence string
				Evidence                    []string
				Fix                         struct{ Steps []string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Devices) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	i := slices.IndexFunc(doc.Devices[0].Lines, func(l struct {
		Provision, Status, Sentence string
		Evidence                    []string
		Fix                         struct{ Steps []string }
	}) bool {
		return l.Provision == "5.1"
	})
	l := doc.Devices[0].Lines[i]
	if l.Status != "problem" || !strings.Contains(l.Sentence, "Werkspasswort") || len(l.Fix.Steps) == 0 ||
		!slices.ContainsFunc(l.Evidence, func(e string) bool { return strings.Contains(e, "→ angenommen") }) {
		t.Errorf("5.1: %+v", l)
	}
}
