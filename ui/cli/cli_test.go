package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunUsage(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{nil, 2, "Usage: porchlight"},
		{[]string{"frobnicate"}, 2, "Commands:"},
		{[]string{"help"}, 0, "scan"},
		{[]string{"scan", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"scan", "--timeout", "-1s"}, 2, "must be positive"},
		{[]string{"scan", "--nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Run(context.Background(), testEnv, tt.args, &out, &errOut); code != tt.wantCode {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.wantCode, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errOut.String(), tt.wantErr)
			}
		})
	}
}

func TestClaimUnknownDevice(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), testEnv, []string{"claim", "--data-dir", t.TempDir(), "no-such-plug"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "no such device") {
		t.Errorf("claiming an unknown device: exit %d, %q", code, errOut.String())
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
	}
	for _, tt := range tests {
		if got := language(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.env, got, tt.want)
		}
	}
}
