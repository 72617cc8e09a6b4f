//go:build linux

package all

// The drivers against the home lab over loopback sockets, for what needs no
// waiting. Run them in an isolated network namespace:
// .ci/in-netns go test ./devices/driver/...

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/hue"
	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim"
)

// startLab serves the home household over loopback sockets until the test
// ends or, sooner, until the returned function is called.
func startLab(t *testing.T) (*household, func()) {
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
	return &household{devices: lab.Devices()}, closeLab
}

// TestLabLoginWithoutPassword: a device with no password set takes a login
// without one; a Hue bridge needs pairing first.
func TestLabLoginWithoutPassword(t *testing.T) {
	h, _ := startLab(t)
	ctx := context.Background()
	for _, f := range passwordFamilies {
		_, d, tg := device(t, h, f)
		if err := d.Login(ctx, tg, nil); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	_, d, tg := device(t, h, "hue-bridge")
	if err := d.Login(ctx, tg, nil); !errors.Is(err, driver.ErrNeedsPairing) {
		t.Errorf("hue-bridge: %v, want ErrNeedsPairing", err)
	}
}

// TestLabCheckUpdate reports the firmware the simulated device runs, and
// the newer one on offer where the family's API names it.
func TestLabCheckUpdate(t *testing.T) {
	h, _ := startLab(t)
	ctx := context.Background()
	offersVersion := map[string]bool{"shelly-gen1": true, "shelly-gen2": true}
	for _, f := range passwordFamilies {
		dev, d, tg := device(t, h, f)
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

// TestLabOffline: with the lab gone, every action says the device did not
// answer, and no error carries the password it was given.
func TestLabOffline(t *testing.T) {
	h, closeLab := startLab(t)
	ctx := context.Background()
	type call struct {
		family string
		d      driver.Driver
		tg     driver.Target
	}
	var calls []call
	for _, f := range append([]string{"hue-bridge"}, passwordFamilies...) {
		_, d, tg := device(t, h, f)
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

// TestLabHue: pairing waits for the link button; a key the bridge never
// handed out is refused; the bridge has no password or reset to act on.
func TestLabHue(t *testing.T) {
	h, _ := startLab(t)
	ctx := context.Background()
	_, d, tg := device(t, h, "hue-bridge")
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
