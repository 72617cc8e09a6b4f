package ui

import (
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/wipe"
)

// Tour shows each main screen of the app on a new window of a, for
// household h, and calls visit once each is ready (background work done):
// it is how docs/screenshots are made. The setup's progress is left where
// the tour put it, and it ends with a privacy wipe of the devices that need
// the person's own steps (all devices are marked as theirs for it).
func Tour(a fyne.App, h Household, visit func(name string, w fyne.Window)) {
	var u *ui
	onUI := func(fn func()) {
		uiLock.Lock()
		defer uiLock.Unlock()
		fn()
	}
	onUI(func() { u = newUI(a, h, Options{}) })
	defer u.close()
	u.win.Resize(fyne.NewSize(900, 640))
	step := func(name string, show func()) {
		onUI(show)
		u.wait()
		onUI(func() { visit(name, u.win) })
	}
	step("setup-welcome", u.showSetup)
	step("setup-promise", func() { newWizard(u, setup.State{Step: setup.Promise}).render() })
	step("setup-scan", func() { newWizard(u, setup.State{Step: setup.Scan}).render() })
	step("setup-confirm", func() { newWizard(u, setup.State{Step: setup.Confirm}).render() })
	step("setup-router", func() { newWizard(u, setup.State{Step: setup.Router, Router: true}).render() })
	step("dashboard", u.showDashboard)
	if c := u.checkup; c != nil && len(c.Devices) > 0 {
		id := c.Devices[0].Device.ID
		for _, sc := range c.Devices {
			if sc.Problems > c.Devices[0].Problems {
				id = sc.Device.ID
			}
		}
		step("device", func() { u.showDevice(id) })
	}
	var checked *app.Checkup
	onUI(func() { checked = u.checkup })
	if id, note, after := factoryFinding(u, checked); id != "" {
		step("device-factory", func() {
			u.checkup = after
			u.showDeviceSaying(id, note)
		})
	}
	fixTour(u, onUI, step)
	step("settings", u.showSettings)
	step("happened", u.showHappened)
	wipeTour(u, onUI, visit)
}

// fixTour shows an open Shelly Plus with an update before and after
// Porchlight changes its password and installs the update, through the
// same core calls the device page makes, checked again as the page does.
func fixTour(u *ui, onUI func(func()), step func(string, func())) {
	var id string
	onUI(func() {
		for _, sc := range u.checkup.Devices {
			if sc.Device.Family == "shelly-gen2" && sc.Actionable > 1 && id == "" {
				id = sc.Device.ID
			}
		}
	})
	if id == "" || u.h.Claim(u.ctx, []string{id}, "", "") != nil {
		return
	}
	step("device-before", func() { u.showDevice(id) })
	var note string
	if err := u.h.SetPassword(u.ctx, id, ""); err == nil {
		if res, err := u.h.ApplyUpdate(u.ctx, id, app.UpdateOptions{}); err == nil && res.Verified {
			note = lang.L("update.done", map[string]any{"From": res.From, "To": res.To})
		}
	}
	var ids map[string]bool
	onUI(func() { ids = u.checkedIDs(id) })
	after := u.recheck(u.ctx, ids)
	step("device-after", func() {
		u.checkup = after
		u.showDeviceSaying(id, note)
	})
}

// wipeTour marks every device as the person's own and wipes those whose
// steps the person follows themselves, calling visit on the checklist
// (the first device ticked) and on the receipt. It does nothing when the
// household has no such device.
func wipeTour(u *ui, onUI func(func()), visit func(string, fyne.Window)) {
	p := manualWipePlan(u)
	if p == nil {
		return
	}
	c, err := p.Confirm(p.Phrase())
	if err != nil {
		return
	}
	var r *wipeRun
	onUI(func() { r = newWipeFlow(u).execute(p, c) })
	waiting := false
	for deadline := time.Now().Add(time.Minute); !waiting; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			u.wait() // the wipe ended without asking
			return
		}
		onUI(func() { waiting = r.pending != nil })
	}
	onUI(func() {
		r.ticks[r.manual[0].ID].SetChecked(true)
		visit("wipe-checklist", u.win)
		for _, tick := range r.ticks {
			tick.SetChecked(true)
		}
		r.carryOn()
	})
	u.wait()
	onUI(func() { visit("wipe-receipt", u.win) })
}

// manualWipePlan marks every device as the person's own and plans the
// wipe of those whose steps the person follows themselves; nil when there
// are none.
func manualWipePlan(u *ui) *app.WipePlan {
	var ids []string
	for _, d := range u.h.Devices() {
		ids = append(ids, d.ID)
	}
	if len(ids) == 0 || u.h.Claim(u.ctx, ids, "", "") != nil {
		return nil
	}
	all, err := u.h.PlanWipe(u.ctx, ids)
	if all == nil || (err != nil && !errors.Is(err, wipe.ErrPlanDamaged)) {
		return nil
	}
	var manual []string
	for _, d := range all.Wiped() {
		if d.Method == wipe.Manual {
			manual = append(manual, d.ID)
		}
	}
	if len(manual) == 0 {
		return nil
	}
	p, err := u.h.PlanWipe(u.ctx, manual)
	if p == nil || (err != nil && !errors.Is(err, wipe.ErrPlanDamaged)) {
		return nil
	}
	return p
}

// factoryFinding marks as the person's own, one by one, the devices of
// checked whose factory passwords can be tried, tries them until one
// accepts its factory password, checks the devices again and returns that
// device, what the check found and the new checkup ("" when none accepted).
func factoryFinding(u *ui, checked *app.Checkup) (id, note string, after *app.Checkup) {
	if checked == nil {
		return "", "", nil
	}
	var devices []app.Device
	for _, d := range u.h.Devices() {
		if slices.ContainsFunc(checked.Devices, func(sc checkup.Scorecard) bool { return sc.Device.ID == d.ID }) {
			devices = append(devices, d)
		}
	}
	for _, d := range devices {
		if len(u.h.FactoryPasswords(d.ID)) == 0 || u.h.Claim(u.ctx, []string{d.ID}, "", "") != nil {
			continue
		}
		res, err := u.h.TryFactoryPasswords(u.ctx, d.ID, nil)
		if _, accepted := res.Accepted(); err != nil || !accepted {
			continue
		}
		c, err := u.h.Check(u.ctx, devices, app.CheckOptions{})
		if err != nil {
			return "", "", nil
		}
		return d.ID, factorySentence(res), &c
	}
	return "", "", nil
}
