package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/setup"
)

// routerStepUI opens the guided setup at its router step on the demo
// household, scanned.
func routerStepUI(t *testing.T) (*ui, *app.Core) {
	t.Helper()
	u, h := demoUI(t)
	if _, err := h.Scan(context.Background(), app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	st := setup.State{Step: setup.Router, Router: true}
	if err := h.SaveSetup(st); err != nil {
		t.Fatal(err)
	}
	onUI(func() { newWizard(u, st).render() })
	u.wait()
	return u, h
}

// TestWizardRouterStep shows the demo household's router in the guided
// setup: UPnP on, each of its three port mappings as "device X opened port
// P to the internet", its plain-HTTP page, and AVM's steps with their
// source. Declining to close a port changes nothing; confirming removes
// exactly that mapping (journaled by the core), and the step, read again,
// shows the router without it and the two others still there.
func TestWizardRouterStep(t *testing.T) {
	u, h := routerStepUI(t)
	text := screenText(u)
	for _, want := range []string{
		"Your router",
		"UPnP is on, and devices used it to open 3 ports to the internet",
		"opened port 8080 (TCP) to the internet.",
		"DiskStation",
		"A device at 127.77.249.9 that the scan did not find opened port 3074 (UDP) to the internet.",
		"uses plain HTTP",
		"[Close port 8080]", "[Close port 5001]", "[Close port 3074]",
		"[How to stop devices opening ports (UPnP)]", "[Skip the router]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the router step does not show %q:\n%s", want, text)
		}
	}
	tap(t, u, "How to stop devices opening ports (UPnP)")
	if text := screenText(u); !strings.Contains(text, "1. Open the FRITZ!Box user interface") || !strings.Contains(text, "https://avm.de/") {
		t.Errorf("AVM's steps are not shown:\n%s", text)
	}

	press(t, u, "Close port 8080")
	answer(t, u, false)
	u.wait()
	if text := screenText(u); !strings.Contains(text, "Nothing was changed on your router.") || button(u, "Close port 8080") == nil || button(u, "Close port 8080").Disabled() {
		t.Errorf("after declining:\n%s", text)
	}
	if entries, _, _ := h.Journal.Entries(); len(entries) != 0 {
		t.Errorf("declining wrote the journal: %+v", entries)
	}

	press(t, u, "Close port 8080")
	answer(t, u, true)
	u.wait()
	text = screenText(u)
	if !strings.Contains(text, "Your router no longer lists port 8080 (TCP)") || !strings.Contains(text, "read again just now, it is closed") {
		t.Errorf("after closing port 8080:\n%s", text)
	}
	if strings.Contains(text, "opened port 8080") || button(u, "Close port 8080") != nil {
		t.Errorf("the step still shows port 8080 after it was closed:\n%s", text)
	}
	if !strings.Contains(text, "open 2 ports to the internet") || button(u, "Close port 5001") == nil || button(u, "Close port 3074") == nil {
		t.Errorf("closing one port changed the others:\n%s", text)
	}
	entries, _, err := h.Journal.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, e := range entries {
		if e.Kind == app.KindClosePort {
			states = append(states, e.State)
		}
	}
	if strings.Join(states, " ") != app.ClosePlanned+" "+app.CloseSent+" "+app.CloseVerified {
		t.Errorf("the journal holds %v, want planned, sent, verified", states)
	}

	tap(t, u, "Skip the router")
	if st, _ := h.Setup(); st.Step != setup.Summary {
		t.Errorf("skipping the router (no device confirmed) led to %s, want the summary", st.Step)
	}
}

// TestWizardRouterStepInGerman shows the router step in German.
func TestWizardRouterStepInGerman(t *testing.T) {
	u, _ := routerStepUI(t)
	chooseLanguage(t, u, "Deutsch")
	onUI(func() { newWizard(u, setup.State{Step: setup.Router, Router: true}).render() })
	u.wait()
	text := screenText(u)
	for _, want := range []string{"Ihr Router", "UPnP ist an", "hat Port 8080 (TCP) zum Internet geöffnet.", "[Port 8080 schließen]", "unverschlüsseltes HTTP", "[Router überspringen]"} {
		if !strings.Contains(text, want) {
			t.Errorf("the German router step does not show %q:\n%s", want, text)
		}
	}
}

// press taps the button labelled label without waiting for the work it
// starts (which asks a question first).
func press(t *testing.T, u *ui, label string) {
	t.Helper()
	b := button(u, label)
	if b == nil || b.Disabled() {
		t.Fatalf("no button %q to press on the screen:\n%s", label, screenText(u))
	}
	onUI(func() { test.Tap(b) })
}
