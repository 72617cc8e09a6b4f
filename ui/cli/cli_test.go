package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/devhttp"
)

// nowhere is a network without devices: a scan finds none and every
// connection is refused, so the forms below run anywhere, sending nothing.
type nowhere struct{}

func (nowhere) Scan(context.Context, app.ScanOptions, func(app.ScanEvent)) (app.ScanResult, error) {
	return app.ScanResult{}, nil
}
func (nowhere) Watch(context.Context, app.ScanOptions, func(app.ScanEvent)) error { return nil }
func (nowhere) Dialer() devhttp.Network                                           { return refuser{} }
func (nowhere) Simulated() bool                                                   { return false }

type refuser struct{}

func (refuser) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("no network in this test")
}

// nowhereEnv runs commands on nowhere with an in-memory keyring.
func nowhereEnv() Env {
	return Env{Vault: &vault.Fake{}, Network: func(string) app.Network { return nowhere{} }, Version: Version{Version: "1.2.3", Build: 4}}
}

// run runs the command line args and returns its exit status and output.
func run(env Env, args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = Run(context.Background(), env, args, &o, &e)
	return code, o.String(), e.String()
}

// TestEveryDocumentedFormInBothOrders runs every form docs/cli.md shows
// with its options before the devices, after them, and before "--": each
// is understood alike (the same exit status and words), and a device is
// taken as a device, never an option as a device name.
func TestEveryDocumentedFormInBothOrders(t *testing.T) {
	t.Setenv("LANG", "en_GB.UTF-8")
	dir := t.TempDir()
	report := filepath.Join(dir, "report.html")
	receipt := filepath.Join(dir, "receipt.json")
	d := []string{"--data-dir", dir}
	tests := []struct {
		cmd      string
		opts     []string
		devices  []string
		wantCode int
		wantErr  string
	}{
		{"scan", append([]string{"--timeout", "2s", "--settle", "500ms", "--interface", "lo", "--json"}, d...), nil, 0, ""},
		{"scan", append([]string{"--verbose", "--lang", "de"}, d...), nil, 0, "Suche nach Geräten"},
		{"check", append([]string{"--json", "--lang", "de", "--timeout", "2s", "--interface", "lo"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"check", append([]string{"--try-factory-passwords"}, d...), []string{"plug", "lamp"}, 1, `no such device: "plug"`},
		{"report", append([]string{"--format", "html", "-o", report, "--lang", "de"}, d...), nil, 0, "Der Bericht über 0 Geräte"},
		{"report", append([]string{"--format=json", "--output", report}, d...), nil, 0, "Wrote the report on 0 devices"},
		{"claim", append([]string{"--name", "Hall light", "--room", "Hall"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"password", append([]string{"--generate", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"password", append([]string{"--stdin"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"update", append([]string{"--check", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"update", append([]string{"--apply", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"update", append([]string{"--resume", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"update", append([]string{"--resume"}, d...), nil, 0, ""},
		{"pair", append([]string{"--json"}, d...), []string{"bridge"}, 1, `no such device: "bridge"`},
		{"reset", append([]string{"--yes", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"reset", d, []string{"plug"}, 2, "porchlight reset plug --yes"},
		{"reset", append([]string{"--resume", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"forget", append([]string{"--yes", "--json"}, d...), []string{"plug", "lamp"}, 1, `no such device: "plug"`},
		{"forget", append([]string{"--yes", "--all"}, d...), nil, 0, ""},
		{"wipe", append([]string{"--dry-run", "--json"}, d...), []string{"plug"}, 1, `no such device: "plug"`},
		{"wipe", append([]string{"--yes", "--confirm", "wipe 2", "--receipt", receipt}, d...), []string{"plug", "lamp"}, 1, `no such device: "plug"`},
		{"wipe", append([]string{"--all", "--dry-run"}, d...), nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+strings.Join(tt.opts, " "), func(t *testing.T) {
			orders := map[string][]string{
				"options first": append(append([]string{tt.cmd}, tt.opts...), tt.devices...),
				"options last":  append(append([]string{tt.cmd}, tt.devices...), tt.opts...),
				"options, --":   append(append(append([]string{tt.cmd}, tt.opts...), "--"), tt.devices...),
			}
			var first string
			for name, args := range orders {
				stdin = strings.NewReader("a-new-password\n")
				code, _, errOut := run(nowhereEnv(), args...)
				if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("%s %q: exit %d, stderr %q; want %d and %q", name, args, code, errOut, tt.wantCode, tt.wantErr)
				}
				if first == "" {
					first = errOut
				} else if errOut != first && !strings.HasPrefix(tt.cmd, "scan") {
					t.Errorf("%s: stderr %q differs from %q", name, errOut, first)
				}
			}
		})
	}
	stdin = os.Stdin
}

// TestDoubleDashEndsOptions: after "--", what looks like an option is a device name.
func TestDoubleDashEndsOptions(t *testing.T) {
	code, _, errOut := run(nowhereEnv(), "claim", "--data-dir", t.TempDir(), "--", "--json")
	if code != 1 || !strings.Contains(errOut, `no such device: "--json"`) {
		t.Errorf("exit %d, %q; want 1 and the device \"--json\" not found", code, errOut)
	}
}

// TestExitStatuses: 0 done (and help asked for), 1 the work failed, 2 called
// wrongly, each wrong call said in one line naming what is closest.
func TestExitStatuses(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	dir := t.TempDir()
	tests := []struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"--help"}, 0, "Commands:", ""},
		{[]string{"-h"}, 0, "--demo", ""},
		{[]string{"help", "wipe"}, 0, "--dry-run", ""},
		{[]string{"version"}, 0, "Porchlight 1.2.3 (build 4)", ""},
		{[]string{"--version"}, 0, "built with Go go1.", ""},
		{[]string{"-V"}, 0, "Porchlight 1.2.3", ""},
		{[]string{"scan", "--data-dir", dir}, 0, "No devices answered", "Looking for devices"},
		{[]string{"claim", "--data-dir", dir, "no-such-plug"}, 1, "", `porchlight claim: no such device: "no-such-plug"`},
		{nil, 2, "Usage: porchlight", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"; did you mean "forget"?`},
		{[]string{"chek"}, 2, "", `did you mean "check"?`},
		{[]string{"--verison"}, 2, "", "unknown option --verison; did you mean --version?"},
		{[]string{"--demo"}, 2, "", "for the window"},
		{[]string{"scan", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"scan", "--timeout", "-1s"}, 2, "", "must be positive"},
		{[]string{"scan", "--timeout", "soon"}, 2, "", `--timeout cannot be "soon"`},
		{[]string{"scan", "--nope"}, 2, "", "unknown option --nope"},
		{[]string{"scan", "-json"}, 2, "", "unknown option -json; did you mean --json?"},
		{[]string{"scan", "--interface"}, 2, "", "--interface needs a value"},
		{[]string{"scan", "--lang", "fr"}, 2, "", `unknown language "fr"`},
		{[]string{"claim"}, 2, "", "Usage: porchlight claim DEVICE..."},
		{[]string{"reset", "plug"}, 2, "", "porchlight reset plug --yes"},
		{[]string{"forget", "plug"}, 2, "", "add --yes"},
		{[]string{"update", "--resume", "--apply", "plug"}, 2, "", "do not go together"},
		{[]string{"--lang", "de", "frobnicate"}, 2, "", `unbekannter Befehl „frobnicate“`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(nowhereEnv(), tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
			}
			if tt.wantCode == 2 && tt.wantErr != "" && strings.Count(errOut, "\n") != 1 {
				t.Errorf("a wrong call takes %d lines: %q", strings.Count(errOut, "\n"), errOut)
			}
		})
	}
}

// TestEveryCommandHasHelp: -h and --help print the command's usage and
// options on standard output and exit 0, in English and German.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, name := range commandNames() {
		if name == "lab" {
			continue // main's; tested there
		}
		for _, h := range []string{"-h", "--help"} {
			code, out, errOut := run(nowhereEnv(), name, h)
			if code != 0 || !strings.HasPrefix(out, "Usage: porchlight "+name) || !strings.Contains(out, "--lang") || errOut != "" {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q", name, h, code, out, errOut)
			}
		}
		code, out, _ := run(nowhereEnv(), name, "--help", "--lang", "de")
		if code != 0 || !strings.HasPrefix(out, "Aufruf: porchlight "+name) {
			t.Errorf("%s --help --lang de: exit %d, %q", name, code, out)
		}
	}
}

// TestWindowArgs: only the window's own options open the window.
func TestWindowArgs(t *testing.T) {
	tests := []struct {
		args []string
		want bool
		win  Window
	}{
		{nil, true, Window{}},
		{[]string{"--demo"}, true, Window{Demo: true}},
		{[]string{"--demo", "--demo-devices", "200"}, true, Window{Demo: true, DemoDevices: 200}},
		{[]string{"--data-dir=/tmp/x"}, true, Window{DataDir: "/tmp/x"}},
		{[]string{"nosuchcmd"}, false, Window{}},
		{[]string{"--version"}, false, Window{}},
		{[]string{"--help"}, false, Window{}},
		{[]string{"--demo", "scan"}, false, Window{}},
		{[]string{"--bogus"}, false, Window{}},
	}
	for _, tt := range tests {
		if w, ok := WindowArgs(tt.args); ok != tt.want || w != tt.win {
			t.Errorf("WindowArgs(%q) = %+v, %v; want %+v, %v", tt.args, w, ok, tt.win, tt.want)
		}
	}
}

func TestLanguageFromTheEnvironment(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "de"},
		{map[string]string{"LANG": "de_AT.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "de_CH.UTF-8"}, "de"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LANG": "C"}, "en"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "POSIX"}, "en"},
	}
	for _, tt := range tests {
		if got := language(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}
