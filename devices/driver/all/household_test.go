package all

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"testing"
	"testing/synctest"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/sim"
)

// The drivers against the simulated household (devices/sim), which serves
// each family's API as its vendor documents it: over loopback sockets in
// lab_test.go, in memory inside a testing/synctest bubble here and in
// timing_test.go, where a reboot, an update or WLED's cooldown lasts as long
// as the vendor says on the bubble's fake clock and waiting it out takes no
// real time.

const (
	// settle bounds, on the bubble's clock, how long a device may take to
	// come back after a reboot (update, reset) or to lift a cooldown
	// (WLED's 3 seconds).
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

// household is the home household served for a test.
type household struct {
	devices []*sim.Device
	// net reaches the devices: nil for the lab's loopback sockets, the
	// in-memory household otherwise.
	net devhttp.Network
}

// inHome runs f in a synctest bubble with the home household served in
// memory, at the devices' own timing, on the bubble's clock. A test that
// waits for a device (a reboot, a cooldown) must run here: sockets cannot
// reach into a bubble, so the lab's devices would keep real time.
func inHome(t *testing.T, f func(t *testing.T, h *household)) {
	synctest.Test(t, func(t *testing.T) {
		demo, err := sim.NewDemo(sim.ProfileHome, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { demo.Close() })
		f(t, &household{devices: demo.Devices(), net: demo})
	})
}

// target is how a driver reaches dev in h.
func (h *household) target(dev *sim.Device) driver.Target {
	return driver.Target{ID: dev.MAC, Addr: dev.Addr, Port: dev.HTTPPorts[0], Timeout: 2 * time.Second, Net: h.net}
}

// device returns the household's first device of family, its driver and target.
func device(t *testing.T, h *household, family string) (*sim.Device, driver.Driver, driver.Target) {
	t.Helper()
	d, ok := driver.For(family)
	if !ok {
		t.Fatalf("no driver for %s", family)
	}
	for _, dev := range h.devices {
		if string(dev.Family) == family && len(dev.HTTPPorts) > 0 {
			return dev, d, h.target(dev)
		}
	}
	t.Fatalf("the household has no %s device", family)
	return nil, nil, driver.Target{}
}

// namedDevice returns the household's device called name, its driver and target.
func namedDevice(t *testing.T, h *household, name string) (*sim.Device, driver.Driver, driver.Target) {
	t.Helper()
	for _, dev := range h.devices {
		if dev.Name == name && len(dev.HTTPPorts) > 0 {
			d, ok := driver.For(string(dev.Family))
			if !ok {
				t.Fatalf("no driver for %s", dev.Family)
			}
			return dev, d, h.target(dev)
		}
	}
	t.Fatalf("the household has no device called %q", name)
	return nil, nil, driver.Target{}
}

// settled retries op while the device is rebooting (unreachable) or asks
// to wait (rate limited), until it gives another answer or settle passes.
// Call it in a bubble (inHome): the waiting is then on the fake clock.
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

// wledBoxRE reads a ticked checkbox of WLED's settings script.
var wledBoxRE = regexp.MustCompile(`d\.Sf\.([A-Za-z0-9_]+)\.checked=1`)

// wledSecurityBoxes reads the security page's ticked checkboxes, unlocking
// the settings with pin first when it is not empty.
func wledSecurityBoxes(t *testing.T, tg driver.Target, pin string) []string {
	t.Helper()
	ctx := context.Background()
	c := devhttp.New(tg.Net, tg.Addr, tg.Timeout)
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
