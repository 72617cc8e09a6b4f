package inventory

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUpdateSaveAndReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddr("127.77.0.1")
	if err := s.Update("shelly1-b929cc", func(d *Device) {
		d.Name, d.Room, d.Claimed, d.Addresses = "Küche Licht", "Küche", true, []netip.Addr{addr}
		d.Secrets = append(d.Secrets, "shelly1-b929cc/admin")
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update("wled-a1b2c3", func(d *Device) { d.Name = "Treppe" }); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ds := again.Devices()
	if len(ds) != 2 || ds[0].Name != "Küche Licht" || !ds[0].Claimed || ds[0].Addresses[0] != addr || ds[0].Secrets[0] != "shelly1-b929cc/admin" || ds[1].ID != "wled-a1b2c3" {
		t.Fatalf("reopened inventory = %+v", ds)
	}
	if info, err := os.Stat(s.Path()); err != nil || info.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/' {
		t.Errorf("inventory file mode %v (%v), want private to the user", info.Mode(), err)
	}
	if err := again.Remove("wled-a1b2c3"); err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Get("wled-a1b2c3"); ok {
		t.Error("removed device still there")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data directory holds %d files, want only the inventory (no temporary files left)", len(entries))
	}
}

func TestCorruptFileIsSetAsideNotLost(t *testing.T) {
	tests := []struct{ name, content string }{
		{"not JSON", "{not json"},
		{"unknown version", `{"schema": 99, "devices": []}`},
		{"duplicate device", `{"schema": 1, "devices": [{"id": "a"}, {"id": "a"}]}`},
		{"device without id", `{"schema": 1, "devices": [{"name": "x"}]}`},
		{"no device list", `{"schema": 1}`},
		{"device list under a damaged key", `{"schema": 1, "devic\u00e9s": [{"id": "a"}]}`},
		{"null device list", `{"schema": 1, "devices": null}`},
		{"null", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir)
			if !errors.Is(err, ErrCorrupt) || s == nil || len(s.Devices()) != 0 {
				t.Fatalf("Open = %v, %v; want an empty store and ErrCorrupt", s, err)
			}
			matches, _ := filepath.Glob(path + ".corrupt-*")
			if len(matches) != 1 || !strings.Contains(err.Error(), matches[0]) {
				t.Fatalf("set-aside copies %v, error %q: want one copy, named in the error", matches, err)
			}
			if kept, _ := os.ReadFile(matches[0]); string(kept) != tt.content {
				t.Errorf("the copy holds %q, want the original content", kept)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	if err := s.Update("a", func(d *Device) { d.Name = "A" }); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) || len(s.Devices()) != 0 {
		t.Errorf("after Delete: stat = %v, %d devices", err, len(s.Devices()))
	}
	if err := s.Delete(); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

// TestBatchSavesOnce: the changes of a batch reach the file together, when
// it ends, and a batch that changes nothing writes nothing.
func TestBatchSavesOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Batch(func(b *Batch) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an empty batch wrote the file: %v", err)
	}
	if err := s.Update("old", func(d *Device) { d.Name = "Old" }); err != nil {
		t.Fatal(err)
	}
	err = s.Batch(func(b *Batch) {
		for i := range 100 {
			b.Update(fmt.Sprintf("dev-%03d", i), func(d *Device) { d.Name = fmt.Sprint("Device ", i) })
		}
		b.Update("dev-000", func(d *Device) { d.Room = "Küche" })
		b.Remove("old", "never-there")
		if ds := b.Devices(); len(ds) != 100 || ds[0].ID != "dev-000" || ds[0].Room != "Küche" {
			t.Errorf("inside the batch: %d devices, first %+v", len(ds), ds[0])
		}
		if again, err := Open(dir); err != nil || len(again.Devices()) != 1 {
			t.Errorf("the file changed before the batch ended: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ds := again.Devices(); len(ds) != 100 || ds[0].Room != "Küche" {
		t.Errorf("after the batch the file holds %d devices", len(ds))
	}
	if _, ok := again.Get("old"); ok {
		t.Error("the device removed in the batch is still in the file")
	}
}

// TestPrune: devices nothing hangs on are forgotten once not seen for
// ForgetAfter, and beyond MaxUnclaimed, those seen longest ago first;
// claimed and named devices and those with keyring entries never are.
func TestPrune(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-ForgetAfter-time.Hour), now.Add(-ForgetAfter+time.Hour)
	tests := []struct {
		name string
		dev  Device
		want bool // forgotten
	}{
		{"unclaimed, not seen for longer", Device{LastSeen: old}, true},
		{"unclaimed, seen within", Device{LastSeen: recent}, false},
		{"unclaimed, seen just now", Device{LastSeen: now}, false},
		{"never seen", Device{}, false},
		{"claimed, not seen for longer", Device{Claimed: true, LastSeen: old}, false},
		{"named, not seen for longer", Device{Named: true, Name: "Aquarium", LastSeen: old}, false},
		{"keyring entries, not seen for longer", Device{Secrets: []string{"x/admin"}, LastSeen: old}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			var forgotten []string
			if err := s.Batch(func(b *Batch) {
				b.Update("dev", func(d *Device) { *d = tt.dev })
				forgotten = b.Prune(now)
			}); err != nil {
				t.Fatal(err)
			}
			if _, kept := s.Get("dev"); kept == tt.want || (len(forgotten) > 0) != tt.want {
				t.Errorf("forgotten %v, device kept %v; want forgotten %v", forgotten, kept, tt.want)
			}
		})
	}
}

// TestPruneByCount: beyond MaxUnclaimed unclaimed devices, those seen
// longest ago go (one never seen first); claimed ones do not count.
func TestPruneByCount(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var forgotten []string
	err = s.Batch(func(b *Batch) {
		for i := range MaxUnclaimed + 2 {
			b.Update(fmt.Sprintf("seen-%04d", i), func(d *Device) { d.LastSeen = now.Add(time.Duration(i) * time.Second) })
		}
		b.Update("never-seen", func(d *Device) {})
		b.Update("claimed", func(d *Device) { d.Claimed, d.LastSeen = true, now.Add(-time.Hour) })
		forgotten = b.Prune(now.Add(time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"never-seen", "seen-0000", "seen-0001"}; !slices.Equal(forgotten, want) {
		t.Errorf("forgot %v, want %v", forgotten, want)
	}
	if n := len(s.Devices()); n != MaxUnclaimed+1 {
		t.Errorf("%d devices left, want %d unclaimed and the claimed one", n, MaxUnclaimed)
	}
}

// TestUpdateThatChangesNothingWritesNothing: an update that leaves a known
// device as it was (a device that proved its identity where it did before,
// say) does not write the file again; one that changes it, or adds a
// device, does.
func TestUpdateThatChangesNothingWritesNothing(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddr("127.77.0.1")
	set := func(d *Device) { d.Name, d.Addresses, d.Pinned.ProvenAt = "Plug", []netip.Addr{addr}, addr }
	if err := s.Update("plug", set); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(s.Path()); err != nil {
		t.Fatal(err)
	}
	if err := s.Update("plug", set); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an update that changed nothing wrote the file: %v", err)
	}
	if err := s.Update("plug", func(d *Device) { d.Room = "Küche" }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatalf("a change was not written: %v", err)
	}
	os.Remove(s.Path())
	if err := s.Update("new", func(*Device) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatalf("a new device was not written: %v", err)
	}
}
