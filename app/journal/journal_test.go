package journal

import (
	"os"
	"strings"
	"sync"
	"testing"
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

func TestTornLastLineIsSkipped(t *testing.T) {
	j := Open(t.TempDir())
	if err := j.Append(Entry{Action: "u1", Kind: "update", Device: "a", State: "planned"}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"action":"u1","kind":"update","dev`)
	f.Close()
	entries, damaged, err := j.Entries()
	if err != nil || len(entries) != 1 || damaged != 1 {
		t.Errorf("Entries = %d entries, %d damaged, %v; want 1 and 1", len(entries), damaged, err)
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

// FuzzParse checks that any journal file, however damaged, reads without
// panicking and yields only complete entries.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"action":"a","device":"d","state":"planned"}` + "\n"))
	f.Add([]byte("{\n}\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, _ := parse(data)
		for _, e := range entries {
			if e.Action == "" || e.Device == "" || e.State == "" {
				t.Fatalf("incomplete entry %+v", e)
			}
		}
	})
}
