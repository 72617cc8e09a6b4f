package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/watch"
)

// eventDocument is one line of `porchlight watch --json`.
type eventDocument struct {
	Schema    int         `json:"schema"`
	Time      time.Time   `json:"time"`
	Event     events.Kind `json:"event"`
	Device    eventDevice `json:"device"`
	Address   string      `json:"address,omitempty"`
	Previous  string      `json:"previous_address,omitempty"`
	LastSeen  *time.Time  `json:"last_seen,omitempty"`
	Firmware  string      `json:"firmware,omitempty"`
	Available string      `json:"available,omitempty"`
	Provision string      `json:"provision,omitempty"`
	// Says is what the checkup observed, in the language of the results.
	Says string `json:"says,omitempty"`
	Key  string `json:"key"`
}

type eventDevice struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func runWatch(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	fs := newFlags("watch", errOut)
	interval := fs.Duration("interval", watch.DefaultInterval, "the time between looks (at least 1m; a little jitter is added)")
	asJSON := fs.Bool("json", false, "print one JSON object per event (schema 1, see docs/cli.md) instead of text")
	iface := fs.String("interface", "", "scan only this network interface (default: every interface that can multicast)")
	lang := fs.String("lang", "", "the language of problems: en or de (default: from LANG)")
	dataDir := dataDirFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *interval < watch.MinInterval {
		fmt.Fprintf(errOut, "--interval must be at least %s: every look asks each device on your network\n", watch.MinInterval)
		return ErrUsage
	}
	c, err := env.open(*dataDir, *iface, *lang, errOut)
	if err != nil {
		return err
	}
	defer c.Close()
	var mu sync.Mutex
	show := func(evs []events.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range evs {
			if *asJSON {
				line, _ := json.Marshal(eventJSON(e, c.Lang()))
				fmt.Fprintf(out, "%s\n", line)
			} else {
				fmt.Fprintln(out, eventLine(e, c.Lang()))
			}
		}
	}
	w, err := watch.New(c, watch.Options{Interval: *interval, OnEvents: show, OnLook: func(err error) {
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(errOut, "This look went wrong (Porchlight tries again at the next): %v\n", err)
		}
	}})
	if errors.Is(err, events.ErrCorrupt) {
		fmt.Fprintf(errOut, "Warning: %v\n", err)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "Watching your household: a look every %s, a full checkup once a day. Press Ctrl+C to stop.\n", w.Interval())
	w.Run(ctx)
	fmt.Fprintln(errOut, "Stopped watching.")
	return nil
}

// eventJSON is e as `watch --json` prints it.
func eventJSON(e events.Event, lang string) eventDocument {
	d := eventDocument{Schema: Schema, Time: e.Time, Event: e.Kind, Device: eventDevice{e.Device, e.Name}, Address: e.Address, Previous: e.Previous,
		Firmware: e.Firmware, Available: e.Available, Provision: e.Provision, Says: e.Says.In(lang), Key: e.Key}
	if !e.LastSeen.IsZero() {
		d.LastSeen = &e.LastSeen
	}
	return d
}

// eventLine says what happened in one line.
func eventLine(e events.Event, lang string) string {
	when := e.Time.Local().Format("2006-01-02 15:04")
	var what string
	switch e.Kind {
	case events.NewDevice:
		what = fmt.Sprintf("New device: %s joined your network at %s", e.Name, e.Address)
	case events.Gone:
		what = fmt.Sprintf("Gone: %s has not been seen since %s", e.Name, e.LastSeen.Local().Format("2006-01-02 15:04"))
	case events.Back:
		what = fmt.Sprintf("Back: %s is on your network again, at %s", e.Name, e.Address)
		if e.Previous != "" && e.Previous != e.Address {
			what += fmt.Sprintf(" (it was at %s)", e.Previous)
		}
	case events.Update:
		what = fmt.Sprintf("Update: %s can be updated from %s", e.Name, e.Firmware)
		if e.Available != "" {
			what += " to " + e.Available
		}
	case events.Problem:
		what = fmt.Sprintf("New problem on %s (EN 303 645 %s): %s", e.Name, e.Provision, e.Says.In(lang))
	default:
		what = fmt.Sprintf("%s: %s", e.Kind, e.Name)
	}
	return fmt.Sprintf("%s  %s  [%s]", when, what, e.Device)
}
