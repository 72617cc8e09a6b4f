package app

import (
	"context"
	"testing"

	"github.com/porchlight/porchlight/app/checkup"
)

// TestDemoChecksWithoutNetwork runs a scan and a checkup of the demo
// household; it needs no network namespace because nothing leaves the process.
func TestDemoChecksWithoutNetwork(t *testing.T) {
	demo, err := StartDemo(0)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	ctx := demo.Context(context.Background())
	res, err := demo.Scan(ctx, ScanOptions{}, nil)
	if err != nil || len(res.Devices) < 12 {
		t.Fatalf("demo scan: %d devices, %v", len(res.Devices), err)
	}
	h, err := checkup.Run(ctx, res.Devices, checkup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	identified := 0
	for _, c := range h.Devices {
		if c.Device.Family != "unknown" && c.Device.Firmware != "" {
			identified++
		}
	}
	if identified < 10 || h.Summary.NeedAttention == 0 {
		t.Errorf("demo checkup: %d devices identified with firmware, %d need attention", identified, h.Summary.NeedAttention)
	}
}
