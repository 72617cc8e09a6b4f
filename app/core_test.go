package app

import (
	"context"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// demoCore opens a core on the demo household (in the process, no network).
func demoCore(t *testing.T) (*Core, *simnet.Network) {
	t.Helper()
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: n, OnClose: n.Close})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, n
}

// TestDemoChecksWithoutNetwork runs a scan and a checkup of the demo
// household; it needs no network namespace because nothing leaves the process.
func TestDemoChecksWithoutNetwork(t *testing.T) {
	c, _ := demoCore(t)
	res, err := c.Scan(context.Background(), ScanOptions{}, nil)
	if err != nil || len(res.Devices) < 12 {
		t.Fatalf("demo scan: %d devices, %v", len(res.Devices), err)
	}
	h, err := c.Check(context.Background(), res.Devices, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	identified := 0
	for _, card := range h.Devices {
		if card.Device.Family != "unknown" && card.Device.Firmware != "" {
			identified++
		}
	}
	if identified < 10 || h.Summary.NeedAttention == 0 {
		t.Errorf("demo checkup: %d devices identified with firmware, %d need attention", identified, h.Summary.NeedAttention)
	}
	if !c.Demo() {
		t.Error("a core on the demo household does not say so")
	}
}
