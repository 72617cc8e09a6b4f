// Package report writes a household checkup as a document a person can
// keep: a self-contained HTML page to open, print or send, or JSON for
// machines. A checkup holds no secret, so neither does a report.
package report

import (
	_ "embed" // the HTML template
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/porchlight/porchlight/app/checkup"
)

// Schema is the version of the JSON report (see docs/cli.md).
const Schema = 1

// jsonReport is the JSON document.
type jsonReport struct {
	Schema int `json:"schema"`
	checkup.Household
}

// WriteJSON writes the checkup as JSON.
func WriteJSON(w io.Writer, h checkup.Household) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Schema: Schema, Household: h})
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
	if _, ok := words[lang]; !ok {
		lang = checkup.English
	}
	if err := page.Execute(w, struct {
		Lang string
		checkup.Household
	}{lang, h}); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
