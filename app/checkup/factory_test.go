package checkup

import (
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/probe"
)

// TestFactoryPasswords: an accepted factory password makes 5.1 a problem
// with the steps to change it, whatever else was observed; other outcomes
// only add evidence. No line ever quotes a factory password.
func TestFactoryPasswords(t *testing.T) {
	addr := netip.MustParseAddr("127.77.0.20")
	at := time.Date(2026, 11, 27, 16, 30, 0, 0, time.Local)
	wled := family(t, "wled")
	protected := Input{
		Device:   discover.Device{ID: "wled-0014", Name: "Schreibtisch Lampe", Addresses: []netip.Addr{addr}},
		Identity: identify.Identity{Family: identify.WLED, Vendor: "WLED", Firmware: "0.14.4"},
		Probe:    probe.Report{Address: addr, Management: &probe.Management{Asked: "GET http://127.77.0.20:80/settings/s.js?p=6", Status: 401}},
		Family:   wled,
		Now:      at,
	}
	open := protected
	open.Probe.Management = &probe.Management{Asked: "GET http://127.77.0.20:80/settings/s.js?p=6", Status: 200, Open: true}
	run := func(outcome factorypw.Outcome, detail string) *factorypw.Result {
		return &factorypw.Result{Checked: at, Attempts: []factorypw.Attempt{
			{Interface: "wifi-ap", Outcome: factorypw.NotTried, Reason: factorypw.OwnNetwork},
			{Interface: "ota", Outcome: outcome, Detail: detail, At: at},
			{Interface: "web", Outcome: factorypw.NotTried, Reason: factorypw.AuthOff},
		}}
	}
	for _, tc := range []struct {
		name      string
		in        Input
		factory   *factorypw.Result
		want      Status
		sentences []string // keys whose text the sentence holds
		evidence  []string // keys whose text (up to the first argument) appears in the evidence
		steps     bool
	}{
		{"no run: unchanged", protected, nil, OK, []string{"pw.protected"}, nil, false},
		{"accepted behind a PIN", protected, run(factorypw.Accepted, ""), Problem, []string{"pw.factory.accepted"},
			[]string{"factory.accepted", "factory.nottried.own network", "factory.nottried.auth off by default"}, true},
		{"accepted on an open device", open, run(factorypw.Accepted, ""), Problem, []string{"pw.factory.accepted", "pw.open"},
			[]string{"factory.accepted"}, true},
		{"accepted, not put back", protected, run(factorypw.Accepted, "the update lock could not be switched on again"), Problem,
			[]string{"pw.factory.accepted"}, []string{"factory.accepted", "factory.notrestored"}, true},
		{"refused", protected, run(factorypw.Refused, ""), OK, []string{"pw.protected"}, []string{"factory.refused"}, false},
		{"lock off", protected, run(factorypw.NotInUse, ""), OK, []string{"pw.protected"}, []string{"factory.notinuse"}, false},
		{"failed", open, run(factorypw.Failed, "the device did not answer"), Problem, []string{"pw.open"}, []string{"factory.failed"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []string{English, German} {
				in := tc.in
				in.Factory = tc.factory
				l := line(Score(in), "5.1")
				if l.Status != tc.want {
					t.Errorf("%s: %s (%q), want %s", lang, l.Status, l.Sentence(lang), tc.want)
				}
				for _, key := range tc.sentences {
					if !strings.Contains(l.Sentence(lang), prefix(lang, key)) {
						t.Errorf("%s: sentence %q lacks %q", lang, l.Sentence(lang), key)
					}
				}
				for _, key := range tc.evidence {
					if !slices.ContainsFunc(l.Evidence.Each(lang), func(e string) bool { return rendered(lang, key, e) }) {
						t.Errorf("%s: evidence %q lacks %q", lang, l.Evidence.Each(lang), key)
					}
				}
				if tc.steps {
					want := wled.CredentialSteps("ota", lang)
					if l.Fix == nil || !slices.Equal(l.Fix.Steps.In(lang), want) || l.Fix.ByPorchlight {
						t.Errorf("%s: fix %+v, want the steps to change the update lock's passphrase", lang, l.Fix)
					}
				}
				// Before another device's ordinary problem, too.
				other := Score(Input{Device: discover.Device{Name: "Offen"}, Family: wled, Now: at,
					Probe: probe.Report{Management: open.Probe.Management}})
				next := Summarise([]Scorecard{other, Score(in)}).NextStep(lang)
				if tc.steps && !rendered(lang, "next.5.1.factory", next) {
					t.Errorf("%s: next step %q, want to change the factory password", lang, next)
				}
				raw, _ := json.Marshal(l)
				for _, c := range wled.DefaultCredentials {
					if c.Password != "" && strings.Contains(string(raw), c.Password) {
						t.Errorf("%s: the line quotes a factory password: %s", lang, raw)
					}
				}
			}
		})
	}
}

// prefix is a message's text up to its first argument.
func prefix(lang, key string) string {
	format := messages[lang][key]
	if i := strings.Index(format, "%["); i >= 0 {
		format = format[:i]
	}
	if format == "" {
		panic("no text before the first argument of " + key)
	}
	return format
}

// argRE matches a message's arguments.
var argRE = regexp.MustCompile(`%\[\d\]s`)

// rendered reports whether s is the message key with some arguments: every
// piece of its text between the arguments appears in s, in order.
func rendered(lang, key, s string) bool {
	format, ok := messages[lang][key]
	if !ok {
		panic("no message " + key)
	}
	for _, piece := range argRE.Split(format, -1) {
		i := strings.Index(s, piece)
		if i < 0 {
			return false
		}
		s = s[i+len(piece):]
	}
	return true
}
