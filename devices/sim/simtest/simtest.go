// Package simtest starts the lab for tests: only inside an isolated network
// namespace, and closed when the test ends.
package simtest

import (
	"testing"

	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim"
)

// Lab serves cfg's household for the test t. The test fails, saying how to
// run it, when this process's network namespace is not isolated.
func Lab(t testing.TB, cfg sim.Config) *sim.Lab {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := sim.Start(cfg)
	if err != nil {
		t.Fatalf("starting the lab: %v", err)
	}
	t.Cleanup(func() { lab.Close() })
	return lab
}
