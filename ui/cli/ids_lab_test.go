//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestJSONNamesDevicesByID: a device called by its host name or address
// is named by its ID in the JSON of password and update --check, and the
// sentence for installing an update names it by its ID too.
func TestJSONNamesDevicesByID(t *testing.T) {
	useFakeVault(t)
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Run(context.Background(), testEnv, append(args, "--data-dir", dir), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	const plug = "shellyplusplugs-a8032a000001"
	if code, out, errOut := run("scan", "--interface", "lo"); code != 0 {
		t.Fatalf("scan: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run("claim", plug); code != 0 {
		t.Fatalf("claim: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"update", plug + ".local", "--check", "--json"}, {"password", plug + ".local", "--json"}} {
		code, out, errOut := run(args...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, errOut)
		}
		var doc actionDocument
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Device == "" || doc.Device == args[1] || strings.Contains(doc.Detail, args[1]) {
			t.Errorf("%q names the device %q (detail %q); want its ID", args, doc.Device, doc.Detail)
		}
	}
}
