package releases

import (
	"errors"
	"testing"
	"time"
)

func TestRepository(t *testing.T) {
	tests := []struct {
		page, owner, repo string
	}{
		{"https://github.com/esphome/esphome/releases", "esphome", "esphome"},
		{"https://github.com/arendst/Tasmota/releases/", "arendst", "Tasmota"},
		{"http://github.com/wled/WLED/releases", "", ""},
		{"https://github.com.evil.example/wled/WLED/releases", "", ""},
		{"https://github.com/wled/WLED", "", ""},
		{"https://github.com/wled/WLED/releases/tag/v16.0.1", "", ""},
		{"https://github.com/../WLED/releases", "", ""},
		{"https://user@github.com/wled/WLED/releases", "", ""},
		{"https://github.com/wled/WLED/releases?x=1", "", ""},
		{"https://shelly.cloud/releases", "", ""},
	}
	for _, tt := range tests {
		owner, repo, err := Repository(tt.page)
		if owner != tt.owner || repo != tt.repo || (err == nil) != (tt.owner != "") {
			t.Errorf("Repository(%q) = %q, %q, %v; want %q, %q", tt.page, owner, repo, err, tt.owner, tt.repo)
		}
		if err != nil && !errors.Is(err, ErrNotGitHub) {
			t.Errorf("Repository(%q): %v does not wrap ErrNotGitHub", tt.page, err)
		}
	}
}

const wledPage = "https://github.com/wled/WLED/releases"

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		want       Release
		wantErr    bool
	}{
		{"a release", `{"tag_name":"v16.0.1","html_url":"https://github.com/wled/WLED/releases/tag/v16.0.1","published_at":"2026-07-01T10:00:00Z","prerelease":false,"draft":false}`,
			Release{Version: "v16.0.1", Page: "https://github.com/wled/WLED/releases/tag/v16.0.1", Published: time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)}, false},
		{"a page elsewhere stands for the release page", `{"tag_name":"v16.0.1","html_url":"https://evil.example/wled/WLED/releases/tag/v16.0.1"}`,
			Release{Version: "v16.0.1", Page: wledPage}, false},
		{"a page with a query", `{"tag_name":"v16.0.1","html_url":"https://github.com/wled/WLED/releases/tag/v16.0.1?x=<script>"}`,
			Release{Version: "v16.0.1", Page: wledPage}, false},
		{"a bad date is left out", `{"tag_name":"v16.0.1","published_at":"yesterday"}`, Release{Version: "v16.0.1", Page: wledPage}, false},
		{"escape sequences in the tag", "{\"tag_name\":\"v16.0.1\\u001b[2J\"}", Release{}, true},
		{"a pre-release", `{"tag_name":"v16.1.0-b1","prerelease":true}`, Release{}, true},
		{"a pre-release not marked as one", `{"tag_name":"v16.1.0-rc1"}`, Release{}, true},
		{"a draft", `{"tag_name":"v16.1.0","draft":true}`, Release{}, true},
		{"no tag", `{"html_url":"https://github.com/wled/WLED/releases/tag/x"}`, Release{}, true},
		{"a tag that is no version", `{"tag_name":"nightly"}`, Release{}, true},
		{"not JSON", `<html>rate limited</html>`, Release{}, true},
		{"a list, not a release", `[{"tag_name":"v16.0.1"}]`, Release{}, true},
		{"a number for a tag", `{"tag_name":16}`, Release{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.body), wledPage)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrUnusable) {
				t.Fatalf("%v does not wrap ErrUnusable", err)
			}
			if !got.Published.Equal(tt.want.Published) || got.Version != tt.want.Version || got.Page != tt.want.Page {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
