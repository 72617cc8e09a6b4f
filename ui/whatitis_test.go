package ui

import (
	"testing"

	"github.com/porchlight/porchlight/app"
)

// TestWhatItIs checks the words a device row and the setup's confirm list
// use for what a device is, in English and German.
func TestWhatItIs(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	for _, tc := range []struct {
		code string
		r    app.Record
		want string
	}{
		{"en", app.Record{Vendor: "Shelly", Kind: "plug"}, "Shelly smart plug"},
		{"en", app.Record{Vendor: "Brother", Kind: "printer"}, "Brother printer"},
		{"en", app.Record{Vendor: "Brother", Model: "Brother DCP-T420W", Kind: "printer"}, "Brother DCP-T420W (printer)"},
		{"en", app.Record{Kind: "plug"}, "Smart plug"},
		{"en", app.Record{Vendor: "Sonos"}, "Sonos"},
		{"en", app.Record{Kind: "no-such-kind"}, "not identified yet"},
		{"en", app.Record{}, "not identified yet"},
		{"de", app.Record{Vendor: "Shelly", Kind: "plug"}, "Shelly-Steckdose"},
		{"de", app.Record{Vendor: "Brother", Kind: "printer"}, "Brother-Drucker"},
		{"de", app.Record{Kind: "tv"}, "Fernseher"},
		{"de", app.Record{}, "noch nicht erkannt"},
	} {
		if _, err := useLanguage(tc.code); err != nil {
			t.Fatal(err)
		}
		if got := whatItIs(tc.r); got != tc.want {
			t.Errorf("%s: whatItIs(%+v) = %q, want %q", tc.code, tc.r, got, tc.want)
		}
	}
}
