// Command recognitionbench measures how well Porchlight names the maker and
// kind of real devices from their mDNS announcements alone: it reads a data
// set of announcements copied from public pages, each with the maker and
// kind a person would name, and prints accuracy overall and per service
// type, counting wrong answers and unknown answers separately.
//
// Usage: recognitionbench [-v] [file] (default
// devices/identify/testdata/recognition/announcements.json); -v also lists
// every announcement left unknown.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"time"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
)

// announcement is one row of the data set.
type announcement struct {
	Source   string            `json:"source"`
	Host     string            `json:"host"`
	Type     string            `json:"type"`
	Instance string            `json:"instance"`
	TXT      map[string]string `json:"txt"`
	Vendor   string            `json:"vendor"`
	Kind     string            `json:"kind"`
	Comment  string            `json:"comment,omitempty"`
}

// tally counts the outcomes of one group of announcements.
type tally struct{ total, right, rightUnknown, wrong, unknown int }

func (t *tally) add(o outcome, expectUnknown bool) {
	t.total++
	switch o {
	case right:
		t.right++
		if expectUnknown {
			t.rightUnknown++
		}
	case wrong:
		t.wrong++
	default:
		t.unknown++
	}
}

func (t tally) String() string {
	return fmt.Sprintf("%3d announcements  %5.1f %% right (%d of them rightly unknown)  %3d wrong  %3d unknown",
		t.total, pct(t.right, t.total), t.rightUnknown, t.wrong, t.unknown)
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

type outcome int

const (
	right outcome = iota
	wrong
	unknown
)

// judge compares what was recognised with what a person would name: both
// maker and kind must be right; an answer that names nothing where something
// was expected is unknown, one that names something else is wrong.
func judge(a announcement, id identify.Identity) outcome {
	if id.VendorID == a.Vendor && id.Kind == a.Kind {
		return right
	}
	if (id.VendorID == "" || id.VendorID == a.Vendor) && (id.Kind == "" || id.Kind == a.Kind) {
		return unknown
	}
	return wrong
}

func main() {
	verbose := flag.Bool("v", false, "also list every announcement left unknown")
	flag.Parse()
	file := "devices/identify/testdata/recognition/announcements.json"
	if flag.NArg() > 0 {
		file = flag.Arg(0)
	}
	if err := run(file, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "recognitionbench:", err)
		os.Exit(1)
	}
}

func run(file string, verbose bool) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading the data set: %w", err)
	}
	var set struct {
		Announcements []announcement `json:"announcements"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return fmt.Errorf("%s is not the data set expected: %w", file, err)
	}
	var all tally
	byType := make(map[string]*tally)
	for _, a := range set.Announcements {
		txt := make([]string, 0, len(a.TXT))
		for k, v := range a.TXT {
			txt = append(txt, k+"="+v)
		}
		slices.Sort(txt)
		// Through the scan's own decoding: TXT as the strings on the wire.
		d := discover.FromAnnouncements(a.Host, []netip.Addr{netip.MustParseAddr("127.0.0.1")},
			[]discover.Announcement{{Type: a.Type, Instance: a.Instance, TXT: txt}}, time.Now())
		id := identify.FromAnnouncement(d)
		o := judge(a, id)
		expectUnknown := a.Vendor == "" && a.Kind == ""
		all.add(o, expectUnknown)
		if byType[a.Type] == nil {
			byType[a.Type] = &tally{}
		}
		byType[a.Type].add(o, expectUnknown)
		if o == wrong || (o == unknown && verbose) {
			word := "wrong"
			if o == unknown {
				word = "unknown"
			}
			fmt.Printf("%s: %s %q: got %q/%q, want %q/%q (%s)\n", word, a.Type, a.Instance, id.VendorID, id.Kind, a.Vendor, a.Kind, a.Source)
		}
	}
	fmt.Printf("overall              %s\n", all)
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		fmt.Printf("%-20s %s\n", t, byType[t])
	}
	return nil
}
