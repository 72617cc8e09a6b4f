package checkup

import (
	"encoding/json"
	"testing"
)

func TestReasonIn(t *testing.T) {
	tests := []struct {
		name   string
		r      Reasons
		en, de string
	}{
		{"literal", Reasons{{Text: "1.14.0"}}, "1.14.0", "1.14.0"},
		{"arguments", says("upd.older", "1.4", "1.6"), "It runs 1.4; the newest known version is 1.6.", "Installiert ist 1.4; die neueste bekannte Version ist 1.6."},
		{"nested and numbers", Reasons{reason("evidence.management", "GET /", reason("evidence.status", 401))}, "GET / → HTTP 401", "GET / → HTTP 401"},
		{"a list of reasons", says("svc.risky", list([]Reason{reason("port.telnet", 23), reason("port.adb", 5555)})),
			"It accepts connections on Telnet (23), Android debugging (5555), which a smart device should not need.",
			"Es nimmt Verbindungen auf Telnet (23), Android-Debugging (5555) an, die ein smartes Gerät nicht brauchen sollte."},
		{"sentences in a row", Reasons{reason("summary.attention.one"), reason("summary.advice.one")},
			"Your device needs attention. One has a problem that nobody can fix from here: its page says what to do instead.",
			"Ihr Gerät braucht Aufmerksamkeit. Eines hat ein Problem, das sich von hier aus nicht beheben lässt: Seine Seite sagt, was stattdessen hilft."},
		{"an unknown language is English", says("pw.open"), "Its settings open without a password: anyone on your network can change them.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.In(English); got != tt.en {
				t.Errorf("en: %q, want %q", got, tt.en)
			}
			if tt.de == "" {
				if got := tt.r.In("fr"); got != tt.en {
					t.Errorf("fr: %q, want the English %q", got, tt.en)
				}
				return
			}
			if got := tt.r.In(German); got != tt.de {
				t.Errorf("de: %q, want %q", got, tt.de)
			}
		})
	}
}

// TestReasonsSurviveJSON: a checkup kept or sent as JSON renders the same
// after decoding, in either language.
func TestReasonsSurviveJSON(t *testing.T) {
	r := says("comm.tls.old", "TLS 1.0", 8443)
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Reasons
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		if back.In(lang) != r.In(lang) {
			t.Errorf("%s: %q after JSON, %q before", lang, back.In(lang), r.In(lang))
		}
	}
}

// missingKeys lists the keys of r (and what it nests) that the catalogue
// lacks in some language: such a reason would render as nothing.
func missingKeys(r Reason) []string {
	var out []string
	if r.Key != "" {
		for _, lang := range Languages {
			if _, ok := messages[lang][r.Key]; !ok {
				out = append(out, lang+":"+r.Key)
			}
		}
	}
	for _, a := range r.Args {
		out = append(out, missingKeys(a)...)
	}
	return out
}

// lineReasons are every reason a line holds.
func lineReasons(l Line) []Reason {
	rs := append(append([]Reason{}, l.Says...), l.Evidence...)
	if l.Fix != nil && l.Fix.Says != nil {
		rs = append(rs, *l.Fix.Says)
	}
	return rs
}
