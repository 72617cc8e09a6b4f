package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/porchlight/porchlight/app/releases"
)

// countingMakers answers no maker and counts the questions.
type countingMakers struct{ asked atomic.Int32 }

func (m *countingMakers) Latest(context.Context, string) (releases.Release, error) {
	m.asked.Add(1)
	return releases.Release{}, errors.New("unreachable")
}

// TestAskMakersOnlyWithTheFlag: check and report ask the makers' release
// feeds only with --ask-makers, and then say so.
func TestAskMakersOnlyWithTheFlag(t *testing.T) {
	t.Setenv("LANG", "en_GB.UTF-8")
	for _, args := range [][]string{
		{"check"},
		{"report", "--format", "json", "-o", "report.json"},
	} {
		dir := t.TempDir()
		for i, a := range args {
			if a == "report.json" {
				args[i] = filepath.Join(dir, a)
			}
		}
		m := &countingMakers{}
		env := nowhereEnv()
		env.Makers = m
		args = append(args, "--data-dir", dir)
		if code, _, errOut := run(env, args...); code != 0 || m.asked.Load() != 0 || strings.Contains(errOut, "release pages") {
			t.Fatalf("%v: exit %d, %d asks, %q; want no ask", args, code, m.asked.Load(), errOut)
		}
		code, _, errOut := run(env, append(args, "--ask-makers")...)
		if code != 0 || m.asked.Load() == 0 || !strings.Contains(errOut, "Asking the makers' public release pages for their newest versions (nothing about your devices is sent).") {
			t.Fatalf("%v --ask-makers: exit %d, %d asks, %q", args, code, m.asked.Load(), errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, releases.CacheFile)); err != nil {
			t.Fatalf("%v --ask-makers: no cache: %v", args, err)
		}
	}
}
