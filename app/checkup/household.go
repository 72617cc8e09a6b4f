package checkup

import (
	"context"
	"github.com/porchlight/porchlight/devices/devhttp"
	"slices"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/probe"
)

// Household is the checkup of every device, with a summary on top.
type Household struct {
	Summary Summary     `json:"summary"`
	Devices []Scorecard `json:"devices"`
	Checked time.Time   `json:"checked"`
}

// Summary is the household's state at a glance.
type Summary struct {
	Devices int `json:"devices"`
	// NeedAttention counts the devices with a problem someone can act on:
	// Porchlight fixes it, or there are steps to follow.
	NeedAttention int `json:"need_attention"`
	// AdviceOnly counts the devices whose problems nobody can fix from
	// here; their lines say what to do instead.
	AdviceOnly int `json:"advice_only"`
	Problems   int `json:"problems"`
	// Says it in plain words.
	Says Reasons `json:"says"`
	// Next is the single most important thing to do, if anything.
	Next *Reason `json:"next,omitempty"`
}

// Sentence says how the household stands, in lang.
func (s Summary) Sentence(lang string) string { return s.Says.In(lang) }

// NextStep says the most important thing to do in lang ("" for nothing).
func (s Summary) NextStep(lang string) string {
	if s.Next == nil {
		return ""
	}
	return s.Next.In(lang)
}

// Options bounds a household checkup.
type Options struct {
	// Timeout bounds each exchange with a device (probe.DefaultTimeout when zero).
	Timeout time.Duration
	// Concurrency bounds the devices checked at once (DefaultConcurrency when zero).
	Concurrency int
	// Catalog is the vendor data (catalog.Default() when nil).
	Catalog *catalog.Catalog
	// Factory returns the last factory-password run of a device, nil
	// when there was none (or Factory is nil).
	Factory func(id string) *factorypw.Result
	// Network reaches the devices (the real network when nil).
	Network devhttp.Network
	// Household are the devices remembered, checked or not: a router
	// among them (a device found over SSDP as an Internet Gateway Device)
	// is consulted, so that a device that opened a port on it is told so,
	// and its port mappings name the devices they point at.
	Household []discover.Device
	// Kept, when not nil, reads a device's firmware with the password
	// Porchlight keeps for it (nil when it keeps none or cannot ask).
	Kept func(ctx context.Context, id string) *KeptRead
	// ProofLost, when not nil, reports the devices Porchlight no longer
	// acts on (see Input.ProofLost).
	ProofLost func(id string) bool
	// Newest, when not nil, returns the newest version a family's maker
	// named in its own release feed (nil when it was not asked or did not
	// answer); the catalog's version is the fallback.
	Newest func(family string) *Newest
}

// DefaultConcurrency is how many devices are checked at once.
const DefaultConcurrency = 32

// Run checks every device: identification, probe, scorecard. The order of
// devices is kept. It fails only when the catalog cannot be loaded.
func Run(ctx context.Context, devices []discover.Device, opts Options) (Household, error) {
	cat := opts.Catalog
	if cat == nil {
		var err error
		if cat, err = catalog.Default(); err != nil {
			return Household{}, err
		}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = probe.DefaultTimeout
	}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	now := time.Now()
	cards := make([]Scorecard, len(devices))
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, d := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			id := identify.Identify(ctx, opts.Network, d, timeout)
			fam, ok := cat.Family(string(id.Family))
			if !ok {
				fam, _ = cat.Family(string(identify.Unknown))
			}
			in := Input{
				Device: d, Identity: id, Probe: probe.Probe(ctx, d, id, probe.Options{Timeout: timeout, Network: opts.Network}),
				Family: fam, Now: now,
			}
			if opts.Factory != nil {
				in.Factory = opts.Factory(d.ID)
			}
			if opts.Kept != nil {
				in.Kept = opts.Kept(ctx, d.ID)
			}
			if opts.ProofLost != nil {
				in.ProofLost = opts.ProofLost(d.ID)
			}
			if opts.Newest != nil {
				in.Newest = opts.Newest(fam.ID)
			}
			cards[i] = Score(in)
		}()
	}
	wg.Wait()
	checkRouters(ctx, devices, opts.Household, cards, opts.Network, timeout)
	checkCameras(ctx, devices, cards, opts.Network, timeout)
	return Household{Summary: Summarise(cards), Devices: cards, Checked: now}, nil
}

// nextStepOrder ranks problems by how much fixing them matters.
var nextStepOrder = []string{"5.1", "5.3", "5.5", "5.6"}

// Summarise says how the household stands: how many devices need
// attention (a problem someone can act on), how many have problems only
// advice helps with, and the most important next step.
func Summarise(cards []Scorecard) Summary {
	s := Summary{Devices: len(cards)}
	for _, c := range cards {
		s.Problems += c.Problems
		switch {
		case c.Actionable > 0:
			s.NeedAttention++
		case c.Problems > 0:
			s.AdviceOnly++
		}
	}
	s.Says = Reasons{}
	switch {
	case s.Devices == 0:
		s.Says = says("summary.none")
	case s.NeedAttention == 0 && s.AdviceOnly == 0 && s.Devices == 1:
		s.Says = says("summary.ok.one")
	case s.NeedAttention == 0 && s.AdviceOnly == 0:
		s.Says = says("summary.ok", s.Devices)
	case s.Devices == 1 && s.NeedAttention == 1:
		s.Says = says("summary.attention.one")
	case s.NeedAttention > 0:
		s.Says = says("summary.attention", s.NeedAttention, s.Devices)
	}
	switch {
	case s.AdviceOnly == 1:
		s.Says = append(s.Says, reason("summary.advice.one"))
	case s.AdviceOnly > 1:
		s.Says = append(s.Says, reason("summary.advice", s.AdviceOnly))
	}
	if s.Problems > 0 {
		s.Next = nextStep(cards)
	}
	return s
}

// nextStep picks the most important problem, preferring one the person
// can act on (Porchlight fixes it, or there are steps) over advice.
func nextStep(cards []Scorecard) *Reason {
	// A device that takes its maker's factory password comes first.
	for _, c := range cards {
		if slices.ContainsFunc(c.Lines, func(l Line) bool { return l.factory && l.Status == Problem }) {
			return ref(reason("next.5.1.factory", c.Device.Name))
		}
	}
	for _, wantAction := range []bool{true, false} {
		for _, p := range nextStepOrder {
			for _, c := range cards {
				if i := slices.IndexFunc(c.Lines, func(l Line) bool {
					return l.Provision == p && l.Status == Problem && (!wantAction || l.Actionable())
				}); i >= 0 {
					if k := c.Lines[i].next; k != "" {
						return ref(reason(k, c.Device.Name))
					}
					return ref(reason("next."+p, c.Device.Name))
				}
			}
		}
	}
	for _, c := range cards {
		if c.Problems > 0 {
			return ref(reason("next.other", c.Device.Name))
		}
	}
	return nil
}

func ref(r Reason) *Reason { return &r }
