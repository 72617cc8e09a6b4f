package ui

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/watch"
	"github.com/porchlight/porchlight/ui/statusicon"
)

// fakeStatusIcon is a tray without a window: it records what it shows, and
// the test clicks its menu.
type fakeStatusIcon struct {
	available bool
	ready     chan statusicon.Actions
	quit      chan struct{}
	quitOnce  sync.Once

	mu    sync.Mutex
	words []statusicon.Words
}

func newFakeStatusIcon() *fakeStatusIcon {
	return &fakeStatusIcon{available: true, ready: make(chan statusicon.Actions, 1), quit: make(chan struct{})}
}

func (f *fakeStatusIcon) Available() bool { return f.available }

func (f *fakeStatusIcon) Run(icon []byte, w statusicon.Words, a statusicon.Actions) {
	f.Set(icon, w)
	f.ready <- a
	<-f.quit
}

func (f *fakeStatusIcon) Set(_ []byte, w statusicon.Words) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.words = append(f.words, w)
}

func (f *fakeStatusIcon) Quit() { f.quitOnce.Do(func() { close(f.quit) }) }

func (f *fakeStatusIcon) last() statusicon.Words {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.words[len(f.words)-1]
}

// inFakeTray runs Porchlight in the fake tray alone on a household that
// notifies, and returns the menu's actions and what RunBackground returns.
func inFakeTray(t *testing.T, tray *fakeStatusIcon, n notifier, show <-chan struct{}) (statusicon.Actions, homeHousehold, <-chan Next) {
	t.Helper()
	a := test.NewTempApp(t)
	settings{a.Preferences()}.setKeepWatching(true)
	h := homeHousehold{demoCore(t)}
	opts := Options{Tray: tray, Show: show}
	if !StartsInTray(a, opts) {
		t.Fatal("keeping watch with a tray does not start in the tray")
	}
	done := make(chan Next, 1)
	go func() { done <- runBackground(a, n, h, opts) }()
	select {
	case act := <-tray.ready:
		return act, h, done
	case <-time.After(time.Minute):
		t.Fatal("the tray was not shown")
	}
	return statusicon.Actions{}, h, done
}

// TestTrayAloneOpensTheWindowOrQuits: "Open Porchlight", and Porchlight
// started again, end the tray for the window; "Quit" ends it.
func TestTrayAloneOpensTheWindowOrQuits(t *testing.T) {
	for _, tc := range []struct {
		click string
		want  Next
	}{{"open", Window}, {"quit", Done}, {"started again", Window}} {
		t.Run(tc.click, func(t *testing.T) {
			tray := newFakeStatusIcon()
			show := make(chan struct{}, 1)
			act, _, done := inFakeTray(t, tray, &fakeNotifier{}, show)
			if w := tray.last(); w.Open != "Open Porchlight" || w.Pause != "Pause watching" || w.Title != "Porchlight" {
				t.Fatalf("the tray shows %+v", w)
			}
			switch tc.click {
			case "open":
				act.Open()
			case "quit":
				act.Quit()
			default: // Porchlight started again asks this one to show its window
				show <- struct{}{}
			}
			select {
			case got := <-done:
				if got != tc.want {
					t.Errorf("after %s: %v, want %v", tc.click, got, tc.want)
				}
			case <-time.After(time.Minute):
				t.Fatalf("%s did not end the tray", tc.click)
			}
		})
	}
}

// TestTrayAlonePausesForTheWindowToo: pausing in the tray alone is kept,
// so that the window opened next is paused as well, and shown in the menu.
func TestTrayAlonePausesForTheWindowToo(t *testing.T) {
	tray := newFakeStatusIcon()
	act, h, done := inFakeTray(t, tray, &fakeNotifier{}, nil)
	act.Pause()
	if w := tray.last(); w.Pause != "Resume watching" || !strings.Contains(w.Summary, "(watching paused)") {
		t.Fatalf("after pausing the tray shows %+v", w)
	}
	act.Quit()
	<-done
	w, err := watch.New(h, watch.Options{RememberPause: true})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Paused() {
		t.Error("the next watcher is not paused")
	}
}

func TestTrayAloneNotifiesOnceGrouped(t *testing.T) {
	n := &fakeNotifier{}
	tray := newFakeStatusIcon()
	b := &inTray{tray: tray, notify: n}
	three := []events.Event{newDevice("A", "Plug"), newDevice("B", "Lamp"), newDevice("C", "Printer")}
	b.happened(three, "en", false)
	b.happened(three, "en", true) // the demo notifies nothing
	if got := n.all(); len(got) != 1 || got[0].Content != "3 new devices joined your network." {
		t.Fatalf("notifications %+v, want one for three new devices", got)
	}
	if len(tray.words) != 2 {
		t.Errorf("the tray was shown %d times, want after each look", len(tray.words))
	}
}

// TestClosingTheWindowLeavesWatchingToTheTray: with "keep watching", closing
// the window ends the app for the tray alone, where there is a tray; the
// demo, and a desktop without a tray, keep the window hidden instead.
func TestClosingTheWindowLeavesWatchingToTheTray(t *testing.T) {
	for _, tc := range []struct {
		name            string
		available, demo bool
		want            Next
	}{{"tray", true, false, InTray}, {"no tray", false, false, Done}, {"demo", true, true, Done}} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			var h Household = homeHousehold{demoCore(t)}
			if tc.demo {
				h = demoCore(t)
			}
			tray := newFakeStatusIcon()
			tray.available = tc.available
			var u *ui
			onUI(func() {
				u = newUI(fyne.CurrentApp(), h, Options{Tray: tray})
				u.tray = &fakeTray{}
				u.prefs.setKeepWatching(true)
				u.win.Show()
				u.closeWindow()
			})
			u.close()
			if u.next != tc.want {
				t.Errorf("next %v, want %v", u.next, tc.want)
			}
			if shown := slices.Contains(u.app.Driver().AllWindows(), u.win); tc.want == Done && !shown {
				t.Error("the window was closed instead of hidden")
			}
		})
	}
}

// shownWindow records whether the app showed its window.
type shownWindow struct {
	fyne.Window
	mu    sync.Mutex
	shown bool
}

func (w *shownWindow) Show() {
	w.mu.Lock()
	w.shown = true
	w.mu.Unlock()
	w.Window.Show()
}

func (w *shownWindow) wasShown() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.shown
}

// TestStartedAgainShowsTheWindow: Porchlight started again while its
// window is hidden shows that window instead of a second one.
func TestStartedAgainShowsTheWindow(t *testing.T) {
	test.NewTempApp(t)
	show := make(chan struct{}, 1)
	var u *ui
	win := &shownWindow{}
	onUI(func() {
		u = newUI(fyne.CurrentApp(), homeHousehold{demoCore(t)}, Options{Show: show})
		win.Window = u.win
		u.win = win
		u.win.Hide()
	})
	t.Cleanup(u.close)
	show <- struct{}{}
	for range 200 {
		if win.wasShown() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the hidden window was not shown")
}
