package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
)

// devicePage shows one device: who it is, its checkup and what can be done.
type devicePage struct {
	u      *ui
	id     string
	status *widget.Label
	bar    *widget.ProgressBarInfinite
	// actions are disabled while one runs.
	actions []*widget.Button
}

func (u *ui) showDevice(id string) {
	p := &devicePage{u: u, id: id, status: wrapped(""), bar: busyBar()}
	rec, _ := u.h.Record(id)
	name := rec.Name
	if name == "" {
		name = id
	}
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), u.showDashboard)
	body := container.NewVBox(p.identity(rec), p.actionBar(rec), p.bar, p.status, widget.NewSeparator(), p.scorecard())
	u.show(page(name, container.NewVScroll(body), back))
}

// identity lists what the device is and where it is.
func (p *devicePage) identity(r app.Record) fyne.CanvasObject {
	addrs := make([]string, len(r.Addresses))
	for i, a := range r.Addresses {
		addrs[i] = a.String()
	}
	var services []string
	for _, s := range r.Services {
		services = append(services, s.Type)
	}
	rows := []string{
		lang.L("device.model") + ": " + orUnknown(app.DescribeModel(r.Vendor, r.Model)),
		lang.L("device.firmware") + ": " + orUnknown(r.Firmware),
		lang.L("device.address") + ": " + strings.Join(addrs, ", ") + " (" + r.Host + ")",
		lang.L("device.services") + ": " + strings.Join(services, ", "),
	}
	if r.Room != "" {
		rows = append([]string{lang.L("device.room") + ": " + r.Room}, rows...)
	}
	if !r.Claimed {
		rows = append(rows, lang.L("device.notclaimed"))
	}
	return wrapped(strings.Join(rows, "\n"))
}

func orUnknown(s string) string {
	if s == "" {
		return lang.L("device.unknown")
	}
	return s
}

// actionBar offers what Porchlight can do for this device.
func (p *devicePage) actionBar(r app.Record) fyne.CanvasObject {
	caps := p.u.h.Capabilities(p.id)
	add := func(label string, icon fyne.Resource, do func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, do)
		p.actions = append(p.actions, b)
		return b
	}
	var buttons []fyne.CanvasObject
	if !r.Claimed {
		buttons = append(buttons, add(lang.L("device.claim"), theme.ConfirmIcon(), p.claim))
	} else {
		if caps.Password {
			buttons = append(buttons, add(lang.L("device.password"), theme.AccountIcon(), p.password))
		}
		if caps.Pairing {
			buttons = append(buttons, add(lang.L("device.pair"), theme.LoginIcon(), p.pair))
		}
		if caps.Update {
			buttons = append(buttons, add(lang.L("device.update"), theme.DownloadIcon(), p.update))
		}
		if caps.Reset {
			buttons = append(buttons, add(lang.L("device.reset"), theme.DeleteIcon(), p.reset))
		}
		buttons = append(buttons, add(lang.L("wipe.button"), theme.DeleteIcon(), func() { p.u.showWipe(p.id) }))
	}
	if adminURL := p.u.h.AdminURL(p.id); adminURL != "" {
		buttons = append(buttons, add(lang.L("device.admin"), theme.ComputerIcon(), func() {
			if u, err := url.Parse(adminURL); err == nil {
				_ = p.u.app.OpenURL(u)
			}
		}))
	}
	buttons = append(buttons, add(lang.L("device.forget"), theme.CancelIcon(), p.forget))
	return container.NewGridWrap(fyne.NewSize(200, 40), buttons...)
}

// run does slow work for this device with a progress indicator, then shows
// the outcome in words.
func (p *devicePage) run(what string, work func(ctx context.Context, progress func(string)) (string, error)) {
	for _, b := range p.actions {
		b.Disable()
	}
	startBusy(p.bar)
	p.status.SetText(what)
	progress := func(s string) { do(func() { p.status.SetText(s) }) }
	background(p.u, func(ctx context.Context) result[string] {
		s, err := work(ctx, progress)
		return result[string]{s, err}
	}, func(r result[string]) {
		stopBusy(p.bar)
		for _, b := range p.actions {
			b.Enable()
		}
		if r.err != nil {
			p.status.SetText(lang.L("action.failed", map[string]any{"Error": r.err.Error()}))
			return
		}
		p.status.SetText(r.v)
		p.u.checkup = nil // what the device says has changed: check again
	})
}

func (p *devicePage) claim() {
	if err := p.u.h.Claim([]string{p.id}, "", ""); err != nil {
		dialog.ShowError(err, p.u.win)
		return
	}
	p.u.showDevice(p.id)
}

func (p *devicePage) password() {
	dialog.ShowConfirm(lang.L("device.password"), lang.L("password.confirm"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("password.running"), func(ctx context.Context, _ func(string)) (string, error) {
			if err := p.u.h.SetPassword(ctx, p.id); err != nil {
				return "", err
			}
			return lang.L("password.done"), nil
		})
	}, p.u.win)
}

// pair asks the person to press the device's link button, then pairs.
func (p *devicePage) pair() {
	dialog.ShowConfirm(lang.L("device.pair"), lang.L("pair.press"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("pair.running"), func(ctx context.Context, _ func(string)) (string, error) {
			if err := p.u.h.Pair(ctx, p.id); err != nil {
				return "", err
			}
			return lang.L("pair.done"), nil
		})
	}, p.u.win)
}

func (p *devicePage) update() {
	p.run(lang.L("update.checking"), func(ctx context.Context, _ func(string)) (string, error) {
		info, err := p.u.h.CheckUpdate(ctx, p.id)
		if err != nil {
			return "", err
		}
		if info.Available == "" {
			return lang.L("update.current", map[string]any{"Version": info.Current}), nil
		}
		confirm := make(chan bool)
		do(func() {
			dialog.ShowConfirm(lang.L("device.update"), lang.L("update.confirm", map[string]any{"From": info.Current, "To": info.Available}),
				func(ok bool) { confirm <- ok }, p.u.win)
		})
		select {
		case ok := <-confirm:
			if !ok {
				return lang.L("update.later"), nil
			}
		case <-ctx.Done():
			return "", ctx.Err()
		}
		res, err := p.u.h.ApplyUpdate(ctx, p.id, func(string) {})
		if err != nil {
			return "", err
		}
		return lang.L("update.done", map[string]any{"From": res.From, "To": res.To}), nil
	})
}

func (p *devicePage) reset() {
	dialog.ShowConfirm(lang.L("device.reset"), lang.L("reset.confirm"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("reset.running"), func(ctx context.Context, progress func(string)) (string, error) {
			how, err := p.u.h.Reset(ctx, p.id, progress)
			if err != nil {
				return "", err
			}
			return lang.L("reset.done", map[string]any{"How": how}), nil
		})
	}, p.u.win)
}

func (p *devicePage) forget() {
	dialog.ShowConfirm(lang.L("device.forget"), lang.L("forget.confirm"), func(ok bool) {
		if !ok {
			return
		}
		background(p.u, func(ctx context.Context) error {
			_, err := p.u.h.Forget(ctx, []string{p.id}, false)
			return err
		}, func(err error) {
			if err != nil {
				dialog.ShowError(err, p.u.win)
				return
			}
			p.u.checkup = nil
			p.u.showDashboard()
		})
	}, p.u.win)
}

// scorecard shows the device's lines from the latest checkup, each with
// its evidence and fix one tap away.
func (p *devicePage) scorecard() fyne.CanvasObject {
	var card *checkup.Scorecard
	if c := p.u.checkup; c != nil {
		for i := range c.Devices {
			if c.Devices[i].Device.ID == p.id {
				card = &c.Devices[i]
			}
		}
	}
	if card == nil {
		return wrapped(lang.L("device.nocheckup"))
	}
	acc := widget.NewAccordion()
	var hidden []string
	for _, l := range card.Lines {
		if !l.Observable {
			hidden = append(hidden, l.Provision)
			continue
		}
		acc.Append(widget.NewAccordionItem(fmt.Sprintf("%s   %s %s", lineMark(l.Status), l.Provision, l.Title), lineDetail(l)))
	}
	note := wrapped(lang.L("device.notobservable", map[string]any{"List": strings.Join(hidden, ", ")}))
	return container.NewVBox(acc, note)
}

// lineDetail is what one scorecard line observed, how, and what to do.
func lineDetail(l checkup.Line) fyne.CanvasObject {
	parts := []fyne.CanvasObject{wrapped(l.Sentence)}
	if l.Fix != nil {
		fix := l.Fix.Summary
		if l.Fix.ByPorchlight {
			fix = lang.L("fix.byporchlight")
		}
		for i, s := range l.Fix.Steps {
			fix += fmt.Sprintf("\n%d. %s", i+1, s)
		}
		parts = append(parts, wrapped(lang.L("line.fix")+": "+strings.TrimSpace(fix)))
	}
	if len(l.Evidence) > 0 {
		ev := wrapped(lang.L("line.evidence") + ": " + strings.Join(l.Evidence, "\n"))
		ev.TextStyle = fyne.TextStyle{Monospace: true}
		parts = append(parts, ev)
	}
	return container.NewVBox(parts...)
}
