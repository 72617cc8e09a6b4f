package inventory

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
