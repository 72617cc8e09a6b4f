//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestScanJSONAgainstTheLab checks the documented JSON of `porchlight scan
// --json` (docs/cli.md) and the human report, against the home household.
func TestScanJSONAgainstTheLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})

	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), testEnv, []string{"scan", "--json", "--interface", "lo", "--data-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("scan --json exited %d: %s", code, errOut.String())
	}
	var doc struct {
		Schema  *int `json:"schema"`
		Devices []struct {
			ID        *string  `json:"id"`
			Name      *string  `json:"name"`
			Host      *string  `json:"host"`
			Addresses []string `json:"addresses"`
			Protocols []string `json:"protocols"`
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
	all := len(lab.Devices()) + len(lab.UPnPDevices()) + len(lab.Cameras()) // over mDNS; the router, TV and NAS over SSDP; the cameras over WS-Discovery
	if doc.Schema == nil || *doc.Schema != 1 || len(doc.Devices) != all {
		t.Fatalf("schema %v with %d devices, want schema 1 and %d devices", doc.Schema, len(doc.Devices), all)
	}
	ssdpOnly := 0
	for _, d := range doc.Devices {
		if len(d.Protocols) == 0 {
			t.Errorf("device %v has no protocols", d.Name)
		}
		if slices.Equal(d.Protocols, []string{"ssdp"}) {
			ssdpOnly++
		}
	}
	if ssdpOnly != len(lab.UPnPDevices()) {
		t.Errorf("%d devices found over SSDP only, want %d", ssdpOnly, len(lab.UPnPDevices()))
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
	if code := Run(context.Background(), testEnv, []string{"scan", "--interface", "lo", "--data-dir", dir, "--verbose"}, &out, &errOut); code != 0 {
		t.Fatalf("scan exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{"Found 31 devices", "Brother HL-L2350DW series (printer)", "(smart plug)", "router", "camera", "Kinderzimmer.Nachtlicht", `"Brother HL-L2350DW (Büro)"`, "p=(hidden)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("human output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "found ") {
		t.Errorf("no device was reported while the scan ran: %q", errOut.String())
	}
}

// TestCheckReportAndClaimAgainstTheLab runs the checkup of the home
// household from the command line, writes both reports and claims a device.
func TestCheckReportAndClaimAgainstTheLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	dir := t.TempDir()
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{args[0], "--data-dir", dir}, args[1:]...)
		if code := Run(context.Background(), testEnv, args, &out, &errOut); code != 0 {
			t.Fatalf("porchlight %s exited %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String(), errOut.String()
	}

	out, errOut := run("check", "--json", "--interface", "lo")
	if !strings.Contains(errOut, "looking for them first") {
		t.Errorf("check with an empty inventory did not scan first: %q", errOut)
	}
	var doc struct {
		Schema  int
		Summary struct {
			Devices       int
			NeedAttention int    `json:"need_attention"`
			NextStep      string `json:"next_step"`
		}
		Devices []struct {
			Device struct{ Name, Family string }
			Lines  []struct{ Provision, Status string }
			Router *struct {
				UPnP     bool `json:"upnp"`
				Mappings []struct {
					ExternalPort int    `json:"external_port"`
					DeviceName   string `json:"device_name"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("check --json printed invalid JSON: %v", err)
	}
	if doc.Schema != 1 || doc.Summary.Devices != len(lab.Devices())+len(lab.UPnPDevices())+len(lab.Cameras()) || doc.Summary.NeedAttention == 0 || doc.Summary.NextStep == "" {
		t.Errorf("summary %+v", doc.Summary)
	}
	routers := 0
	for _, d := range doc.Devices {
		if d.Router == nil {
			continue
		}
		routers++
		if !d.Router.UPnP || len(d.Router.Mappings) != 3 || d.Lines[5].Provision != "5.6" || d.Lines[5].Status != "problem" {
			t.Errorf("router %s: %+v, 5.6 %+v", d.Device.Name, d.Router, d.Lines[5])
		}
	}
	if routers != 1 {
		t.Errorf("%d routers checked, want 1", routers)
	}
	for _, d := range doc.Devices {
		if len(d.Lines) != 14 {
			t.Errorf("%s: %d lines, want 14", d.Device.Name, len(d.Lines))
		}
		if d.Device.Family == "shelly-gen1" && d.Lines[0].Status != "problem" {
			t.Errorf("the open Shelly's 5.1 line is %q, want problem", d.Lines[0].Status)
		}
	}

	out, _ = run("check", "shelly1-000000")
	if !strings.Contains(out, "PROBLEM  5.1") || !strings.Contains(out, "evidence: GET http://127.77.0.1:80/settings") {
		t.Errorf("check of one device:\n%s", out)
	}

	for _, format := range []string{"html", "json"} {
		path := dir + "/report." + format
		run("report", "--format", format, "-o", path, "--lang", "de")
		b, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(b), "Kinderzimmer.Nachtlicht") || strings.Contains(string(b), "raspberry") {
			t.Errorf("%s report: %v, %d bytes, or it holds the password OctoPrint announces", format, err, len(b))
		}
	}

	out, _ = run("claim", "--name", "Küche Licht", "--room", "Küche", "shelly1-000000.local")
	if !strings.Contains(out, "Claimed shelly1-000000") {
		t.Errorf("claim printed %q", out)
	}
	out, _ = run("check", "Küche Licht")
	if !strings.Contains(out, "Küche Licht — Shelly SHSW-1 20230913") {
		t.Errorf("claim printed %q", out)
	}

	// Closing one port: only with --yes, exactly that mapping, checked again.
	out, _ = run("check", "Prusa MK3S (Werkstatt)")
	if !strings.Contains(out, "opened port 8080 (TCP) on FRITZ!Box 7590") {
		t.Errorf("the printer's check does not say it opened a port:\n%s", out)
	}
	var o, e bytes.Buffer
	if code := Run(context.Background(), testEnv, []string{"close-port", "--data-dir", dir, "8080/tcp"}, &o, &e); code != 2 || !strings.Contains(e.String(), "--yes") {
		t.Errorf("close-port without --yes exited %d: %s", code, e.String())
	}
	out, _ = run("close-port", "--yes", "8080/tcp")
	if !strings.Contains(out, "Removed: port 8080 (TCP) to 127.77.0.13") || !strings.Contains(out, "2 other mappings") {
		t.Errorf("close-port printed %q", out)
	}
	out, _ = run("check", "Prusa MK3S (Werkstatt)")
	if strings.Contains(out, "opened port 8080") {
		t.Errorf("after close-port, the printer's check still says it opened a port:\n%s", out)
	}
}
