package ui

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/setup"
)

// setupHousehold is what the guided setup needs from the core: the device
// page's actions for its fixing steps, and its own.
type setupHousehold interface {
	deviceHousehold
	Setup() (setup.State, error)
	SaveSetup(setup.State) error
	Scan(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)
	Password(ctx context.Context, id string) (string, error)
	// ClosePort removes one port mapping from the household's router,
	// journaled, and reads the router again.
	ClosePort(ctx context.Context, externalPort int, protocol string, timeout time.Duration) (app.ClosedPort, error)
}

// wizard is the guided setup: one decision per screen, always a way back,
// and its place saved after every step.
type wizard struct {
	u    *ui
	h    setupHousehold
	st   setup.State
	next *widget.Button
	back *widget.Button
	// note is what the last action said, for the next showing of its step.
	note string
	// root is the screen shown, to tell whether it still is.
	root fyne.CanvasObject
}

// newWizard is the guided setup of the household u shows, at st.
func newWizard(u *ui, st setup.State) *wizard { return &wizard{u: u, h: u.h, st: st} }

func (u *ui) showSetup() {
	st, err := u.h.Setup()
	w := newWizard(u, st)
	w.render()
	if err != nil {
		dialog.ShowInformation(lang.L("setup.title"), err.Error(), u.win)
	}
}

// restartSetup runs the guided setup again from the start.
func (u *ui) restartSetup() {
	if err := u.h.SaveSetup(setup.Start()); err != nil {
		dialog.ShowError(err, u.win)
	}
	u.showSetup()
}

// move saves the new place and shows it.
func (w *wizard) move(st setup.State) {
	w.st = st
	if err := w.h.SaveSetup(st); err != nil {
		dialog.ShowError(err, w.u.win)
	}
	if st.Step == setup.Done {
		w.u.showDashboard()
		return
	}
	w.render()
}

// render shows the current step with Back and Next.
func (w *wizard) render() {
	w.u.enter()
	w.back = widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), func() { w.move(w.st.Back()) })
	w.next = widget.NewButtonWithIcon(lang.L("nav.next"), theme.NavigateNextIcon(), func() { w.move(w.st.Next()) })
	w.next.Importance = widget.HighImportance
	if w.st.Step == setup.Welcome {
		w.back.Disable()
	}
	var title string
	var body fyne.CanvasObject
	switch w.st.Step {
	case setup.Welcome:
		title, body = lang.L("setup.welcome.title"), w.welcome()
	case setup.Promise:
		title, body = lang.L("setup.promise.title"), wrapped(lang.L("setup.promise.body"))
	case setup.Scan:
		title, body = lang.L("setup.scan.title"), w.scan()
	case setup.Confirm:
		title, body = lang.L("setup.confirm.title"), w.confirm()
	case setup.Checkup:
		title, body = lang.L("setup.checkup.title"), w.checkup()
	case setup.Router:
		title, body = lang.L("setup.router.title"), w.router()
	case setup.Fix:
		title, body = w.fixTitle(), w.fix()
	case setup.Summary:
		title, body = lang.L("setup.summary.title"), w.summary()
	}
	nav := container.NewHBox(w.back, layout.NewSpacer(), w.next)
	w.root = page(title, container.NewBorder(nil, nav, nil, nil, container.NewVScroll(body)))
	w.u.show(w.root)
}

func (w *wizard) welcome() fyne.CanvasObject {
	w.next.SetText(lang.L("setup.start"))
	return wrapped(lang.L("setup.welcome.body"))
}

// scan looks for devices, showing them as they answer; with none found, it
// offers the demo household.
func (w *wizard) scan() fyne.CanvasObject {
	w.next.Disable()
	status := wrapped(lang.L("scan.running"))
	bar := busyBar()
	startBusy(bar)
	var names []string
	list := widget.NewList(func() int { return len(names) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(names[i]) })
	box := container.NewVBox(status, bar)
	found := func(name string) {
		if !slices.Contains(names, name) {
			names = append(names, name)
			status.SetText(lang.LocalizePluralKey("scan.found", "", len(names), map[string]any{"Count": len(names)}))
			list.Refresh()
		}
	}
	onScreen(w.u, func(ctx context.Context) result[app.ScanResult] {
		// Discovery calls back from one goroutine and never waits on us.
		res, err := w.h.Scan(ctx, app.ScanOptions{}, func(e app.ScanEvent) { do(func() { found(e.Device.Name) }) })
		return result[app.ScanResult]{res, err}
	}, func(r result[app.ScanResult]) {
		stopBusy(bar)
		switch {
		case r.err != nil:
			status.SetText(lang.L("scan.failed", map[string]any{"Error": r.err.Error()}))
		case len(r.v.Devices) == 0:
			status.SetText(lang.L("scan.none"))
			if w.u.opts.OpenDemo != nil {
				box.Add(widget.NewButtonWithIcon(lang.L("setup.demo"), theme.MediaPlayIcon(), w.openDemo))
			}
		default:
			status.SetText(lang.LocalizePluralKey("setup.scan.found", "", len(r.v.Devices), map[string]any{"Count": len(r.v.Devices)}))
			w.next.Enable()
		}
	})
	return container.NewBorder(box, nil, nil, nil, list)
}

// openDemo switches to the demo household and scans it.
func (w *wizard) openDemo() {
	h, err := w.u.opts.OpenDemo()
	if err != nil {
		dialog.ShowError(err, w.u.win)
		return
	}
	w.u.h, w.h, w.u.checkup = h, h, nil
	w.u.watchHousehold()
	w.move(setup.State{Step: setup.Scan})
}

// confirm asks which devices are the person's, with a name and a room each.
func (w *wizard) confirm() fyne.CanvasObject {
	devices := w.h.Devices()
	type row struct {
		mine       *widget.Check
		name, room *widget.Entry
	}
	rows := make([]row, len(devices))
	grid := container.NewVBox()
	for i, d := range devices {
		rec, _ := w.h.Record(d.ID)
		r := row{mine: widget.NewCheck(lang.L("setup.confirm.mine"), nil), name: widget.NewEntry(), room: widget.NewEntry()}
		r.name.SetText(d.Name)
		if rec.Claimed && rec.Name != "" {
			r.name.SetText(rec.Name)
		}
		r.room.SetText(rec.Room)
		r.room.SetPlaceHolder(lang.L("setup.confirm.room"))
		r.mine.SetChecked(slices.Contains(w.st.Devices, d.ID) || rec.Claimed)
		rows[i] = r
		// What it is in plain words; its host name and addresses are on its page.
		detail := widget.NewLabel(whatItIs(rec))
		detail.Truncation = fyne.TextTruncateEllipsis // a long model name never widens the window
		grid.Add(container.NewBorder(nil, nil, r.mine, nil, container.NewGridWithColumns(3, r.name, r.room, detail)))
	}
	all := widget.NewButton(lang.L("setup.confirm.all"), func() {
		for _, r := range rows {
			r.mine.SetChecked(true)
		}
	})
	w.next.OnTapped = func() {
		type claim struct{ id, name, room string }
		var claims []claim
		for i, r := range rows {
			if r.mine.Checked {
				claims = append(claims, claim{devices[i].ID, strings.TrimSpace(r.name.Text), strings.TrimSpace(r.room.Text)})
			}
		}
		// Claiming reads what each device says about itself: off the UI goroutine.
		w.next.Disable()
		background(w.u, func(ctx context.Context) result[[]string] {
			var ids []string
			for _, c := range claims {
				if err := w.h.Claim(ctx, []string{c.id}, c.name, c.room); err != nil {
					return result[[]string]{ids, err}
				}
				ids = append(ids, c.id)
			}
			return result[[]string]{ids, nil}
		}, func(r result[[]string]) {
			w.next.Enable()
			if r.err != nil {
				dialog.ShowError(r.err, w.u.win)
				return
			}
			st := w.st
			st.Devices = r.v
			st.Router = slices.ContainsFunc(w.h.Devices(), app.IsRouter)
			w.move(st.Next())
		})
	}
	return container.NewVBox(wrapped(lang.L("setup.confirm.body")), all, grid)
}

// checkup checks the person's devices and says how they stand.
func (w *wizard) checkup() fyne.CanvasObject {
	w.next.Disable()
	status := wrapped(lang.L("checkup.running"))
	bar := busyBar()
	startBusy(bar)
	w.runCheckup(func(c *app.Checkup, err error) {
		stopBusy(bar)
		if err != nil {
			status.SetText(lang.L("checkup.failed", map[string]any{"Error": err.Error()}))
			return
		}
		if len(w.st.Devices) == 0 {
			status.SetText(lang.L("setup.summary.noclaims")) // the checkup's "no devices found" would not be true
		} else {
			status.SetText(strings.TrimSpace(c.Summary.Sentence(w.u.lang) + "\n" + c.Summary.NextStep(w.u.lang)))
		}
		w.next.Enable()
	})
	return container.NewVBox(status, bar)
}

// runCheckup checks the devices the person confirmed, then calls done on
// the UI goroutine.
func (w *wizard) runCheckup(done func(*app.Checkup, error)) {
	var devices []app.Device
	for _, d := range w.h.Devices() {
		if slices.Contains(w.st.Devices, d.ID) {
			devices = append(devices, d)
		}
	}
	onScreen(w.u, func(ctx context.Context) result[app.Checkup] {
		c, err := w.h.Check(ctx, devices, app.CheckOptions{})
		return result[app.Checkup]{c, err}
	}, func(r result[app.Checkup]) {
		if r.err == nil {
			w.u.checkup = &r.v
		}
		done(&r.v, r.err)
	})
}

func (w *wizard) fixTitle() string {
	rec, _ := w.h.Record(w.st.Device())
	return lang.L("setup.fix.title", map[string]any{
		"N": w.st.Current + 1, "Of": len(w.st.Devices), "Name": rec.Name, "Part": lang.L("setup.part." + string(w.st.Part)),
	})
}

// fix shows what can be done about one part of one device: done by
// Porchlight where a driver can, else the vendor's numbered steps.
func (w *wizard) fix() fyne.CanvasObject {
	if w.u.checkup == nil {
		bar := busyBar()
		startBusy(bar)
		w.runCheckup(func(*app.Checkup, error) { w.render() })
		return container.NewVBox(wrapped(lang.L("checkup.running")), bar)
	}
	id := w.st.Device()
	var lines []checkup.Line
	for _, sc := range w.u.checkup.Devices {
		if sc.Device.ID != id {
			continue
		}
		for _, l := range sc.Lines {
			if slices.Contains(partLines[w.st.Part], l.Provision) {
				lines = append(lines, l)
			}
		}
	}
	box := container.NewVBox()
	for _, l := range lines {
		box.Add(widget.NewLabelWithStyle(lineMark(l.Status)+"  "+l.Title(w.u.lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(lineDetail(l, w.u.lang))
	}
	status := wrapped(w.note)
	w.note = ""
	bar := busyBar()
	caps := w.h.Capabilities(id)
	if caps.ProofLost && status.Text == "" {
		status.SetText(lang.L("device.prooflost"))
	}
	switch {
	case w.st.Part == setup.Password && caps.Password && hasProblem(lines):
		box.Add(w.action(lang.L("setup.fix.password"), status, bar, func(ctx context.Context) (string, error) {
			if err := w.h.SetPassword(ctx, id, ""); err != nil {
				return "", err
			}
			return lang.L("password.done"), nil
		}))
	case w.st.Part == setup.Update && caps.Update:
		box.Add(w.action(lang.L("setup.fix.update"), status, bar, func(ctx context.Context) (string, error) {
			res, err := w.h.ApplyUpdate(ctx, id, app.UpdateOptions{Progress: w.u.stepSayer(func(s string) { do(func() { status.SetText(s) }) })})
			switch {
			case err != nil:
				return "", err
			case !res.Verified:
				return lang.L("update.current", map[string]any{"Version": res.From}), nil
			}
			return lang.L("update.done", map[string]any{"From": res.From, "To": res.To}), nil
		}))
	}
	if ifaces := w.h.FactoryPasswords(id); w.st.Part == setup.Password && len(ifaces) > 0 {
		box.Add(w.action(lang.L("device.factory"), status, bar, func(ctx context.Context) (string, error) {
			if !w.u.ask(ctx, lang.L("device.factory"), factoryQuestion(ifaces)) {
				return lang.L("factory.notnow"), ctx.Err()
			}
			res, err := w.h.TryFactoryPasswords(ctx, id, func(iface string) {
				do(func() { status.SetText(lang.L("factory.sending", map[string]any{"What": lang.L("iface." + iface)})) })
			})
			if err != nil {
				return "", err
			}
			return factorySentence(res), nil
		}))
	}
	if w.st.Part == setup.Password && w.h.KeepsPassword(id) {
		box.Add(widget.NewButtonWithIcon(lang.L("setup.fix.copy"), theme.ContentCopyIcon(), func() { w.copyPassword(id, status) }))
	}
	if adminURL := w.h.AdminURL(id); adminURL != "" {
		box.Add(widget.NewButtonWithIcon(lang.L("device.admin"), theme.ComputerIcon(), func() {
			if u, err := url.Parse(adminURL); err == nil {
				if err := w.u.app.OpenURL(u); err != nil {
					status.SetText(lang.L("device.admin.failed", map[string]any{"URL": adminURL}))
				}
			}
		}))
	}
	box.Add(bar)
	box.Add(status)
	box.Add(container.NewHBox(
		widget.NewButtonWithIcon(lang.L("setup.skip"), theme.MediaSkipNextIcon(), func() { w.move(w.st.SkipDevice()) }),
		widget.NewButtonWithIcon(lang.L("setup.tosummary"), theme.MediaFastForwardIcon(), func() { w.move(w.st.ToSummary()) }),
	))
	return box
}

// partLines are the scorecard lines each part of the fixing shows.
var partLines = map[setup.Part][]string{
	setup.Password: {"5.1"},
	setup.Update:   {"5.3"},
	setup.Privacy:  {"5.8", "5.11", "6"},
}

func hasProblem(lines []checkup.Line) bool {
	return slices.ContainsFunc(lines, func(l checkup.Line) bool { return l.Status == checkup.Problem })
}

// action is a button that runs slow work with progress and says how it
// ended: the step is shown again after the household's new checkup, so
// that its lines show what the work changed.
func (w *wizard) action(label string, status *widget.Label, bar *widget.ProgressBarInfinite, work func(context.Context) (string, error)) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(label, theme.ConfirmIcon(), func() {
		b.Disable()
		w.next.Disable()
		startBusy(bar)
		id := w.st.Device()
		say := func(s string) { do(func() { status.SetText(s) }) }
		// The device changes: it is checked again, so this step and the
		// summary show it as it is now.
		w.u.act(id, say, work, func(note string, err error) {
			stopBusy(bar)
			w.next.Enable()
			if err != nil {
				if !errors.Is(err, app.ErrNoKeyring) {
					b.Enable() // trying again may work; without a keyring it cannot
				}
				w.u.sayFailure(err, status, func() { w.move(w.st.Without(id)) })
				return
			}
			if w.st.Device() != id || w.u.win.Content() != w.root {
				return // the person moved on: the result changes no other screen
			}
			w.note = note
			w.render()
		})
	})
	b.Importance = widget.HighImportance
	return b
}

// copyPassword puts the password Porchlight keeps for the device on the
// clipboard; it is never shown on screen.
func (w *wizard) copyPassword(id string, status *widget.Label) {
	onScreen(w.u, func(ctx context.Context) result[string] {
		pw, err := w.h.Password(ctx, id)
		return result[string]{pw, err}
	}, func(r result[string]) {
		if r.err != nil {
			status.SetText(lang.L("action.failed", map[string]any{"Error": r.err.Error()}))
			return
		}
		w.u.app.Clipboard().SetContent(r.v)
		status.SetText(lang.L("setup.fix.copied"))
	})
}

// summary checks again and says how the household stands now; the person
// can keep a report.
func (w *wizard) summary() fyne.CanvasObject {
	w.next.SetText(lang.L("setup.finish"))
	w.next.Disable()
	status := wrapped(lang.L("checkup.running"))
	bar := busyBar()
	startBusy(bar)
	save := widget.NewButtonWithIcon(lang.L("dashboard.report"), theme.DocumentSaveIcon(), func() {
		(&dashboard{u: w.u, h: w.u.h}).saveReport()
	})
	save.Disable()
	outcome := wrapped("")
	w.runCheckup(func(c *app.Checkup, err error) {
		stopBusy(bar)
		w.next.Enable()
		if err != nil {
			status.SetText(lang.L("checkup.failed", map[string]any{"Error": err.Error()}))
			return
		}
		if len(w.st.Devices) == 0 {
			status.SetText(lang.L("setup.summary.noclaims")) // the checkup's "no devices found" would not be true
		} else {
			status.SetText(strings.TrimSpace(c.Summary.Sentence(w.u.lang) + "\n" + c.Summary.NextStep(w.u.lang)))
		}
		outcome.SetText(w.outcome(c))
		save.Enable()
	})
	return container.NewVBox(status, bar, outcome, save)
}

// outcome says, for the devices of this setup, what Porchlight did, what
// is left for the person and why, and what nobody can fix from here.
func (w *wizard) outcome(c *app.Checkup) string {
	var done, open, advice []string
	for _, id := range w.st.Devices {
		rec, ok := w.h.Record(id)
		if !ok {
			continue
		}
		for _, d := range rec.Done {
			done = append(done, lang.L("done."+d.Action, map[string]any{"Name": rec.Name, "To": d.To}))
		}
		for _, sc := range c.Devices {
			if sc.Device.ID != id {
				continue
			}
			var mine, nobody []string
			for _, l := range sc.Lines {
				switch {
				case l.Actionable():
					mine = append(mine, l.Title(w.u.lang))
				case l.Status == checkup.Problem:
					nobody = append(nobody, l.Title(w.u.lang))
				}
			}
			if len(mine) > 0 {
				open = append(open, lang.L("summary.open.device", map[string]any{"Name": rec.Name, "What": strings.Join(mine, ", ")}))
			}
			if len(nobody) > 0 {
				advice = append(advice, lang.L("summary.advice.device", map[string]any{"Name": rec.Name, "What": strings.Join(nobody, ", ")}))
			}
		}
	}
	var parts []string
	for _, g := range []struct {
		title string
		lines []string
	}{{"summary.done", done}, {"summary.open", open}, {"summary.nobody", advice}} {
		if len(g.lines) > 0 {
			parts = append(parts, lang.L(g.title)+"\n• "+strings.Join(g.lines, "\n• "))
		}
	}
	return strings.Join(parts, "\n\n")
}
