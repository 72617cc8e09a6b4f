//go:build ignore

// Command vulndb-snapshot writes the snapshot of the Go vulnerability
// database that .ci/vulncheck uses when https://vuln.go.dev cannot be
// reached. It reads the OSV entries of a clone of
// https://github.com/golang/vulndb (its data/osv directory, at HEAD) and
// keeps those that name a module of this project's build list, the
// standard library or the Go toolchain. It writes them in the database
// layout govulncheck reads with -db file:///... (see
// https://go.dev/security/vuln/database#api): index/db.json,
// index/modules.json, index/vulns.json and ID/<id>.json, with each entry's
// published and modified times taken from the clone's history (the
// repository's files carry none), as vuln.go.dev's are. SNAPSHOT records
// the clone's commit and date and the modules covered.
//
//	go run .ci/vulndb-snapshot.go -vulndb /path/to/vulndb [-out .ci/vulndb]
//
// Run it from the repository's top directory; -vulndb may be a bare clone.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// osvDir is where golang/vulndb keeps its OSV entries.
const osvDir = "data/osv"

// entry is what the snapshot reads of an OSV entry; the rest is kept as it is.
type entry struct {
	ID       string     `json:"id"`
	Aliases  []string   `json:"aliases"`
	Affected []affected `json:"affected"`
}

// affected is one module an entry names, with its versions.
type affected struct {
	Package struct {
		Name string `json:"name"`
	} `json:"package"`
	Ranges []struct {
		Type   string `json:"type"`
		Events []struct {
			Introduced string `json:"introduced"`
			Fixed      string `json:"fixed"`
		} `json:"events"`
	} `json:"ranges"`
}

// moduleVuln, module and vuln are the index files' records.
type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

func main() {
	repo := flag.String("vulndb", "", "clone of https://github.com/golang/vulndb (may be bare)")
	out := flag.String("out", ".ci/vulndb", "directory to write the database to")
	flag.Parse()
	if *repo == "" {
		log.Fatal("usage: go run .ci/vulndb-snapshot.go -vulndb DIR [-out DIR]")
	}
	mods, err := buildList()
	if err != nil {
		log.Fatal(err)
	}
	commit, err := gitOut(*repo, "rev-parse", "HEAD")
	if err != nil {
		log.Fatal(err)
	}
	date, err := gitOut(*repo, "log", "-1", "--format=%cI", "HEAD")
	if err != nil {
		log.Fatal(err)
	}
	published, modified, err := fileDates(*repo)
	if err != nil {
		log.Fatal(err)
	}
	files, err := readOSV(*repo)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "ID"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "index"), 0o755); err != nil {
		log.Fatal(err)
	}
	byModule := map[string][]moduleVuln{}
	var vulns []vuln
	var newest time.Time
	for _, name := range slices.Sorted(maps.Keys(files)) {
		var raw map[string]any
		var e entry
		if err := json.Unmarshal(files[name], &raw); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if err := json.Unmarshal(files[name], &e); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if !slices.ContainsFunc(e.Affected, func(a affected) bool { return mods[a.Package.Name] }) {
			continue
		}
		path := filepath.ToSlash(filepath.Join(osvDir, name))
		pub, mod := published[path], modified[path]
		if pub.IsZero() || mod.IsZero() {
			log.Fatalf("%s: not in the clone's history", path)
		}
		raw["published"], raw["modified"] = pub.UTC().Format(time.RFC3339), mod.UTC().Format(time.RFC3339)
		if err := writeJSON(filepath.Join(*out, "ID", e.ID+".json"), raw); err != nil {
			log.Fatal(err)
		}
		vulns = append(vulns, vuln{ID: e.ID, Modified: mod.UTC(), Aliases: e.Aliases})
		newest = maxTime(newest, mod.UTC())
		for _, a := range e.Affected {
			byModule[a.Package.Name] = append(byModule[a.Package.Name], moduleVuln{ID: e.ID, Modified: mod.UTC(), Fixed: a.latestFixed()})
		}
	}
	var modules []module
	for _, p := range slices.Sorted(maps.Keys(byModule)) {
		modules = append(modules, module{Path: p, Vulns: byModule[p]})
	}
	for name, v := range map[string]any{
		"index/db.json":      map[string]time.Time{"modified": newest},
		"index/modules.json": modules,
		"index/vulns.json":   vulns,
	} {
		if err := writeJSON(filepath.Join(*out, name), v); err != nil {
			log.Fatal(err)
		}
	}
	var snap strings.Builder
	fmt.Fprintf(&snap, "source https://github.com/golang/vulndb\ncommit %s\ndate %s\nentries %d\n", commit, date, len(vulns))
	for _, m := range slices.Sorted(maps.Keys(mods)) {
		fmt.Fprintf(&snap, "module %s\n", m)
	}
	if err := os.WriteFile(filepath.Join(*out, "SNAPSHOT"), []byte(snap.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d entries, for %d modules, from golang/vulndb %s of %s\n", len(vulns), len(files), len(mods), commit[:12], date)
}

// buildList returns the module paths of this project's build list and
// go.sum, the standard library ("stdlib") and the toolchain ("toolchain").
func buildList() (map[string]bool, error) {
	mods := map[string]bool{"stdlib": true, "toolchain": true}
	list, err := exec.Command("go", "list", "-m", "-f", "{{.Path}}", "all").Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m all: %w", err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(list)+string(sum), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			mods[f[0]] = true
		}
	}
	return mods, nil
}

// fileDates returns, for each file of osvDir, the dates of the first and
// the last commits that changed it.
func fileDates(repo string) (first, last map[string]time.Time, err error) {
	log, err := gitOut(repo, "log", "--format=@%cI", "--name-only", "HEAD", "--", osvDir)
	if err != nil {
		return nil, nil, err
	}
	first, last = map[string]time.Time{}, map[string]time.Time{}
	var at time.Time
	for _, line := range strings.Split(log, "\n") {
		switch {
		case strings.HasPrefix(line, "@"):
			if at, err = time.Parse(time.RFC3339, line[1:]); err != nil {
				return nil, nil, err
			}
		case line != "":
			if _, ok := last[line]; !ok {
				last[line] = at // newest first
			}
			first[line] = at
		}
	}
	return first, last, nil
}

// readOSV returns the contents of every .json file of osvDir at HEAD, by name.
func readOSV(repo string) (map[string][]byte, error) {
	names, err := gitOut(repo, "ls-tree", "--name-only", "HEAD", osvDir+"/")
	if err != nil {
		return nil, err
	}
	var want []string
	for _, n := range strings.Split(names, "\n") {
		if strings.HasSuffix(n, ".json") {
			want = append(want, n)
		}
	}
	cmd := exec.Command("git", "--git-dir", gitDir(repo), "cat-file", "--batch")
	var in bytes.Buffer
	for _, n := range want {
		fmt.Fprintf(&in, "HEAD:%s\n", n)
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := bufio.NewReader(stdout)
	files := map[string][]byte{}
	for _, n := range want {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", n, err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			return nil, fmt.Errorf("reading %s: %q", n, header)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, err
		}
		data := make([]byte, size+1) // and the newline after it
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("reading %s: %w", n, err)
		}
		files[filepath.Base(n)] = data[:size]
	}
	return files, cmd.Wait()
}

// gitDir is the git directory of repo: repo/.git, or repo when bare.
func gitDir(repo string) string {
	if _, err := os.Stat(filepath.Join(repo, ".git")); err == nil {
		return filepath.Join(repo, ".git")
	}
	return repo
}

func gitOut(repo string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"--git-dir", gitDir(repo)}, args...)...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	return strings.TrimSpace(string(out)), err
}

// latestFixed is the newest version that fixes a, "" when none does (also
// when a later version brought the vulnerability back): what
// index/modules.json says, so that govulncheck can skip an entry for a
// module at or after it.
func (a affected) latestFixed() string {
	fixed := ""
	for _, r := range a.Ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, ev := range r.Events {
			if ev.Fixed != "" && before(fixed, ev.Fixed) {
				fixed = ev.Fixed
			}
		}
		for _, ev := range r.Events {
			if ev.Introduced != "" && ev.Introduced != "0" && before(fixed, ev.Introduced) {
				fixed = ""
				break
			}
		}
	}
	return fixed
}

// before reports whether version a comes before b (versions without "v";
// "" comes before any).
func before(a, b string) bool {
	return a == "" || semver.Compare("v"+a, "v"+b) < 0
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
