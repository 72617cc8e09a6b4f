package cli

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// TestEveryKeyIsTranslated: every message key the command line uses is in
// every translation file, so no person sees a key or falls back to English.
func TestEveryKeyIsTranslated(t *testing.T) {
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"((?:cli|step|wipe)\.[A-Za-z0-9_.-]*)"(\s*\+)?`)
	dynamic := map[string][]string{
		"cli.about.": append(commandNames(), "top"), "cli.usage.": append(commandNames(), "top"), "cli.summary.": commandNames(),
		"cli.finished.":      {"update.done", "update.not_done", "update.again", "update.not_confirmed", "reset.done", "reset.not_done", "reset.again", "reset.not_confirmed"},
		"cli.finishing.":     {"update", "reset"},
		"cli.finishfirst.":   {"update", "reset"},
		"cli.resume.none.":   {"update", "reset"},
		"cli.interrupted.":   {"update.planned", "update.sent", "update.unknown", "reset.planned", "reset.sent", "reset.unknown"},
		"cli.wipe.reason.":   codes(wipe.Reasons()),
		"cli.wipe.evidence.": codes(wipe.Evidences()),
		"cli.wipe.limit.":    codes(wipe.Limits()),
		"cli.wipe.check.":    wipeChecks,
		"cli.wipe.outcome.":  codes(wipeOutcomes),
		"step.":              {"up-to-date", "starting", "installing", "installed", "sending-reset", "waiting-restart", "check-interrupted-update", "check-interrupted-reset"},
	}
	var used []string
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			if m[2] == "" && !strings.HasSuffix(m[1], ".") {
				used = append(used, m[1])
				continue
			}
			if m[1] == "cli.kind." || m[1] == "cli.kind.upnp." {
				continue // optional: a service type without a word is shown as it is
			}
			rest, ok := dynamic[m[1]]
			if !ok {
				t.Errorf("%s builds key %q…: list its endings in this test", f.Name(), m[1])
			}
			for _, r := range rest {
				used = append(used, m[1]+r)
			}
		}
	}
	slices.Sort(used)
	used = slices.Compact(used)
	for _, lang := range languages {
		w := wordsFor(lang)
		for _, k := range used {
			if _, ok := w.msgs[k]; !ok {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
	}
	for k := range wordsFor("en").msgs {
		if _, ok := wordsFor("de").msgs[k]; strings.HasPrefix(k, "cli.") && !ok {
			t.Errorf("de.json lacks %q", k)
		}
	}
}

// codes are a wipe's typed codes as the strings keys end with.
func codes[C ~string](cs []C) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func TestWordsPluralAndFallback(t *testing.T) {
	en, de := wordsFor("en"), wordsFor("de")
	if got := en.t("cli.forget.done", "Count", 1); got != "Forgot 1 device." {
		t.Errorf("one: %q", got)
	}
	if got := de.t("cli.forget.done", "Count", 3); got != "3 Geräte vergessen." {
		t.Errorf("other: %q", got)
	}
	if got := wordsFor("fr").t("cli.status.problem"); got != "PROBLEM" {
		t.Errorf("an unknown language: %q, want English", got)
	}
	if got := en.t("cli.no.such.key"); got != "cli.no.such.key" {
		t.Errorf("a missing key: %q", got)
	}
}
