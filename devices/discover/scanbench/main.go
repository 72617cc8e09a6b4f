//go:build linux

// Command scanbench measures discovery against the large lab household and
// compares it with avahi-browse on the same household. It must run inside
// an isolated network namespace: `make bench-scan`.
//
// It prints, per run, the time until every lab device was listed and the time
// until the scan completed, then avahi-browse -a -r -t -p's time (first run
// with an empty avahi cache, then warm), and the ratio of the medians. Then
// it measures the SSDP search against the home and hostile labs' UPnP
// devices (a router, a TV, a NAS; the hostile one adds a flood of 2,000
// bogus root devices from one address): the time until every one was
// listed with its description read, and until the search completed; and
// the SSDP search against minidlna, a real UPnP server on a second host:
// the time until it was identified and until the search completed; and
// WS-Discovery against the home lab's two cameras: the time until the
// probe completed, until both were identified and until their RTSP
// streams were asked (OPTIONS, DESCRIBE).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/rtsp"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/avahi"
	"github.com/porchlight/porchlight/devices/sim/minidlna"
	"github.com/porchlight/porchlight/devices/ssdp"
	"github.com/porchlight/porchlight/devices/wsd"
)

func main() {
	devices := flag.Int("devices", sim.DefaultLargeDevices, "devices in the lab household")
	runs := flag.Int("runs", 5, "measured runs of each tool")
	flag.Parse()
	if err := run(*devices, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

func run(n, runs int) error {
	if err := netns.Check(); err != nil {
		return err
	}
	lab, err := sim.Start(sim.Config{Profile: sim.ProfileLarge, Devices: n})
	if err != nil {
		return err
	}
	defer lab.Close()
	fmt.Printf("lab: %d devices, %d cores, %s\n\n", n, runtime.NumCPU(), runtime.Version())

	var listed, complete []time.Duration
	for i := 0; i < runs; i++ {
		all, done, found, err := scanOnce(n)
		if err != nil {
			return err
		}
		fmt.Printf("porchlight scan  run %d: all %d listed after %7.1f ms, complete after %7.1f ms (%d found)\n",
			i+1, n, ms(all), ms(done), found)
		if found != n {
			return fmt.Errorf("run %d found %d of %d devices", i+1, found, n)
		}
		listed, complete = append(listed, all), append(complete, done)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := avahi.Start(ctx, avahi.Config{HostName: "bench-avahi", DBus: true})
	if err != nil {
		return err
	}
	defer d.Close()
	var avahiTimes []time.Duration
	for i := 0; i <= runs; i++ {
		took, hosts, err := avahiBrowse(d.BusAddress())
		if err != nil {
			return err
		}
		label := fmt.Sprintf("warm run %d", i)
		if i == 0 {
			label = "cold run  "
		} else {
			avahiTimes = append(avahiTimes, took)
		}
		fmt.Printf("avahi-browse     %s: complete after %7.1f ms (%d lab hosts resolved)\n", label, ms(took), hosts)
	}

	fmt.Printf("\nmedian: porchlight all listed %.1f ms, complete %.1f ms; avahi-browse (warm) %.1f ms\n",
		ms(median(listed)), ms(median(complete)), ms(median(avahiTimes)))
	fmt.Printf("ratio porchlight complete / avahi-browse: %.2f\n", float64(median(complete))/float64(median(avahiTimes)))
	fmt.Printf("target: all listed within 1000 ms: %v; complete no slower than avahi-browse: %v\n",
		median(listed) <= time.Second, median(complete) <= median(avahiTimes))
	d.Close()
	lab.Close()
	fmt.Println()
	for _, p := range []sim.Profile{sim.ProfileHome, sim.ProfileHostile} {
		if err := benchSSDP(p, runs); err != nil {
			return err
		}
	}
	if err := benchMinidlna(runs); err != nil {
		return err
	}
	return benchWSD(runs)
}

// benchMinidlna measures SSDP searches against minidlna, a real UPnP
// server, on a second host joined by a veth pair.
func benchMinidlna(runs int) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := minidlna.Start(ctx, minidlna.Config{FriendlyName: "Bench Medien", ModelName: "Bench", ModelNumber: "1", Serial: "B-1",
		Local: netip.MustParsePrefix("169.254.87.1/16"), Peer: netip.MustParsePrefix("169.254.87.2/16")})
	if err != nil {
		return err
	}
	defer d.Close()
	time.Sleep(time.Second) // past its first announcements: it is heard answering
	var listed, complete []time.Duration
	for i := range runs {
		start := time.Now()
		var mu sync.Mutex
		var all time.Duration
		res, err := ssdp.Scan(ctx, ssdp.Options{Interface: d.Interface(), OnFound: func(f ssdp.Found) {
			mu.Lock()
			defer mu.Unlock()
			if f.Description != nil && f.Description.Root.FriendlyName == "Bench Medien" && all == 0 {
				all = time.Since(start)
			}
		}})
		done := time.Since(start)
		if err != nil {
			return err
		}
		mu.Lock()
		got := all
		mu.Unlock()
		if got == 0 {
			return fmt.Errorf("ssdp minidlna run %d did not identify minidlna (%d root devices)\n%s", i+1, len(res.Found), d.Log())
		}
		fmt.Printf("ssdp minidlna run %d: identified after %7.1f ms, complete after %7.1f ms\n", i+1, ms(got), ms(done))
		listed, complete = append(listed, got), append(complete, done)
	}
	fmt.Printf("ssdp minidlna median: identified %.1f ms, complete %.1f ms\n", ms(median(listed)), ms(median(complete)))
	return nil
}

// benchWSD measures WS-Discovery probes against the home lab's cameras,
// with each camera identified (GetSystemDateAndTime, GetDeviceInformation).
func benchWSD(runs int) error {
	lab, err := sim.Start(sim.Config{Profile: sim.ProfileHome})
	if err != nil {
		return err
	}
	defer lab.Close()
	var found, identified []time.Duration
	for i := range runs {
		start := time.Now()
		res, err := wsd.Scan(context.Background(), wsd.Options{Interface: "lo"})
		if err != nil {
			return err
		}
		probed := time.Since(start)
		for _, f := range res.Found {
			if info := wsd.Identify(context.Background(), nil, f.Addr, f.Port, f.Path, 2*time.Second); !info.DateTime {
				return fmt.Errorf("camera %s did not answer GetSystemDateAndTime", f.Addr)
			}
		}
		done := time.Since(start)
		open := 0
		for _, f := range res.Found {
			if rtsp.Check(context.Background(), nil, f.Addr, rtsp.DefaultPort, "/", 2*time.Second).Open {
				open++
			}
		}
		streams := time.Since(start)
		fmt.Printf("ws-discovery run %d: %d of %d cameras found, probe complete after %7.1f ms, identified after %7.1f ms, RTSP asked after %7.1f ms (%d open)\n",
			i+1, len(res.Found), len(lab.Cameras()), ms(probed), ms(done), ms(streams), open)
		if len(res.Found) != len(lab.Cameras()) {
			return fmt.Errorf("ws-discovery run %d found %d of %d cameras", i+1, len(res.Found), len(lab.Cameras()))
		}
		found, identified = append(found, probed), append(identified, done)
	}
	fmt.Printf("ws-discovery median: probe complete %.1f ms, identified %.1f ms\n", ms(median(found)), ms(median(identified)))
	return nil
}

// benchSSDP measures SSDP searches against the UPnP devices of profile's lab.
func benchSSDP(p sim.Profile, runs int) error {
	lab, err := sim.Start(sim.Config{Profile: p})
	if err != nil {
		return err
	}
	defer lab.Close()
	want := map[netip.Addr]bool{}
	for _, u := range lab.UPnPDevices() {
		if u.Kind == sim.UPnPRouter || u.Kind == sim.UPnPTV || u.Kind == sim.UPnPNAS {
			want[u.Addr] = true
		}
	}
	var listed, complete []time.Duration
	for i := range runs {
		start := time.Now()
		var mu sync.Mutex
		seen := map[netip.Addr]bool{}
		var all time.Duration
		res, err := ssdp.Scan(context.Background(), ssdp.Options{Interface: "lo", OnFound: func(f ssdp.Found) {
			mu.Lock()
			defer mu.Unlock()
			if want[f.Addr] && f.Description != nil {
				seen[f.Addr] = true
			}
			if len(seen) == len(want) && all == 0 {
				all = time.Since(start)
			}
		}})
		done := time.Since(start)
		if err != nil {
			return err
		}
		mu.Lock()
		found := len(seen)
		mu.Unlock()
		fmt.Printf("ssdp %-7s run %d: all %d listed after %7.1f ms, complete after %7.1f ms (%d root devices kept, %d dropped)\n",
			p, i+1, len(want), ms(all), ms(done), len(res.Found), res.Dropped)
		if found != len(want) {
			return fmt.Errorf("ssdp %s run %d found %d of %d UPnP devices", p, i+1, found, len(want))
		}
		listed, complete = append(listed, all), append(complete, done)
	}
	fmt.Printf("ssdp %-7s median: all listed %.1f ms, complete %.1f ms\n", p, ms(median(listed)), ms(median(complete)))
	return nil
}

// scanOnce runs one scan and returns when all n lab devices had been
// reported, when the scan completed, and how many lab devices it found.
func scanOnce(n int) (all, done time.Duration, found int, err error) {
	start := time.Now()
	seen := make(map[string]bool)
	res, err := discover.Scan(context.Background(), discover.Options{Interface: "lo"}, func(e discover.Event) {
		seen[e.Device.Host] = true
		if len(seen) == n && all == 0 {
			all = time.Since(start)
		}
	})
	done = time.Since(start)
	return all, done, len(res.Devices), err
}

// avahiBrowse runs avahi-browse -a -r -t -p and counts the lab hosts it resolved.
func avahiBrowse(bus string) (time.Duration, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "avahi-browse", "-a", "-r", "-t", "-p")
	cmd.Env = append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS="+bus)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("avahi-browse: %w: %s (%s)", err, strings.TrimSpace(stderr.String()), avahi.Install)
	}
	hosts := make(map[string]bool)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "=;lo;IPv4;name;type;local;host.local;address;port;txt"
		f := strings.Split(sc.Text(), ";")
		if len(f) > 7 && f[0] == "=" && strings.HasPrefix(f[7], "127.77.") {
			hosts[f[6]] = true
		}
	}
	return took, len(hosts), nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
