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
	// Port is the port a mapping opened ("8080/TCP") on Router.
	Port   string `json:"port,omitempty"`
	Router string `json:"router,omitempty"`
	Key    string `json:"key"`
}

type eventDevice struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func runWatch(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("watch", out, errOut)
	fw := f.flagWords()
	interval := f.Duration("interval", watch.DefaultInterval, fw.t("cli.flag.interval"))
	asJSON := f.JSON()
	iface := f.Interface()
	dataDir := f.DataDir()
	if err := f.Parse(args, 0, 0); err != nil {
		return err
	}
	w := f.words
	if *interval < watch.MinInterval {
		return f.Usagef("cli.error.interval", "Min", watch.MinInterval.String())
	}
	c, err := env.open(*dataDir, *iface, f.Lang(), errOut, w)
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
				line, _ := json.Marshal(eventJSON(e, w.lang))
				fmt.Fprintf(out, "%s\n", line)
			} else {
				fmt.Fprintln(out, eventLine(e, w))
			}
		}
	}
	wt, err := watch.New(c, watch.Options{Interval: *interval, OnEvents: show, OnLook: func(err error) {
		if err != nil && ctx.Err() == nil {
			fmt.Fprintln(errOut, w.t("cli.watch.lookfailed", "Error", err.Error()))
		}
	}})
	if errors.Is(err, events.ErrCorrupt) {
		fmt.Fprintln(errOut, w.t("cli.watch.warning", "Error", err.Error()))
	} else if err != nil {
		return err
	}
	fmt.Fprintln(errOut, w.t("cli.watch.start", "Interval", wt.Interval().String()))
	wt.Run(ctx)
	fmt.Fprintln(errOut, w.t("cli.watch.stopped"))
	return nil
}

// eventJSON is e as `watch --json` prints it.
func eventJSON(e events.Event, lang string) eventDocument {
	d := eventDocument{Schema: Schema, Time: e.Time, Event: e.Kind, Device: eventDevice{e.Device, e.Name}, Address: e.Address, Previous: e.Previous,
		Firmware: e.Firmware, Available: e.Available, Provision: e.Provision, Says: e.Says.In(lang), Port: e.Port, Router: e.Router, Key: e.Key}
	if !e.LastSeen.IsZero() {
		d.LastSeen = &e.LastSeen
	}
	return d
}

// eventLine says what happened in one line, with the app's own words for
// events (event.title.*, event.*): when, what, and the device's ID.
func eventLine(e events.Event, w *words) string {
	key := "event." + string(e.Kind)
	if v := e.Variant(); v != "" {
		key += "." + v
	}
	what := w.t(key, "Name", e.Name, "Address", e.Address, "Previous", e.Previous, "Firmware", e.Firmware,
		"Available", e.Available, "Provision", e.Provision, "Since", e.LastSeen.Local().Format("2006-01-02 15:04"), "Says", e.Says.In(w.lang), "Port", e.Port, "Router", e.Router)
	return fmt.Sprintf("%s  %s: %s  [%s]", e.Time.Local().Format("2006-01-02 15:04"), w.t("event.title."+string(e.Kind)), what, e.Device)
}
