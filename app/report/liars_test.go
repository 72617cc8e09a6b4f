package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// TestReportsOfLiars checks the household of hostile devices, served in
// the process, and writes both reports: devices with hostile names, and
// devices of every family that report escape sequences (erase the screen,
// set the window title), controls, a bidi override and overlong text as
// their model and firmware. None of it may reach a report as it was sent.
func TestReportsOfLiars(t *testing.T) {
	h := hostileCheckup(t)
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"JSON", func(b *bytes.Buffer) error { return WriteJSON(b, h, checkup.German) }},
		{"HTML en", func(b *bytes.Buffer) error { return WriteHTML(b, h, checkup.English) }},
		{"HTML de", func(b *bytes.Buffer) error { return WriteHTML(b, h, checkup.German) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			if r, bad := devtexttest.Unsafe(b.String()); bad {
				t.Errorf("the report holds %U", r)
			}
			if !strings.Contains(b.String(), "Evil\uFFFD") && !strings.Contains(b.String(), `Evil\ufffd`) {
				t.Error("the report shows none of what the lying devices said")
			}
		})
	}
	// What a program reading the JSON gets: JSON can carry any character
	// escaped, so each string is checked as decoded.
	var b bytes.Buffer
	if err := WriteJSON(&b, h, checkup.English); err != nil {
		t.Fatal(err)
	}
	if found, err := devtexttest.UnsafeJSON(b.Bytes()); err != nil || found != "" {
		t.Errorf("the JSON report holds %s (%v)", found, err)
	}
	for _, sc := range h.Devices {
		for _, s := range []string{sc.Device.Vendor, sc.Device.Model, sc.Device.Firmware, sc.Device.HardwareID} {
			if n := utf8.RuneCountInString(s); n > devtext.Name {
				t.Errorf("%s: %d characters in %+q, more than %d", sc.Device.ID, n, s, devtext.Name)
			}
		}
	}
}

// hostileCheckup checks every device of the hostile household, served in
// the process (simnet), as the core does.
func hostileCheckup(t *testing.T) checkup.Household {
	t.Helper()
	n, err := simnet.Serve(sim.ProfileHostile, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := n.Scan(ctx, discover.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := checkup.Run(ctx, res.Devices, checkup.Options{Network: n.Dialer(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
