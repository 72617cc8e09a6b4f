//go:build linux

package app

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// BenchmarkScanHostile scans the hostile household as `porchlight scan`
// does, into an empty data directory each time, and reports besides the
// time and allocations of a scan: how long discovery ran (scan-s), what
// the process wrote while the scan was remembered (written-B, write-calls;
// from /proc/self/io), the devices kept and dropped, the share of scans that
// found every device of the household (all-found: 1 when each did), and the
// process's peak resident memory (maxRSS-MB). Run it in a namespace:
//
//	go test -exec $PWD/.ci/in-netns -run '^$' -bench ScanHostile -benchtime 10x ./app/
func BenchmarkScanHostile(b *testing.B) {
	lab := simtest.Lab(b, sim.Config{Profile: sim.ProfileHostile})
	ctx := context.Background()
	var scanSec, written, calls, kept, dropped, allFound float64
	b.ReportAllocs()
	for b.Loop() {
		c, err := Open(Env{Dir: b.TempDir(), Vault: &vault.Fake{}, Network: HomeNetwork{Interface: "lo"}})
		if err != nil {
			b.Fatal(err)
		}
		w0, c0 := processWrites(b)
		res, err := c.Scan(ctx, ScanOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		w1, c1 := processWrites(b)
		scanSec += res.Elapsed.Seconds()
		written += float64(w1 - w0)
		calls += float64(c1 - c0)
		kept += float64(len(res.Devices))
		dropped += float64(res.Dropped)
		if missing := missingFrom(lab, res.Devices); len(missing) == 0 {
			allFound++
		} else {
			b.Logf("not found: %s", strings.Join(missing, ", "))
		}
		c.Close()
	}
	n := float64(b.N)
	b.ReportMetric(scanSec/n, "scan-s")
	b.ReportMetric(written/n, "written-B")
	b.ReportMetric(calls/n, "write-calls")
	b.ReportMetric(kept/n, "kept")
	b.ReportMetric(dropped/n, "dropped")
	b.ReportMetric(allFound/n, "all-found")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxRSS-MB")
	}
}

// missingFrom lists the hosts of the lab's household that found lacks.
func missingFrom(lab *sim.Lab, found []Device) []string {
	var missing []string
	for _, d := range lab.Devices() {
		if !slices.ContainsFunc(found, func(f Device) bool { return strings.EqualFold(f.Host, d.Host+".local") }) {
			missing = append(missing, d.Host)
		}
	}
	return missing
}

// processWrites returns the bytes this process has passed to write calls
// so far, and how many calls it made (wchar and syscw of /proc/self/io).
func processWrites(tb testing.TB) (bytes, calls int64) {
	tb.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), ": ")
		n, _ := strconv.ParseInt(val, 10, 64)
		switch key {
		case "wchar":
			bytes = n
		case "syscw":
			calls = n
		}
	}
	return bytes, calls
}
