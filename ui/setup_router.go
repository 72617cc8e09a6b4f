package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/setup"
)

// routerTimeout bounds each request to the router.
const routerTimeout = 3 * time.Second

// router is the setup's router step: it reads the router now (read-only)
// and says in plain words whether UPnP is on, which device opened which
// port to the internet, and whether the router's own page is plain HTTP;
// it offers to close one mapping (asked first, journaled by the core and
// read again after), the maker's steps to stop devices opening ports, and
// skipping.
func (w *wizard) router() fyne.CanvasObject {
	w.next.Disable()
	status := wrapped(lang.L("setup.router.checking"))
	note := w.note
	w.note = ""
	bar := busyBar()
	body := container.NewVBox()
	skip := widget.NewButtonWithIcon(lang.L("setup.router.skip"), theme.MediaSkipNextIcon(), func() { w.move(w.st.Next()) })
	devices := w.h.Devices()
	i := slices.IndexFunc(devices, app.IsRouter)
	if i < 0 {
		status.SetText(lang.L("setup.router.gone"))
		w.next.Enable()
		return container.NewVBox(status, skip)
	}
	startBusy(bar)
	screen := container.NewVBox(bar, status, body, skip)
	onScreen(w.u, func(ctx context.Context) result[app.Checkup] {
		c, err := w.h.Check(ctx, devices[i:i+1], app.CheckOptions{})
		return result[app.Checkup]{c, err}
	}, func(r result[app.Checkup]) {
		stopBusy(bar)
		w.next.Enable()
		j := slices.IndexFunc(r.v.Devices, func(c checkup.Scorecard) bool { return c.Router != nil })
		switch {
		case r.err != nil:
			status.SetText(lang.L("setup.router.failed", map[string]any{"Error": r.err.Error()}))
		case j < 0:
			status.SetText(lang.L("setup.router.gone"))
		default:
			status.SetText(note)
			if note == "" {
				status.Hide()
			}
			w.showRouter(body, status, bar, r.v.Devices[j], screen.Refresh)
		}
		screen.Refresh() // lays the filled body out again
	})
	return screen
}

// showRouter fills body with what the router check saw on card; relayout
// lays the screen out again when more of it is shown.
func (w *wizard) showRouter(body *fyne.Container, status *widget.Label, bar *widget.ProgressBarInfinite, card checkup.Scorecard, relayout func()) {
	r := card.Router
	heading := widget.NewLabelWithStyle(card.Device.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body.Add(heading)
	switch {
	case !r.UPnP:
		body.Add(wrapped(lang.L("setup.router.upnp.unknown")))
	case len(r.Mappings) == 0:
		body.Add(wrapped(lang.L("setup.router.upnp.none")))
	default:
		body.Add(wrapped(lang.LocalizePluralKey("setup.router.upnp.on", "", len(r.Mappings), map[string]any{"Count": len(r.Mappings)})))
	}
	for _, m := range r.Mappings {
		who := m.DeviceName
		if who == "" {
			who = lang.L("setup.router.unknown", map[string]any{"Addr": m.InternalClient})
		}
		says := wrapped("• " + lang.L("setup.router.mapping", map[string]any{"Name": who, "Port": m.ExternalPort, "Protocol": m.Protocol}))
		body.Add(container.NewBorder(nil, nil, nil, w.closeButton(m, who, status, bar), says))
	}
	if r.UPnP && !r.Complete {
		body.Add(wrapped(lang.L("setup.router.incomplete")))
	}
	if r.PlainAdmin != "" {
		body.Add(wrapped(lang.L("setup.router.admin", map[string]any{"URL": r.PlainAdmin})))
	}
	if steps := r.Steps.In(w.u.lang); len(steps) > 0 {
		shown := wrapped("")
		shown.Hide()
		body.Add(widget.NewButtonWithIcon(lang.L("setup.router.steps"), theme.InfoIcon(), func() {
			numbered := make([]string, len(steps))
			for k, s := range steps {
				numbered[k] = fmt.Sprintf("%d. %s", k+1, s)
			}
			shown.SetText(strings.Join(numbered, "\n"))
			shown.Show()
			relayout()
		}))
		body.Add(shown)
	}
}

// closeButton removes the one mapping m from the router once the person
// confirms it; the step is then read again, so it shows what the router
// lists now.
func (w *wizard) closeButton(m checkup.RouterMapping, who string, status *widget.Label, bar *widget.ProgressBarInfinite) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(lang.L("setup.router.close", map[string]any{"Port": m.ExternalPort}), theme.CancelIcon(), func() {
		b.Disable()
		w.next.Disable()
		startBusy(bar)
		type outcome struct {
			asked bool
			res   app.ClosedPort
			err   error
		}
		question := lang.L("setup.router.close.ask", map[string]any{"Name": who, "Port": m.ExternalPort, "Protocol": m.Protocol})
		background(w.u, func(ctx context.Context) outcome {
			if !w.u.ask(ctx, lang.L("setup.router.close.title"), question) {
				return outcome{}
			}
			do(func() {
				status.SetText(lang.L("setup.router.closing", map[string]any{"Port": m.ExternalPort}))
				status.Show()
			})
			res, err := w.h.ClosePort(ctx, m.ExternalPort, m.Protocol, routerTimeout)
			return outcome{true, res, err}
		}, func(o outcome) {
			stopBusy(bar)
			w.next.Enable()
			if w.st.Step != setup.Router || w.u.win.Content() != w.root {
				return // the person moved on: the result changes no other screen
			}
			switch {
			case !o.asked:
				b.Enable()
				status.SetText(lang.L("setup.router.notnow"))
				status.Show()
			case o.err != nil:
				b.Enable()
				status.Show()
				status.SetText(lang.L("setup.router.close.failed", map[string]any{"Port": m.ExternalPort, "Error": o.err.Error()}))
			default:
				w.note = lang.L("setup.router.closed", map[string]any{"Name": who, "Port": o.res.Mapping.ExternalPort, "Protocol": o.res.Mapping.Protocol})
				w.render() // reads the router again: the step shows what it lists now
			}
		})
	})
	return b
}
