package ui

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/assets"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// demoUI starts the app on the demo household, with its data in a
// temporary directory and an in-memory keyring.
func demoUI(t *testing.T) (*ui, *app.Core) {
	t.Helper()
	test.NewTempApp(t)
	h := demoCore(t)
	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
	t.Cleanup(u.close)
	return u, h
}

// demoCore opens a core on the demo household, closed when the test ends.
func demoCore(t *testing.T) *app.Core {
	t.Helper()
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	h, err := app.Open(app.Env{Dir: t.TempDir(), Vault: &vault.Fake{}, Network: n, OnClose: n.Close})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// dashboardUI starts the app on the demo household with the guided setup
// done, and waits until the dashboard has scanned and checked it.
func dashboardUI(t *testing.T) (*ui, *app.Core) {
	t.Helper()
	u, h := demoUI(t)
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	onUI(u.showDashboard)
	u.wait()
	return u, h
}

// chooseLanguage picks a language in the settings, as a person does.
func chooseLanguage(t *testing.T, u *ui, name string) {
	t.Helper()
	onUI(u.showSettings)
	u.wait()
	var language *widget.Select
	for _, o := range objects(u.win.Content()) {
		if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, name) {
			language = s
		}
	}
	if language == nil {
		t.Fatalf("no language choice in the settings:\n%s", screenText(u))
	}
	onUI(func() { language.SetSelected(name) })
	u.wait()
}

// overlayText is the text of the dialogs shown over the window.
func overlayText(u *ui) string {
	var text string
	onUI(func() {
		for _, o := range u.win.Canvas().Overlays().List() {
			for _, c := range objects(o) {
				if l, ok := c.(*widget.Label); ok {
					text += l.Text + "\n"
				}
			}
		}
	})
	return text
}

// onUI runs fn as the UI goroutine would: holding the UI lock, so that
// background work shows its results only once fn is done.
func onUI(fn func()) {
	uiLock.Lock()
	defer uiLock.Unlock()
	fn()
}

// objects lists every canvas object under o, containers and scrolls opened.
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			out = append(out, objects(c)...)
		}
	case *container.Scroll:
		out = append(out, objects(v.Content)...)
	case *widget.Form:
		for _, item := range v.Items {
			out = append(out, objects(item.Widget)...)
		}
	case *widget.Accordion:
		for _, item := range v.Items {
			out = append(out, objects(item.Detail)...)
		}
	case *widget.List:
		for _, c := range test.WidgetRenderer(v).Objects() {
			out = append(out, objects(c)...)
		}
	case fyne.Widget:
		if _, leaf := v.(*widget.Label); !leaf {
			for _, c := range test.WidgetRenderer(v).Objects() {
				out = append(out, objects(c)...)
			}
		}
	}
	return out
}

// button finds the button whose text is label on the window, or nil.
func button(u *ui, label string) *widget.Button {
	for _, o := range objects(u.win.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == label && b.Visible() {
			return b
		}
	}
	return nil
}

// tap taps the button labelled label and waits for the work it starts.
func tap(t *testing.T, u *ui, label string) {
	t.Helper()
	b := button(u, label)
	if b == nil {
		t.Fatalf("no button %q on the screen:\n%s", label, screenText(u))
	}
	if b.Disabled() {
		t.Fatalf("button %q is disabled:\n%s", label, screenText(u))
	}
	onUI(func() { test.Tap(b) })
	u.wait()
}

// screenText is every label's text on the window.
func screenText(u *ui) string {
	var texts []string
	for _, o := range objects(u.win.Content()) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *widget.Button:
			texts = append(texts, "["+v.Text+"]")
		}
	}
	return strings.Join(texts, "\n")
}

func TestFirstRunOpensTheSetup(t *testing.T) {
	u, _ := demoUI(t)
	if !strings.Contains(screenText(u), "Welcome to Porchlight") || button(u, "Back").Disabled() == false {
		t.Fatalf("first run shows:\n%s", screenText(u))
	}
	tap(t, u, "Start")
	if !strings.Contains(screenText(u), "won't") {
		t.Errorf("after Start:\n%s", screenText(u))
	}
	tap(t, u, "Back")
	if !strings.Contains(screenText(u), "Welcome") {
		t.Errorf("Back did not return to the welcome screen")
	}
}

func TestSetupCanBeLeftAndResumed(t *testing.T) {
	u, h := demoUI(t)
	tap(t, u, "Start")
	tap(t, u, "Next") // scan runs
	if err := h.SaveSetup(setup.State{Step: setup.Confirm}); err != nil {
		t.Fatal(err)
	}
	var again *ui
	onUI(func() { again = newUI(fyne.CurrentApp(), h, Options{}) })
	defer again.close()
	if !strings.Contains(screenText(again), "Which devices are yours?") {
		t.Errorf("a restarted app shows:\n%s", screenText(again))
	}
}

func TestDashboardListsAndChecksDevices(t *testing.T) {
	u, h := demoUI(t)
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	onUI(func() { u.win.Resize(fyne.NewSize(900, 1300)) }) // tall enough to show the row of Kinderzimmer.Nachtlicht among 26 devices
	onUI(u.showDashboard)                                  // no devices yet: it scans, then checks
	u.wait()
	if u.checkup == nil || len(u.checkup.Devices) < 12 {
		t.Fatalf("dashboard checkup: %+v\n%s", u.checkup, screenText(u))
	}
	text := screenText(u)
	for _, want := range []string{"need attention", "Needs attention", "No problems seen", "This is the demo household"} {
		if !strings.Contains(text, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, text)
		}
	}
	// The router comes first: what it lets in from the internet matters most.
	if i := strings.Index(text, "Your router · AVM Berlin FRITZ!Box 7590"); i < 0 || strings.Index(text, "Brother") < i {
		t.Errorf("the router is not listed first:\n%s", text)
	}
	onUI(func() { u.showDevice(u.checkup.Devices[0].Device.ID) })
	if text := screenText(u); !strings.Contains(text, "This device is mine") || !strings.Contains(text, "Not observable from your network") {
		t.Errorf("device page:\n%s", text)
	}
}

func TestSettingsShowKeyringAndDeleteEverything(t *testing.T) {
	u, h := demoUI(t)
	onUI(u.showSettings)
	u.wait()
	if !strings.Contains(screenText(u), "password store works") {
		t.Errorf("settings:\n%s", screenText(u))
	}
	if err := h.Remember([]app.Device{{ID: "x", Name: "X", Host: "x.local"}}); err != nil {
		t.Fatal(err)
	}
	if err := h.Claim(context.Background(), []string{"x"}, "X", ""); err != nil {
		t.Fatal(err)
	}
	onUI(func() { test.Tap(button(u, "Delete all my data…")) })
	onUI(func() { confirmDialog(t, u, true) })
	u.wait()
	if len(h.Devices()) != 0 {
		t.Errorf("after deleting everything, %d devices are remembered", len(h.Devices()))
	}
}

// confirmDialog answers the dialog on top of the window.
func confirmDialog(t *testing.T, u *ui, yes bool) {
	t.Helper()
	label := "No"
	if yes {
		label = "Yes"
	}
	for _, o := range u.win.Canvas().Overlays().List() {
		for _, c := range objects(o) {
			if b, ok := c.(*widget.Button); ok && b.Text == label {
				test.Tap(b)
				return
			}
		}
		if popup, ok := o.(*widget.PopUp); ok {
			for _, c := range objects(popup.Content) {
				if b, ok := c.(*widget.Button); ok && b.Text == label {
					test.Tap(b)
					return
				}
			}
		}
	}
	var shown []string
	for _, o := range u.win.Canvas().Overlays().List() {
		for _, c := range objects(o) {
			switch w := c.(type) {
			case *widget.Label:
				shown = append(shown, w.Text)
			case *widget.Button:
				shown = append(shown, "["+w.Text+"]")
			}
		}
	}
	t.Fatalf("no %q button in a dialog: %d overlays showing %q", label, len(u.win.Canvas().Overlays().List()), shown)
}

// answer waits for the question a background action asks and answers it.
func answer(t *testing.T, u *ui, yes bool) {
	t.Helper()
	for range 200 {
		asked := false
		onUI(func() { asked = len(u.win.Canvas().Overlays().List()) > 0 })
		if asked {
			onUI(func() { confirmDialog(t, u, yes) })
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no question was asked")
}

// TestWizardFixesTheDemoHousehold taps through the whole guided setup on the
// demo household, doing every fix Porchlight offers, and checks the outcome:
// passwords in the keyring, updates installed, fewer problems.
func TestWizardFixesTheDemoHousehold(t *testing.T) {
	u, h := demoUI(t)
	tap(t, u, "Start")
	tap(t, u, "Next") // scan
	tap(t, u, "Next") // confirm
	tap(t, u, "They are all mine")
	tap(t, u, "Next") // checkup
	if u.checkup == nil {
		t.Fatalf("no checkup after confirming:\n%s", screenText(u))
	}
	before := u.checkup.Summary.Problems
	firmware := map[string]string{}
	for _, d := range h.Devices() {
		r, _ := h.Record(d.ID)
		firmware[d.ID] = r.Firmware
	}
	tap(t, u, "Next") // the router
	if st, _ := h.Setup(); st.Step != setup.Router || !strings.Contains(screenText(u), "opened port 8080 (TCP) to the internet") {
		t.Fatalf("after the checkup: step %s\n%s", st.Step, screenText(u))
	}
	tap(t, u, "Next") // first device, password
	var factoryTried []string
	desk, camera := "", ""
	for _, d := range h.Devices() {
		switch d.Name {
		case "Schreibtisch Lampe":
			desk = d.ID
		case "Haustür Kamera":
			camera = d.ID
		}
	}
	screens := 6 // welcome, promise, scan, confirm, checkup, router
	for steps := 0; ; steps++ {
		st, _ := h.Setup()
		if st.Step != setup.Fix {
			screens++ // the summary
			break
		}
		screens++
		if steps > 100 {
			t.Fatal("the fixing steps never end")
		}
		if b := button(u, "Try factory password"); b != nil && !b.Disabled() {
			onUI(func() { test.Tap(b) })
			answer(t, u, true)
			u.wait()
			factoryTried = append(factoryTried, st.Device())
			text := screenText(u)
			if st.Device() == desk && (!strings.Contains(text, "The device accepted its maker's factory password for the update lock") ||
				!strings.Contains(text, "untick \"Enable OTA lock\"")) {
				t.Errorf("factory password on the desk lamp:\n%s", text)
			}
			if st.Device() == camera && !strings.Contains(text, "The device accepted its maker's factory password for its camera login (ONVIF)") {
				t.Errorf("factory login on the Dahua camera:\n%s", text)
			}
			if st.Device() != desk && st.Device() != camera && !strings.Contains(text, "The update lock is switched off, so there was no factory password to try.") {
				t.Errorf("factory password on %s:\n%s", st.Device(), text)
			}
		}
		for _, action := range []string{"Set a strong password", "Check and install the update"} {
			if b := button(u, action); b != nil && !b.Disabled() {
				tap(t, u, action)
				if text := screenText(u); strings.Contains(text, "did not work") && action == "Set a strong password" {
					t.Errorf("%s on %s failed:\n%s", action, st.Device(), text)
				}
			}
		}
		tap(t, u, "Next")
	}
	if len(factoryTried) < 3 || !slices.Contains(factoryTried, desk) || !slices.Contains(factoryTried, camera) {
		t.Errorf("the factory-password check was offered on %v, want every WLED, the desk lamp (%s) and the Dahua camera (%s) among them", factoryTried, desk, camera)
	}
	if !strings.Contains(screenText(u), "Your household now") {
		t.Fatalf("after fixing:\n%s", screenText(u))
	}
	if u.checkup == nil {
		t.Fatal("the summary did not check again")
	}
	after := u.checkup.Summary.Problems
	if after >= before {
		t.Errorf("problems before %d, after %d: the setup fixed nothing", before, after)
	}
	passwords := h.Vault.(*vault.Fake).Accounts()
	if len(passwords) < 5 {
		t.Errorf("the keyring holds %d passwords, want one per device with a password API: %v", len(passwords), passwords)
	}
	updated := 0
	for id, was := range firmware {
		if r, _ := h.Record(id); r.Firmware != was {
			updated++
		}
	}
	if updated < 2 {
		t.Errorf("%d devices report new firmware, want the ones with an update API", updated)
	}
	summary := screenText(u)
	for _, want := range []string{"What Porchlight did:", "Porchlight gave it a new password.", "Porchlight installed ", "Nobody can fix these from here"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not say %q:\n%s", want, summary)
		}
	}
	t.Logf("wizard screens for the demo household: %d", screens)
	tap(t, u, "Finish")
	if st, _ := h.Setup(); st.Step != setup.Done || !strings.Contains(screenText(u), "Your household") {
		t.Errorf("after Finish: step %s\n%s", st.Step, screenText(u))
	}
}

// announcing is the demo household with one device appearing while the app
// is open, when the test says so.
type announcing struct {
	*app.Core
	newcomer       app.Device
	trigger, shown chan struct{}
}

func (a announcing) Watch(ctx context.Context, onNew func(app.Device)) error {
	select {
	case <-a.trigger:
		onNew(a.newcomer)
		close(a.shown)
	case <-ctx.Done():
	}
	<-ctx.Done()
	return nil
}

func TestNewDeviceIsAnnounced(t *testing.T) {
	test.NewTempApp(t)
	h := demoCore(t)
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	fake := announcing{Core: h, newcomer: app.Device{ID: "new-plug", Name: "Neuer Stecker", Host: "new-plug.local"},
		trigger: make(chan struct{}), shown: make(chan struct{})}
	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), fake, Options{}) })
	defer u.close()
	u.wait() // the dashboard has scanned and checked
	close(fake.trigger)
	<-fake.shown
	if text := screenText(u); !strings.Contains(text, "Neuer Stecker joined your network. Check it") || !strings.Contains(text, "Neuer Stecker") {
		t.Errorf("no notice of the new device:\n%s", text)
	}
}

// TestPrivacyWipeOfTwoDevices erases two devices from the GUI: preview,
// typed confirmation, progress, receipt; Porchlight forgets them after.
func TestPrivacyWipeOfTwoDevices(t *testing.T) {
	u, h := demoUI(t)
	if _, err := h.Scan(context.Background(), app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	ids := []string{"shelly1-000000", "tasmota-000002-0002"}
	if err := h.Claim(context.Background(), ids, "", ""); err != nil {
		t.Fatal(err)
	}
	// The receipt calls each device by its name: the one it reports, as the
	// checkup learned it, else its ID.
	if _, err := h.Check(context.Background(), h.Devices(), app.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, id := range ids {
		r, _ := h.Record(id)
		names = append(names, cmp.Or(r.Name, id))
	}
	onUI(func() { u.showWipe(ids...) })
	tap(t, u, "Show what will happen")
	if text := screenText(u); !strings.Contains(text, "Porchlight factory-resets it") || !strings.Contains(text, "To confirm, type: wipe 2") {
		t.Fatalf("the plan:\n%s", text)
	}
	if b := button(u, "Erase now"); b == nil || !b.Disabled() {
		t.Fatal("Erase is possible before the confirmation is typed")
	}
	for _, o := range objects(u.win.Content()) {
		if e, ok := o.(*widget.Entry); ok {
			onUI(func() { test.Type(e, "wipe 2") })
		}
	}
	tap(t, u, "Erase now")
	text := screenText(u)
	for _, want := range []string{"Receipt", names[0] + ": erased.", names[1] + ": erased.", "How we know"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, text)
		}
	}
	for _, id := range ids {
		if _, known := h.Record(id); known {
			t.Errorf("%s is still in the device list after the wipe", id)
		}
	}
}

// TestFactoryPasswordOnTheDevicePage: a claimed WLED offers the factory-
// password check; after the person agrees, the page says the lock took the
// factory passphrase and its scorecard shows the problem with the steps.
// An unclaimed device offers nothing of the kind.
func TestFactoryPasswordOnTheDevicePage(t *testing.T) {
	u, h := dashboardUI(t)
	var desk string
	for _, d := range h.Devices() {
		if d.Name == "Schreibtisch Lampe" {
			desk = d.ID
		}
	}
	if desk == "" || u.checkup == nil {
		t.Fatalf("no desk lamp or no checkup in the demo household:\n%s", screenText(u))
	}
	onUI(func() { u.showDevice(desk) })
	if button(u, "Try factory password") != nil {
		t.Fatal("an unclaimed device offers the factory-password check")
	}
	tap(t, u, "This device is mine")
	onUI(func() { test.Tap(button(u, "Try factory password")) })
	onUI(func() { confirmDialog(t, u, true) })
	u.wait()
	text := screenText(u)
	if !strings.Contains(text, "The device accepted its maker's factory password for the update lock") {
		t.Fatalf("device page after the check:\n%s", text)
	}
	if !strings.Contains(text, "It accepts its maker's factory password for the update lock") ||
		!strings.Contains(text, "untick \"Enable OTA lock\"") {
		t.Errorf("the scorecard does not show the finding and its steps:\n%s", text)
	}
	if strings.Contains(text, "wledota") {
		t.Error("the page shows the factory password")
	}
	if r, _ := h.Record(desk); r.FactoryPasswords == nil || !r.FactoryPasswords.Tried() {
		t.Errorf("the finding was not kept: %+v", r.FactoryPasswords)
	}
}

// TestDevicePageShowsTheTruthAfterAPasswordChange changes the password of
// an open Shelly from its page: right after, without a new scan, the
// household's checkup (which the page, its badge and the dashboard show)
// no longer reports 5.1 as a problem for it.
func TestDevicePageShowsTheTruthAfterAPasswordChange(t *testing.T) {
	u, _ := dashboardUI(t)
	status51 := func(id string) checkup.Status {
		for _, sc := range u.checkup.Devices {
			if sc.Device.ID != id {
				continue
			}
			for _, l := range sc.Lines {
				if l.Provision == "5.1" {
					return l.Status
				}
			}
		}
		return ""
	}
	var plug string
	for _, sc := range u.checkup.Devices {
		if sc.Device.Family == "shelly-gen2" && status51(sc.Device.ID) == checkup.Problem {
			plug = sc.Device.ID
		}
	}
	if plug == "" {
		t.Fatal("the demo household has no open Shelly Plus")
	}
	onUI(func() { u.showDevice(plug) })
	tap(t, u, "This device is mine")
	onUI(func() { test.Tap(button(u, "Change password")) })
	start := time.Now()
	onUI(func() { confirmDialog(t, u, true) })
	u.wait()
	t.Logf("from the confirmation to the refreshed checkup: %v", time.Since(start))
	if text := screenText(u); !strings.Contains(text, "The device has a new password") {
		t.Fatalf("device page after the change:\n%s", text)
	}
	if got := status51(plug); got == checkup.Problem || got == "" {
		t.Errorf("after the password change, 5.1 is %q", got)
	}
}

// TestGermanChosenInTheSettings chooses Deutsch in the settings, as a
// person does, after a checkup in English, and then finds no English
// sentence on the dashboard, a device page, the guided setup's checkup and
// the report: neither the screens' own words nor the checkup's, which is
// the same checkup rendered again.
func TestGermanChosenInTheSettings(t *testing.T) {
	u, h := demoUI(t)
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	onUI(u.showDashboard)
	u.wait()
	checked := u.checkup
	if checked == nil || len(checked.Devices) == 0 {
		t.Fatal("the dashboard did not check the household")
	}
	chooseLanguage(t, u, "Deutsch")

	var screens []string
	onUI(u.showDashboard)
	u.wait()
	screens = append(screens, screenText(u))
	if u.checkup != checked {
		t.Error("the language change made a new checkup: the checkup's reasons should be rendered again, not the devices asked again")
	}
	for _, sc := range u.checkup.Devices[:3] {
		onUI(func() { u.showDevice(sc.Device.ID) })
		screens = append(screens, screenText(u))
	}
	var report bytes.Buffer
	if err := h.WriteReport(&report, *u.checkup, "html"); err != nil {
		t.Fatal(err)
	}
	screens = append(screens, report.String())
	onUI(u.restartSetup)
	u.wait()
	screens = append(screens, screenText(u))

	english := englishSentences(t)
	for i, text := range screens {
		for _, e := range english {
			if strings.Contains(text, e) {
				t.Errorf("screen %d shows English %q:\n%s", i, e, text)
			}
		}
	}
	if !strings.Contains(screens[0], "Ihr Haushalt") {
		t.Errorf("the dashboard is not in German:\n%s", screens[0])
	}
}

// englishSentences are the English words of the screens (every translated
// phrase whose German differs, cut at its placeholders) and of the checkup.
func englishSentences(t *testing.T) []string {
	t.Helper()
	read := func(code string) map[string]string {
		data, err := assets.Translations.ReadFile("translations/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				m[k] = v
			case map[string]any: // plural forms
				for form, s := range v {
					m[k+"."+form], _ = s.(string)
				}
			}
		}
		return m
	}
	en, de := read("en"), read("de")
	var out []string
	for k, v := range en {
		if v == de[k] {
			continue
		}
		for _, part := range regexp.MustCompile(`\{\{[^}]*\}\}`).Split(v, -1) {
			if part = strings.TrimSpace(part); strings.Count(part, " ") >= 3 {
				out = append(out, part)
			}
		}
	}
	return append(out, "need attention", "It reports", "Porchlight can set", "An update is available",
		"It runs ", "This cannot be checked", "No problems were observed", "Anyone on your home network")
}

// TestWizardSkipAndSummary: the fixing steps let the person skip a device
// or go straight to the summary.
func TestWizardSkipAndSummary(t *testing.T) {
	u, h := demoUI(t)
	tap(t, u, "Start")
	tap(t, u, "Next") // scan
	tap(t, u, "Next") // confirm
	tap(t, u, "They are all mine")
	tap(t, u, "Next") // checkup
	tap(t, u, "Next") // the router
	tap(t, u, "Skip the router")
	st, _ := h.Setup()
	if st.Step != setup.Fix || st.Current != 0 {
		t.Fatalf("not fixing the first device: %+v", st)
	}
	tap(t, u, "Skip this device")
	if st, _ = h.Setup(); st.Current != 1 || st.Part != setup.Password {
		t.Errorf("after skipping: %+v, want the second device's password", st)
	}
	tap(t, u, "Go to the summary")
	if st, _ = h.Setup(); st.Step != setup.Summary || !strings.Contains(screenText(u), "Your household now") {
		t.Errorf("after going to the summary: %+v\n%s", st, screenText(u))
	}
}

// TestWizardWithoutClaims: going on without marking any device as one's
// own ends at the summary, which says so instead of "no devices found".
func TestWizardWithoutClaims(t *testing.T) {
	u, h := demoUI(t)
	tap(t, u, "Start")
	tap(t, u, "Next") // scan
	tap(t, u, "Next") // confirm
	tap(t, u, "Next") // none marked
	text := screenText(u)
	if st, _ := h.Setup(); st.Step != setup.Summary || !strings.Contains(text, "You marked none of the devices found") || strings.Contains(text, "No devices found") {
		t.Errorf("the summary without claims (step %v):\n%s", st.Step, text)
	}
}

// TestKeyringProblemInGerman: without a working keyring, the settings say
// what is wrong and how to fix it in the language chosen.
func TestKeyringProblemInGerman(t *testing.T) {
	u, h := demoUI(t)
	h.Vault.(*vault.Fake).SetUnavailable(true)
	chooseLanguage(t, u, "Deutsch")
	text := screenText(u)
	if !strings.Contains(text, "Porchlight konnte") || !strings.Contains(text, lang.L("keyring.fix."+keyringKey)) || strings.Contains(text, "could not") {
		t.Errorf("the keyring's problem is not said in German:\n%s", text)
	}
}

// TestLeavingAScreenCancelsItsWork: the dashboard starts a scan; the person
// opens the settings at once. The scan is cancelled, its result changes no
// screen, and no checkup is started behind the person's back.
func TestLeavingAScreenCancelsItsWork(t *testing.T) {
	u, h := demoUI(t)
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		u.showDashboard()
		u.showSettings()
	})
	u.wait()
	if text := screenText(u); !strings.Contains(text, "Settings") || strings.Contains(text, "Your household") {
		t.Errorf("a late result changed the screen:\n%s", text)
	}
	if u.checkup != nil {
		t.Error("the dashboard's checkup ran after the person left it")
	}
}

// TestBackDuringARunningAction: the person starts a password change on a
// device page and goes back to the dashboard before it ends. The change
// finishes (it is never left half done), the dashboard stays shown, and it
// shows the device's new state.
func TestBackDuringARunningAction(t *testing.T) {
	u, h := dashboardUI(t)
	var plug string
	for _, sc := range u.checkup.Devices {
		if sc.Device.Family == "shelly-gen2" && sc.Actionable > 0 {
			plug = sc.Device.ID
		}
	}
	if err := h.Claim(context.Background(), []string{plug}, "", ""); err != nil {
		t.Fatal(err)
	}
	onUI(func() { u.showDevice(plug) })
	onUI(func() { test.Tap(button(u, "Change password")) })
	onUI(func() {
		confirmDialog(t, u, true)
		u.showDashboard()
	})
	u.wait()
	if text := screenText(u); !strings.Contains(text, "Your household") {
		t.Errorf("the device page came back after the person left it:\n%s", text)
	}
	if !h.KeepsPassword(plug) {
		t.Error("the password change did not finish")
	}
}

// watching is a household that says when its watch for new devices ends.
type watching struct {
	*app.Core
	stopped chan struct{}
}

func (w watching) Watch(ctx context.Context, _ func(app.Device)) error {
	<-ctx.Done()
	close(w.stopped)
	return nil
}

// TestOpeningTheDemoMovesTheWatch: after a scan of the real household found
// nothing and the person opened the demo, new devices are watched for in
// the demo household, no longer in the first one.
func TestOpeningTheDemoMovesTheWatch(t *testing.T) {
	test.NewTempApp(t)
	first := watching{Core: demoCore(t), stopped: make(chan struct{})}
	demo := demoCore(t)
	var u *ui
	onUI(func() {
		u = newUI(fyne.CurrentApp(), first, Options{OpenDemo: func() (Household, error) { return demo, nil }})
	})
	defer u.close()
	onUI(func() { newWizard(u, setup.State{}).openDemo() })
	select {
	case <-first.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the first household is still watched after the demo opened")
	}
	if u.h != Household(demo) {
		t.Error("the app does not show the demo household")
	}
}

// refusing is the demo household whose devices never prove their identity:
// every password change ends with the error the core gives then.
type refusing struct {
	*app.Core
	problem app.IdentityProblem
}

func (r refusing) SetPassword(_ context.Context, id, _ string) error {
	rec, _ := r.Record(id)
	return &app.IdentityError{ID: id, Name: rec.Name, Problem: r.problem, Addr: netip.MustParseAddr("192.168.1.20")}
}

// TestDevicePageSaysWhyNothingWasSent: for each way a device can fail to
// prove it is the one claimed, the page asks, in the person's language,
// whether it was replaced, and names the device and the address.
func TestDevicePageSaysWhyNothingWasSent(t *testing.T) {
	for _, tt := range []struct {
		problem app.IdentityProblem
		want    string
	}{
		{app.OtherDevice, "another hardware identity"},
		{app.Hidden, "only with its password"},
		{app.NeverLearned, "did not show its hardware identity"},
		{app.NewKey, "not with the encryption key"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			test.NewTempApp(t)
			h := refusing{Core: demoCore(t), problem: tt.problem}
			if _, err := h.Scan(context.Background(), app.ScanOptions{}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := h.Check(context.Background(), h.Devices(), app.CheckOptions{}); err != nil {
				t.Fatal(err)
			}
			var id string
			for _, d := range h.Devices() {
				if strings.HasPrefix(d.Host, "shellyplusplugs-") {
					id = d.ID
				}
			}
			if err := h.Claim(context.Background(), []string{id}, "Wohnzimmer", ""); err != nil {
				t.Fatal(err)
			}
			var u *ui
			onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
			defer u.close()
			onUI(func() { u.showDevice(id) })
			onUI(func() { test.Tap(button(u, "Change password")) })
			onUI(func() { confirmDialog(t, u, true) })
			u.wait()
			question := overlayText(u)
			if !strings.Contains(question, tt.want) || !strings.Contains(question, "Wohnzimmer") || !strings.Contains(question, "Porchlight sent nothing") {
				t.Errorf("the question does not say why:\n%s", question)
			}
		})
	}
}

// interrupting is the demo household with an update that was not seen to
// its end; checking it finds that it happened.
type interrupting struct {
	*app.Core
	action  app.InterruptedAction
	checked *bool
}

func (h interrupting) UnfinishedActions() (app.UnfinishedActions, error) {
	if *h.checked {
		return app.UnfinishedActions{}, nil
	}
	return app.UnfinishedActions{Actions: []app.InterruptedAction{h.action}}, nil
}

func (h interrupting) FinishAction(_ context.Context, a app.InterruptedAction, _ app.UpdateOptions) (app.FinishedAction, error) {
	*h.checked = true
	return app.FinishedAction{InterruptedAction: a, Outcome: "done", Version: "1.6.2"}, nil
}

// TestDashboardFinishesAnInterruptedUpdate: the dashboard tells of an
// update that was interrupted and, when asked, says what the device showed.
func TestDashboardFinishesAnInterruptedUpdate(t *testing.T) {
	test.NewTempApp(t)
	checked := false
	h := interrupting{Core: demoCore(t), checked: &checked,
		action: app.InterruptedAction{Device: "plug", Name: "Wohnzimmer Steckdose", Kind: app.ActionUpdate, Started: time.Now()}}
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
	defer u.close()
	u.wait()
	if text := screenText(u); !strings.Contains(text, "The update of Wohnzimmer Steckdose started on") {
		t.Fatalf("the interrupted update is not told:\n%s", text)
	}
	tap(t, u, "Check whether it happened")
	if text := screenText(u); !checked || !strings.Contains(text, "Wohnzimmer Steckdose: the update happened; it runs 1.6.2.") {
		t.Errorf("after checking:\n%s", text)
	}
}

// damagedPlan is the demo household with an interrupted wipe whose plan
// file was damaged: the first look at it says the file was set aside.
type damagedPlan struct {
	*app.Core
	looked *int
}

func (h damagedPlan) UnfinishedWipe() (*app.UnfinishedWipe, error) {
	*h.looked++
	u := &app.UnfinishedWipe{Action: "wipe-1", Devices: []wipe.UnfinishedDevice{{ID: "plug", Name: "Wohnzimmer Steckdose", State: wipe.Acknowledged}}}
	if *h.looked > 1 {
		return u, nil
	}
	return u, &wipe.PlanDamagedError{Aside: "/data/wipe-plan.json.damaged-20260101T000000Z", Err: errors.New("unexpected end of JSON input")}
}

// TestDashboardTellsOfADamagedWipePlan: the dashboard says where a damaged
// wipe plan was kept, still offers to finish the interrupted wipe, and keeps
// saying it when it is shown again.
func TestDashboardTellsOfADamagedWipePlan(t *testing.T) {
	test.NewTempApp(t)
	looked := 0
	h := damagedPlan{Core: demoCore(t), looked: &looked}
	if err := h.SaveSetup(setup.State{Step: setup.Done}); err != nil {
		t.Fatal(err)
	}
	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
	defer u.close()
	u.wait()
	for range 2 {
		onUI(u.showDashboard)
		u.wait()
		var text string
		onUI(func() { text = screenText(u) })
		for _, want := range []string{"Porchlight kept the damaged file as /data/wipe-plan.json.damaged-20260101T000000Z", "[Continue the wipe]"} {
			if !strings.Contains(text, want) {
				t.Errorf("after %d looks at the wipe, the dashboard lacks %q:\n%s", looked, want, text)
			}
		}
	}
}
