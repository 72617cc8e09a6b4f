package releases

import (
	"strings"
	"testing"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/devices/devtext"
)

// FuzzParse feeds the release parser any answer: it never panics, and
// what it accepts is a clean release version under the release page.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"tag_name":"v16.0.1","html_url":"https://github.com/wled/WLED/releases/tag/v16.0.1","published_at":"2026-07-01T10:00:00Z"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Parse(body, wledPage)
		if err != nil {
			return
		}
		if devtext.Clean(r.Version, devtext.Name) != r.Version || !checkup.IsRelease(r.Version) {
			t.Fatalf("accepted version %q", r.Version)
		}
		if r.Page != wledPage && !strings.HasPrefix(r.Page, wledPage+"/") {
			t.Fatalf("accepted page %q", r.Page)
		}
	})
}
