package watch

import (
	"context"
	"runtime"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// BenchmarkSimulatedDay keeps watch over the demo household (simulated in
// the process: no network) for a day of the fake clock: 96 looks at the
// default interval, with the daily full checkup, on the real core. It
// reports the live heap after the first look and after the last one
// (after a GC each) and the largest in between, to show the watcher's
// memory does not grow:
//
//	go test -run '^$' -bench SimulatedDay -benchtime 1x ./app/watch/
func BenchmarkSimulatedDay(b *testing.B) {
	for b.Loop() {
		n, err := simnet.Start(0)
		if err != nil {
			b.Fatal(err)
		}
		core, err := app.Open(app.Env{Dir: b.TempDir(), Vault: &vault.Fake{}, Network: n, OnClose: n.Close})
		if err != nil {
			b.Fatal(err)
		}
		clock := NewFakeClock(start)
		w, err := New(core, Options{Clock: clock})
		if err != nil {
			b.Fatal(err)
		}
		var first, last, peak uint64
		for i := range 96 {
			if _, err := w.Look(context.Background()); err != nil {
				b.Fatal(err)
			}
			clock.Advance(DefaultInterval)
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if i == 0 {
				first = m.HeapAlloc
			}
			last, peak = m.HeapAlloc, max(peak, m.HeapAlloc)
		}
		b.ReportMetric(float64(first)/1e6, "heap-first-MB")
		b.ReportMetric(float64(last)/1e6, "heap-last-MB")
		b.ReportMetric(float64(peak)/1e6, "heap-peak-MB")
		core.Close()
	}
}
