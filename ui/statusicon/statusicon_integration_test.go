//go:build tray_integration && linux

package statusicon

import (
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// TestTrayOnASessionBus shows the tray on a real session bus, to a real
// StatusNotifierWatcher (status-notifier-watcher, Debian's
// haskell-status-notifier-item-utils), and reads and clicks its menu over
// D-Bus as a desktop's tray does. Run it in a session of its own:
//
//	dbus-run-session -- go test -tags tray_integration ./ui/statusicon/
func TestTrayOnASessionBus(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no session bus: run this test under dbus-run-session (make test does)")
	}
	conn, err := dbus.ConnectSessionBus() // the test's own: the tray closes the shared one when it quits
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var tray Tray
	if tray.Available() {
		t.Fatal("a tray is available before any StatusNotifierWatcher runs")
	}
	watcher := exec.Command("status-notifier-watcher")
	if err := watcher.Start(); err != nil {
		t.Fatalf("starting status-notifier-watcher (package haskell-status-notifier-item-utils): %v", err)
	}
	t.Cleanup(func() { watcher.Process.Kill(); watcher.Wait() })
	waitFor(t, "the watcher on the bus", tray.Available)

	clicks := make(chan string, 4)
	words := Words{Title: "Porchlight", Summary: "All well", Open: "Open Porchlight", Look: "Look again now", Pause: "Pause watching", Quit: "Quit"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tray.Run([]byte{}, words, Actions{
			Open:  func() { clicks <- "open" },
			Look:  func() { clicks <- "look" },
			Pause: func() { clicks <- "pause" },
			Quit:  func() { clicks <- "quit"; tray.Quit() },
		})
	}()

	watcherObj := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher")
	waitFor(t, "the tray registered with the watcher", func() bool {
		v, err := watcherObj.GetProperty("org.kde.StatusNotifierWatcher.RegisteredStatusNotifierItems")
		items, _ := v.Value().([]string)
		return err == nil && len(items) == 1
	})
	shared, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	me := conn.Object(shared.Names()[0], "/StatusNotifierMenu")
	labels := func() (out []string, ids []int32) {
		var rev uint32
		var layout struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		if err := me.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &layout); err != nil {
			t.Fatal(err)
		}
		for _, c := range layout.Children {
			f, _ := c.Value().([]any)
			if len(f) < 2 {
				continue
			}
			props, _ := f[1].(map[string]dbus.Variant)
			if l, ok := props["label"]; ok {
				out = append(out, l.Value().(string))
				ids = append(ids, f[0].(int32))
			}
		}
		return out, ids
	}
	waitFor(t, "the menu's words", func() bool {
		got, _ := labels()
		return slices.Equal(got, []string{"All well", "Open Porchlight", "Look again now", "Pause watching", "Quit"})
	})

	words.Summary, words.Pause = "All well (watching paused)", "Resume watching"
	tray.Set([]byte{}, words)
	got, ids := labels()
	if !slices.Equal(got, []string{"All well (watching paused)", "Open Porchlight", "Look again now", "Resume watching", "Quit"}) {
		t.Fatalf("after Set the menu says %q", got)
	}
	for i, want := range []string{"look", "pause", "quit"} {
		var flags dbus.Flags
		if want == "quit" {
			flags = dbus.FlagNoReplyExpected // the tray leaves the bus, maybe before it replies
		}
		if err := me.Call("com.canonical.dbusmenu.Event", flags, ids[i+2], "clicked", dbus.MakeVariant(""), uint32(0)).Err; err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-clicks:
			if c != want {
				t.Fatalf("clicking %q did %q", got[i+2], c)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("clicking %q did nothing", got[i+2])
		}
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Quit did not end Run")
	}
}

// waitFor waits until ok, for at most ten seconds: the watcher and the
// tray answer over the bus in their own time.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 200 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waited 10 s for %s", what)
}
