package checkup

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/natpmp"
	"github.com/porchlight/porchlight/devices/sim"
)

// TestRouterCheck checks the demo household through its in-memory
// network: the router's 5.6 line names every mapping and the device it
// points at, the devices that opened a port say so on their own 5.6
// line, and the router's maker's steps (AVM's) come with its source.
func TestRouterCheck(t *testing.T) {
	n, hh := demoCheckup(t)
	var router *sim.UPnPDevice
	for _, d := range n.UPnPDevices() {
		if d.Kind == sim.UPnPRouter {
			router = d
		}
	}
	i := slices.IndexFunc(hh.Devices, func(c Scorecard) bool { return c.Router != nil })
	if i < 0 {
		t.Fatal("no router among the scorecards")
	}
	rc := hh.Devices[i]
	if rc.Device.Addresses[0] != router.Addr.String() || rc.Device.Vendor != "AVM Berlin" || rc.Device.Model != "FRITZ!Box 7590" || rc.Device.Firmware != "154.07.57" {
		t.Errorf("router identity %+v", rc.Device)
	}
	r := rc.Router
	if !r.UPnP || !r.Complete || r.ExternalAddress != "203.0.113.77" || len(r.Mappings) != 3 {
		t.Fatalf("router report %+v", r)
	}
	if r.NATPMP == nil || r.NATPMP.Result != 0 || r.NATPMP.External.String() != "203.0.113.77" {
		t.Errorf("NAT-PMP: %+v", r.NATPMP)
	}
	named := 0
	for _, m := range r.Mappings {
		if m.DeviceName != "" {
			named++
		}
	}
	if named != 2 {
		t.Errorf("%d mappings point at devices of the scan, want 2: %+v", named, r.Mappings)
	}
	l := *lineOf(&rc, "5.6")
	says := l.Sentence(English)
	if l.Status != Problem || !strings.Contains(says, "opened port 8080") || !strings.Contains(says, "127.77.249.9") || !strings.Contains(says, "DiskStation") {
		t.Errorf("router 5.6: %s %q", l.Status, says)
	}
	if !strings.Contains(says, "NAT-PMP") || !strings.Contains(l.Evidence.In(English), "Asked over NAT-PMP") {
		t.Errorf("router 5.6 does not mention NAT-PMP: %q", says)
	}
	if r.PCP == nil || !r.PCP.SpeaksPCP() || r.PCP.Result != 0 || r.PCP.Epoch == 0 {
		t.Errorf("PCP: %+v", r.PCP)
	}
	if !strings.Contains(says, "speaks PCP") || !strings.Contains(l.Evidence.In(English), "result 0 (SUCCESS), epoch 7200 s") ||
		!strings.Contains(l.Evidence.In(German), "antwortet er als PCP-Server") {
		t.Errorf("router 5.6 does not mention PCP: %q\n%q", says, l.Evidence.In(English))
	}
	if l.Fix == nil || len(l.Fix.Steps.In(German)) == 0 || !strings.Contains(strings.Join(l.Fix.Steps.In(English), " "), "https://avm.de/") {
		t.Errorf("router fix %+v", l.Fix)
	}
	if !l.Actionable() {
		t.Errorf("the router's mappings are not actionable")
	}
	if next := nextStep([]Scorecard{rc}); next == nil || next.In(English) != "Close the ports that devices opened to the internet on FRITZ!Box 7590." {
		t.Errorf("next step for the router: %v", next)
	}
	if l := *lineOf(&rc, "5.5"); l.Status != Problem || !strings.Contains(l.Sentence(English), "plain HTTP") || !strings.HasPrefix(r.PlainAdmin, "http://") {
		t.Errorf("router 5.5: %s %q, plain admin page %q", l.Status, l.Sentence(English), r.PlainAdmin)
	}
	if en, de := strings.Join(r.Steps.In(English), " "), r.Steps.In(German); !strings.Contains(en, "https://avm.de/") || !strings.Contains(en, "UPnP") || len(de) != len(r.Steps.In(English)) {
		t.Errorf("the router's steps (AVM's): %q, %q", en, de)
	}
	if de := l.Sentence(German); !strings.Contains(de, "geöffnet") {
		t.Errorf("German: %q", de)
	}
	for _, m := range r.Mappings {
		if m.DeviceID == "" {
			continue
		}
		j := slices.IndexFunc(hh.Devices, func(c Scorecard) bool { return c.Device.ID == m.DeviceID })
		dl := *lineOf(&hh.Devices[j], "5.6")
		if dl.Status != Problem || !strings.Contains(dl.Sentence(English), "opened port "+strconv.Itoa(m.ExternalPort)) || hh.Devices[j].Problems == 0 {
			t.Errorf("%s 5.6: %s %q", m.DeviceName, dl.Status, dl.Sentence(English))
		}
	}
}

func TestFirmwareOf(t *testing.T) {
	for server, want := range map[string]string{
		"FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57": "154.07.57",
		"Synology/DSM/7.2.1 UPnP/1.0":                          "",
		"Linux/4.1.10 UPnP/1.0 Samsung UPnP SDK/1.0":           "",
		"Linux UPnP/1.0 router 1.2.3":                          "1.2.3",
		"":                                                     "",
	} {
		if got := firmwareOf(server); got != want {
			t.Errorf("firmwareOf(%q) = %q, want %q", server, got, want)
		}
	}
}

// TestRouterLinePCP: PCP's answer is evidence on the router's 5.6 line;
// only a PCP server's SUCCESS adds that devices can ask it to open ports,
// and a NAT-PMP-only router's "unsupported version" says just that.
func TestRouterLinePCP(t *testing.T) {
	tests := []struct {
		name     string
		pcp      *natpmp.PCPAnswer
		evidence string
		says     bool
	}{
		{"PCP server", &natpmp.PCPAnswer{Version: 2, Result: 0, Epoch: 60}, "it answers as a PCP server: result 0 (SUCCESS), epoch 60 s", true},
		{"PCP server refusing", &natpmp.PCPAnswer{Version: 2, Result: 2, Epoch: 60}, "result 2 (NOT_AUTHORIZED)", false},
		{"NAT-PMP only", &natpmp.PCPAnswer{Version: 0, Result: 1, Epoch: 60}, "it speaks only NAT-PMP: result 1 (Unsupported Version)", false},
		{"no answer", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Score(Input{Device: discover.Device{Name: "Router"}, Family: family(t, catalog.UnknownID)})
			routerLine(&c, &Router{UPnP: true, Complete: true, Mappings: []RouterMapping{}, PCP: tt.pcp}, catalog.RouterGuide{}, false)
			l := *lineOf(&c, "5.6")
			ev, says := l.Evidence.In(English), l.Sentence(English)
			if tt.evidence != "" && !strings.Contains(ev, tt.evidence) || tt.evidence == "" && strings.Contains(ev, "PCP") {
				t.Errorf("evidence %q, want %q", ev, tt.evidence)
			}
			if strings.Contains(says, "speaks PCP") != tt.says {
				t.Errorf("says %q", says)
			}
			if tt.pcp != nil && !strings.Contains(l.Evidence.In(German), "PCP") {
				t.Errorf("German evidence %q", l.Evidence.In(German))
			}
		})
	}
}
