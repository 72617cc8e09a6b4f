//go:build linux

package app_test

// The crash test of password changes, firmware updates and factory resets
// against the lab (devices/sim): a child process does one of them on a
// simulated Shelly (Gen1 or Gen2) and is killed (SIGKILL) at a point chosen
// at random among those of the action: before each connection to the
// device, as the device's answer arrives (the device acted, the child does
// not know it yet), and before and after each keyring write. Half of the
// time the parent then tears the journal as a crash in the middle of an
// append would (part of an entry, no newline). Then it starts again, as
// Porchlight does, and checks that the journal reads, nothing in it is
// lost, the interrupted action is reported and finished, the device takes a
// password Porchlight still holds, and the journal tells the truth about
// the device. Run it in an isolated network namespace:
//
//	.ci/in-netns go test -race -run TestLabCrash -v ./app/
//
// PORCHLIGHT_CRASH_SEED replays a run (the seed is logged); PORCHLIGHT_CRASH_RUNS
// sets the kill points per scenario (distinct, as far as the action has them).
// The passwords are kept in a file the processes share (crashtest.FileVault);
// with the keyring_integration tag, in a real Secret Service instead, on a
// private session bus that .ci/in-keyring starts (see crash_keyring_lab_test.go):
//
//	.ci/in-netns .ci/in-keyring go test -race -tags keyring_integration -run TestLabCrash ./app/

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/internal/crashtest"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// Environment of the crash test.
const (
	// envCrashSeed and envCrashRuns steer the parent (see the file comment).
	envCrashSeed = "PORCHLIGHT_CRASH_SEED"
	envCrashRuns = "PORCHLIGHT_CRASH_RUNS"
	// envCrashChild tells the child what to do: "<action>:<device id>:<point>"
	// (point 0: kill nowhere, count the points).
	envCrashChild = "PORCHLIGHT_TEST_CRASH_CHILD"
	// envCrashDir is the data directory parent and child share.
	envCrashDir = "PORCHLIGHT_TEST_CRASH_DIR"
)

// defaultCrashRuns is the number of kill points per scenario.
const defaultCrashRuns = 4

// crashOpts are the waits for lab devices on FastTiming, where an update or
// a reset takes about 120 ms. Finishing an update or a reset that never
// reached the device waits all of Wait since its last step before it
// says so.
var crashOpts = app.UpdateOptions{Wait: 5 * time.Second, Poll: 20 * time.Millisecond}

// crashScenario is one action on one family.
type crashScenario struct {
	action string // "password", "update" or "reset"
	family sim.Family
}

func (s crashScenario) String() string { return s.action + "/" + string(s.family) }

// TestLabCrash runs every scenario once without a kill, which counts its
// kill points, then kills it at distinct random points.
func TestLabCrash(t *testing.T) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envCrashSeed); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s: %v", envCrashSeed, err)
		}
	}
	runs := defaultCrashRuns
	if s := os.Getenv(envCrashRuns); s != "" {
		var err error
		if runs, err = strconv.Atoi(s); err != nil || runs < 1 {
			t.Fatalf("%s=%q: want a number of runs", envCrashRuns, s)
		}
	}
	t.Logf("crash test seed %d, %d kill points per scenario (replay: %s=%d)", seed, runs, envCrashSeed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	killed, finished := 0, 0
	for _, action := range []string{"password", "update", "reset"} {
		for _, family := range []sim.Family{sim.ShellyGen1, sim.ShellyGen2} {
			sc := crashScenario{action, family}
			var points int
			t.Run(sc.String()+"/no-kill", func(t *testing.T) { points = crashRun(t, sc, 0, -1) })
			if points == 0 {
				t.Fatalf("%s: no kill points counted", sc)
			}
			for _, at := range rng.Perm(points)[:min(runs, points)] {
				tear := -1
				if rng.IntN(2) == 0 {
					tear = rng.IntN(1 << 16)
				}
				t.Run(fmt.Sprintf("%s/point-%d-of-%d", sc, at+1, points), func(t *testing.T) {
					if crashRun(t, sc, at+1, tear) == 0 {
						killed++
					} else {
						finished++
					}
				})
			}
		}
	}
	t.Logf("seed %d: %d runs killed, %d ran to their end before the chosen point", seed, killed, finished)
}

// killedRE and countRE find the child's report of where it was killed, or
// how many points it counted.
var (
	killedRE = regexp.MustCompile(`crash point (\d+): (.*)`)
	countRE  = regexp.MustCompile(`crash points: (\d+)`)
)

// crashRun sets up a lab device as Porchlight has it after giving it a
// password, runs the child that does sc's action and is killed at point at
// (0: nowhere), tears the journal when tear >= 0 (tear picks where the torn
// entry is cut), starts again and checks everything. It returns the points
// the child counted when it ran to its end, 0 when it was killed.
func crashRun(t *testing.T, sc crashScenario, at, tear int) int {
	ctx := t.Context()
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	i := slices.IndexFunc(lab.Devices(), func(d *sim.Device) bool {
		return d.Family == sc.family && !d.AuthEnabled() && len(d.HTTPPorts) > 0
	})
	if i < 0 {
		t.Fatalf("the lab has no %s without a password", sc.family)
	}
	sd := lab.Devices()[i]
	sd.SetTiming(sim.FastTiming())
	firmware := sd.CurrentFirmware()
	dir := t.TempDir()
	v := crashVault(t, dir)
	id := claimWithPassword(t, ctx, dir, v, sd)

	child, err := crashtest.RunChild(ctx, "TestLabCrashChild", envCrashChild+"="+sc.action+":"+id+":"+strconv.Itoa(at), envCrashDir+"="+dir)
	if err != nil {
		t.Fatal(err)
	}
	counted := 0
	if child.Killed {
		m := killedRE.FindSubmatch(child.Output)
		if m == nil {
			t.Fatalf("the child was killed elsewhere:\n%s", child.Output)
		}
		t.Logf("killed at point %s: %s", m[1], m[2])
	} else {
		m := countRE.FindSubmatch(child.Output)
		if m == nil {
			t.Fatalf("the child counted no points:\n%s", child.Output)
		}
		counted, _ = strconv.Atoi(string(m[1]))
		t.Logf("ran to its end: %d points", counted)
	}

	jn := journal.Open(dir)
	wantDamaged := 0
	if tear >= 0 {
		tearJournal(t, jn, id, tear)
		wantDamaged = 1
	}
	before, damaged, err := jn.Entries()
	if err != nil || damaged != wantDamaged {
		t.Fatalf("the journal after the kill: %v, %d damaged lines, want %d", err, damaged, wantDamaged)
	}

	// The next start reports the interrupted action and finishes it.
	h, err := app.Open(app.Env{Dir: dir, Vault: v, Network: labNetwork})
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.UnfinishedActions()
	if err != nil || u.DamagedLines != wantDamaged {
		t.Fatalf("UnfinishedActions: %v, %d damaged lines, want %d", err, u.DamagedLines, wantDamaged)
	}
	var reported []string
	for _, a := range u.Actions {
		reported = append(reported, a.Action)
	}
	if want := interruptedIn(before); !slices.Equal(reported, want) {
		t.Fatalf("reported interrupted actions %v, the journal has %v", reported, want)
	}
	for _, a := range u.Actions {
		res, err := h.FinishAction(ctx, a, crashOpts)
		if err != nil || res.Outcome == "" || res.CheckAgain {
			t.Fatalf("finishing the %s interrupted after %s: %+v, %v", a.Kind, a.Reached, res, err)
		}
		t.Logf("the %s interrupted after %s: %s %s %v", a.Kind, a.Reached, res.Outcome, res.Version, res.Cause)
	}
	after, damaged, err := jn.Entries()
	if err != nil || damaged != wantDamaged || len(after) != len(before)+len(u.Actions) || !reflect.DeepEqual(after[:len(before)], before) {
		t.Fatalf("the journal lost or changed entries: %d before, %d after finishing %d actions, %d damaged lines, %v", len(before), len(after), len(u.Actions), damaged, err)
	}
	if again, err := h.UnfinishedActions(); err != nil || len(again.Actions) != 0 {
		t.Fatalf("still unfinished after finishing: %+v, %v", again.Actions, err)
	}

	// Never locked out, and the journal tells the truth about the device.
	drv, _ := driver.For(string(sc.family))
	tgt := driver.Target{ID: id, Addr: sd.Addr, Port: sd.HTTPPorts[0]}
	waitReachable(t, ctx, sd)
	heldWorks(t, ctx, drv, tgt, v)
	switch sc.action {
	case "update":
		updated := sd.CurrentFirmware() != firmware
		if verified := hasState(after, id, update.KindUpdate, update.StateVerified); verified != updated {
			t.Errorf("the device runs %s (it ran %s), the journal says verified: %t", sd.CurrentFirmware(), firmware, verified)
		}
	case "reset":
		reset := !sd.AuthEnabled()
		if verified := hasState(after, id, update.KindReset, update.StateVerified); verified != reset {
			t.Errorf("the device was reset: %t, the journal says verified: %t", reset, verified)
		}
		held := keyringOf(t, v, id)
		if rec, _ := h.Record(id); reset && (len(held) > 0 || len(rec.Secrets) > 0) {
			t.Errorf("the device was reset, and Porchlight still keeps %v (indexed: %v)", held, rec.Secrets)
		}
	case "password":
		// The next change finishes or rolls back the interrupted one first.
		if err := h.SetPassword(ctx, id, ""); err != nil {
			t.Fatalf("the next password change: %v", err)
		}
		heldWorks(t, ctx, drv, tgt, v)
	}
	if held := keyringOf(t, v, id); slices.Contains(held, id+"/"+password.PurposePending) {
		t.Errorf("a pending password remains: %v", held)
	}
	return counted
}

// TestLabCrashChild is the child of TestLabCrash: it does the action its
// environment names on the household in $PORCHLIGHT_TEST_CRASH_DIR, killing
// itself at the point named there, and reports the points it counted when
// it gets to the end.
func TestLabCrashChild(t *testing.T) {
	spec := os.Getenv(envCrashChild)
	if spec == "" {
		t.Skip("run by TestLabCrash")
	}
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		t.Fatalf("%s=%q", envCrashChild, spec)
	}
	at, err := strconv.Atoi(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	action, id, dir := parts[0], parts[1], os.Getenv(envCrashDir)
	points := crashtest.NewPoints(at, os.Stdout)
	h, err := app.Open(app.Env{
		Dir:     dir,
		Vault:   crashtest.Vault(crashVault(t, dir), points),
		Network: pointNetwork{HomeNetwork: labNetwork, dial: crashtest.Dialer(points)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	switch action {
	case "password":
		err = h.SetPassword(ctx, id, "")
	case "update":
		var res app.UpdateResult
		if res, err = h.ApplyUpdate(ctx, id, crashOpts); err == nil && !res.Verified {
			err = fmt.Errorf("the update was not verified: %+v", res)
		}
	case "reset":
		_, err = h.Reset(ctx, id, true, crashOpts)
	default:
		err = fmt.Errorf("no action %q", action)
	}
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	fmt.Printf("crash points: %d\n", points.Count())
}

// labNetwork is the lab's loopback.
var labNetwork = app.HomeNetwork{Interface: "lo"}

// pointNetwork is the lab's network, reached through a dialer with kill points.
type pointNetwork struct {
	app.HomeNetwork
	dial devhttp.Network
}

func (n pointNetwork) Dialer() devhttp.Network { return n.dial }

// claimWithPassword makes sd a claimed device of the household in dir, at
// its lab address, and gives it a password kept in v, as Porchlight does
// (the change is not under test here). It returns the device's ID.
func claimWithPassword(t *testing.T, ctx context.Context, dir string, v vault.Store, sd *sim.Device) string {
	t.Helper()
	h, err := app.Open(app.Env{Dir: dir, Vault: v, Network: labNetwork})
	if err != nil {
		t.Fatal(err)
	}
	anns := make([]discover.Announcement, len(sd.Services))
	for j, s := range sd.Services {
		anns[j] = discover.Announcement{Type: s.Type, Instance: s.Instance, Port: s.Port, TXT: s.TXT}
	}
	dev := discover.FromAnnouncements(sd.Host, []netip.Addr{sd.Addr}, anns, time.Now())
	// A real keyring outlives the runs: what an earlier one left goes first.
	if _, err := vault.DeleteAll(ctx, v, deviceAccounts(dev.ID)); err != nil {
		t.Fatal(err)
	}
	if err := h.Remember([]app.Device{dev}); err != nil {
		t.Fatal(err)
	}
	if err := h.Claim(ctx, []string{dev.ID}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(ctx, dev.ID, ""); err != nil {
		t.Fatalf("giving %s a password: %v", sd.Name, err)
	}
	return dev.ID
}

// tearJournal appends what a crash in the middle of an append leaves: the
// first part of an entry of the device, cut where cut says, without its newline.
func tearJournal(t *testing.T, j *journal.Journal, id string, cut int) {
	t.Helper()
	line, err := json.Marshal(journal.Entry{Action: "reset-" + id + "-torn", Kind: update.KindReset, Device: id, State: update.StatePlanned, At: time.Now().UTC(), Detail: "factory reset"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(j.Path(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(line[:1+cut%(len(line)-1)]); err != nil {
		t.Fatal(err)
	}
}

// interruptedIn returns the updates and resets whose last entry is not
// final, in the order they started, as the journal has them.
func interruptedIn(entries []journal.Entry) []string {
	var out []string
	for _, e := range journal.Latest(entries) {
		if (e.Kind == update.KindUpdate || e.Kind == update.KindReset) && !update.Final(e.State) {
			out = append(out, e.Action)
		}
	}
	return out
}

// hasState reports whether the journal has a kind entry of the device in state.
func hasState(entries []journal.Entry, id, kind, state string) bool {
	return slices.ContainsFunc(entries, func(e journal.Entry) bool { return e.Device == id && e.Kind == kind && e.State == state })
}

// deviceAccounts are the keyring accounts Porchlight makes for a device.
func deviceAccounts(id string) []string {
	return []string{id + "/" + password.PurposeAdmin, id + "/" + password.PurposePending}
}

// keyringOf returns the accounts of the device with id that v holds.
func keyringOf(t *testing.T, v vault.Store, id string) []string {
	t.Helper()
	var out []string
	for _, acct := range deviceAccounts(id) {
		_, err := v.Get(context.Background(), acct)
		switch {
		case err == nil:
			out = append(out, acct)
		case !errors.Is(err, vault.ErrNotFound):
			t.Fatal(err)
		}
	}
	return out
}

// waitReachable waits until the simulated device answers again (it may
// be restarting), for as long as the test may run.
func waitReachable(t *testing.T, ctx context.Context, sd *sim.Device) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !sd.Reachable() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s never came back: %v", sd.Name, ctx.Err())
		case <-tick.C:
		}
	}
}

// heldWorks asserts that the device accepts a password Porchlight holds
// (the one in force or a pending one), or has none.
func heldWorks(t *testing.T, ctx context.Context, d driver.Driver, tgt driver.Target, v vault.Store) {
	t.Helper()
	if err := crashtest.NotLockedOut(ctx, d, tgt, v, deviceAccounts(tgt.ID)...); err != nil {
		t.Fatal(err)
	}
}
