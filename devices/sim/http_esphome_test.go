package sim

import (
	"net/http"
	"strings"
	"testing"
)

func TestESPHomeWebServer(t *testing.T) {
	d := newESPHome(0, "Garage Door", Addr(0))
	rec := get(t, d, "/")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<esp-app></esp-app>") {
		t.Fatalf("index: %d %s", rec.Code, rec.Body)
	}
	wantContentType(t, rec, "text/html")
	for _, c := range []apiCall{{target: "/events"}, {target: "/sensor/x"}, {method: http.MethodPost, target: "/"}} {
		if rec := callAPI(t, d, c); rec.Code != http.StatusNotFound {
			t.Errorf("%s %s: status %d, want 404", c.method, c.target, rec.Code)
		}
	}
}
