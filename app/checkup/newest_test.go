package checkup

import (
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/identify"
)

// TestNewestFromTheMaker: a version the maker's release feed named replaces
// the catalog's, and the evidence says it came from the maker's page and
// when it was asked; a pre-release, an unreadable tag or a version older
// than the catalog's is not used.
func TestNewestFromTheMaker(t *testing.T) {
	asked := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	page := "https://github.com/arendst/Tasmota/releases/tag/v16.1.0"
	tests := []struct {
		name      string
		running   string
		newest    *Newest
		want      Status
		wantMaker bool
	}{
		{"no feed: the catalog's 16.0.0", "16.0.0", nil, OK, false},
		{"the maker's newer release", "16.0.0", &Newest{Version: "v16.1.0", Source: page, Asked: asked}, Problem, true},
		{"the maker's release, already running", "16.1.0", &Newest{Version: "v16.1.0", Source: page, Asked: asked}, OK, true},
		{"a pre-release is ignored", "16.0.0", &Newest{Version: "v16.1.0-rc1", Source: page, Asked: asked}, OK, false},
		{"an unreadable tag is ignored", "16.0.0", &Newest{Version: "latest", Source: page, Asked: asked}, OK, false},
		{"older than the catalog is ignored", "15.0.0", &Newest{Version: "v14.0.0", Source: page, Asked: asked}, Problem, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Identity: identify.Identity{Family: identify.Tasmota, Firmware: tt.running + "(tasmota)"},
				Family:   family(t, "tasmota"),
				Newest:   tt.newest,
				Now:      asked,
			}
			l := line(Score(in), "5.3")
			if l.Status != tt.want {
				t.Fatalf("status %s, want %s: %s", l.Status, tt.want, l.Sentence(English))
			}
			ev := l.Evidence.In(English)
			if got := strings.Contains(ev, "The maker's release page: newest version v16.1.0 (source: "+page+", asked 2026-12-03 09:30)"); got != tt.wantMaker {
				t.Fatalf("evidence %q: from the maker %v, want %v", ev, got, tt.wantMaker)
			}
			if !tt.wantMaker && !strings.Contains(ev, "Porchlight's catalog: 16.0.0") {
				t.Fatalf("evidence %q does not name the catalog's version", ev)
			}
			if de := l.Evidence.In(German); tt.wantMaker && !strings.Contains(de, "Release-Seite des Herstellers") {
				t.Fatalf("German evidence %q", de)
			}
		})
	}
}

func TestIsRelease(t *testing.T) {
	for s, want := range map[string]bool{
		"2024.6.1": true, "v16.0.0": true, "v0.15.0": true, "2024.6.0b1": false, "v0.15.0-rc1": false,
		"1.0.7-beta2": false, "nightly": false, "": false, "v16.0.0 extra": true, "v1.2.3x": false,
	} {
		if got := IsRelease(s); got != want {
			t.Errorf("IsRelease(%q) = %v, want %v", s, got, want)
		}
	}
}
