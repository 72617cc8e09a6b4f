package main

import (
	"bytes"
	"context"
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
