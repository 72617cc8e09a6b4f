//go:build linux

package watch

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestWatchingTheLab keeps watch over the home household while it
// changes: a device joins between two looks (one event, one notification),
// another gets a new address (nothing), a device opens a port on the
// router (one event), and a restarted watcher tells nothing again. Run it in a namespace:
//
//	go test -exec $PWD/.ci/in-netns -run WatchingTheLab ./app/watch/
func TestWatchingTheLab(t *testing.T) {
	home, err := sim.Household(sim.ProfileHome, 0)
	if err != nil {
		t.Fatal(err)
	}
	joins, moves := home[1].Host, home[3].Host // a Shelly Plus, a WLED
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Without: []string{joins}})

	dir := t.TempDir()
	core, err := app.Open(app.Env{Dir: dir, Vault: &vault.Fake{}, Network: app.HomeNetwork{Interface: "lo"}})
	if err != nil {
		t.Fatal(err)
	}
	clock := NewFakeClock(start)
	var n notified
	w := newWatcher(t, core, clock, &n)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("the first look told %v", kinds(evs))
	}
	want := len(home) - 1 + len(sim.UPnPHousehold(sim.ProfileHome)) + len(sim.Cameras(sim.ProfileHome)) // over mDNS, SSDP and WS-Discovery
	if got := len(core.Devices()); got != want {
		t.Fatalf("the first look found %d devices, want %d", got, want)
	}

	lab.Close()
	lab = simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	clock.Advance(DefaultInterval)
	evs := look(t, w)
	if len(evs) != 1 || evs[0].Kind != "new-device" || evs[0].Address != home[1].Addr.String() {
		t.Fatalf("a device that joined told %+v, want one new device at %s", evs, home[1].Addr)
	}
	if calls := n.all(); len(calls) != 1 || len(calls[0]) != 1 {
		t.Fatalf("notifications %v, want one", calls)
	}

	lab.Close()
	moved := netip.MustParseAddr("127.77.3.3")
	lab = simtest.Lab(t, sim.Config{Profile: sim.ProfileHome, Move: map[string]netip.Addr{moves: moved}})
	clock.Advance(DefaultInterval)
	if evs := look(t, w); len(evs) != 0 {
		t.Fatalf("a device that moved told %v", kinds(evs))
	}
	i := slices.IndexFunc(core.Devices(), func(d app.Device) bool { return slices.Contains(d.Addresses, moved) })
	if i < 0 {
		t.Fatalf("the look did not see the device at its new address %s", moved)
	}
	wled := core.Devices()[i]

	router := lab.UPnPDevices()[0]
	router.AddMapping(sim.PortMapping{ExternalPort: 8443, Protocol: "TCP", InternalClient: moved.String(), InternalPort: 80, Description: "WLED remote"})
	clock.Advance(DefaultInterval)
	evs = look(t, w)
	if len(evs) != 1 || evs[0].Kind != "port-opened" || evs[0].Device != wled.ID || evs[0].Port != "8443/TCP" || evs[0].Router != router.Name {
		t.Fatalf("a port mapping that appeared told %+v, want one port opened by %s", evs, wled.ID)
	}
	if calls := n.all(); len(calls) != 2 {
		t.Fatalf("notifications %v, want a second one", calls)
	}

	clock.Advance(DefaultInterval)
	var again notified
	if evs := look(t, newWatcher(t, core, clock, &again)); len(evs) != 0 || len(again.all()) != 0 {
		t.Fatalf("a restarted watcher told %v", kinds(evs))
	}
	if len(n.all()) != 2 {
		t.Errorf("notifications %v, want the two", n.all())
	}
}
