// Package journal records irreversible actions (firmware installs, factory
// resets, privacy wipes) before each step happens, so that after a crash
// Porchlight knows what was under way and can resume or report it: nothing
// is done twice by surprise, and nothing is reported done unless it was
// verified. The journal is an append-only file of JSON lines, synced to disk
// after every entry (and its directory after the first, so that the file's
// name survives too). It holds no secret.
//
// A crash in the middle of an append can leave the last line torn: part of
// an entry and no newline. That entry was never reported written, so no
// step followed it. The next Append first ends the torn line, so the new
// entry starts on a line of its own, and readers skip the torn line and
// count it as damaged; nothing else is lost.
package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/durable"
)

// FileName is the journal's file in the data directory.
const FileName = "journal.jsonl"

// maxLine bounds one entry; a longer line is damage, not data, and Append
// refuses to write one.
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
	// Reason says why the step was taken or what it found, as a code of
	// the action's kind (a wipe's are wipe.Reason), never a sentence.
	Reason string `json:"reason,omitempty"`
	// Detail is free text from a device or an error that came with the
	// step, for logs and details (never a secret); nothing reads it back.
	// Entries written before Reason existed hold an English sentence here.
	Detail string `json:"detail,omitempty"`
	// Method is how a wipe's device is wiped ("automatic" or "manual"), on
	// its planned entry: resuming needs it when the wipe's plan file is gone.
	Method string `json:"method,omitempty"`
	// Evidence is how a verified erase was confirmed (a wipe.Evidence, e.g.
	// "came_back_unconfigured"), on a wipe's verified entry.
	Evidence string `json:"evidence,omitempty"`
	// From and To are an update's firmware versions: the one the device
	// ran and the one it was to install (or, once verified, reports).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// HadPassword is a reset's: the device had a password Porchlight held
	// when the reset was planned, so a device that answers without one
	// afterwards was reset.
	HadPassword bool `json:"had_password,omitempty"`
	// Deleted names the keyring entries (never their values) a wipe's
	// local-data-deleted step deleted: only those that existed.
	Deleted []string `json:"deleted,omitempty"`
}

// Journal is the journal file of a data directory. It is safe for concurrent use.
type Journal struct {
	path string
	mu   sync.Mutex
	// dirSynced is set once the directory was synced after an append: a
	// crash right after the file was created could otherwise lose it whole.
	dirSynced bool
}

// Open returns the journal of dir (the file is created on first Append).
func Open(dir string) *Journal {
	return &Journal{path: filepath.Join(dir, FileName)}
}

// Path is the journal file's path.
func (j *Journal) Path() string { return j.path }

// Append writes e (At set to now when zero) and syncs it to disk before
// returning: the caller takes the step only after Append succeeded. A torn
// last line (see the package documentation) is ended first.
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
	if len(line) > maxLine {
		return fmt.Errorf("journal: an entry of %d bytes is longer than the %d a reader accepts", len(line), maxLine)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	torn, err := endsTorn(f)
	if err != nil {
		f.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	buf := make([]byte, 0, len(line)+2)
	if torn {
		buf = append(buf, '\n')
	}
	buf = append(append(buf, line...), '\n')
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	if !j.dirSynced {
		if err := durable.SyncDir(filepath.Dir(j.path)); err != nil {
			return fmt.Errorf("writing the journal: %w", err)
		}
		j.dirSynced = true
	}
	return nil
}

// endsTorn reports whether f's last line has no newline: an append that a
// crash interrupted.
func endsTorn(f *os.File) (bool, error) {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

// Entries reads every entry in order. A damaged line (a torn one, see the
// package documentation, or any other that is not a complete entry) is
// skipped and counted in damaged; the lines after it are read.
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
	entries, damaged = parse(data)
	return entries, damaged, nil
}

// parse reads JSON lines, skipping and counting damaged ones.
func parse(data []byte) (entries []Entry, damaged int) {
	for line := range bytes.Lines(data) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var e Entry
		if len(line) > maxLine || json.Unmarshal(line, &e) != nil || e.Action == "" || e.Device == "" || e.State == "" {
			damaged++
			continue
		}
		entries = append(entries, e)
	}
	return entries, damaged
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
	err := os.Remove(j.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting the journal: %w", err)
	}
	j.dirSynced = false
	if err := durable.SyncDir(filepath.Dir(j.path)); err != nil {
		return fmt.Errorf("deleting the journal: %w", err)
	}
	return nil
}
