//go:build linux

// Command checkbench measures the full checkup (identification, port probe,
// web and management reads, scorecard) of the large lab household and
// compares it with an nmap scan of the same addresses and ports. It must run
// inside an isolated network namespace: `make bench-check`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/probe"
	"github.com/porchlight/porchlight/devices/sim"
)

func main() {
	devices := flag.Int("devices", sim.DefaultLargeDevices, "devices in the lab household")
	runs := flag.Int("runs", 3, "measured runs of each tool")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the checkup runs to this file")
	flag.Parse()
	if err := run(*devices, *runs, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, "checkbench:", err)
		os.Exit(1)
	}
}

func run(n, runs int, cpuProfile string) error {
	if err := netns.Check(); err != nil {
		return err
	}
	if _, err := exec.LookPath("nmap"); err != nil {
		return fmt.Errorf("nmap is not installed: apt-get install -y nmap (make bench-check does)")
	}
	lab, err := sim.Start(sim.Config{Profile: sim.ProfileLarge, Devices: n})
	if err != nil {
		return err
	}
	defer lab.Close()
	res, err := discover.Scan(context.Background(), discover.Options{Interface: "lo"}, nil)
	if err != nil {
		return err
	}
	if len(res.Devices) != n {
		return fmt.Errorf("the scan found %d of %d devices", len(res.Devices), n)
	}
	fmt.Printf("lab: %d devices, %d cores, %s\n\n", n, runtime.NumCPU(), runtime.Version())

	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	var ours []time.Duration
	for i := 0; i < runs; i++ {
		start := time.Now()
		h, err := checkup.Run(context.Background(), res.Devices, checkup.Options{})
		took := time.Since(start)
		if err != nil {
			return err
		}
		fmt.Printf("porchlight checkup run %d: %7.1f ms for %d scorecards (%d problems)\n", i+1, ms(took), len(h.Devices), h.Summary.Problems)
		ours = append(ours, took)
	}

	pprof.StopCPUProfile()

	ports := slices.Clone(probe.Ports)
	ports = append(ports, 8008, 1400) // the family ports the probe adds
	portList := make([]string, len(ports))
	for i, p := range ports {
		portList[i] = strconv.Itoa(p)
	}
	addrs := make([]string, len(res.Devices))
	for i, d := range res.Devices {
		addrs[i] = d.Addresses[0].String()
	}
	var theirs []time.Duration
	for i := 0; i < runs; i++ {
		args := append([]string{"-n", "-Pn", "-T4", "-oG", "-", "-p", strings.Join(portList, ",")}, addrs...)
		start := time.Now()
		out, err := exec.Command("nmap", args...).Output()
		took := time.Since(start)
		if err != nil {
			return fmt.Errorf("nmap: %w", err)
		}
		hosts := strings.Count(string(out), "Ports: ")
		fmt.Printf("nmap -n -Pn -T4  run %d: %7.1f ms for %d hosts\n", i+1, ms(took), hosts)
		theirs = append(theirs, took)
	}
	fmt.Printf("\nmedian: porchlight checkup %.1f ms, nmap port scan %.1f ms, ratio %.2f\n",
		ms(median(ours)), ms(median(theirs)), float64(median(ours))/float64(median(theirs)))
	fmt.Printf("target: under 5 s: %v; no slower than nmap: %v\n", median(ours) < 5*time.Second, median(ours) <= median(theirs))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
