//go:build linux

package all

// The drivers against the simulated household (devices/sim), which serves
// each family's API as its vendor documents it. Run them in an isolated
// network namespace: .ci/in-netns go test ./devices/driver/...

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/hue"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim"
)

const (
	// settle bounds how long a device may take to come back after a reboot
	// (update, reset) or to lift a cooldown (WLED's 3 seconds).
	settle = 30 * time.Second
	// poll is how often a condition is checked while waiting.
	poll = 200 * time.Millisecond
)

// passwordFamilies are the families whose password the drivers change.
var passwordFamilies = []string{"shelly-gen1", "shelly-gen2", "tasmota", "wled"}

// secrets are three passwords a family takes: two to set, one never set.
type secrets struct{ first, second, wrong string }

func secretsFor(family string) secrets {
	if family == "wled" {
		return secrets{"4821", "7395", "5550"}
	}
	return secrets{"Porch-light.1st", "second~Pass_2", "not-the-password"}
}

func creds(pw string) *driver.Credentials { return &driver.Credentials{Password: pw} }

// startLab serves the home household until the test ends or, sooner,
// until the returned function is called.
func startLab(t *testing.T) (*sim.Lab, func()) {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := sim.Start(sim.Config{Profile: sim.ProfileHome})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeLab := func() { once.Do(func() { lab.Close() }) }
	t.Cleanup(closeLab)
	return lab, closeLab
}

// device returns the lab's first device of family, its driver and target.
func device(t *testing.T, lab *sim.Lab, family string) (*sim.Device, driver.Driver, driver.Target) {
	t.Helper()
	d, ok := driver.For(family)
	if !ok {
		t.Fatalf("no driver for %s", family)
	}
	for _, dev := range lab.Devices() {
		if string(dev.Family) == family && len(dev.HTTPPorts) > 0 {
			return dev, d, driver.Target{ID: dev.MAC, Addr: dev.Addr, Port: dev.HTTPPorts[0], Timeout: 2 * time.Second}
		}
	}
	t.Fatalf("the lab has no %s device", family)
	return nil, nil, driver.Target{}
}

// settled retries op while the device is rebooting (unreachable) or asks
// to wait (rate limited), until it gives another answer or settle passes.
func settled(op func() error) error {
	deadline := time.Now().Add(settle)
	for {
		err := op()
		if !errors.Is(err, driver.ErrUnreachable) && !errors.Is(err, driver.ErrRateLimited) {
			return err
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(poll)
	}
}

// login is Login, once the device has settled.
func login(ctx context.Context, d driver.Driver, tg driver.Target, c *driver.Credentials) error {
	return settled(func() error { return d.Login(ctx, tg, c) })
}

// setPassword is SetPassword, once the device has settled.
func setPassword(ctx context.Context, d driver.Driver, tg driver.Target, current *driver.Credentials, next string) error {
	return settled(func() error { return d.SetPassword(ctx, tg, current, driver.Credentials{Password: next}) })
}

// TestLabLoginWithoutPassword: a device with no password set takes a login
// without one; a Hue bridge needs pairing first.
func TestLabLoginWithoutPassword(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		_, d, tg := device(t, lab, f)
		if err := login(ctx, d, tg, nil); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	_, d, tg := device(t, lab, "hue-bridge")
	if err := d.Login(ctx, tg, nil); !errors.Is(err, driver.ErrNeedsPairing) {
		t.Errorf("hue-bridge: %v, want ErrNeedsPairing", err)
	}
}

// TestLabSetPassword sets a password, then another: each time only the
// latest is accepted.
func TestLabSetPassword(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			dev, d, tg := device(t, lab, f)
			s := secretsFor(f)
			if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
				t.Fatalf("first password: %v", err)
			}
			if !dev.AuthEnabled() {
				t.Error("the device does not ask for a password")
			}
			if err := login(ctx, d, tg, creds(s.first)); err != nil {
				t.Errorf("login with the new password: %v", err)
			}
			for label, c := range map[string]*driver.Credentials{"a wrong password": creds(s.wrong), "no password": nil} {
				if err := login(ctx, d, tg, c); !errors.Is(err, driver.ErrAuth) {
					t.Errorf("login with %s: %v, want ErrAuth", label, err)
				}
			}
			if err := setPassword(ctx, d, tg, creds(s.first), s.second); err != nil {
				t.Fatalf("second password: %v", err)
			}
			if err := login(ctx, d, tg, creds(s.second)); err != nil {
				t.Errorf("login with the second password: %v", err)
			}
			if err := login(ctx, d, tg, creds(s.first)); !errors.Is(err, driver.ErrAuth) {
				t.Errorf("login with the old password: %v, want ErrAuth", err)
			}
		})
	}
}

// TestLabWrongCurrentPassword: a password change with the wrong current
// password is refused and leaves the device as it was.
func TestLabWrongCurrentPassword(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			_, d, tg := device(t, lab, f)
			s := secretsFor(f)
			if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
				t.Fatalf("first password: %v", err)
			}
			for label, current := range map[string]*driver.Credentials{"a wrong password": creds(s.wrong), "no password": nil} {
				if err := setPassword(ctx, d, tg, current, s.second); !errors.Is(err, driver.ErrAuth) {
					t.Errorf("change with %s as the current one: %v, want ErrAuth", label, err)
				}
			}
			if err := login(ctx, d, tg, creds(s.first)); err != nil {
				t.Errorf("the first password no longer works: %v", err)
			}
			if err := login(ctx, d, tg, creds(s.second)); !errors.Is(err, driver.ErrAuth) {
				t.Errorf("the refused password works: %v", err)
			}
		})
	}
}

// TestLabCheckUpdate reports the firmware the simulated device runs, and
// the newer one on offer where the family's API names it.
func TestLabCheckUpdate(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	offersVersion := map[string]bool{"shelly-gen1": true, "shelly-gen2": true}
	for _, f := range passwordFamilies {
		dev, d, tg := device(t, lab, f)
		info, err := d.CheckUpdate(ctx, tg, nil)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if info.Current == "" || !strings.Contains(info.Current, dev.Firmware) {
			t.Errorf("%s: current %q, the device runs %q", f, info.Current, dev.Firmware)
		}
		if offersVersion[f] && (info.Available == "" || info.Available == info.Current) {
			t.Errorf("%s: available %q (current %q), the lab offers a newer one", f, info.Available, info.Current)
		}
		if !offersVersion[f] && info.Available != "" {
			t.Errorf("%s: available %q, but the API cannot say", f, info.Available)
		}
	}
}

// TestLabStartUpdate installs the update and waits for the device to come
// back with another version.
func TestLabStartUpdate(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range []string{"shelly-gen1", "shelly-gen2", "tasmota"} {
		t.Run(f, func(t *testing.T) {
			dev, d, tg := device(t, lab, f)
			dev.SetTiming(sim.FastTiming())
			before, err := d.CheckUpdate(ctx, tg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.StartUpdate(ctx, tg, nil); err != nil {
				t.Fatal(err)
			}
			var after driver.UpdateInfo
			deadline := time.Now().Add(settle)
			for after.Current == "" || after.Current == before.Current || after.InProgress {
				if time.Now().After(deadline) {
					t.Fatalf("still %+v after %s (was %+v)", after, settle, before)
				}
				time.Sleep(poll)
				if info, err := d.CheckUpdate(ctx, tg, nil); err == nil {
					after = info
				}
			}
			if before.Available != "" && after.Current != before.Available {
				t.Errorf("updated to %q, %q was on offer", after.Current, before.Available)
			}
			if !strings.Contains(after.Current, dev.CurrentFirmware()) {
				t.Errorf("reports %q, the device runs %q", after.Current, dev.CurrentFirmware())
			}
		})
	}
	_, d, tg := device(t, lab, "wled")
	if err := d.StartUpdate(ctx, tg, nil); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("wled: %v, want ErrUnsupported", err)
	}
}

// TestLabFactoryReset: after a reset the device comes back without a
// password, or leaves the network.
func TestLabFactoryReset(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		t.Run(f, func(t *testing.T) {
			dev, d, tg := device(t, lab, f)
			dev.SetTiming(sim.FastTiming())
			s := secretsFor(f)
			if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
				t.Fatalf("password: %v", err)
			}
			if err := settled(func() error { return d.FactoryReset(ctx, tg, creds(s.wrong)) }); !errors.Is(err, driver.ErrAuth) {
				t.Errorf("reset with a wrong password: %v, want ErrAuth", err)
			}
			if err := settled(func() error { return d.FactoryReset(ctx, tg, creds(s.first)) }); err != nil {
				t.Fatalf("reset: %v", err)
			}
			var err error
			deadline := time.Now().Add(settle)
			for err = d.Login(ctx, tg, nil); err != nil && time.Now().Before(deadline); err = d.Login(ctx, tg, nil) {
				time.Sleep(poll)
			}
			switch {
			case err == nil:
				// Back, unconfigured.
			case errors.Is(err, driver.ErrUnreachable):
				t.Logf("the device left the network after its reset")
			default:
				t.Errorf("after the reset: %v", err)
			}
		})
	}
}

// TestLabOffline: with the lab gone, every action says the device did not
// answer, and no error carries the password it was given.
func TestLabOffline(t *testing.T) {
	lab, closeLab := startLab(t)
	ctx := context.Background()
	type call struct {
		family string
		d      driver.Driver
		tg     driver.Target
	}
	var calls []call
	for _, f := range append([]string{"hue-bridge"}, passwordFamilies...) {
		_, d, tg := device(t, lab, f)
		calls = append(calls, call{f, d, tg})
	}
	closeLab()
	for _, c := range calls {
		s := secretsFor(c.family)
		cr := creds(s.first)
		errs := map[string]error{
			"login": c.d.Login(ctx, c.tg, cr),
			"check": func() error { _, err := c.d.CheckUpdate(ctx, c.tg, cr); return err }(),
		}
		if c.d.Capabilities().Password {
			errs["password"] = c.d.SetPassword(ctx, c.tg, cr, driver.Credentials{Password: s.second})
			errs["reset"] = c.d.FactoryReset(ctx, c.tg, cr)
		}
		if c.d.Capabilities().Update {
			errs["update"] = c.d.StartUpdate(ctx, c.tg, cr)
		}
		for what, err := range errs {
			if !errors.Is(err, driver.ErrUnreachable) {
				t.Errorf("%s %s: %v, want ErrUnreachable", c.family, what, err)
			}
			if err != nil && (strings.Contains(err.Error(), s.first) || strings.Contains(err.Error(), s.second)) {
				t.Errorf("%s %s: the error shows a password: %v", c.family, what, err)
			}
		}
	}
	if _, err := hue.Pair(ctx, calls[0].tg, "test"); !errors.Is(err, driver.ErrUnreachable) {
		t.Errorf("hue pairing: %v, want ErrUnreachable", err)
	}
}

// TestLabErrorsNeverShowPasswords: refusals of a wrong password (which
// Tasmota and Shelly Gen1 carry in the URL) never quote it.
func TestLabErrorsNeverShowPasswords(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		_, d, tg := device(t, lab, f)
		s := secretsFor(f)
		if err := setPassword(ctx, d, tg, nil, s.first); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		errs := []error{
			login(ctx, d, tg, creds(s.wrong)),
			setPassword(ctx, d, tg, creds(s.wrong), s.second),
		}
		if f != "wled" { // WLED's version is readable without the PIN
			errs = append(errs, settled(func() error { _, err := d.CheckUpdate(ctx, tg, creds(s.wrong)); return err }))
		}
		for _, err := range errs {
			if err == nil {
				t.Errorf("%s: a wrong password was accepted", f)
				continue
			}
			for _, pw := range []string{s.first, s.second, s.wrong} {
				if strings.Contains(err.Error(), pw) {
					t.Errorf("%s: the error shows a password: %v", f, err)
				}
			}
		}
	}
}

// TestLabHue: pairing waits for the link button; a key the bridge never
// handed out is refused; the bridge has no password or reset to act on.
func TestLabHue(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	_, d, tg := device(t, lab, "hue-bridge")
	if key, err := hue.Pair(ctx, tg, "lab test"); !errors.Is(err, driver.ErrNeedsPairing) {
		t.Errorf("pairing without the link button: %q, %v; want ErrNeedsPairing", key, err)
	}
	const unpaired = "0123456789abcdefABCDEF-unpaired-key-0000"
	bogus := creds(unpaired)
	if err := d.Login(ctx, tg, bogus); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("login with an unpaired key: %v, want ErrAuth", err)
	} else if strings.Contains(err.Error(), unpaired) {
		t.Errorf("the error shows the key: %v", err)
	}
	if _, err := d.CheckUpdate(ctx, tg, bogus); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("check with an unpaired key: %v, want ErrAuth", err)
	}
	if err := d.StartUpdate(ctx, tg, bogus); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("update with an unpaired key: %v, want ErrAuth", err)
	}
	if err := d.SetPassword(ctx, tg, nil, driver.Credentials{Password: "x"}); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("password: %v, want ErrUnsupported", err)
	}
	if err := d.FactoryReset(ctx, tg, bogus); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("reset: %v, want ErrUnsupported", err)
	}
}

// TestLabHuePaired pairs after the link button is pressed, then reads and
// installs the bridge's update with the app key.
func TestLabHuePaired(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	dev, d, tg := device(t, lab, "hue-bridge")
	dev.SetTiming(sim.FastTiming())
	dev.PressLinkButton()
	key, err := hue.Pair(ctx, tg, "lab test")
	if err != nil {
		t.Fatal(err)
	}
	paired := creds(key)
	if err := d.Login(ctx, tg, paired); err != nil {
		t.Errorf("login with the app key: %v", err)
	}
	before, err := d.CheckUpdate(ctx, tg, paired)
	if err != nil {
		t.Fatal(err)
	}
	if before.Current != dev.Firmware || before.Available != hue.ReadyToInstall {
		t.Errorf("check: %+v, the bridge runs %q and has an update", before, dev.Firmware)
	}
	if err := d.StartUpdate(ctx, tg, paired); err != nil {
		t.Fatal(err)
	}
	var after driver.UpdateInfo
	deadline := time.Now().Add(settle)
	for after.Current == "" || after.Current == before.Current || after.InProgress {
		if time.Now().After(deadline) {
			t.Fatalf("still %+v after %s", after, settle)
		}
		time.Sleep(poll)
		if info, err := d.CheckUpdate(ctx, tg, paired); err == nil {
			after = info
		}
	}
	if after.Current != dev.CurrentFirmware() || after.Available != "" {
		t.Errorf("after the update: %+v, the bridge runs %q", after, dev.CurrentFirmware())
	}
}

// wledBoxRE reads a ticked checkbox of WLED's settings script.
var wledBoxRE = regexp.MustCompile(`d\.Sf\.([A-Za-z0-9_]+)\.checked=1`)

// wledSecurityBoxes reads the security page's ticked checkboxes, unlocking
// the settings with pin first when it is not empty.
func wledSecurityBoxes(t *testing.T, tg driver.Target, pin string) []string {
	t.Helper()
	ctx := context.Background()
	c := devhttp.New(nil, tg.Addr, tg.Timeout)
	if pin != "" {
		err := settled(func() error {
			res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, Port: tg.Port, Path: "/settings/sec",
				Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte("PIN=" + pin)})
			switch {
			case err != nil:
				return driver.ErrUnreachable
			case res.Status == http.StatusUnauthorized:
				return driver.ErrRateLimited // the cooldown, or not yet: try again
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Do(ctx, devhttp.Request{Port: tg.Port, Path: "/settings/s.js?p=6"})
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("settings script: %v %v", res, err)
	}
	var boxes []string
	for _, m := range wledBoxRE.FindAllStringSubmatch(string(res.Body), -1) {
		boxes = append(boxes, m[1])
	}
	sort.Strings(boxes)
	return boxes
}

// TestLabWLEDKeepsSecuritySettings: setting the PIN leaves the security
// page's other settings as they were.
func TestLabWLEDKeepsSecuritySettings(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	_, d, tg := device(t, lab, "wled")
	before := wledSecurityBoxes(t, tg, "")
	if err := setPassword(ctx, d, tg, nil, secretsFor("wled").first); err != nil {
		t.Fatal(err)
	}
	if after := wledSecurityBoxes(t, tg, secretsFor("wled").first); !slices.Equal(after, before) {
		t.Errorf("ticked before: %v, after: %v", before, after)
	}
	t.Logf("kept: %v", before)
}

// namedDevice returns the lab's device called name, its driver and target.
func namedDevice(t *testing.T, lab *sim.Lab, name string) (*sim.Device, driver.Driver, driver.Target) {
	t.Helper()
	for _, dev := range lab.Devices() {
		if dev.Name == name && len(dev.HTTPPorts) > 0 {
			d, ok := driver.For(string(dev.Family))
			if !ok {
				t.Fatalf("no driver for %s", dev.Family)
			}
			return dev, d, driver.Target{ID: dev.MAC, Addr: dev.Addr, Port: dev.HTTPPorts[0], Timeout: 2 * time.Second}
		}
	}
	t.Fatalf("the lab has no device called %q", name)
	return nil, nil, driver.Target{}
}

// tryFactory is TryFactory, once the device has settled.
func tryFactory(ctx context.Context, d driver.Driver, tg driver.Target, pw string, held *driver.Credentials) (driver.FactoryOutcome, error) {
	ft, ok := d.(driver.FactoryTester)
	if !ok {
		return "", driver.ErrUnsupported
	}
	var out driver.FactoryOutcome
	err := settled(func() error {
		var err error
		out, err = ft.TryFactory(ctx, tg, "ota", pw, held)
		return err
	})
	return out, err
}

// TestLabWLEDFactoryPassphrase: the desk lamp's update lock takes WLED's
// factory passphrase, a wrong one is refused, a lamp without the lock has
// nothing to try, and every try leaves the security settings as they were.
// A settings PIN in the way is opened with the PIN Porchlight holds.
func TestLabWLEDFactoryPassphrase(t *testing.T) {
	lab, _ := startLab(t)
	ctx := context.Background()
	_, d, desk := namedDevice(t, lab, "Schreibtisch Lampe")
	ft := d.(driver.FactoryTester)
	if !ft.CanTryFactory("ota") || ft.CanTryFactory("wifi-ap") {
		t.Fatal("WLED: only the update lock's passphrase can be tried")
	}
	before := wledSecurityBoxes(t, desk, "")
	if !slices.Contains(before, "NO") {
		t.Fatalf("the desk lamp's update lock is off: %v", before)
	}
	for _, tc := range []struct {
		pw   string
		want driver.FactoryOutcome
	}{
		{sim.WLEDDefaultOTAPassword, driver.FactoryAccepted},
		{"not-the-passphrase", driver.FactoryRefused},
		{sim.WLEDDefaultOTAPassword, driver.FactoryAccepted}, // still the factory one
	} {
		got, err := tryFactory(ctx, d, desk, tc.pw, nil)
		if err != nil || got != tc.want {
			t.Fatalf("%s: %q %v, want %q", tc.pw, got, err, tc.want)
		}
		if after := wledSecurityBoxes(t, desk, ""); !slices.Equal(after, before) {
			t.Fatalf("%s: ticked before %v, after %v", tc.pw, before, after)
		}
	}

	_, _, other := device(t, lab, "wled")
	if other.Addr == desk.Addr {
		t.Fatal("the first WLED is the desk lamp")
	}
	otherBefore := wledSecurityBoxes(t, other, "")
	if got, err := tryFactory(ctx, d, other, sim.WLEDDefaultOTAPassword, nil); err != nil || got != driver.FactoryNotInUse {
		t.Errorf("lamp without the lock: %q %v", got, err)
	}
	if after := wledSecurityBoxes(t, other, ""); !slices.Equal(after, otherBefore) {
		t.Errorf("lamp without the lock: ticked before %v, after %v", otherBefore, after)
	}

	pin := secretsFor("wled").first
	if err := setPassword(ctx, d, desk, nil, pin); err != nil {
		t.Fatal(err)
	}
	if _, err := tryFactory(ctx, d, desk, sim.WLEDDefaultOTAPassword, nil); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("behind a PIN Porchlight does not hold: %v", err)
	}
	got, err := tryFactory(ctx, d, desk, sim.WLEDDefaultOTAPassword, creds(pin))
	if err != nil || got != driver.FactoryAccepted {
		t.Fatalf("behind the PIN: %q %v", got, err)
	}
	if after := wledSecurityBoxes(t, desk, pin); !slices.Equal(after, before) {
		t.Errorf("behind the PIN: ticked before %v, after %v", before, after)
	}
	if err := login(ctx, d, desk, nil); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("the settings were left unlocked: %v", err)
	}
}
