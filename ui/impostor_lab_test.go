//go:build linux

package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestDevicePageAsksWhenAnImpostorAnswers: a Shelly Plus the person claimed
// and gave a password is replaced, at its address, by a device that copies
// its announcement. "Change password" on its page sends nothing, keeps the
// password, and asks in plain words whether the device was replaced; the
// answer "it was replaced" forgets it.
func TestDevicePageAsksWhenAnImpostorAnswers(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	h, err := app.Open(app.Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: app.HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Scan(ctx, app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var id, host string
	for _, d := range lab.Devices() {
		if d.Family == sim.ShellyGen2 && !d.AuthEnabled() && host == "" {
			host = d.Host
		}
	}
	for _, d := range h.Devices() {
		if d.Host == host+".local" {
			id = d.ID
		}
	}
	if err := h.Claim(ctx, []string{id}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	kept, _ := h.Password(ctx, id)
	lab.Close()
	impostors := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Impostors: []sim.Impostor{{Of: host, SameAddress: true}}})
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}

	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
	defer u.close()
	u.wait()
	onUI(func() { u.showDevice(id) })
	onUI(func() { test.Tap(button(u, "Change password")) })
	onUI(func() { confirmDialog(t, u, true) })
	u.wait()

	question := overlayText(u)
	if !strings.Contains(question, "Is this still your device?") || !strings.Contains(question, "another hardware identity") {
		t.Fatalf("no plain question whether the device was replaced:\n%s\nscreen:\n%s", question, screenText(u))
	}
	if got := impostors.Impostors()[0].CredentialRequests(); len(got) > 0 {
		t.Errorf("the impostor received credentials: %v", got)
	}
	if now, _ := h.Password(ctx, id); now != kept {
		t.Error("the kept password changed")
	}
	onUI(func() {
		for _, o := range u.win.Canvas().Overlays().List() {
			for _, c := range objects(o) {
				if b, ok := c.(*widget.Button); ok && b.Text == "It was replaced: forget it" {
					test.Tap(b)
				}
			}
		}
	})
	u.wait()
	if _, ok := h.Record(id); ok {
		t.Error("the replaced device is still remembered")
	}
}
