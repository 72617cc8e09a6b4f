package wipe

import (
	"strings"

	"github.com/porchlight/porchlight/app/journal"
)

// Reading old journals and plan files.
//
// Before wipe entries carried a Reason, a Method and an Evidence, they said
// what happened only in an English sentence, in Detail, and a plan file's
// reasons were English sentences too. A wipe interrupted by the version that
// wrote them must still be shown and resumed, so the sentences that version
// wrote are mapped to the typed fields here, when an old entry or plan file
// is read. This is the only place a sentence is read, and only these old
// ones: nothing writes a sentence any more, so the table never grows.

// oldSentence is one sentence the old version wrote: before and after
// surround a part that varied (an error's text, a product's name) or
// nothing.
type oldSentence struct {
	before, after string
	reason        Reason
	// varies: the part between may be anything; keep: it is the error's
	// text, kept as the Detail.
	varies, keep bool
}

// oldSentences are the old reasons of steps and plans. A failed entry's
// sentence began "nothing was sent: " and went on with one of them.
var oldSentences = []oldSentence{
	{before: "It is not marked as yours: Porchlight wipes only devices you claimed ('porchlight claim DEVICE').", reason: ReasonNotYours},
	{before: "Porchlight cannot factory-reset a ", after: " itself: follow the steps.", reason: ReasonNoAutoReset, varies: true},
	{before: "Porchlight can no longer reset it itself", reason: ReasonNoAutoReset},
	{before: "Something else answers where it was, and it was not found elsewhere, so Porchlight sends it nothing.", reason: ReasonOtherDevice},
	{before: "It could not be reached: is it switched on and connected?", reason: ReasonUnreachable},
	{before: "It could not be checked: ", reason: ReasonCheckFailed, varies: true, keep: true},
	{before: "The keyring could not be read: ", reason: ReasonKeyring, varies: true, keep: true},
	{before: "It asks for a password Porchlight does not hold, so Porchlight cannot send it the reset: follow the steps.", reason: ReasonNoPassword},
	{before: "It does not accept the password Porchlight holds (", after: "), so Porchlight cannot send it the reset.", reason: ReasonPasswordRefused, varies: true, keep: true},
	{before: "It did not answer a login: ", reason: ReasonLoginFailed, varies: true, keep: true},
	{before: "automatic factory reset", reason: ReasonPlannedAutomatic},
	{before: "manual steps", reason: ReasonPlannedManual},
	{before: "sending the factory reset", reason: ReasonSending},
	{before: "checked again: the device was not reset (it still takes the password Porchlight holds); sending the reset again", reason: ReasonResending},
	{before: "the device accepted the reset", reason: ReasonAccepted},
	{before: "the device refused the reset, so nothing was erased: ", reason: ReasonRefused, varies: true, keep: true},
	{before: "the device's password changed since the plan was made; plan the wipe again", reason: ReasonPasswordChanged},
	{before: "no answer to the reset (", after: "); checking the device", reason: ReasonNoAnswer, varies: true, keep: true},
	{before: "the device did not confirm the reset (", after: "); it is checked again when the wipe resumes", reason: ReasonNotConfirmed, varies: true, keep: true},
	{before: "Porchlight cannot check the device (", after: "); nothing was sent again", reason: ReasonCannotCheck, varies: true, keep: true},
	{before: "the device could not be checked (", after: "); nothing was sent again", reason: ReasonCannotCheck, varies: true, keep: true},
	{before: "the device had no password and answers as before, so Porchlight cannot tell whether it was reset; nothing was sent again. Wipe it again to send the reset again", reason: ReasonAnswersAsBefore},
	{before: "the device asks for a password Porchlight does not hold, so Porchlight cannot tell whether it was reset; nothing was sent again", reason: ReasonUnknownPassword},
	{before: "it needs you to follow the steps, and nobody was there to confirm them", reason: ReasonNobodyToConfirm},
	{before: "you skipped this device", reason: ReasonSkipped},
	{before: "deleted ", reason: ReasonLocalDataDeleted, varies: true},
}

// oldEvidence are the old details of a verified entry.
var oldEvidence = map[string]Evidence{
	"the device came back unconfigured":         CameBackUnconfigured,
	"the device left the network":               LeftTheNetwork,
	"the device restarted after the reset":      Restarted,
	"you confirmed that you followed the steps": PersonConfirmed,
}

// oldReason maps an old sentence to its reason and the error's text it
// carried; an unknown sentence has no reason and is kept whole as the detail.
func oldReason(sentence string) (Reason, string) {
	s := strings.TrimPrefix(sentence, "nothing was sent: ")
	for _, o := range oldSentences {
		if len(s) < len(o.before)+len(o.after) || !strings.HasPrefix(s, o.before) || !strings.HasSuffix(s, o.after) {
			continue
		}
		between := s[len(o.before) : len(s)-len(o.after)]
		switch {
		case between != "" && !o.varies:
			continue
		case o.keep:
			return o.reason, between
		}
		return o.reason, ""
	}
	return "", sentence
}

// fromOldJournal fills in the typed fields of a wipe entry written before
// there were any, from its sentence; other entries are returned as they are.
func fromOldJournal(e journal.Entry) journal.Entry {
	if e.Kind != Kind || e.Reason != "" || e.Evidence != "" || e.Method != "" || e.Detail == "" {
		return e
	}
	if State(e.State) == Verified {
		if ev, ok := oldEvidence[e.Detail]; ok {
			e.Evidence, e.Detail = string(ev), ""
		}
		return e
	}
	reason, detail := oldReason(e.Detail)
	e.Reason, e.Detail = string(reason), detail
	switch reason {
	case ReasonPlannedAutomatic:
		e.Method = string(Automatic)
	case ReasonPlannedManual:
		e.Method = string(Manual)
	}
	return e
}

// fromOldPlan turns the sentences of a plan file written before reasons
// were typed into reasons.
func fromOldPlan(p *Plan) {
	for i, d := range p.Devices {
		if d.Reason != "" && !d.Reason.Known() {
			reason, detail := oldReason(string(d.Reason))
			p.Devices[i].Reason, p.Devices[i].Detail = reason, detail
		}
	}
}
