//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/devices/netns"
)

// TestScanJSONAgainstTheLab checks the documented JSON of `porchlight scan
// --json` (docs/cli.md) and the human report, against the home household.
func TestScanJSONAgainstTheLab(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := app.StartLab(app.LabConfig{Profile: "home"})
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()

	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"scan", "--json", "--interface", "lo"}, &out, &errOut); code != 0 {
		t.Fatalf("scan --json exited %d: %s", code, errOut.String())
	}
	var doc struct {
		Schema  *int `json:"schema"`
		Devices []struct {
			ID        *string  `json:"id"`
			Name      *string  `json:"name"`
			Host      *string  `json:"host"`
			Addresses []string `json:"addresses"`
			Services  []struct {
				Type     *string           `json:"type"`
				Instance *string           `json:"instance"`
				Port     *int              `json:"port"`
				TXT      map[string]string `json:"txt"`
			} `json:"services"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("scan --json printed invalid JSON: %v\n%s", err, out.String())
	}
	if doc.Schema == nil || *doc.Schema != 1 || len(doc.Devices) != len(lab.Devices()) {
		t.Fatalf("schema %v with %d devices, want schema 1 and %d devices", doc.Schema, len(doc.Devices), len(lab.Devices()))
	}
	for _, d := range doc.Devices {
		if d.ID == nil || *d.ID == "" || d.Name == nil || d.Host == nil || len(d.Addresses) == 0 || len(d.Services) == 0 {
			t.Errorf("device missing a documented field: %s", out.String())
			break
		}
		for _, s := range d.Services {
			if s.Type == nil || s.Instance == nil || s.Port == nil {
				t.Errorf("service missing a documented field in device %s", *d.ID)
			}
		}
	}
	if strings.Contains(out.String(), "raspberry") {
		t.Error("scan --json printed the password OctoPrint announces")
	}

	out.Reset()
	errOut.Reset()
	if code := Run(context.Background(), []string{"scan", "--interface", "lo"}, &out, &errOut); code != 0 {
		t.Fatalf("scan exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"Found 15 devices", "Kinderzimmer.Nachtlicht", `"Brother HL-L2350DW (Büro)"`, "p=(hidden)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("human output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "found ") {
		t.Errorf("no device was reported while the scan ran: %q", errOut.String())
	}
}
