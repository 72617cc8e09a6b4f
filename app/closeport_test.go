package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
)

// TestClosePort removes one mapping from the demo's router: exactly that
// one goes, the journal holds planned, sent and verified, the router read
// again no longer lists it, and the device it pointed at no longer has the
// finding. Asking again finds nothing to remove and changes nothing.
func TestClosePort(t *testing.T) {
	c, n := demoCore(t)
	ctx := context.Background()
	if _, err := c.ClosePort(ctx, 8080, "TCP", time.Second); !errors.Is(err, ErrNoRouter) {
		t.Fatalf("before a scan: %v, want ErrNoRouter", err)
	}
	if _, err := c.Scan(ctx, ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var router *sim.UPnPDevice
	for _, d := range n.UPnPDevices() {
		if d.Kind == sim.UPnPRouter {
			router = d
		}
	}
	before := router.Mappings()
	res, err := c.ClosePort(ctx, 8080, "tcp", time.Second)
	if err != nil || !res.Verified || res.Mapping.ExternalPort != 8080 || len(res.Remaining) != len(before)-1 {
		t.Fatalf("ClosePort: %+v, %v", res, err)
	}
	after := router.Mappings()
	if len(after) != len(before)-1 || slices.ContainsFunc(after, func(m sim.PortMapping) bool { return m.ExternalPort == 8080 }) {
		t.Errorf("the router holds %+v", after)
	}
	entries, _, err := c.Journal.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, e := range entries {
		if e.Kind == KindClosePort {
			states = append(states, e.State)
		}
	}
	if !slices.Equal(states, []string{ClosePlanned, CloseSent, CloseVerified}) {
		t.Errorf("journal %v", states)
	}
	if _, err := c.ClosePort(ctx, 8080, "TCP", time.Second); !errors.Is(err, ErrNoSuchMapping) {
		t.Errorf("again: %v, want ErrNoSuchMapping", err)
	}
	if got := router.Mappings(); len(got) != len(after) {
		t.Errorf("asking again changed the router: %+v", got)
	}
	hh, err := c.Check(ctx, c.Devices(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, card := range hh.Devices {
		if card.Device.Name == "Prusa MK3S (Werkstatt)" {
			for _, l := range card.Lines {
				if l.Provision == "5.6" && strings.Contains(l.Sentence("en"), "opened port 8080") {
					t.Errorf("the printer still has the finding: %s", l.Sentence("en"))
				}
			}
		}
	}
}
