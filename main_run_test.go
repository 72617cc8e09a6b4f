package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs main itself when PORCHLIGHT_RUN_MAIN is set, so that tests
// can run the real command line (the same binary, the same package
// initialisation as porchlight) as a child process.
func TestMain(m *testing.M) {
	if os.Getenv("PORCHLIGHT_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs this test binary as porchlight with args and the
// environment env (nothing else: no display, no locale unless given).
func runMain(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"PORCHLIGHT_RUN_MAIN=1", "PORCHLIGHT_DATA_DIR=" + t.TempDir(), "HOME=" + t.TempDir()}, env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// TestCommandLineNeverOpensTheWindow: a wrong command or option, --version
// and version exit without a window (without a display, trying to open
// one would say so), and the bare command without a display says so in
// one sentence and exits 1.
func TestCommandLineNeverOpensTheWindow(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{[]string{"nosuchcmd"}, 2, "", `unknown command "nosuchcmd"`},
		{[]string{"--bogus"}, 2, "", "unknown option --bogus"},
		{[]string{"--version"}, 0, "Porchlight 0.1.0 (build 1)", ""},
		{[]string{"version"}, 0, "built with Go go1.", ""},
		{nil, 1, "", "no display"},
		{[]string{"--demo"}, 1, "", "no display"},
	}
	for _, tt := range tests {
		code, out, errOut := runMain(t, nil, tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, %q", tt.args, code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
		}
		if tt.wantErr != "" && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: %d lines on stderr, want one: %q", tt.args, strings.Count(errOut, "\n"), errOut)
		}
	}
}

// TestQuietInEveryLocale: no command prints anything of Fyne's, whatever
// the locale (Fyne logs an error for C.UTF-8 when it is initialised), and
// the commands speak German where the locale asks for it.
func TestQuietInEveryLocale(t *testing.T) {
	for _, locale := range [][]string{nil, {"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8"}, {"LANG=POSIX"}, {"LC_MESSAGES=C.utf8", "LANG=de_DE.UTF-8"}, {"LANG=de_DE.UTF-8"}} {
		for _, args := range [][]string{{"help"}, {"version"}, {"scan", "--help"}, {"nosuchcmd"}, {"forget", "--all"}} {
			_, out, errOut := runMain(t, locale, args...)
			if strings.Contains(out+errOut, "Fyne") || strings.Contains(out+errOut, "locale") {
				t.Errorf("%v %q printed Fyne's words:\n%s%s", locale, args, out, errOut)
			}
			german := strings.Contains(out+errOut, "Aufruf") || strings.Contains(out+errOut, "Befehl") || strings.Contains(out+errOut, "gebaut") || strings.Contains(out+errOut, "löscht")
			if wantGerman := len(locale) == 1 && locale[0] == "LANG=de_DE.UTF-8"; german != wantGerman {
				t.Errorf("%v %q: German %v, want %v:\n%s%s", locale, args, german, wantGerman, out, errOut)
			}
		}
	}
}
