package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/wipe"
)

// wipeFlow is the privacy wipe: choose devices, see exactly what will
// happen, confirm once, watch each device, keep the receipt.
type wipeFlow struct {
	u *ui
	h wipeHousehold
}

// wipeHousehold is what the privacy wipe needs from the core.
type wipeHousehold interface {
	Devices() []app.Device
	Record(id string) (app.Record, bool)
	PlanWipe(ctx context.Context, ids []string) (*app.WipePlan, error)
	ExecuteWipe(ctx context.Context, p *app.WipePlan, c app.WipeConfirmation, o app.WipeOptions) (*app.WipeReceipt, error)
	ResumeWipe(ctx context.Context, o app.WipeOptions) (*app.WipeReceipt, error)
}

// newWipeFlow is a privacy wipe on the household u shows.
func newWipeFlow(u *ui) *wipeFlow { return &wipeFlow{u: u, h: u.h} }

// showWipe starts a privacy wipe with the given devices ticked (none: choose).
func (u *ui) showWipe(preselected ...string) {
	u.enter()
	newWipeFlow(u).choose(preselected)
}

// choose lists the devices that are the person's, to tick; "I'm moving
// out" ticks them all.
func (f *wipeFlow) choose(preselected []string) {
	var ids []string
	var checks []*widget.Check
	list := container.NewVBox()
	for _, d := range f.h.Devices() {
		rec, _ := f.h.Record(d.ID)
		if !rec.Claimed {
			continue
		}
		name := rec.Name
		if name == "" {
			name = d.Name
		}
		c := widget.NewCheck(name, nil)
		c.SetChecked(slices.Contains(preselected, d.ID))
		ids, checks = append(ids, d.ID), append(checks, c)
		list.Add(c)
	}
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), f.u.showDashboard)
	if len(ids) == 0 {
		f.u.show(page(lang.L("wipe.title"), wrapped(lang.L("wipe.none")), back))
		return
	}
	movingOut := widget.NewButtonWithIcon(lang.L("wipe.movingout"), theme.HomeIcon(), func() {
		for _, c := range checks {
			c.SetChecked(true)
		}
	})
	next := widget.NewButtonWithIcon(lang.L("wipe.preview"), theme.NavigateNextIcon(), func() {
		var chosen []string
		for i, c := range checks {
			if c.Checked {
				chosen = append(chosen, ids[i])
			}
		}
		if len(chosen) > 0 {
			f.preview(chosen)
		}
	})
	next.Importance = widget.HighImportance
	body := container.NewBorder(container.NewVBox(wrapped(lang.L("wipe.intro")), movingOut), container.NewHBox(layout.NewSpacer(), next), nil, nil, container.NewVScroll(list))
	f.u.show(page(lang.L("wipe.title"), body, back))
}

// preview shows, per device, exactly what will happen, and asks for one
// confirmation (typed when more than one device is wiped).
func (f *wipeFlow) preview(ids []string) {
	bar := busyBar()
	startBusy(bar)
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), func() { f.choose(ids) })
	f.u.show(page(lang.L("wipe.title"), container.NewVBox(wrapped(lang.L("wipe.planning")), bar), back))
	background(f.u, func(ctx context.Context) result[*app.WipePlan] {
		p, err := f.h.PlanWipe(ctx, ids)
		return result[*app.WipePlan]{p, err}
	}, func(r result[*app.WipePlan]) {
		if r.v == nil || (r.err != nil && !f.u.noticePlanDamaged(r.err)) {
			f.u.show(page(lang.L("wipe.title"), wrapped(lang.L("action.failed", map[string]any{"Error": r.err.Error()})), back))
			return
		}
		f.showPlan(r.v, back)
	})
}

// noticePlanDamaged reports whether err says that the plan file of a wipe
// was damaged and set aside (wipe.PlanDamagedError, a notice that comes
// with a result); if so, the person is told from then on, on the dashboard
// and the wipe's plan.
func (u *ui) noticePlanDamaged(err error) bool {
	var damaged *wipe.PlanDamagedError
	if !errors.As(err, &damaged) {
		return false
	}
	u.planNotice = lang.L("wipe.plan_damaged", map[string]any{"Path": damaged.Aside})
	return true
}

func (f *wipeFlow) showPlan(p *app.WipePlan, back fyne.CanvasObject) {
	box := container.NewVBox()
	for _, d := range p.Devices {
		box.Add(widget.NewLabelWithStyle(d.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(wrapped(describePlan(d)))
	}
	erase := widget.NewButtonWithIcon(lang.L("wipe.erase"), theme.DeleteIcon(), nil)
	erase.Importance = widget.DangerImportance
	footer := container.NewVBox()
	phrase := p.Phrase()
	typed := widget.NewEntry()
	if phrase != "" {
		typed.SetPlaceHolder(phrase)
		erase.Disable()
		typed.OnChanged = func(s string) {
			if wipe.MatchPhrase(s, phrase) {
				erase.Enable()
			} else {
				erase.Disable()
			}
		}
		footer.Add(wrapped(lang.L("wipe.type", map[string]any{"Phrase": phrase})))
		footer.Add(typed)
	}
	if len(p.Wiped()) == 0 {
		erase.Disable()
		footer.Add(wrapped(lang.L("wipe.nothing")))
	}
	erase.OnTapped = func() {
		c, err := p.Confirm(typed.Text)
		if err != nil {
			dialog.ShowError(err, f.u.win)
			return
		}
		if phrase == "" {
			dialog.ShowConfirm(lang.L("wipe.title"), lang.L("wipe.confirm.one"), func(ok bool) {
				if ok {
					f.execute(p, c)
				}
			}, f.u.win)
			return
		}
		f.execute(p, c)
	}
	footer.Add(container.NewHBox(layout.NewSpacer(), erase))
	intro := container.NewVBox(wrapped(lang.L("wipe.plan.intro")))
	if f.u.planNotice != "" {
		intro.Add(wrapped(f.u.planNotice))
	}
	f.u.show(page(lang.L("wipe.title"), container.NewBorder(intro, footer, nil, nil, container.NewVScroll(box)), back))
}

// describePlan says in plain words what will happen to one device.
func describePlan(d wipe.DevicePlan) string {
	var lines []string
	switch d.Method {
	case wipe.Automatic:
		lines = append(lines, lang.L("wipe.automatic"))
	case wipe.Manual:
		lines = append(lines, lang.L("wipe.manual"))
		for i, s := range d.ResetSteps {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, s))
		}
	default:
		lines = append(lines, lang.L("wipe.blocked", map[string]any{"Reason": wipeReason(d.Reason, d.Detail)}))
	}
	if d.CloudAccount != nil {
		lines = append(lines, lang.L("wipe.cloud", map[string]any{"Service": d.CloudAccount.Service}))
		for i, s := range d.CloudSteps {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, s))
		}
	}
	if d.Method != wipe.Blocked {
		lines = append(lines, lang.LocalizePluralKey("wipe.local", "", len(d.KeyringEntries), map[string]any{"Count": len(d.KeyringEntries)}))
	}
	return strings.Join(lines, "\n")
}

// wipeReason says r in the person's language, with the error's text that
// came with it, if any, in brackets. Without a reason (an old journal's
// sentence Porchlight does not know), it is the detail alone.
func wipeReason(r wipe.Reason, detail string) string {
	switch {
	case r == "":
		return detail
	case detail == "":
		return lang.L("wipe.reason." + string(r))
	}
	return lang.L("wipe.reason."+string(r)) + " (" + detail + ")"
}

// wipeStep says what a step of a wipe did, in the person's language.
func wipeStep(e app.WipeEvent) string {
	if e.Evidence != "" {
		return lang.L("wipe.verified", map[string]any{"How": lang.L("wipe.evidence." + string(e.Evidence))})
	}
	s := wipeReason(e.Reason, e.Detail)
	if len(e.Deleted) > 0 {
		s += " " + lang.L("wipe.deleted", map[string]any{"Entries": strings.Join(e.Deleted, ", ")})
	}
	return s
}

// execute runs the wipe with per-device progress; the devices whose steps
// the person follows themselves are all on one checklist. Then it shows
// the receipt.
func (f *wipeFlow) execute(p *app.WipePlan, c app.WipeConfirmation) *wipeRun {
	var manual []wipe.DevicePlan
	for _, d := range p.Wiped() {
		if d.Method == wipe.Manual {
			manual = append(manual, d)
		}
	}
	return f.run(manual, func(ctx context.Context, opts app.WipeOptions) (*app.WipeReceipt, error) {
		return f.h.ExecuteWipe(ctx, p, c, opts)
	})
}

// resume continues a wipe that was interrupted. Which of its devices need
// the person's steps is known only when the wipe asks about them.
func (f *wipeFlow) resume() {
	f.run(nil, func(ctx context.Context, opts app.WipeOptions) (*app.WipeReceipt, error) {
		return f.h.ResumeWipe(ctx, opts)
	})
}

// Heights of the wipe screen's scrolling parts, so that the window fits
// on a small screen however many devices and steps there are.
const (
	wipeLogHeight       = 120
	wipeChecklistHeight = 200
)

// wipeRun is the screen of a wipe under way: what it is doing, a log of
// every step that scrolls in a fixed height, and, while the wipe waits for
// the person, one checklist of the devices they erase themselves. Its
// fields belong to the UI goroutine.
type wipeRun struct {
	bar    *widget.ProgressBarInfinite
	status *widget.Label
	log    *widget.Label
	lines  []string
	scroll *container.Scroll
	// body holds the log alone, or the checklist above the log.
	body *fyne.Container
	// manual are the devices listed on the checklist, answers what the
	// person said of each (true: done) once they carried on.
	manual  []wipe.DevicePlan
	answers map[string]bool
	// pending answers the wipe's question about device pendingID, from
	// the checklist's tick boxes.
	pending   chan<- bool
	pendingID string
	ticks     map[string]*widget.Check
}

// run shows the wipe that work does, then its receipt. manual are the
// devices the person erases themselves, known before the wipe starts.
func (f *wipeFlow) run(manual []wipe.DevicePlan, work func(context.Context, app.WipeOptions) (*app.WipeReceipt, error)) *wipeRun {
	r := &wipeRun{bar: busyBar(), status: wrapped(lang.L("wipe.running")), log: wrapped(""), manual: manual, answers: map[string]bool{}}
	r.scroll = container.NewVScroll(r.log)
	r.scroll.SetMinSize(fyne.NewSize(0, wipeLogHeight))
	r.body = container.NewStack(r.scroll)
	startBusy(r.bar)
	f.u.show(page(lang.L("wipe.title"), container.NewBorder(container.NewVBox(r.status, r.bar), nil, nil, nil, r.body)))
	opts := app.WipeOptions{
		Progress:      func(e app.WipeEvent) { do(func() { r.progress(e) }) },
		ConfirmManual: r.confirmManual,
	}
	background(f.u, func(ctx context.Context) result[*app.WipeReceipt] {
		rc, err := work(ctx, opts)
		return result[*app.WipeReceipt]{rc, err}
	}, func(res result[*app.WipeReceipt]) {
		stopBusy(r.bar)
		f.u.checkup = nil
		f.receipt(res.v, res.err)
	})
	return r
}

// progress adds a step to the log and shows it.
func (r *wipeRun) progress(e app.WipeEvent) {
	r.lines = append(r.lines, lang.L("wipe.log", map[string]any{"Index": e.Index, "Total": e.Total, "Name": e.Name, "Message": wipeStep(e)}))
	r.log.SetText(strings.Join(r.lines, "\n"))
	r.scroll.ScrollToBottom()
}

// confirmManual answers the wipe's question whether the person followed a
// device's steps (app.WipeOptions.ConfirmManual). The wipe asks from its
// own goroutine, one device at a time; the first question shows the
// checklist of every device still to be answered, and the answers given
// there answer the later questions at once.
func (r *wipeRun) confirmManual(ctx context.Context, d wipe.DevicePlan) (bool, error) {
	answer := make(chan bool, 1)
	do(func() { r.ask(d, answer) })
	select {
	case ok := <-answer:
		return ok, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// ask answers the question about d if the person already did, else shows
// the checklist and keeps the question until they carry on.
func (r *wipeRun) ask(d wipe.DevicePlan, answer chan<- bool) {
	if ok, given := r.answers[d.ID]; given {
		answer <- ok
		return
	}
	if !slices.ContainsFunc(r.manual, func(m wipe.DevicePlan) bool { return m.ID == d.ID }) {
		r.manual = append(r.manual, d)
	}
	r.pending, r.pendingID = answer, d.ID
	r.showChecklist()
}

// showChecklist stops and hides the progress bar, says the wipe waits, and
// shows, for every device not answered yet, its steps and a tick box, above
// the log, with one button to carry on.
func (r *wipeRun) showChecklist() {
	stopBusy(r.bar)
	r.status.SetText(lang.L("wipe.waiting"))
	list := container.NewVBox()
	r.ticks = map[string]*widget.Check{}
	for _, d := range r.manual {
		if _, given := r.answers[d.ID]; given {
			continue
		}
		tick := widget.NewCheck(lang.L("wipe.checklist.done", map[string]any{"Name": d.Name}), nil)
		r.ticks[d.ID] = tick
		list.Add(widget.NewLabelWithStyle(d.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		list.Add(wrapped(describePlan(d)))
		list.Add(tick)
		list.Add(widget.NewSeparator())
	}
	steps := container.NewVScroll(list)
	steps.SetMinSize(fyne.NewSize(0, wipeChecklistHeight))
	carryOn := widget.NewButtonWithIcon(lang.L("wipe.carryon"), theme.NavigateNextIcon(), r.carryOn)
	carryOn.Importance = widget.HighImportance
	r.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, container.NewVBox(container.NewHBox(layout.NewSpacer(), carryOn), r.scroll), nil, nil, steps)}
	r.body.Refresh()
	r.scroll.ScrollToBottom() // the log is shorter now
}

// carryOn takes the person's answers from the checklist (ticked: done,
// unticked: skipped), answers the question waiting for them and goes back
// to the log.
func (r *wipeRun) carryOn() {
	if r.pending == nil { // tapped twice
		return
	}
	for id, tick := range r.ticks {
		r.answers[id] = tick.Checked
	}
	r.pending <- r.answers[r.pendingID]
	r.pending = nil
	r.status.SetText(lang.L("wipe.running"))
	startBusy(r.bar)
	r.body.Objects = []fyne.CanvasObject{r.scroll}
	r.body.Refresh()
	r.scroll.ScrollToBottom()
}

// receipt says what was erased, when and how it was confirmed, and lets the
// person keep it.
func (f *wipeFlow) receipt(rc *app.WipeReceipt, err error) {
	box := container.NewVBox()
	if err != nil {
		box.Add(wrapped(lang.L("action.failed", map[string]any{"Error": err.Error()})))
	}
	if rc != nil {
		for _, d := range rc.Devices {
			line := lang.L("wipe.outcome."+string(d.Outcome), map[string]any{"Name": d.Name})
			if d.ConfirmedBy != "" {
				line += " " + lang.L("wipe.confirmedby", map[string]any{"How": lang.L("wipe.evidence." + string(d.ConfirmedBy))})
			}
			if why := wipeReason(d.Reason, d.Detail); why != "" {
				line += " " + why
			}
			box.Add(wrapped(line))
		}
		for _, l := range rc.Limits {
			box.Add(wrapped("• " + lang.L("wipe.limit."+string(l))))
		}
		save := widget.NewButtonWithIcon(lang.L("wipe.savereceipt"), theme.DocumentSaveIcon(), func() {
			d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err != nil || w == nil {
					return
				}
				defer w.Close()
				if err := wipe.WriteHTML(w, rc, f.u.lang); err != nil {
					dialog.ShowError(err, f.u.win)
				}
			}, f.u.win)
			d.SetFileName("porchlight-wipe-receipt.html")
			d.Show()
		})
		box.Add(save)
	}
	done := widget.NewButtonWithIcon(lang.L("setup.finish"), theme.ConfirmIcon(), f.u.showDashboard)
	f.u.show(page(lang.L("wipe.receipt"), container.NewVScroll(box), done))
}
