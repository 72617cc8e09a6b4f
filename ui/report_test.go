package ui

import "testing"

func TestReportFormat(t *testing.T) {
	for _, tc := range []struct{ ext, want string }{
		{".pdf", "pdf"}, {".PDF", "pdf"}, {"", "pdf"}, {".txt", "pdf"},
		{".html", "html"}, {".HTML", "html"}, {".htm", "html"},
	} {
		if got := reportFormat(tc.ext); got != tc.want {
			t.Errorf("reportFormat(%q) = %q, want %q", tc.ext, got, tc.want)
		}
	}
}
