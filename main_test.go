package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/ui/cli"
)

// TestLabCommandUsage: 'porchlight lab' with an unknown profile is a usage
// error (exit status 2) that names the problem, and starts nothing.
func TestLabCommandUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), cli.Env{Lab: runLab}, []string{"lab", "--profile", "castle"}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "unknown lab profile") {
		t.Errorf("exit status %d, stderr %q; want 2 and the unknown profile named", code, errOut.String())
	}
}

// TestRestartArgs: the window and the tray alone start afresh with the
// options Porchlight had, with or without --background.
func TestRestartArgs(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		background bool
		want       []string
	}{
		{[]string{"--data-dir", "/d"}, true, []string{"--data-dir", "/d", "--background"}},
		{[]string{"--background", "--data-dir", "/d"}, false, []string{"--data-dir", "/d"}},
		{[]string{"--background=true"}, true, []string{"--background"}},
		{nil, false, []string{}},
	} {
		if got := restartArgs(tc.args, tc.background); !slices.Equal(got, tc.want) {
			t.Errorf("restartArgs(%q, %v) = %q, want %q", tc.args, tc.background, got, tc.want)
		}
	}
}
