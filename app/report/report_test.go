package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
)

func household() checkup.Household {
	return checkup.Household{
		Summary: checkup.Summary{Devices: 1, NeedAttention: 1, Problems: 1, Says: checkup.Reasons{{Text: "1 of your 1 devices need attention."}}, Next: &checkup.Reason{Text: "Set a password on <Küche>."}},
		Checked: time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC),
		Devices: []checkup.Scorecard{{
			Device: checkup.Device{ID: "shelly1-00002a", Name: `Küche <script>alert(1)</script>`, Host: "shelly1-00002a.local", Addresses: []string{"127.77.0.1"}, Vendor: "Shelly", Model: "SHSW-1"},
			Lines: []checkup.Line{{Provision: "5.1", Status: checkup.Problem, Says: checkup.Reasons{{Text: "Its settings open without a password."}},
				Evidence: checkup.Reasons{{Text: "GET http://127.77.0.1:80/settings → HTTP 200"}}, Fix: &checkup.Fix{ByPorchlight: true}}},
			Problems: 1,
		}},
	}
}

func TestWriteHTML(t *testing.T) {
	for _, lang := range []string{checkup.English, checkup.German} {
		var b bytes.Buffer
		if err := WriteHTML(&b, household(), lang); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, want := range []string{`<html lang="` + lang + `">`, "Küche &lt;script&gt;", "5.1 " + map[string]string{checkup.English: "Passwords", checkup.German: "Passwörter"}[lang], "GET http://127.77.0.1:80/settings", "&lt;Küche&gt;", "✗"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s page lacks %q", lang, want)
			}
		}
		if strings.Contains(page, "<script>") || strings.Contains(page, "http-equiv") || strings.Contains(page, `src="http`) {
			t.Errorf("%s page is not self-contained and inert", lang)
		}
		if strings.Contains(strings.ToLower(page), "compliant") {
			t.Errorf("%s page calls something compliant", lang)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, household(), checkup.English); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema  int
		Summary struct{ Devices int }
		Devices []struct {
			Lines []struct{ Provision, Status string }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != 1 || doc.Summary.Devices != 1 || doc.Devices[0].Lines[0].Status != "problem" {
		t.Errorf("report JSON = %s", b.String())
	}
}
