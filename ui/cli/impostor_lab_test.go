//go:build linux

package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestCommandsSendImpostorsNothing claims a Shelly Plus and gives it a
// password, then replaces it with an impostor at its address (same mDNS
// names and TXT records, same API, another MAC). Every command that would
// send a secret fails, says the device there is not the one claimed, sends
// the impostor nothing and leaves the keyring as it was.
func TestCommandsSendImpostorsNothing(t *testing.T) {
	fake := useFakeVault(t)
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{args[0], "--data-dir", dir}, args[1:]...)
		code := Run(context.Background(), testEnv, args, &out, &errOut)
		return code, out.String() + errOut.String()
	}
	const plug = "shellyplusplugs-a8032a000001"
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	for _, args := range [][]string{{"scan", "--interface", "lo"}, {"claim", plug}, {"password", plug}} {
		if code, text := run(args...); code != 0 {
			t.Fatalf("porchlight %s: exit %d\n%s", strings.Join(args, " "), code, text)
		}
	}
	var host string
	for _, d := range lab.Devices() {
		if strings.HasPrefix(d.Host, "shellyplusplugs-a8032a000001") {
			host = d.Host
		}
	}
	lab.Close()
	before := fake.Accounts()
	kept, err := fake.Get(context.Background(), before[0])
	if err != nil {
		t.Fatal(err)
	}

	impostors := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Impostors: []sim.Impostor{{Of: host, SameAddress: true}}})
	for _, args := range [][]string{
		{"password", plug},
		{"update", plug},
		{"update", "--apply", plug},
		{"reset", "--yes", plug},
		{"wipe", "--yes", plug},
	} {
		code, text := run(args...)
		// The wipe's plan says it with its checks: "✗ same hardware".
		if code == 0 || !(strings.Contains(text, "another hardware identity") || strings.Contains(text, "✗ same hardware")) {
			t.Errorf("porchlight %s: exit %d, want a failure that says why:\n%s", strings.Join(args, " "), code, text)
		}
	}
	if got := impostors.Impostors()[0].CredentialRequests(); len(got) > 0 {
		t.Errorf("the impostor received credentials: %v", got)
	}
	if now, err := fake.Get(context.Background(), before[0]); err != nil || now != kept || len(fake.Accounts()) != len(before) {
		t.Errorf("the keyring changed: %v, %v (err %v)", before, fake.Accounts(), err)
	}
}
