// Package releases asks the makers' own public release feeds for their
// newest firmware versions, only when the person allowed it: GitHub's
// releases API for the families whose catalog entry names the maker's
// GitHub releases page. It sends nothing about the household: each request
// names a public repository and nothing else. Answers are hostile: https
// only, one fixed API host, a bounded body and time, tags cleaned and read
// with the checkup's version parser, pre-releases ignored. What it learned
// is cached with its date in the data directory and asked at most once a
// day; whoever uses it falls back to the embedded catalog when a feed
// says nothing usable.
package releases

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/devices/devtext"
)

// Limits of one request to a feed.
const (
	// APIBase is GitHub's REST API, the only host the feed asks.
	APIBase = "https://api.github.com"
	// MaxBody bounds an answer: a real release, with its notes and
	// assets, is far smaller.
	MaxBody = 1 << 20
	// Timeout bounds one request, from connecting to the last byte.
	Timeout = 10 * time.Second
	// maxURL bounds a release page's address kept from an answer.
	maxURL = 512
)

// Release is the newest release a maker's feed named.
type Release struct {
	// Version is the release's tag, cleaned ("v16.0.0", "2024.6.1").
	Version string `json:"version"`
	// Page is the release's page on the maker's site, under its release page.
	Page string `json:"page"`
	// Published is when the maker published it (zero when not said).
	Published time.Time `json:"published,omitzero"`
	// Asked is when Porchlight asked.
	Asked time.Time `json:"asked"`
}

// Errors of a feed's answer.
var (
	// ErrNotGitHub: a release page that is not a GitHub repository's.
	ErrNotGitHub = errors.New("not a GitHub releases page")
	// ErrTooLarge: an answer beyond MaxBody.
	ErrTooLarge = errors.New("the answer is larger than 1 MiB")
	// ErrUnusable: an answer without a release Porchlight can use.
	ErrUnusable = errors.New("the answer names no release Porchlight can use")
)

// repoName is a GitHub owner or repository name.
var repoName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Repository returns the owner and name of the GitHub repository whose
// releases page is page ("https://github.com/OWNER/REPO/releases"), or
// ErrNotGitHub.
func Repository(page string) (owner, repo string, err error) {
	u, err := url.Parse(page)
	if err != nil || u.Scheme != "https" || u.Host != "github.com" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("%q: %w", page, ErrNotGitHub)
	}
	parts := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	if len(parts) != 4 || parts[0] != "" || parts[3] != "releases" || !repoName.MatchString(parts[1]) || !repoName.MatchString(parts[2]) {
		return "", "", fmt.Errorf("%q: %w", page, ErrNotGitHub)
	}
	return parts[1], parts[2], nil
}

// GitHub asks GitHub's releases API for a repository's latest release.
type GitHub struct {
	// Base is the API's address (APIBase when empty); it must be https.
	// Tests point it at a local TLS server.
	Base string
	// Client sends the requests (http.DefaultClient's transport when nil).
	// GitHub sets its redirect policy and timeout on a copy.
	Client *http.Client
	// Timeout bounds each request (Timeout when zero).
	Timeout time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Latest asks for the latest release of the repository whose releases
// page is page. GitHub's "latest" is the newest release that is neither
// a draft nor a pre-release; an answer that says otherwise is refused.
func (g GitHub) Latest(ctx context.Context, page string) (Release, error) {
	owner, repo, err := Repository(page)
	if err != nil {
		return Release{}, err
	}
	base, err := url.Parse(cmp.Or(g.Base, APIBase))
	if err != nil || base.Scheme != "https" || base.Host == "" {
		return Release{}, fmt.Errorf("release feed %q: only https is asked", g.Base)
	}
	endpoint := base.JoinPath("repos", owner, repo, "releases", "latest")
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint.String(), nil)
	if err != nil {
		return Release{}, fmt.Errorf("asking %s: %w", endpoint.Host, err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "Porchlight")
	client := http.Client{Timeout: timeout, CheckRedirect: sameHost(base.Host)}
	if g.Client != nil {
		client.Transport = g.Client.Transport
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	asked := now()
	resp, err := client.Do(req)
	if err != nil {
		return Release{}, fmt.Errorf("asking %s for %s/%s's latest release: %w", endpoint.Host, owner, repo, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Release{}, fmt.Errorf("asking %s for %s/%s's latest release: %s", endpoint.Host, owner, repo, devtext.Clean(resp.Status, devtext.Message))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return Release{}, fmt.Errorf("reading %s's answer for %s/%s: %w", endpoint.Host, owner, repo, err)
	}
	if len(body) > MaxBody {
		return Release{}, fmt.Errorf("%s's answer for %s/%s: %w", endpoint.Host, owner, repo, ErrTooLarge)
	}
	r, err := Parse(body, page)
	if err != nil {
		return Release{}, fmt.Errorf("%s's answer for %s/%s: %w", endpoint.Host, owner, repo, err)
	}
	r.Asked = asked
	return r, nil
}

// sameHost allows a redirect only to https on host, at most three times
// (GitHub redirects a renamed repository within its API).
func sameHost(host string) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" || req.URL.Host != host {
			return fmt.Errorf("refusing a redirect away from %s", host)
		}
		if len(via) >= 3 {
			return errors.New("too many redirects")
		}
		return nil
	}
}

// answer is what Porchlight reads of GitHub's release object.
type answer struct {
	TagName     string `json:"tag_name"`
	HTMLURL     string `json:"html_url"`
	PublishedAt string `json:"published_at"`
	Prerelease  bool   `json:"prerelease"`
	Draft       bool   `json:"draft"`
}

// Parse reads a GitHub release object, the answer for the repository
// whose releases page is page. The tag is cleaned (devtext.Clean) and must
// be a version the checkup reads and not a pre-release; a draft or a
// pre-release is refused. The release's own page is kept only when it
// lies under page; otherwise page stands for it.
func Parse(body []byte, page string) (Release, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return Release{}, fmt.Errorf("%w: %w", ErrUnusable, err)
	}
	tag := devtext.Clean(a.TagName, devtext.Name)
	switch {
	case a.Draft || a.Prerelease:
		return Release{}, fmt.Errorf("%w: %q is a draft or a pre-release", ErrUnusable, tag)
	case !checkup.IsRelease(tag):
		return Release{}, fmt.Errorf("%w: %q is not a release version Porchlight can read", ErrUnusable, tag)
	}
	r := Release{Version: tag, Page: page}
	if under(a.HTMLURL, page) {
		r.Page = a.HTMLURL
	}
	if t, err := time.Parse(time.RFC3339, a.PublishedAt); err == nil {
		r.Published = t
	}
	return r, nil
}

// under reports whether link is an https page below page, short and plain
// enough to show: no query, fragment, user or characters Clean would change.
func under(link, page string) bool {
	if len(link) > maxURL || devtext.Clean(link, maxURL) != link || !strings.HasPrefix(link, strings.TrimSuffix(page, "/")+"/") {
		return false
	}
	u, err := url.Parse(link)
	return err == nil && u.Scheme == "https" && u.User == nil && u.RawQuery == "" && u.Fragment == "" && !strings.Contains(u.Path, "..")
}
