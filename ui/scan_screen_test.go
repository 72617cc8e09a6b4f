package ui

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/assets"
)

func device(name, host string) app.Device {
	return app.Device{
		ID: host, Name: name, Host: host + ".local",
		Addresses: []netip.Addr{netip.MustParseAddr("127.77.0.1")},
		Services:  []app.Service{{Type: "_http._tcp", Instance: name, Port: 80}},
	}
}

// runScan taps the scan button on a new screen whose scanner fake returns,
// and waits until the scan has been shown.
func runScan(t *testing.T, fake func(s *scanScreen) Scanner) *scanScreen {
	t.Helper()
	test.NewTempApp(t)
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	s := newScanScreen(nil)
	s.scan = fake(s)
	test.NewTempWindow(t, s.content())
	done := make(chan struct{})
	s.onDone = func() { close(done) }
	test.Tap(s.button)
	<-done
	return s
}

func TestScanScreenListsDevicesAsTheyArrive(t *testing.T) {
	kueche, drucker := device("Küche Licht", "shelly1-b929cc"), device("Büro Drucker", "brn30055c")
	var shownDuringScan []int
	s := runScan(t, func(s *scanScreen) Scanner {
		return func(ctx context.Context, _ app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error) {
			if !s.progress.Visible() || !s.button.Disabled() {
				t.Error("while scanning: no progress shown, or the button can be tapped again")
			}
			onEvent(app.ScanEvent{Device: kueche})
			shownDuringScan = append(shownDuringScan, s.list.Length())
			onEvent(app.ScanEvent{Device: drucker})
			shownDuringScan = append(shownDuringScan, s.list.Length())
			return app.ScanResult{Devices: []app.Device{drucker, kueche}}, nil
		}
	})
	if len(shownDuringScan) != 2 || shownDuringScan[0] != 1 || shownDuringScan[1] != 2 {
		t.Errorf("list lengths while scanning = %v, want [1 2]", shownDuringScan)
	}
	if s.list.Length() != 2 || s.devices[0].Name != "Büro Drucker" {
		t.Errorf("after the scan the list shows %d devices starting with %q", s.list.Length(), s.devices[0].Name)
	}
	if s.progress.Visible() || s.button.Disabled() {
		t.Error("after the scan: progress still shown, or the button still disabled")
	}
	if !strings.Contains(s.status.Text, "2") {
		t.Errorf("status = %q, want the number of devices found", s.status.Text)
	}
}

func TestScanScreenExplainsFailures(t *testing.T) {
	tests := []struct {
		name    string
		res     app.ScanResult
		err     error
		wantIn  string
		wantOut string
	}{
		{"nothing found", app.ScanResult{}, nil, "firewall", ""},
		{"cannot listen", app.ScanResult{}, errors.New("cannot listen for devices on this network"), "cannot listen", "firewall"},
		{"flooded", app.ScanResult{Devices: []app.Device{device("A", "a")}, Dropped: 9000}, nil, "9000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := runScan(t, func(*scanScreen) Scanner {
				return func(context.Context, app.ScanOptions, func(app.ScanEvent)) (app.ScanResult, error) {
					return tt.res, tt.err
				}
			})
			if !strings.Contains(s.status.Text, tt.wantIn) || (tt.wantOut != "" && strings.Contains(s.status.Text, tt.wantOut)) {
				t.Errorf("status = %q, want it to mention %q", s.status.Text, tt.wantIn)
			}
		})
	}
}

func TestTranslationsAreComplete(t *testing.T) {
	en, err := assets.Translations.ReadFile("translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	de, err := assets.Translations.ReadFile("translations/de.json")
	if err != nil {
		t.Fatal(err)
	}
	keys := func(b []byte) []string {
		var ks []string
		for _, line := range strings.Split(string(b), "\n") {
			if k, _, ok := strings.Cut(strings.TrimSpace(line), `":`); ok && strings.HasPrefix(k, `"`) && strings.Count(line, "  ") == 1 {
				ks = append(ks, k)
			}
		}
		return ks
	}
	if e, d := keys(en), keys(de); strings.Join(e, ",") != strings.Join(d, ",") || len(e) < 5 {
		t.Errorf("English keys %v and German keys %v differ", e, d)
	}
}
