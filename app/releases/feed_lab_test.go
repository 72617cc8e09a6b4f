//go:build linux

package releases

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/netns"
)

// The tests below ask a local TLS server standing in for GitHub's API;
// they never reach the internet. Run them in a namespace:
//
//	go test -exec $PWD/.ci/in-netns ./app/releases/

// isolated fails the test unless this process's network namespace has
// only loopback.
func isolated(t *testing.T) {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
}

// feedServer answers each request with answer and counts the requests by path.
type feedServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func newFeedServer(t *testing.T, answer http.HandlerFunc) *feedServer {
	t.Helper()
	isolated(t)
	s := &feedServer{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *feedServer) asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

func (s *feedServer) github() GitHub {
	return GitHub{Base: s.URL, Client: s.Client(), Timeout: 500 * time.Millisecond}
}

// release answers with the release named by the repository in the path.
func release(w http.ResponseWriter, r *http.Request) {
	tags := map[string]string{"esphome/esphome": "2026.11.2", "arendst/Tasmota": "v16.1.0", "wled/WLED": "v16.0.2"}
	repo := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/repos/"), "/releases/latest")
	tag, ok := tags[repo]
	if !ok || r.Header.Get("User-Agent") != "Porchlight" || r.Header.Get("Accept") != "application/vnd.github+json" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"tag_name":"` + tag + `","html_url":"https://github.com/` + repo + `/releases/tag/` + tag + `","published_at":"2026-12-01T08:00:00Z","prerelease":false,"draft":false}`))
}

func families(t *testing.T) []catalog.Family {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Families()
}

// TestFeedAsksTheCatalogsMakers: the repositories asked are those of the
// catalog's GitHub release pages, and nothing else; each answer is kept.
func TestFeedAsksTheCatalogsMakers(t *testing.T) {
	srv := newFeedServer(t, release)
	fams := families(t)
	want := map[string]bool{}
	for _, f := range fams {
		if p := githubPage(f); p != "" {
			owner, repo, _ := Repository(p)
			want["/repos/"+owner+"/"+repo+"/releases/latest"] = true
		}
	}
	for _, p := range []string{"/repos/esphome/esphome/releases/latest", "/repos/arendst/Tasmota/releases/latest", "/repos/wled/WLED/releases/latest"} {
		if !want[p] {
			t.Fatalf("the catalog names no GitHub release page for %s", p)
		}
	}
	feed := &Feed{Source: srv.github(), Dir: t.TempDir()}
	got := feed.Newest(context.Background(), fams)
	if asked := srv.asked(); len(asked) != len(want) {
		t.Fatalf("asked %v, want %d requests", asked, len(want))
	}
	for _, p := range srv.asked() {
		if !want[p] {
			t.Fatalf("asked %s, which no catalog family names", p)
		}
	}
	if r := got["tasmota"]; r.Version != "v16.1.0" || r.Page != "https://github.com/arendst/Tasmota/releases/tag/v16.1.0" || r.Asked.IsZero() {
		t.Fatalf("tasmota: %+v", r)
	}
	if r := got["esphome"]; r.Version != "2026.11.2" {
		t.Fatalf("esphome: %+v", r)
	}
	if _, ok := got["shelly-gen2"]; ok {
		t.Fatal("a family without a GitHub release page has a release")
	}
}

// TestFeedAsksOnceADay: within a day the cache answers, the next day the
// makers are asked again, and what they said is used only for KeepFor.
func TestFeedAsksOnceADay(t *testing.T) {
	up := true
	var mu sync.Mutex
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !up {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		release(w, r)
	})
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	feed := &Feed{Source: srv.github(), Dir: dir, Now: func() time.Time { return now }}
	fams := families(t)
	first := feed.Newest(context.Background(), fams)
	n := len(srv.asked())
	if n == 0 || len(first) != n {
		t.Fatalf("first ask: %d requests, %d releases", n, len(first))
	}
	now = now.Add(AskEvery - time.Minute)
	// A new Feed on the same directory reads the cache.
	again := (&Feed{Source: srv.github(), Dir: dir, Now: func() time.Time { return now }}).Newest(context.Background(), fams)
	if len(srv.asked()) != n || again["wled"].Version != "v16.0.2" {
		t.Fatalf("within a day: %d requests (want %d), wled %+v", len(srv.asked()), n, again["wled"])
	}
	mu.Lock()
	up = false
	mu.Unlock()
	now = now.Add(2 * time.Minute)
	down := feed.Newest(context.Background(), fams)
	if len(srv.asked()) != 2*n {
		t.Fatalf("the next day: %d requests, want %d", len(srv.asked()), 2*n)
	}
	if down["wled"].Version != "v16.0.2" {
		t.Fatalf("a release asked yesterday is not kept while the feed is down: %+v", down)
	}
	now = now.Add(KeepFor)
	if stale := feed.Newest(context.Background(), fams); len(stale) != 0 {
		t.Fatalf("releases older than KeepFor are used: %+v", stale)
	}
}

// TestFeedFallsBack: every kind of bad feed leaves the family out, so the
// catalog's version stands, and says why.
func TestFeedFallsBack(t *testing.T) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	tests := []struct {
		name   string
		answer http.HandlerFunc
		want   string
	}{
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		}, "deadline exceeded"},
		{"huge", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"tag_name":"v16.0.2","body":"`))
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 20 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			w.Write([]byte(`"}`))
		}, ErrTooLarge.Error()},
		{"malformed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"tag_name":"v16.`)) }, ErrUnusable.Error()},
		{"pre-release", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"tag_name":"v16.1.0-b1","prerelease":true}`))
		}, "pre-release"},
		{"rate limited", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "rate limit", http.StatusForbidden) }, "403 Forbidden"},
		{"redirect elsewhere", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://127.0.0.2:1/repos/x/y/releases/latest", http.StatusFound)
		}, "refusing a redirect"},
		{"redirect to http", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+r.Host+"/repos/x/y/releases/latest", http.StatusFound)
		}, "refusing a redirect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFeedServer(t, tt.answer)
			_, err := srv.github().Latest(context.Background(), wledPage)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Latest: %v, want an error saying %q", err, tt.want)
			}
			feed := &Feed{Source: srv.github(), Dir: t.TempDir()}
			if got := feed.Newest(context.Background(), families(t)); len(got) != 0 {
				t.Fatalf("a %s feed gave %+v", tt.name, got)
			}
		})
	}
}

// TestFeedUnreachable: a server that is gone, and a base that is not
// https, give no release.
func TestFeedUnreachable(t *testing.T) {
	srv := newFeedServer(t, release)
	gh := srv.github()
	srv.Close()
	if _, err := gh.Latest(context.Background(), wledPage); err == nil {
		t.Fatal("a closed server answered")
	}
	if got := (&Feed{Source: gh, Dir: t.TempDir()}).Newest(context.Background(), families(t)); len(got) != 0 {
		t.Fatalf("an unreachable feed gave %+v", got)
	}
	plain := httptest.NewServer(http.HandlerFunc(release))
	defer plain.Close()
	if _, err := (GitHub{Base: plain.URL}).Latest(context.Background(), wledPage); err == nil || !strings.Contains(err.Error(), "only https") {
		t.Fatalf("a plain-http base: %v", err)
	}
}

// TestFeedDamagedCache: a damaged cache is asked around, then replaced.
func TestFeedDamagedCache(t *testing.T) {
	srv := newFeedServer(t, release)
	dir := t.TempDir()
	path := filepath.Join(dir, CacheFile)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := (&Feed{Source: srv.github(), Dir: dir}).Newest(context.Background(), families(t))
	if got["tasmota"].Version != "v16.1.0" {
		t.Fatalf("with a damaged cache: %+v", got)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"schema": 1`) {
		t.Fatalf("the cache was not rewritten: %v %s", err, data)
	}
}
