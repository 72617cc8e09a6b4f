package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/setup"
)

// Tour shows each main screen of the app on a new window of a, for
// household h, and calls visit once each is ready (background work done):
// it is how docs/screenshots are made. The setup's progress is left where
// the tour put it.
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
	step("setup-promise", func() { (&wizard{u: u, st: setup.State{Step: setup.Promise}}).render() })
	step("setup-scan", func() { (&wizard{u: u, st: setup.State{Step: setup.Scan}}).render() })
	step("setup-confirm", func() { (&wizard{u: u, st: setup.State{Step: setup.Confirm}}).render() })
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
	step("settings", u.showSettings)
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
