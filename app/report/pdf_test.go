package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/checkup"
)

// worldHousehold is household() with devices named in German, Russian and
// Greek, a fix with steps, and a line of every status.
func worldHousehold() checkup.Household {
	h := household()
	h.Summary.Devices = 3
	h.Devices = append(h.Devices,
		checkup.Scorecard{
			Device: checkup.Device{ID: "wled-aabbcc", Name: "Лампа в гостиной", Host: "wled-aabbcc.local", Addresses: []string{"127.77.0.2", "fe80::1"}, Vendor: "WLED", Model: "ESP32", Firmware: "0.14.0"},
			Lines: []checkup.Line{
				{Provision: "5.3", Status: checkup.OK, Says: checkup.Reasons{{Text: "Software 0.14.0 is the newest."}}},
				{Provision: "5.6", Status: checkup.Unknown, Says: checkup.Reasons{{Text: "Could not tell which ports are open."}},
					Fix: &checkup.Fix{Says: &checkup.Reason{Text: "Follow the maker's steps."}, Steps: checkup.Steps{checkup.English: {"Open the app.", "Choose Settings › Security."}}}},
			},
		},
		checkup.Scorecard{
			Device: checkup.Device{ID: "hue-1", Name: "Φως κουζίνας Größe", Host: "hue-1.local", Addresses: []string{"127.77.0.3"}, Vendor: "Philips", Model: "Hue Bridge"},
			Lines:  []checkup.Line{{Provision: "5.13", Status: checkup.NotApplicable, Says: checkup.Reasons{{Text: "It takes no input from outside."}}}},
		})
	return h
}

// pdfText renders the household as a PDF in lang and returns pdftotext's
// reading of it (poppler-utils, which .ci/install-deps installs).
func pdfText(t *testing.T, lang string) (string, []byte) {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is needed to read the PDF back (Debian: poppler-utils; make test installs it): %v", err)
	}
	var b bytes.Buffer
	if err := WritePDF(&b, worldHousehold(), lang); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), b.Bytes()
}

func TestWritePDF(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{checkup.English, []string{"Porchlight household report", "Checked on 2026-11-27 13:00", "What you can do: Porchlight can do this for you.",
			"✗ problem", "✓ ok", "? unknown", "– not applicable", "5.1 Passwords", "How we know:", "not a certification"}},
		{checkup.German, []string{"Porchlight-Bericht für Ihren Haushalt", "Geprüft am 2026-11-27 13:00", "Was Sie tun können: Porchlight kann das für Sie erledigen.",
			"✗ Problem", "✓ in Ordnung", "? unbekannt", "– trifft nicht zu", "5.1 Passwörter", "Woher wir das wissen:", "keine Zertifizierung"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			text, raw := pdfText(t, tc.lang)
			same := []string{"Küche <script>alert(1)</script>", "Лампа в гостиной", "Φως κουζίνας Größe", "Set a password on <Küche>.",
				"Its settings open without a password.", "GET http://127.77.0.1:80/settings → HTTP 200", "127.77.0.2, fe80::1 (wled-aabbcc.local)",
				"1. Open the app.", "2. Choose Settings › Security.", "1/1"}
			for _, want := range append(tc.want, same...) {
				if !strings.Contains(text, want) {
					t.Errorf("the %s PDF's text lacks %q; pdftotext read:\n%s", tc.lang, want, text)
				}
			}
			if !bytes.HasPrefix(raw, []byte("%PDF-")) || !bytes.Contains(raw, []byte("/FontFile2")) {
				t.Errorf("not a PDF with an embedded TrueType font")
			}
		})
	}
}

// A device's text can be long and have no space to break at (names are
// capped at 64 characters, evidence at 160, but several join on one line):
// it wraps inside the page instead of running off it or failing.
func TestWritePDFLongWords(t *testing.T) {
	h := household()
	h.Devices[0].Device.Name = strings.Repeat("Ж", 64)
	h.Devices[0].Lines[0].Evidence = checkup.Reasons{{Text: "GET http://127.77.0.1/" + strings.Repeat("a", 160)}, {Text: strings.Repeat("ü", 160)}}
	var b bytes.Buffer
	if err := WritePDF(&b, h, checkup.English); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "long.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.ReplaceAll(string(out), "\n", "")
	for _, want := range []string{strings.Repeat("Ж", 64), strings.Repeat("a", 160), strings.Repeat("ü", 160)} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lost %q:\n%s", want[:8], out)
		}
	}
}
