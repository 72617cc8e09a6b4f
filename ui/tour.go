package ui

import (
	"fyne.io/fyne/v2"

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
	step("settings", u.showSettings)
}
