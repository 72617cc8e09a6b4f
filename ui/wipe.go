package ui

import (
	"context"
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
}

// showWipe starts a privacy wipe with the given devices ticked (none: choose).
func (u *ui) showWipe(preselected ...string) {
	(&wipeFlow{u: u}).choose(preselected)
}

// choose lists the devices that are the person's, to tick; "I'm moving
// out" ticks them all.
func (f *wipeFlow) choose(preselected []string) {
	var ids []string
	var checks []*widget.Check
	list := container.NewVBox()
	for _, d := range f.u.h.Devices() {
		rec, _ := f.u.h.Record(d.ID)
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
		p, err := f.u.h.PlanWipe(ctx, ids)
		return result[*app.WipePlan]{p, err}
	}, func(r result[*app.WipePlan]) {
		if r.err != nil {
			f.u.show(page(lang.L("wipe.title"), wrapped(lang.L("action.failed", map[string]any{"Error": r.err.Error()})), back))
			return
		}
		f.showPlan(r.v, back)
	})
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
	f.u.show(page(lang.L("wipe.title"), container.NewBorder(wrapped(lang.L("wipe.plan.intro")), footer, nil, nil, container.NewVScroll(box)), back))
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
		lines = append(lines, lang.L("wipe.blocked", map[string]any{"Reason": d.Reason}))
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

// execute runs the wipe with per-device progress, asking the person about
// each device whose steps they follow themselves, then shows the receipt.
func (f *wipeFlow) execute(p *app.WipePlan, c app.WipeConfirmation) {
	f.run(func(ctx context.Context, opts app.WipeOptions) (*app.WipeReceipt, error) {
		return f.u.h.ExecuteWipe(ctx, p, c, opts)
	})
}

// resume continues a wipe that was interrupted.
func (f *wipeFlow) resume() {
	f.run(func(ctx context.Context, opts app.WipeOptions) (*app.WipeReceipt, error) {
		return f.u.h.ResumeWipe(ctx, opts)
	})
}

func (f *wipeFlow) run(work func(context.Context, app.WipeOptions) (*app.WipeReceipt, error)) {
	bar := busyBar()
	startBusy(bar)
	steps := wrapped("")
	var log []string
	f.u.show(page(lang.L("wipe.title"), container.NewVBox(wrapped(lang.L("wipe.running")), bar, steps)))
	opts := app.WipeOptions{
		Progress: func(e app.WipeEvent) {
			do(func() {
				log = append(log, fmt.Sprintf("%d/%d %s: %s", e.Index, e.Total, e.Name, e.Message))
				steps.SetText(strings.Join(log, "\n"))
			})
		},
		ConfirmManual: func(ctx context.Context, d wipe.DevicePlan) (bool, error) {
			answer := make(chan bool, 1)
			do(func() {
				dialog.ShowConfirm(d.Name, lang.L("wipe.manual.done")+"\n\n"+describePlan(d), func(ok bool) { answer <- ok }, f.u.win)
			})
			select {
			case ok := <-answer:
				return ok, nil
			case <-ctx.Done():
				return false, ctx.Err()
			}
		},
	}
	background(f.u, func(ctx context.Context) result[*app.WipeReceipt] {
		rc, err := work(ctx, opts)
		return result[*app.WipeReceipt]{rc, err}
	}, func(r result[*app.WipeReceipt]) {
		stopBusy(bar)
		f.u.checkup = nil
		f.receipt(r.v, r.err)
	})
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
			if d.Detail != "" {
				line += " " + d.Detail
			}
			box.Add(wrapped(line))
		}
		for _, l := range rc.Limits {
			box.Add(wrapped("• " + l))
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
