//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// lockedBuffer is a buffer a command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWatchJSONAgainstTheLab runs `porchlight watch --json` on a household
// that knew one device before: every device of the lab is new, one JSON
// line each, and the command stops cleanly when its context ends (as on
// SIGINT or SIGTERM).
func TestWatchJSONAgainstTheLab(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	dir := t.TempDir()
	inv, err := inventory.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.Update("old-printer", func(d *inventory.Device) {
		d.Name, d.Host, d.Addresses = "Old printer", "old-printer.local", []netip.Addr{netip.MustParseAddr("127.77.9.9")}
	}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, testEnv, []string{"watch", "--json", "--interface", "lo", "--data-dir", dir}, &out, &errOut)
	}()
	want := len(lab.Devices()) + len(lab.UPnPDevices()) + len(lab.Cameras()) // over mDNS, SSDP and WS-Discovery
	for deadline := time.Now().Add(60 * time.Second); strings.Count(out.String(), "\n") < want; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d lines, want %d\n%s\n%s", strings.Count(out.String(), "\n"), want, out.String(), errOut.String())
		}
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("watch exited %d: %s", c, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not stop when its context ended")
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var doc struct {
			Schema *int   `json:"schema"`
			Time   string `json:"time"`
			Event  string `json:"event"`
			Device struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"device"`
			Address string `json:"address"`
		}
		if err := json.Unmarshal([]byte(line), &doc); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		if doc.Schema == nil || *doc.Schema != 1 || doc.Time == "" || doc.Event != "new-device" || doc.Device.ID == "" || doc.Device.Name == "" || doc.Address == "" {
			t.Errorf("line lacks a documented field: %s", line)
		}
		ids[doc.Device.ID] = true
	}
	if len(ids) != want {
		t.Errorf("%d devices told, want %d once each", len(ids), want)
	}
	if !strings.Contains(errOut.String(), "Stopped watching.") {
		t.Errorf("stderr: %q", errOut.String())
	}
}

func TestWatchRefusesAnIntervalUnderAMinute(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), testEnv, []string{"watch", "--interval", "30s"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "at least 1m") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}
