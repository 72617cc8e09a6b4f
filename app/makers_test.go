package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/releases"
)

// makers is a release feed in the process: Tasmota's maker names
// v99.0.0, the others answer nothing.
type makers struct {
	mu    sync.Mutex
	pages []string
}

func (m *makers) Latest(_ context.Context, page string) (releases.Release, error) {
	m.mu.Lock()
	m.pages = append(m.pages, page)
	m.mu.Unlock()
	if page == "https://github.com/arendst/Tasmota/releases" {
		return releases.Release{Version: "v99.0.0", Page: page + "/tag/v99.0.0"}, nil
	}
	return releases.Release{}, errors.New("unreachable")
}

// TestCheckAsksTheMakersOnlyWhenAllowed: a core asks no maker until it is
// told to; then the demo's Tasmota is older than its maker's newest
// release, and the evidence says so; told to stop, it asks nothing again.
func TestCheckAsksTheMakersOnlyWhenAllowed(t *testing.T) {
	c, _ := demoCore(t)
	ctx := context.Background()
	res, err := c.Scan(ctx, ScanOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tasmota := func() checkup.Line {
		h, err := c.Check(ctx, res.Devices, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, card := range h.Devices {
			if card.Device.Family == "tasmota" {
				for _, l := range card.Lines {
					if l.Provision == "5.3" {
						return l
					}
				}
			}
		}
		t.Fatal("the demo has no Tasmota")
		return checkup.Line{}
	}
	if c.AsksMakers() || strings.Contains(tasmota().Evidence.In("en"), "maker's release page") {
		t.Fatal("a new core asks the makers")
	}
	m := &makers{}
	c.AskMakers(m)
	l := tasmota()
	if l.Status != checkup.Problem || !strings.Contains(l.Evidence.In("en"), "The maker's release page: newest version v99.0.0 (source: https://github.com/arendst/Tasmota/releases/tag/v99.0.0, asked ") {
		t.Fatalf("with the makers asked: %s %s / %s", l.Status, l.Sentence("en"), l.Evidence.In("en"))
	}
	asked := len(m.pages)
	if asked == 0 {
		t.Fatal("no maker asked")
	}
	c.AskMakers(nil)
	if l := tasmota(); strings.Contains(l.Evidence.In("en"), "maker's release page") || len(m.pages) != asked {
		t.Fatalf("after stopping: %s, %d asks (was %d)", l.Evidence.In("en"), len(m.pages), asked)
	}
}
