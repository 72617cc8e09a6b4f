package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/wipe"
)

// screenHeight is the height of a small laptop screen; the window must
// never need more.
const screenHeight = 800

// contentHeight is the height the window's content needs.
func contentHeight(u *ui) float32 {
	var h float32
	onUI(func() { h = u.win.Canvas().Content().MinSize().Height })
	return h
}

// TestPrivacyWipeChecklist wipes every demo device that needs the person's
// own steps: they all come on one checklist page (no dialogs), the
// progress bar stops and hides while it waits, the window stays smaller
// than the screen, and the receipt says which devices the person erased
// and which they skipped.
func TestPrivacyWipeChecklist(t *testing.T) {
	u, h := demoUI(t)
	ctx := context.Background()
	if _, err := h.Scan(ctx, app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, d := range h.Devices() {
		all = append(all, d.ID)
	}
	if err := h.Claim(ctx, all, "", ""); err != nil {
		t.Fatal(err)
	}
	p, err := h.PlanWipe(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	var manual []wipe.DevicePlan
	var ids []string
	for _, d := range p.Wiped() {
		if d.Method == wipe.Manual {
			manual = append(manual, d)
			ids = append(ids, d.ID)
		}
	}
	if len(manual) < 3 {
		t.Fatalf("the demo household has %d devices with manual steps, want several", len(manual))
	}
	onUI(func() { u.showWipe(ids...) })
	tap(t, u, "Show what will happen")
	for _, o := range objects(u.win.Content()) {
		if e, ok := o.(*widget.Entry); ok {
			onUI(func() { test.Type(e, fmt.Sprintf("wipe %d", len(ids))) })
		}
	}
	erase := button(u, "Erase now")
	if erase == nil || erase.Disabled() {
		t.Fatalf("cannot erase:\n%s", screenText(u))
	}
	onUI(func() { test.Tap(erase) }) // the wipe waits for the checklist: no u.wait()

	// The wipe runs on: read the screen only under the UI lock.
	var carryOn *widget.Button
	var text string
	for range 200 {
		onUI(func() { carryOn, text = button(u, "Carry on"), screenText(u) })
		if carryOn != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if carryOn == nil {
		t.Fatalf("no checklist:\n%s", text)
	}
	var ticks []*widget.Check
	var bar *widget.ProgressBarInfinite
	var busy bool
	var dialogs int
	onUI(func() {
		text = screenText(u)
		for _, o := range objects(u.win.Content()) {
			switch v := o.(type) {
			case *widget.Check:
				ticks = append(ticks, v)
			case *widget.ProgressBarInfinite:
				bar = v
			}
		}
		dialogs = len(u.win.Canvas().Overlays().List())
		busy = bar != nil && (bar.Running() || bar.Visible())
	})
	if len(ticks) != len(manual) || dialogs != 0 {
		t.Fatalf("the checklist has %d tick boxes for %d devices, and %d dialogs are open:\n%s", len(ticks), len(manual), dialogs, text)
	}
	for _, d := range manual {
		if !strings.Contains(text, d.Name) || !strings.Contains(text, d.ResetSteps[0]) {
			t.Errorf("the checklist lacks %s or its first step %q", d.Name, d.ResetSteps[0])
		}
	}
	if !strings.Contains(text, "Waiting for you") || bar == nil || busy {
		t.Errorf("while it waits, the progress bar shows it is busy (%v) or the page does not say it waits:\n%s", busy, text)
	}
	if got := contentHeight(u); got >= screenHeight {
		t.Errorf("the checklist needs a window %.0f high", got)
	} else {
		t.Logf("the checklist of %d devices needs a window %.0f high", len(manual), got)
	}

	skipped := manual[len(manual)-1]
	onUI(func() {
		for _, tick := range ticks[:len(ticks)-1] {
			tick.SetChecked(true)
		}
	})
	tap(t, u, "Carry on")
	text = screenText(u)
	if !strings.Contains(text, "Receipt") {
		t.Fatalf("after the checklist:\n%s", text)
	}
	for _, d := range manual[:len(manual)-1] {
		if want := d.Name + ": erased. How we know: you confirmed the steps."; !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, text)
		}
		if _, known := h.Record(d.ID); known {
			t.Errorf("%s is still remembered after the person erased it", d.Name)
		}
	}
	if want := skipped.Name + ": not erased."; !strings.Contains(text, want) {
		t.Errorf("the receipt lacks %q:\n%s", want, text)
	}
	if _, known := h.Record(skipped.ID); !known {
		t.Errorf("the skipped %s was forgotten", skipped.Name)
	}
	if got := contentHeight(u); got >= screenHeight {
		t.Errorf("the receipt needs a window %.0f high", got)
	}
}

// TestWipeWordsInEveryLanguage renders every reason, evidence and limit of
// a wipe in English and German: never empty, never the bare key, and the
// German never the English.
func TestWipeWordsInEveryLanguage(t *testing.T) {
	test.NewTempApp(t)
	t.Cleanup(func() { useLanguage("en") })
	type rendering struct{ what, text string }
	render := func(code string) []rendering {
		if _, err := useLanguage(code); err != nil {
			t.Fatal(err)
		}
		var out []rendering
		for _, r := range wipe.Reasons() {
			out = append(out, rendering{"reason " + string(r), wipeStep(app.WipeEvent{Reason: r})})
		}
		for _, e := range wipe.Evidences() {
			out = append(out, rendering{"evidence " + string(e), wipeStep(app.WipeEvent{Evidence: e})})
		}
		for _, l := range wipe.Limits() {
			out = append(out, rendering{"limit " + string(l), lang.L("wipe.limit." + string(l))})
		}
		return out
	}
	en, de := render("en"), render("de")
	english := regexp.MustCompile(`(?i)\b(the|is|it|not|and|you|your|device|could|sent|reset|wipe|password|nothing|steps|erased)\b`)
	for i := range en {
		t.Run(en[i].what, func(t *testing.T) {
			for _, r := range []rendering{en[i], de[i]} {
				if r.text == "" || strings.Contains(r.text, "wipe.") {
					t.Errorf("rendered as %q", r.text)
				}
			}
			if de[i].text == en[i].text {
				t.Errorf("the German is the English: %q", de[i].text)
			}
			if w := english.FindString(de[i].text); w != "" {
				t.Errorf("the German holds the English %q: %q", w, de[i].text)
			}
		})
	}
	if got := wipeReason("", "an old journal's sentence"); got != "an old journal's sentence" {
		t.Errorf("an old sentence without a reason: %q", got)
	}
}

// TestPrivacyWipeInGerman erases two devices in German: the plan, every
// step of the log and the receipt, with its limits, hold no English.
func TestPrivacyWipeInGerman(t *testing.T) {
	u, h := demoUI(t)
	t.Cleanup(func() { useLanguage("en") })
	if _, err := useLanguage("de"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := h.Scan(ctx, app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	ids := []string{"shelly1-000000", "tasmota-000002-0002"}
	if err := h.Claim(ctx, ids, "", ""); err != nil {
		t.Fatal(err)
	}
	p, err := h.PlanWipe(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Confirm(p.Phrase())
	if err != nil {
		t.Fatal(err)
	}
	var plan string
	onUI(func() { newWipeFlow(u).showPlan(p, widget.NewLabel("")); plan = screenText(u) })
	var r *wipeRun
	onUI(func() { r = newWipeFlow(u).execute(p, c) })
	u.wait()
	var log, receipt string
	onUI(func() { log, receipt = strings.Join(r.lines, "\n"), screenText(u) })
	if !strings.Contains(receipt, "Beleg") || !strings.Contains(receipt, "shelly1-000000: gelöscht.") || !strings.Contains(receipt, "Kopien anderswo") {
		t.Fatalf("the German receipt:\n%s", receipt)
	}
	if !strings.Contains(log, "Geplant: automatisches Zurücksetzen") || !strings.Contains(log, "Gelöscht: ") {
		t.Errorf("the German log:\n%s", log)
	}
	for name, text := range map[string]string{"plan": plan, "log": log, "receipt": receipt} {
		for _, e := range englishSentences(t) {
			if strings.Contains(text, e) {
				t.Errorf("the %s shows English %q:\n%s", name, e, text)
			}
		}
	}
}
