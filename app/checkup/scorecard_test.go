package checkup

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/probe"
)

func family(t *testing.T, id string) catalog.Family {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, ok := cat.Family(id)
	if !ok {
		t.Fatalf("no catalog family %q", id)
	}
	return f
}

func line(sc Scorecard, provision string) Line {
	for _, l := range sc.Lines {
		if l.Provision == provision {
			return l
		}
	}
	return Line{}
}

func TestScore(t *testing.T) {
	addr := netip.MustParseAddr("127.77.0.1")
	no, yes := false, true
	dev := discover.Device{ID: "shelly1-00002a", Name: "Küche Licht", Host: "shelly1-00002a.local", Addresses: []netip.Addr{addr}}
	openShelly := Input{
		Device:   dev,
		Identity: identify.Identity{Family: identify.ShellyGen1, Vendor: "Shelly", Model: "SHSW-1", Firmware: "20230913-112003/v1.14.0-gcb84623", Reported: identify.Reported{AuthEnabled: &no, UpdateAvailable: &yes, NewFirmware: "v1.14.1"}},
		Probe:    probe.Report{Address: addr, OpenPorts: []int{23, 80}, Web: []probe.Web{{Port: 80, Status: 200}}, Management: &probe.Management{Asked: "GET http://127.77.0.1:80/settings", Status: 200, Open: true}},
		Family:   family(t, "shelly-gen1"),
		Now:      time.Now(),
	}
	tests := []struct {
		name  string
		in    Input
		want  map[string]Status
		fixBy map[string]bool
	}{
		{"open Shelly with telnet and an update", openShelly,
			map[string]Status{"5.1": Problem, "5.3": Problem, "5.5": Problem, "5.6": Problem, "5.8": Problem, "5.11": OK, "5.4": Unknown},
			map[string]bool{"5.1": true, "5.3": true}},
		{"protected Shelly", func() Input {
			in := openShelly
			in.Identity.Reported = identify.Reported{AuthEnabled: &yes}
			in.Probe.Management = &probe.Management{Asked: "GET http://127.77.0.1:80/settings", Status: 401}
			in.Probe.OpenPorts = []int{80}
			return in
		}(), map[string]Status{"5.1": OK, "5.6": OK, "5.8": Unknown}, nil},
		{"unpaired HomeKit accessory", Input{
			Device:   discover.Device{Name: "Eve", Services: []discover.Service{{Type: "_hap._tcp", TXT: map[string]string{"sf": "1"}}}},
			Identity: identify.Identity{Family: identify.HomeKit},
			Probe:    probe.Report{Announced: probe.Announced{HomeKitUnpaired: true}},
			Family:   family(t, "homekit"),
		}, map[string]Status{"5.1": Problem, "5.3": Unknown}, map[string]bool{"5.1": false}},
		{"OctoPrint announcing its password", Input{
			Device:   discover.Device{Name: "Prusa", Services: []discover.Service{{Type: "_octoprint._tcp", TXT: map[string]string{"u": "pi", "p": discover.Redacted}}}},
			Identity: identify.Identity{Family: identify.OctoPrint, Firmware: "1.10.2"},
			Probe:    probe.Report{Announced: probe.Announced{CredentialKeys: []string{"u", "p"}}},
			Family:   family(t, "octoprint"),
		}, map[string]Status{"5.5": Problem}, nil},
		{"unknown device that answers nothing", Input{
			Device:   discover.Device{Name: "Mystery"},
			Identity: identify.Identity{Family: identify.Unknown},
			Family:   family(t, "unknown"),
		}, map[string]Status{"5.1": Unknown, "5.3": Unknown, "5.5": Unknown, "5.11": Unknown}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []string{English, German} {
				sc := Score(tt.in)
				if len(sc.Lines) != len(Provisions) {
					t.Fatalf("%d lines, want one per provision group (%d)", len(sc.Lines), len(Provisions))
				}
				problems := 0
				for _, l := range sc.Lines {
					if l.Status == Problem {
						problems++
						if l.Fix == nil {
							t.Errorf("%s %s: a problem without a fix or advice", lang, l.Provision)
						}
					}
					for _, r := range lineReasons(l) {
						if missing := missingKeys(r); len(missing) > 0 {
							t.Errorf("%s: the catalogue lacks %v", l.Provision, missing)
						}
					}
					if l.Title(lang) == "" || l.Sentence(lang) == "" || l.Evidence == nil {
						t.Errorf("%s %s: empty title, sentence or evidence: %+v", lang, l.Provision, l)
					}
					for _, word := range []string{"compliant", "konform", "%!"} {
						if strings.Contains(strings.ToLower(l.Sentence(lang)), word) {
							t.Errorf("%s %s: sentence %q contains %q", lang, l.Provision, l.Sentence(lang), word)
						}
					}
				}
				if problems != sc.Problems {
					t.Errorf("Problems = %d, counted %d", sc.Problems, problems)
				}
				for p, want := range tt.want {
					if got := line(sc, p); got.Status != want {
						t.Errorf("%s %s: %s (%q), want %s", lang, p, got.Status, got.Sentence(lang), want)
					}
				}
				for p, by := range tt.fixBy {
					if f := line(sc, p).Fix; f == nil || f.ByPorchlight != by {
						t.Errorf("%s %s: fix %+v, want by Porchlight %v", lang, p, f, by)
					}
				}
			}
		})
	}
}

// TestErasing reads 5.11 from the catalog's reset mode: ok only where
// Porchlight resets the device or its maker documents how; an unknown
// device's line is unknown, with the general steps as a hint.
func TestErasing(t *testing.T) {
	tests := []struct {
		family    string
		status    Status
		key       string
		withSteps bool
	}{
		{"shelly-gen1", OK, "erase.auto", false},
		{"hue-bridge", OK, "erase.guided", true},
		{"esphome", Unknown, "erase.none", false},
		{catalog.UnknownID, Unknown, "erase.unknown", true},
	}
	for _, tt := range tests {
		for _, lang := range []string{English, German} {
			t.Run(tt.family+"/"+lang, func(t *testing.T) {
				fam := family(t, tt.family)
				l := line(Score(Input{Device: discover.Device{Name: "Gerät"}, Family: fam}), "5.11")
				if l.Status != tt.status || l.Sentence(lang) != text(lang, tt.key) {
					t.Errorf("5.11 = %s %q, want %s %q", l.Status, l.Sentence(lang), tt.status, text(lang, tt.key))
				}
				want := fam.Steps(catalog.StepsReset, lang)
				switch {
				case tt.withSteps && (l.Fix == nil || !slices.Equal(l.Fix.Steps.In(lang), want) || len(want) == 0):
					t.Errorf("fix %+v, want the catalog's reset steps %q", l.Fix, want)
				case !tt.withSteps && l.Fix != nil && len(l.Fix.Steps) > 0:
					t.Errorf("fix %+v, want no steps", l.Fix)
				}
			})
		}
	}
}

func TestGermanIsGerman(t *testing.T) {
	if len(messages[German]) != len(messages[English]) {
		t.Fatalf("%d German sentences, %d English: every sentence needs both", len(messages[German]), len(messages[English]))
	}
	for k := range messages[English] {
		if _, ok := messages[German][k]; !ok {
			t.Errorf("no German for %q", k)
		}
	}
}

// TestWLEDPasswordFindings: WLED's open controls and its settings PIN are
// separate findings. Porchlight offers its fix only while the settings have
// no PIN; once they have one, the line says that no password can protect
// the controls, and offers nothing it cannot do.
func TestWLEDPasswordFindings(t *testing.T) {
	wled := family(t, "wled")
	yes, no := true, false
	tests := []struct {
		name        string
		pin         *bool
		byUs        bool
		sentence    string
		fixContains string
	}{
		{"no PIN", &no, true, "have no PIN", "settings PIN"},
		{"PIN set", &yes, false, "protected by a PIN", "No password can protect"},
		{"PIN not read", nil, false, "no password for its controls", "No password can protect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := Score(Input{Family: wled, Identity: identify.Identity{Family: identify.WLED, Firmware: "0.15.0",
				Reported: identify.Reported{AuthEnabled: &no, SettingsPIN: tt.pin}}})
			l := sc.Lines[0]
			if l.Provision != "5.1" || l.Status != Problem || !strings.Contains(l.Sentence(English), tt.sentence) {
				t.Fatalf("5.1: %s %q", l.Status, l.Sentence(English))
			}
			if l.Fix == nil || l.Fix.ByPorchlight != tt.byUs || !strings.Contains(l.Fix.Summary(English), tt.fixContains) {
				t.Errorf("fix %+v, want by Porchlight %v with %q", l.Fix, tt.byUs, tt.fixContains)
			}
		})
	}
}

// TestSummaryCountsWhatCanBeActedOn: "need attention" counts only devices
// with a problem someone can act on; problems with only advice are said
// apart; one device is not "1 of your 1".
func TestSummaryCountsWhatCanBeActedOn(t *testing.T) {
	fixable := Line{Provision: "5.1", Status: Problem, Fix: &Fix{ByPorchlight: true}}
	steps := Line{Provision: "5.3", Status: Problem, Fix: &Fix{Steps: Steps{English: {"Open the app."}}}}
	advice := Line{Provision: "5.5", Status: Problem, Fix: saysFix(false, "fix.isolate")}
	ok := Line{Provision: "5.1", Status: OK}
	card := func(name string, lines ...Line) Scorecard {
		sc := Scorecard{Device: Device{Name: name}, Lines: lines}
		for _, l := range lines {
			if l.Status == Problem {
				sc.Problems++
			}
			if l.Actionable() {
				sc.Actionable++
			}
		}
		return sc
	}
	tests := []struct {
		name                string
		cards               []Scorecard
		attention, advice   int
		sentence, nextStart string
	}{
		{"mixed", []Scorecard{card("A", fixable), card("B", steps, advice), card("C", advice), card("D", ok)}, 2, 1,
			"2 of your 4 devices need attention. One has a problem that nobody can fix from here", "Set a password on A"},
		{"advice only", []Scorecard{card("C", advice), card("C2", advice), card("D", ok)}, 0, 2, "2 have problems that nobody can fix from here", "Secure the connection to C"},
		{"one device", []Scorecard{card("A", fixable)}, 1, 0, "Your device needs attention.", "Set a password on A"},
		{"one device, fine", []Scorecard{card("D", ok)}, 0, 0, "No problems were observed on your device.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarise(tt.cards)
			if s.NeedAttention != tt.attention || s.AdviceOnly != tt.advice {
				t.Errorf("attention %d, advice only %d; want %d, %d", s.NeedAttention, s.AdviceOnly, tt.attention, tt.advice)
			}
			if got := s.Sentence(English); !strings.HasPrefix(got, tt.sentence) {
				t.Errorf("sentence %q, want it to start with %q", got, tt.sentence)
			}
			if got := s.NextStep(English); !strings.HasPrefix(got, tt.nextStart) {
				t.Errorf("next step %q, want %q", got, tt.nextStart)
			}
		})
	}
}
