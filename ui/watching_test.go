package ui

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/events"
)

// fakeNotifier records the desktop notifications sent.
type fakeNotifier struct {
	mu   sync.Mutex
	sent []fyne.Notification
}

func (f *fakeNotifier) SendNotification(n *fyne.Notification) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, *n)
}

func (f *fakeNotifier) all() []fyne.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

// homeHousehold is the demo household as if it were a real one: it
// notifies.
type homeHousehold struct{ *app.Core }

func (homeHousehold) Demo() bool { return false }

// watchingUI starts the app on a household that notifies, with a fake
// notifier.
func watchingUI(t *testing.T) (*ui, *fakeNotifier) {
	t.Helper()
	test.NewTempApp(t)
	h := homeHousehold{demoCore(t)}
	var u *ui
	onUI(func() { u = newUI(fyne.CurrentApp(), h, Options{}) })
	t.Cleanup(u.close)
	n := &fakeNotifier{}
	onUI(func() { u.notify = n })
	if u.watcher == nil {
		t.Fatal("the app does not keep watch")
	}
	return u, n
}

var when = time.Date(2026, 3, 1, 9, 15, 0, 0, time.UTC)

func newDevice(id, name string) events.Event {
	return events.Event{Key: "new:" + id, Kind: events.NewDevice, Time: when, Device: id, Name: name, Address: "192.0.2.7"}
}

func TestNotificationsOncePerEventGrouped(t *testing.T) {
	u, n := watchingUI(t)
	three := []events.Event{newDevice("A", "Plug"), newDevice("B", "Lamp"), newDevice("C", "Printer")}
	if err := u.watcher.Add(three...); err != nil {
		t.Fatal(err)
	}
	if got := n.all(); len(got) != 1 || got[0].Title != "New device" || got[0].Content != "3 new devices joined your network." {
		t.Fatalf("three new devices at once: %+v", got)
	}
	if err := u.watcher.Add(three[1]); err != nil { // told already
		t.Fatal(err)
	}
	gone := events.Event{Key: "gone:A:1", Kind: events.Gone, Time: when, Device: "A", Name: "Plug", LastSeen: when.Add(-26 * time.Hour)}
	if err := u.watcher.Add(gone, newDevice("D", "Speaker")); err != nil {
		t.Fatal(err)
	}
	got := n.all()
	if len(got) != 3 || got[1].Title != "Device gone" || !strings.HasPrefix(got[1].Content, "Plug has not been on your network since ") ||
		got[2].Content != "Speaker joined your network (at 192.0.2.7). Check it to see whether it is yours." {
		t.Fatalf("then one gone and one new device: %+v", got)
	}
}

func TestDemoNotifiesNothing(t *testing.T) {
	u, _ := demoUI(t)
	n := &fakeNotifier{}
	onUI(func() { u.notify = n })
	if err := u.watcher.Add(newDevice("A", "Plug")); err != nil {
		t.Fatal(err)
	}
	onUI(u.showHappened)
	if len(n.all()) != 0 {
		t.Errorf("the demo notified %+v", n.all())
	}
	if len(u.happening.events) != 1 {
		t.Errorf("the demo's What happened lists %d events", len(u.happening.events))
	}
}

func TestWhatHappenedList(t *testing.T) {
	u, _ := watchingUI(t)
	onUI(u.showHappened)
	if !strings.Contains(screenText(u), "Nothing yet.") || !u.happening.empty.Visible() {
		t.Fatalf("an empty list says:\n%s", screenText(u))
	}
	problem := events.Event{Key: "problem:A:5.1", Kind: events.Problem, Time: when.Add(time.Hour), Device: "A", Name: "Plug",
		Provision: "5.1", Says: checkup.Reasons{{Key: "pw.open"}}}
	if err := u.watcher.Add(newDevice("A", "Plug"), problem); err != nil {
		t.Fatal(err)
	}
	var texts []string
	onUI(func() {
		for _, e := range u.happening.events {
			texts = append(texts, eventText(e, u.lang))
		}
	})
	if len(texts) != 2 || !strings.HasPrefix(texts[0], "A new problem on Plug: Its settings open without a password") || u.happening.empty.Visible() {
		t.Fatalf("the list, newest first: %q\n%s", texts, screenText(u))
	}

	chooseLanguage(t, u, "Deutsch")
	onUI(u.showHappened)
	onUI(func() { texts = []string{eventText(u.happening.events[1], u.lang), screenText(u)} })
	if !strings.HasPrefix(texts[0], "Plug ist Ihrem Netzwerk beigetreten") || !strings.Contains(texts[1], "Was passiert ist") {
		t.Errorf("in German: %q", texts)
	}
}

func TestWhatHappenedFromTheDashboardAndTheKeyboard(t *testing.T) {
	u, _ := dashboardUI(t)
	tap(t, u, "What happened")
	if u.happening == nil {
		t.Fatalf("the dashboard's button did not open What happened:\n%s", screenText(u))
	}
	onUI(u.showDashboard)
	u.wait()
	onUI(func() { u.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(happenedShortcut) })
	if u.happening == nil {
		t.Error("Ctrl+E did not open What happened")
	}
}

// fakeTray records what the app puts in the system tray.
type fakeTray struct {
	menu *fyne.Menu
	icon fyne.Resource
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)    { f.menu = m }
func (f *fakeTray) SetSystemTrayIcon(r fyne.Resource) { f.icon = r }
func (f *fakeTray) SetSystemTrayWindow(fyne.Window)   {}
func (f *fakeTray) labels() (out []string)            { return menuLabels(f.menu) }
func menuLabels(m *fyne.Menu) (out []string) {
	for _, it := range m.Items {
		if !it.IsSeparator {
			out = append(out, it.Label)
		}
	}
	return out
}

func TestTrayMenuAndClosing(t *testing.T) {
	u, _ := watchingUI(t)
	tray := &fakeTray{}
	onUI(func() {
		u.tray = tray
		u.refreshTray()
	})
	if got := tray.labels(); !slices.Equal(got, []string{"All well", "Open Porchlight", "Look again now", "Pause watching", "Quit"}) || tray.icon != trayOK || !tray.menu.Items[0].Disabled {
		t.Fatalf("tray menu %q, icon %v", got, tray.icon.Name())
	}
	labels := func() (l []string) {
		u.wait()
		onUI(func() { l = tray.labels() })
		return l
	}
	onUI(func() { tray.menu.Items[4].Action() }) // Pause watching
	if got := labels(); !u.watcher.Paused() || got[3] != "Resume watching" || !strings.Contains(got[0], "(watching paused)") {
		t.Fatalf("after pausing: %q", got)
	}
	onUI(func() { tray.menu.Items[4].Action() })
	if labels(); u.watcher.Paused() {
		t.Fatal("resuming did not resume")
	}

	onUI(func() {
		u.prefs.setKeepWatching(true)
		u.win.Show()
		u.closeWindow()
	})
	if !slices.Contains(u.app.Driver().AllWindows(), u.win) {
		t.Errorf("closing the window while keeping watch closed it (windows: %d)", len(u.app.Driver().AllWindows()))
	}
}
