// Package journal records irreversible actions (firmware installs, factory
// resets, privacy wipes) before each step happens, so that after a crash
// Porchlight knows what was under way and can resume or report it: nothing
// is done twice by surprise, and nothing is reported done unless it was
// verified. The journal is an append-only file of JSON lines, synced to disk
// after every entry. It holds no secret.
package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// FileName is the journal's file in the data directory.
const FileName = "journal.jsonl"

// maxLine bounds one entry; a longer line is damage, not data.
const maxLine = 64 << 10

// Entry is one step of one action on one device.
type Entry struct {
	// Action groups the entries of one action (e.g. one wipe of several devices).
	Action string `json:"action"`
	// Kind is what the action does: "update", "reset", "wipe".
	Kind   string `json:"kind"`
	Device string `json:"device"`
	// State is the step reached, e.g. "planned", "sent", "verified".
	State string    `json:"state"`
	At    time.Time `json:"at"`
	// Detail says what happened, in plain words (never a secret).
	Detail string `json:"detail,omitempty"`
}

// Journal is the journal file of a data directory. It is safe for concurrent use.
type Journal struct {
	path string
	mu   sync.Mutex
}

// Open returns the journal of dir (the file is created on first Append).
func Open(dir string) *Journal {
	return &Journal{path: filepath.Join(dir, FileName)}
}

// Path is the journal file's path.
func (j *Journal) Path() string { return j.path }

// Append writes e (At set to now when zero) and syncs it to disk before
// returning: the caller takes the step only after Append succeeded.
func (j *Journal) Append(e Entry) error {
	if e.Action == "" || e.Device == "" || e.State == "" {
		return errors.New("journal: an entry needs an action, a device and a state")
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	return f.Close()
}

// Entries reads every entry in order. A damaged line (a crash in the middle
// of a write leaves at most the last one torn) is skipped and counted.
func (j *Journal) Entries() (entries []Entry, damaged int, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	data, err := os.ReadFile(j.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the journal: %w", err)
	}
	return parse(data)
}

// parse reads JSON lines, skipping damaged ones.
func parse(data []byte) ([]Entry, int, error) {
	var entries []Entry
	damaged := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if json.Unmarshal(line, &e) != nil || e.Action == "" || e.Device == "" || e.State == "" {
			damaged++
			continue
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return entries, damaged + 1, nil // a line longer than maxLine ends the readable part
	}
	return entries, damaged, nil
}

// Latest returns, for each (action, device), its last entry, in the order
// the pairs first appeared.
func Latest(entries []Entry) []Entry {
	type key struct{ action, device string }
	var order []key
	last := make(map[key]Entry)
	for _, e := range entries {
		k := key{e.Action, e.Device}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = e
	}
	out := make([]Entry, 0, len(order))
	for _, k := range order {
		out = append(out, last[k])
	}
	return out
}

// Unfinished returns the latest entry of every (action, device) whose state
// is not one of final.
func (j *Journal) Unfinished(final ...string) ([]Entry, error) {
	entries, _, err := j.Entries()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range Latest(entries) {
		if !slices.Contains(final, e.State) {
			out = append(out, e)
		}
	}
	return out, nil
}

// Delete removes the journal file: the very last thing a full wipe of
// Porchlight's own data does.
func (j *Journal) Delete() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.Remove(j.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting the journal: %w", err)
	}
	return nil
}
