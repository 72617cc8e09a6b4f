package sim

import (
	"net/http"
	"strings"
	"testing"
)

func TestOctoPrint(t *testing.T) {
	d := newOctoPrint(0, "Prusa MK3S (Werkstatt)", Addr(0))
	rec := get(t, d, "/")
	if rec.Code != http.StatusFound || !strings.HasPrefix(rec.Header().Get("Location"), "/login/") {
		t.Errorf("/ = %d Location %q, want a redirect to the login page", rec.Code, rec.Header().Get("Location"))
	}
	rec = get(t, d, "/login/")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<title>OctoPrint Login</title>") {
		t.Errorf("/login/ = %d %s", rec.Code, rec.Body)
	}
	for _, c := range []apiCall{
		{target: "/api/version"},
		{target: "/api/server"},
		{target: "/api/version", header: map[string]string{"X-Api-Key": "raspberry"}},
	} {
		rec := callAPI(t, d, c)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s (key %q): %d, want 403", c.target, c.header["X-Api-Key"], rec.Code)
		}
		wantContentType(t, rec, "application/json")
		wantFields(t, decodeJSON(t, rec), map[string]any{"error": octoPrintForbidden})
	}
	if rec := get(t, d, "/api/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("/api/nope: %d", rec.Code)
	}
	if rec := get(t, d, "/nope"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<title>404 Not Found</title>") {
		t.Errorf("/nope: %d %s", rec.Code, rec.Body)
	}
}
