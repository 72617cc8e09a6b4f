// Package report writes a household checkup as a document a person can
// keep: a self-contained HTML page to open, print or send, an A4 PDF with
// the same content, or JSON for machines. A checkup holds no secret, so neither does a report.
package report

import (
	_ "embed" // the HTML template
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/devices/wsd"
)

// Schema is the version of the JSON report (see docs/cli.md).
const Schema = 1

// Page is a checkup rendered in one language: what every format of the
// report shows, so that they all say the same.
type Page struct {
	Schema  int       `json:"schema"`
	Lang    string    `json:"lang"`
	Checked time.Time `json:"checked"`
	Summary Summary   `json:"summary"`
	Devices []Device  `json:"devices"`
}

// Summary is the household's state at a glance, in words.
type Summary struct {
	Devices       int    `json:"devices"`
	NeedAttention int    `json:"need_attention"`
	AdviceOnly    int    `json:"advice_only"`
	Problems      int    `json:"problems"`
	Sentence      string `json:"sentence"`
	NextStep      string `json:"next_step,omitempty"`
}

// Device is one device's scorecard, in words.
type Device struct {
	Device     checkup.Device `json:"device"`
	Lines      []Line         `json:"lines"`
	Problems   int            `json:"problems"`
	Actionable int            `json:"actionable"`
	// Router is the router check's observation, on a router only.
	Router *checkup.Router `json:"router,omitempty"`
	// Camera is what an ONVIF camera answered without credentials.
	Camera *wsd.Info `json:"camera,omitempty"`
}

// Line is one provision group's observation, in words, with the typed
// reasons it was rendered from (for machines that translate themselves).
type Line struct {
	Provision  string          `json:"provision"`
	Title      string          `json:"title"`
	Status     checkup.Status  `json:"status"`
	Sentence   string          `json:"sentence"`
	Evidence   []string        `json:"evidence"`
	Fix        *Fix            `json:"fix,omitempty"`
	Observable bool            `json:"observable"`
	Reasons    checkup.Reasons `json:"reasons"`
}

// Fix is what can be done about a problem, in words.
type Fix struct {
	ByPorchlight bool     `json:"by_porchlight"`
	Summary      string   `json:"summary,omitempty"`
	Steps        []string `json:"steps,omitempty"`
}

// Render renders a checkup in lang ("en" when lang is not one the checkup
// speaks).
func Render(h checkup.Household, lang string) Page {
	if !slices.Contains(checkup.Languages, lang) {
		lang = checkup.English
	}
	s := h.Summary
	p := Page{Schema: Schema, Lang: lang, Checked: h.Checked, Summary: Summary{
		Devices: s.Devices, NeedAttention: s.NeedAttention, AdviceOnly: s.AdviceOnly, Problems: s.Problems,
		Sentence: s.Sentence(lang), NextStep: s.NextStep(lang),
	}, Devices: make([]Device, len(h.Devices))}
	for i, sc := range h.Devices {
		d := Device{Device: sc.Device, Problems: sc.Problems, Actionable: sc.Actionable, Lines: make([]Line, len(sc.Lines)), Router: sc.Router, Camera: sc.Camera}
		for j, l := range sc.Lines {
			d.Lines[j] = Line{
				Provision: l.Provision, Title: l.Title(lang), Status: l.Status, Sentence: l.Sentence(lang),
				Evidence: l.Evidence.Each(lang), Observable: l.Observable, Reasons: l.Says,
			}
			if f := l.Fix; f != nil {
				d.Lines[j].Fix = &Fix{ByPorchlight: f.ByPorchlight, Summary: f.Summary(lang), Steps: f.Steps.In(lang)}
			}
		}
		p.Devices[i] = d
	}
	return p
}

// WriteJSON writes the checkup as JSON, its sentences in lang.
func WriteJSON(w io.Writer, h checkup.Household, lang string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Render(h, lang))
}

//go:embed report.html.tmpl
var htmlSource string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"mark":  mark,
	"cls":   func(s checkup.Status) string { return strings.ReplaceAll(string(s), " ", "-") },
	"t":     func(lang, key string) string { return words[lang][key] },
}).Parse(htmlSource))

// words are the report's own headings.
var words = map[string]map[string]string{
	checkup.English: {
		"title": "Porchlight household report", "checked": "Checked on",
		"provision": "EN 303 645", "observed": "What was observed", "evidence": "How we know",
		"fix": "What you can do", "byporchlight": "Porchlight can do this for you.",
		"limits":  "These are observations made from your home network, not a certification. Porchlight cannot see what a device does with its vendor's cloud, and many provisions of EN 303 645 cannot be checked from the network at all.",
		"address": "Address", "firmware": "Software", "model": "Model",
	},
	checkup.German: {
		"title": "Porchlight-Bericht für Ihren Haushalt", "checked": "Geprüft am",
		"provision": "EN 303 645", "observed": "Was beobachtet wurde", "evidence": "Woher wir das wissen",
		"fix": "Was Sie tun können", "byporchlight": "Porchlight kann das für Sie erledigen.",
		"limits":  "Dies sind Beobachtungen aus Ihrem Heimnetz, keine Zertifizierung. Porchlight sieht nicht, was ein Gerät mit der Cloud seines Herstellers macht, und viele Anforderungen der EN 303 645 lassen sich über das Netzwerk gar nicht prüfen.",
		"address": "Adresse", "firmware": "Software", "model": "Modell",
	},
}

// mark is a status in words and a symbol, never colour alone.
func mark(lang string, s checkup.Status) string {
	de := map[checkup.Status]string{checkup.OK: "✓ in Ordnung", checkup.Problem: "✗ Problem", checkup.Unknown: "? unbekannt", checkup.NotApplicable: "– trifft nicht zu"}
	en := map[checkup.Status]string{checkup.OK: "✓ ok", checkup.Problem: "✗ problem", checkup.Unknown: "? unknown", checkup.NotApplicable: "– not applicable"}
	if lang == checkup.German {
		return de[s]
	}
	return en[s]
}

// WriteHTML writes the checkup as a self-contained HTML page in lang.
func WriteHTML(w io.Writer, h checkup.Household, lang string) error {
	if err := page.Execute(w, Render(h, lang)); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
