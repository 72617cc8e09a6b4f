package cli

import (
	"strings"

	"github.com/porchlight/porchlight/app/wipe"
)

// wipeWords say the codes a wipe returns in one language, from the
// translation files (cli.wipe.reason.*, cli.wipe.evidence.*, …).
type wipeWords struct {
	reasons  map[wipe.Reason]string
	evidence map[wipe.Evidence]string
	limits   map[wipe.Limit]string
	// checks name the pre-flight checks (wipe.Check.What).
	checks   map[string]string
	outcomes map[wipe.Outcome]string
	// keyring introduces the keyring entries a step deleted.
	keyring string
}

// wipeChecks and wipeOutcomes are the pre-flight checks and the outcomes a
// receipt names.
var (
	wipeChecks   = []string{wipe.CheckYours, wipe.CheckReachable, wipe.CheckIdentity, wipe.CheckPassword}
	wipeOutcomes = []wipe.Outcome{wipe.OutcomeWiped, wipe.OutcomeErased, wipe.OutcomeInDoubt, wipe.OutcomePending, wipe.OutcomeNotWiped}
)

// wipeWordsFor returns the words of lang, English when Porchlight does not
// speak it.
func wipeWordsFor(lang string) wipeWords {
	w := wordsFor(lang)
	ww := wipeWords{
		reasons: map[wipe.Reason]string{}, evidence: map[wipe.Evidence]string{}, limits: map[wipe.Limit]string{},
		checks: map[string]string{}, outcomes: map[wipe.Outcome]string{}, keyring: w.t("cli.wipe.keyringdeleted"),
	}
	for _, r := range wipe.Reasons() {
		ww.reasons[r] = w.t("cli.wipe.reason." + string(r))
	}
	for _, e := range wipe.Evidences() {
		ww.evidence[e] = w.t("cli.wipe.evidence." + string(e))
	}
	for _, l := range wipe.Limits() {
		ww.limits[l] = w.t("cli.wipe.limit." + string(l))
	}
	for _, c := range wipeChecks {
		ww.checks[c] = w.t("cli.wipe.check." + c)
	}
	for _, o := range wipeOutcomes {
		ww.outcomes[o] = w.t("cli.wipe.outcome." + string(o))
	}
	return ww
}

// reason says r, with the error's text that came with it, if any, in
// brackets. Without a reason (an old journal's sentence Porchlight does not
// know), it is the detail alone.
func (w wipeWords) reason(r wipe.Reason, detail string) string {
	switch {
	case r == "":
		return detail
	case detail == "":
		return w.reasons[r]
	}
	return w.reasons[r] + " (" + detail + ")"
}

// step says what a step of a wipe did.
func (w wipeWords) step(ev wipe.Event) string {
	if ev.Evidence != "" {
		return w.evidence[ev.Evidence]
	}
	s := w.reason(ev.Reason, ev.Detail)
	if len(ev.Deleted) > 0 {
		s += " " + w.keyring + " " + strings.Join(ev.Deleted, ", ")
	}
	return s
}
