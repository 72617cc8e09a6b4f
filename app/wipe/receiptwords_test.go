package wipe

import (
	"regexp"
	"testing"
)

// english finds words a German sentence has no business holding.
var english = regexp.MustCompile(`(?i)\b(the|is|it|not|and|you|your|device|could|sent|reset|wipe|password|nothing|steps)\b`)

// TestReceiptWordsForEveryCode: the HTML receipt says every reason,
// evidence and limit in English and in German, never empty, and the German
// holds no English.
func TestReceiptWordsForEveryCode(t *testing.T) {
	var keys []string
	for _, r := range Reasons() {
		keys = append(keys, "reason."+string(r))
	}
	for _, e := range Evidences() {
		keys = append(keys, "evidence."+string(e))
	}
	for _, l := range Limits() {
		keys = append(keys, "limit."+string(l))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			en, de := receiptWords["en"][key], receiptWords["de"][key]
			if en == "" || de == "" {
				t.Fatalf("en %q, de %q", en, de)
			}
			if en == de {
				t.Errorf("the German is the English: %q", de)
			}
			if w := english.FindString(de); w != "" {
				t.Errorf("the German holds the English %q: %q", w, de)
			}
		})
	}
	if len(Reasons()) != len(reasons) || !ReasonNotReached.Known() || Reason("It could not be reached").Known() {
		t.Error("Reasons and Known disagree")
	}
}
