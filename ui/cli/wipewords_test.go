package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/wipe"
)

// TestWipeWordsInEveryLanguage: the command line says every reason,
// evidence, limit, check and outcome of a wipe in English and in German,
// from the translation files the app uses, never empty or a bare key, and
// the German holds no English.
func TestWipeWordsInEveryLanguage(t *testing.T) {
	type rendering struct{ what, en, de string }
	en, de := wipeWordsFor("en"), wipeWordsFor("de")
	var all []rendering
	for _, r := range wipe.Reasons() {
		ev := wipe.Event{Reason: r}
		all = append(all, rendering{"reason " + string(r), en.step(ev), de.step(ev)})
	}
	for _, e := range wipe.Evidences() {
		ev := wipe.Event{Evidence: e}
		all = append(all, rendering{"evidence " + string(e), en.step(ev), de.step(ev)})
	}
	for _, l := range wipe.Limits() {
		all = append(all, rendering{"limit " + string(l), en.limits[l], de.limits[l]})
	}
	for _, c := range wipeChecks {
		all = append(all, rendering{"check " + c, en.checks[c], de.checks[c]})
	}
	for _, o := range wipeOutcomes {
		all = append(all, rendering{"outcome " + string(o), en.outcomes[o], de.outcomes[o]})
	}
	english := regexp.MustCompile(`(?i)\b(the|is|it|not|and|you|your|device|could|sent|reset|wipe|password|nothing|steps|yours|answers|same|wiped|erased|doubt|pending)\b`)
	for _, r := range all {
		t.Run(r.what, func(t *testing.T) {
			if r.en == "" || r.de == "" || strings.HasPrefix(r.en, "cli.") || strings.HasPrefix(r.de, "cli.") {
				t.Fatalf("not in the translation files: en %q, de %q", r.en, r.de)
			}
			if r.en == r.de {
				t.Errorf("the German is the English: %q", r.de)
			}
			if w := english.FindString(r.de); w != "" {
				t.Errorf("the German holds the English %q: %q", w, r.de)
			}
		})
	}
	if got := wipeWordsFor("fr").reason(wipe.ReasonSkipped, ""); got != en.reasons[wipe.ReasonSkipped] {
		t.Errorf("another language: %q, want the English", got)
	}
	ev := wipe.Event{Reason: wipe.ReasonLocalDataDeleted, Deleted: []string{"plug/admin", "plug/user"}}
	if got := en.step(ev); !strings.Contains(got, "plug/admin, plug/user") {
		t.Errorf("the deleted keyring entries: %q", got)
	}
	if got := de.reason(wipe.ReasonRefused, "fake: refused"); !strings.HasSuffix(got, " (fake: refused)") {
		t.Errorf("a reason with its detail: %q", got)
	}
	if got := en.reason("", "an old journal's sentence"); got != "an old journal's sentence" {
		t.Errorf("an old sentence without a reason: %q", got)
	}
}
