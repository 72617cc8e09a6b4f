package journal

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendAndRead(t *testing.T) {
	j := Open(t.TempDir())
	steps := []Entry{
		{Action: "w1", Kind: "wipe", Device: "a", State: "planned"},
		{Action: "w1", Kind: "wipe", Device: "b", State: "planned"},
		{Action: "w1", Kind: "wipe", Device: "a", State: "sent"},
		{Action: "w1", Kind: "wipe", Device: "a", State: "verified"},
	}
	for _, e := range steps {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	entries, damaged, err := j.Entries()
	if err != nil || damaged != 0 || len(entries) != 4 || entries[0].At.IsZero() {
		t.Fatalf("Entries = %d entries, %d damaged, %v", len(entries), damaged, err)
	}
	unfinished, err := j.Unfinished("verified")
	if err != nil || len(unfinished) != 1 || unfinished[0].Device != "b" || unfinished[0].State != "planned" {
		t.Errorf("Unfinished = %+v, %v; want device b, planned", unfinished, err)
	}
	if info, _ := os.Stat(j.Path()); info.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, want 0600", info.Mode().Perm())
	}
	if err := j.Delete(); err != nil {
		t.Fatal(err)
	}
	if entries, _, _ := j.Entries(); len(entries) != 0 {
		t.Errorf("after Delete: %d entries", len(entries))
	}
}

// TestAppendAfterDamage: whatever a crash left at the end of the journal,
// the next entry starts on a line of its own and is read back; earlier
// entries are kept and each damaged line is skipped and counted.
func TestAppendAfterDamage(t *testing.T) {
	first := `{"action":"u1","kind":"update","device":"a","state":"planned"}`
	tests := []struct {
		name        string
		before      string
		wantEntries int // including the one appended
		wantDamaged int
	}{
		{"empty file", "", 1, 0},
		{"torn last line", first + "\n" + `{"action":"u1","kind":"update","dev`, 2, 1},
		{"torn after a torn line", first + "\n" + `{"act` + "\n" + `{"action":"u1","st`, 2, 2},
		{"complete last entry without its newline", first, 2, 0},
		{"an overlong line in the middle", first + "\n" + strings.Repeat("x", maxLine+1) + "\n" + first + "\n", 3, 1},
		{"binary junk", first + "\n\x00\xff\xfe", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := Open(t.TempDir())
			if err := os.WriteFile(j.Path(), []byte(tt.before), 0o600); err != nil {
				t.Fatal(err)
			}
			next := Entry{Action: "u1", Kind: "update", Device: "a", State: "sent", From: "1.4.4", To: "1.6.2"}
			if err := j.Append(next); err != nil {
				t.Fatal(err)
			}
			entries, damaged, err := j.Entries()
			if err != nil || len(entries) != tt.wantEntries || damaged != tt.wantDamaged {
				t.Fatalf("Entries = %d entries, %d damaged, %v; want %d and %d", len(entries), damaged, err, tt.wantEntries, tt.wantDamaged)
			}
			last := entries[len(entries)-1]
			if last.State != "sent" || last.From != "1.4.4" || last.To != "1.6.2" {
				t.Errorf("the appended entry reads back as %+v", last)
			}
		})
	}
}

func TestAppendRefusesAnOverlongEntry(t *testing.T) {
	j := Open(t.TempDir())
	if err := j.Append(Entry{Action: "x", Device: "d", State: "planned", Detail: strings.Repeat("y", maxLine)}); err == nil {
		t.Error("an entry no reader would accept was written")
	}
}

func TestConcurrentAppends(t *testing.T) {
	j := Open(t.TempDir())
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if err := j.Append(Entry{Action: "x", Device: strings.Repeat("d", g+1), State: "planned"}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	entries, damaged, _ := j.Entries()
	if len(entries) != 100 || damaged != 0 {
		t.Errorf("%d entries, %d damaged after 100 concurrent appends", len(entries), damaged)
	}
}

func TestAppendRejectsIncompleteEntries(t *testing.T) {
	if err := Open(t.TempDir()).Append(Entry{Action: "x"}); err == nil {
		t.Error("an entry without device and state was written")
	}
}

// FuzzParse checks the journal file's promises for any content, however
// damaged. It reads without panicking and yields only complete entries;
// every line that holds something is either an entry or counted as
// damaged, so a journal is never taken silently as empty or shorter; and
// every entry, written as Append writes it, reads back as that same entry
// (written again, the same bytes). The committed corpus holds journals as
// Append wrote them and damaged ones (torn lines, junk, bad times).
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"action":"a","device":"d","state":"planned"}` + "\n"))
	f.Add([]byte("{\n}\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, damaged := parse(data)
		lines := 0
		for line := range bytes.Lines(data) {
			if len(bytes.TrimSpace(line)) > 0 {
				lines++
			}
		}
		if len(entries)+damaged != lines {
			t.Fatalf("%d entries and %d damaged lines of %d", len(entries), damaged, lines)
		}
		for _, e := range entries {
			if e.Action == "" || e.Device == "" || e.State == "" {
				t.Fatalf("incomplete entry %+v", e)
			}
			// As Append writes an entry: JSON, then a newline, never
			// longer than maxLine.
			line, err := json.Marshal(e)
			if err != nil || len(line) > maxLine {
				continue
			}
			again, damaged := parse(append(line, '\n'))
			if damaged != 0 || len(again) != 1 {
				t.Fatalf("%s reads back as %d entries, %d damaged", line, len(again), damaged)
			}
			if rewritten, err := json.Marshal(again[0]); err != nil || !bytes.Equal(rewritten, line) {
				t.Fatalf("%s reads back as %s (%v)", line, rewritten, err)
			}
		}
	})
}

// FuzzAppendAfter checks that an entry appended to any journal file,
// however damaged, reads back as the last entry, after every entry the file
// held before.
func FuzzAppendAfter(f *testing.F) {
	f.Add([]byte(`{"action":"a","device":"d","state":"planned"}` + "\n" + `{"action":"a","dev`))
	f.Add([]byte("{\n}\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		j := Open(t.TempDir())
		if err := os.WriteFile(j.Path(), data, 0o600); err != nil {
			t.Fatal(err)
		}
		before, _ := parse(data)
		e := Entry{Action: "z", Kind: "reset", Device: "d", State: "sent", At: time.Unix(1e9, 0).UTC()}
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
		after, _, err := j.Entries()
		if err != nil || len(after) != len(before)+1 || !reflect.DeepEqual(after[len(after)-1], e) {
			t.Fatalf("after appending: %d entries (%d before), last %+v, %v", len(after), len(before), after[len(after)-1:], err)
		}
	})
}

// TestTypedFieldsAndOldLines: a wipe's reason, method and evidence are
// written and read back; a line written before they existed still reads,
// with its sentence in Detail and the new fields empty.
func TestTypedFieldsAndOldLines(t *testing.T) {
	dir := t.TempDir()
	old := `{"action":"w1","kind":"wipe","device":"a","state":"verified","at":"2026-12-03T23:07:11Z","detail":"the device came back unconfigured"}` + "\n"
	if err := os.WriteFile(dir+"/"+FileName, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	j := Open(dir)
	written := []Entry{
		{Action: "w2", Kind: "wipe", Device: "a", State: "planned", Reason: "planned_automatic", Method: "automatic"},
		{Action: "w2", Kind: "wipe", Device: "a", State: "verified", Evidence: "left_the_network"},
		{Action: "w2", Kind: "wipe", Device: "a", State: "failed", Reason: "refused", Detail: "device said no"},
	}
	for _, e := range written {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	entries, damaged, err := j.Entries()
	if err != nil || damaged != 0 || len(entries) != 4 {
		t.Fatalf("%d entries, %d damaged, %v", len(entries), damaged, err)
	}
	if e := entries[0]; e.Detail != "the device came back unconfigured" || e.Reason != "" || e.Method != "" || e.Evidence != "" {
		t.Errorf("the old line reads as %+v", e)
	}
	for i, want := range written {
		got := entries[i+1]
		got.At = time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back %+v, want %+v", got, want)
		}
	}
}
