package releases

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/durable"
	"github.com/porchlight/porchlight/devices/catalog"
)

// Caching.
const (
	// CacheFile is the cache's name in the data directory.
	CacheFile = "releases.json"
	// AskEvery is how often a family's maker is asked at most.
	AskEvery = 24 * time.Hour
	// KeepFor is how long a release learned is used when its maker can no
	// longer be asked; after that the catalog's version stands again.
	KeepFor = 7 * 24 * time.Hour
)

// Source asks one maker's feed for its latest release (GitHub does).
type Source interface {
	Latest(ctx context.Context, page string) (Release, error)
}

// Feed is the makers' newest releases, asked through Source and cached in
// Dir. It is safe for concurrent use.
type Feed struct {
	// Source asks the makers.
	Source Source
	// Dir is the data directory the cache lives in.
	Dir string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	mu  sync.Mutex
}

// New returns the feed of the makers' own GitHub releases, cached in dir.
func New(dir string) *Feed { return &Feed{Source: GitHub{}, Dir: dir} }

// cache is the cache file's content.
type cache struct {
	Schema int `json:"schema"`
	// Tried is when each family's maker was last asked, answered or not.
	Tried map[string]time.Time `json:"tried"`
	// Releases are the last releases each maker named.
	Releases map[string]Release `json:"releases"`
}

// Newest returns the newest release of each of families whose catalog
// entry names a GitHub releases page, by family ID. A family's maker is
// asked when it was not asked in the last AskEvery; the families are asked
// at once. A family missing from the result is one whose maker said
// nothing usable: the caller uses its catalog's version.
func (f *Feed) Newest(ctx context.Context, families []catalog.Family) map[string]Release {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if f.Now != nil {
		now = f.Now()
	}
	c := f.load()
	type result struct {
		family string
		r      Release
		err    error
	}
	results := make(chan result)
	asking := 0
	for _, fam := range families {
		page := githubPage(fam)
		if page == "" {
			continue
		}
		if tried, ok := c.Tried[fam.ID]; ok && !tried.After(now) && now.Sub(tried) < AskEvery {
			continue
		}
		c.Tried[fam.ID] = now
		asking++
		go func() {
			r, err := f.Source.Latest(ctx, page)
			results <- result{fam.ID, r, err}
		}()
	}
	for range asking {
		res := <-results
		if res.err != nil {
			slog.Info("a maker's release feed said nothing usable; the catalog's version stands", "family", res.family, "err", res.err)
			continue
		}
		res.r.Asked = now // on the feed's clock, which decides what is fresh
		c.Releases[res.family] = res.r
	}
	if asking > 0 {
		f.save(c)
	}
	out := map[string]Release{}
	for _, fam := range families {
		r, ok := c.Releases[fam.ID]
		if ok && githubPage(fam) != "" && !r.Asked.After(now) && now.Sub(r.Asked) < KeepFor {
			out[fam.ID] = r
		}
	}
	return out
}

// githubPage is the first of a family's release pages that is a GitHub
// repository's, "" for none.
func githubPage(f catalog.Family) string {
	for _, p := range f.ReleasePages {
		if _, _, err := Repository(p); err == nil {
			return p
		}
	}
	return ""
}

func (f *Feed) path() string { return filepath.Join(f.Dir, CacheFile) }

// load reads the cache; a missing one is empty, and so is a damaged one
// (it holds only what the makers publish, so it is asked again).
func (f *Feed) load() cache {
	c := cache{Schema: 1, Tried: map[string]time.Time{}, Releases: map[string]Release{}}
	data, err := os.ReadFile(f.path())
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	var got cache
	if err == nil {
		err = json.Unmarshal(data, &got)
	}
	if err != nil || got.Schema != 1 {
		slog.Warn("the cache of the makers' releases is unreadable; asking them again", "file", f.path(), "err", err)
		return c
	}
	for k, v := range got.Tried {
		c.Tried[k] = v
	}
	for k, v := range got.Releases {
		c.Releases[k] = v
	}
	return c
}

// save writes the cache atomically; a failure costs only a second ask.
func (f *Feed) save(c cache) {
	data, err := json.MarshalIndent(c, "", "  ")
	if err == nil {
		err = os.MkdirAll(f.Dir, 0o700)
	}
	if err == nil {
		err = durable.WriteFile(f.path(), data, 0o600)
	}
	if err != nil {
		slog.Warn("saving the makers' releases failed", "err", err)
	}
}
