package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/app/update"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// TestInterruptedActions: an update and a factory reset of a demo Shelly
// were interrupted (the reset happened, the update never reached the
// device). 'check' warns about both; 'update --resume' finishes the update;
// 'reset --yes' finishes the reset first and, as it happened, does not
// reset the device again.
func TestInterruptedActions(t *testing.T) {
	env, dir, h, id, sd := demoShelly(t)
	ctx := context.Background()
	fake := env.Vault
	pw, err := h.Password(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	drv, _ := driver.For(string(sim.ShellyGen1))
	if err := drv.FactoryReset(ctx, driver.Target{ID: id, Addr: sd.Addr, Port: sd.HTTPPorts[0], Net: env.Network("").Dialer()}, &driver.Credentials{Password: pw}); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-time.Hour).UTC()
	for _, e := range []journal.Entry{
		{Action: "update-1", Kind: update.KindUpdate, Device: id, State: update.StatePlanned, At: long, From: sd.CurrentFirmware(), To: "v9.9"},
		{Action: "reset-1", Kind: update.KindReset, Device: id, State: update.StateSent, At: time.Now().UTC(), HadPassword: true},
	} {
		if err := h.Journal.Append(e); err != nil {
			t.Fatal(err)
		}
	}

	steps := []struct {
		args             []string
		wantOut, wantErr []string
	}{
		{[]string{"check", id}, nil, []string{
			"Warning: The firmware update of Hall light (" + id + ") to v9.9, started ", "was interrupted as it was being sent",
			"porchlight update --resume " + id, "Warning: The factory reset of Hall light", "interrupted before the device confirmed it",
			"porchlight reset --resume " + id}},
		{[]string{"update", "--resume", "--json"}, []string{`"schema": 1`, `"outcome": "not_done"`, `"kind": "update"`, `"damaged_lines": 0`}, nil},
		{[]string{"update", "--resume"}, []string{"There is no interrupted update to finish."}, nil},
		{[]string{"reset", "--yes", id}, []string{"The device was reset: it came back unconfigured."},
			[]string{"The interrupted factory reset of Hall light (" + id + ") happened", "deleted the password"}},
	}
	for _, st := range steps {
		var out, errOut bytes.Buffer
		args := append([]string{st.args[0], "--data-dir", dir}, st.args[1:]...)
		if code := Run(ctx, env, args, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
		t.Logf("%v:\n%s%s", args, out.String(), errOut.String())
		for _, w := range st.wantOut {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%v: the output lacks %q:\n%s", args, w, out.String())
			}
		}
		for _, w := range st.wantErr {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%v: the error output lacks %q:\n%s", args, w, errOut.String())
			}
		}
		if strings.HasPrefix(out.String(), "{") && !json.Valid(out.Bytes()) {
			t.Errorf("%v: invalid JSON:\n%s", args, out.String())
		}
	}
	entries, _, err := journal.Open(dir).Entries()
	if err != nil {
		t.Fatal(err)
	}
	var resets []string
	for _, e := range entries {
		if e.Kind == update.KindReset {
			resets = append(resets, e.Action+":"+e.State)
		}
	}
	if got := strings.Join(resets, " "); got != "reset-1:sent reset-1:verified" {
		t.Errorf("reset journal %s: want the interrupted reset verified and no second reset", got)
	}
	if _, err := fake.Get(ctx, id+"/admin"); err == nil {
		t.Error("Porchlight still keeps the password of the reset device")
	}
}

// demoShelly serves the demo household in the process, with a fake
// keyring, and makes a data directory in which a Shelly (Gen1, on fast
// timing) is claimed as "Hall light" and has a password Porchlight holds.
// It returns the environment for the commands, the directory, a core on
// it, the Shelly's ID and the simulated Shelly.
func demoShelly(t *testing.T) (Env, string, *app.Core, string, *sim.Device) {
	t.Helper()
	fake := useFakeVault(t)
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	env := testEnv
	env.Network = func(string) app.Network { return n }
	dir := t.TempDir()
	ctx := context.Background()
	h, err := app.Open(app.Env{Dir: dir, Vault: fake, Network: n})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Scan(ctx, app.ScanOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(n.Devices(), func(d *sim.Device) bool { return d.Family == sim.ShellyGen1 })
	if i < 0 {
		t.Fatal("the demo has no Shelly Gen1")
	}
	sd := n.Devices()[i]
	sd.SetTiming(sim.FastTiming())
	j := slices.IndexFunc(h.Devices(), func(d app.Device) bool { return d.Host == sd.Host+".local" })
	if j < 0 {
		t.Fatalf("the scan did not find %s", sd.Host)
	}
	id := h.Devices()[j].ID
	if err := h.Claim(ctx, []string{id}, "Hall light", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPassword(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	return env, dir, h, id, sd
}

// TestNothingNewBeforeAnInterruptedActionIsChecked: while an interrupted
// update of a device cannot be checked (another device answers in its
// place), no new action starts on it.
func TestNothingNewBeforeAnInterruptedActionIsChecked(t *testing.T) {
	env, dir, h, id, _ := demoShelly(t)
	if err := h.Journal.Append(journal.Entry{Action: "update-1", Kind: update.KindUpdate, Device: id, State: update.StateSent, From: "1.0", To: "2.0"}); err != nil {
		t.Fatal(err)
	}
	if err := h.Inventory.Update(id, func(d *inventory.Device) { d.Pinned.HardwareID = "aabbccddeeff" }); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"update", "--apply"}, {"reset", "--yes"}, {"password"}} {
		t.Run(args[0], func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append(append([]string{args[0], "--data-dir", dir}, args[1:]...), id)
			code := Run(context.Background(), env, args, &out, &errOut)
			t.Logf("%v:\n%s", args, errOut.String())
			if code != 1 || !strings.Contains(errOut.String(), "Porchlight could not check Hall light") || !strings.Contains(errOut.String(), "nothing new is started") {
				t.Errorf("%v: exit %d\n%s%s", args, code, out.String(), errOut.String())
			}
		})
	}
	if u, err := h.UnfinishedActions(); err != nil || len(u.Actions) != 1 {
		t.Errorf("the interrupted update: %+v, %v; want it still unfinished", u, err)
	}
}

// TestResumeUsage: --resume names at most one device and goes without --apply.
func TestResumeUsage(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"update", "--resume", "--apply", "x"}, "do not go together"},
		{[]string{"update", "--resume", "a", "b"}, `unexpected argument "b"`},
		{[]string{"reset", "--resume", "a", "b"}, `unexpected argument "b"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Run(context.Background(), testEnv, tt.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut.String(), tt.wantErr)
			}
		})
	}
}
