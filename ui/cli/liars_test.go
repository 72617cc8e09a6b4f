package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// TestCommandsShowLiarsSafely runs the commands that show what devices
// said against the hostile household, served in the process: devices with
// hostile names, and devices of every family that report escape sequences
// (erase the screen, set the window title), controls, a bidi override and
// overlong text as their model and firmware. Nothing a terminal would act
// on may reach it, nor the reports the commands write.
func TestCommandsShowLiarsSafely(t *testing.T) {
	useFakeVault(t)
	n, err := simnet.Serve(sim.ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	env := testEnv
	env.Network = func(string) app.Network { return n }
	dir := t.TempDir()
	html, js := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	tests := []struct {
		name string
		args []string
		// file is the report the command writes, if any.
		file string
	}{
		{"scan", []string{"scan"}, ""},
		{"check", []string{"check"}, ""},
		{"check in German", []string{"check", "--lang", "de"}, ""},
		{"check --json", []string{"check", "--json"}, ""},
		{"HTML report", []string{"report", "-o", html}, html},
		{"JSON report", []string{"report", "--format", "json", "-o", js}, js},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append(tt.args, "--data-dir", dir)
			if code := Run(context.Background(), env, args, &out, &errOut); code != 0 {
				t.Fatalf("%v exited %d: %s", args, code, errOut.String())
			}
			shown := map[string]string{"output": out.String(), "error output": errOut.String()}
			if tt.file != "" {
				b, err := os.ReadFile(tt.file)
				if err != nil {
					t.Fatal(err)
				}
				shown[tt.file] = string(b)
			}
			for what, s := range shown {
				if r, bad := devtexttest.Unsafe(s); bad {
					t.Errorf("the %s holds %U", what, r)
				}
				if !strings.HasPrefix(s, "{") {
					continue
				}
				if found, err := devtexttest.UnsafeJSON([]byte(s)); err != nil || found != "" {
					t.Errorf("the JSON %s holds %s (%v)", what, found, err)
				}
			}
			all := out.String() + shown[tt.file]
			if tt.name != "scan" && !strings.Contains(all, "Evil\uFFFD") && !strings.Contains(all, `Evil\ufffd`) {
				t.Errorf("%v shows none of what the lying devices said:\n%s", args, all)
			}
		})
	}
}
