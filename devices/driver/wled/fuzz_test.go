package wled

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/drivertest"
)

// The fuzz targets answer the driver's requests with the fuzzer's raw HTTP
// answers, one per request, in order. The committed corpus in
// testdata/fuzz/<target> holds the lab's answers (its home household's
// WLEDs and the hostile household's liar, captured on the wire) without a
// PIN, with one, to a wrong PIN and in the cooldown, and answers cut short
// or that lie.

// pinHeld is the PIN the fuzzed calls hold: no error may show it.
const pinHeld = "4821"

// FuzzCheckUpdate: /json/info. The version is safe to show and the error
// is a driver's and safe.
func FuzzCheckUpdate(f *testing.F) {
	f.Fuzz(func(t *testing.T, info []byte) {
		c, dev := drivertest.Conn(nil, info)
		got, err := checkUpdate(context.Background(), c)
		drivertest.CheckError(t, err)
		drivertest.CheckUpdateInfo(t, got)
		if got.Available != "" || len(dev.Asked) != 1 {
			t.Fatalf("available %q after %d requests", got.Available, len(dev.Asked))
		}
	})
}

// boxRE is a checkbox name the driver may send back to the device.
var boxRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// FuzzUnlockSettings: the lock, the security page's settings script, and
// when a PIN keeps it locked the PIN and the script again. The error is a
// driver's, safe and without the PIN; the checkboxes read from the script
// (which SetPassword and TryFactory send back) are names, never the
// factory reset's.
func FuzzUnlockSettings(f *testing.F) {
	f.Fuzz(func(t *testing.T, lock, script, unlock, again []byte) {
		c, dev := drivertest.Conn([]string{pinHeld}, lock, script, unlock, again)
		js, err := unlockSettings(context.Background(), c, &driver.Credentials{Password: pinHeld})
		drivertest.CheckError(t, err, pinHeld)
		if len(dev.Asked) > 4 {
			t.Fatalf("%d requests", len(dev.Asked))
		}
		for _, box := range checkedBoxes(js) {
			if box == resetBox || !boxRE.MatchString(box) {
				t.Fatalf("checkbox %q would be sent back", box)
			}
		}
	})
}

// TestFuzzSeeds keeps the corpus honest: the lab's answers read as the
// lab's device answers.
func TestFuzzSeeds(t *testing.T) {
	ctx := context.Background()
	c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_wled_1")...)
	if info, err := checkUpdate(ctx, c); err != nil || info.Current != "0.14.4" {
		t.Errorf("CheckUpdate = %+v, %v", info, err)
	}
	for _, tt := range []struct {
		seed  string
		want  error
		boxes []string
	}{
		{"sim_home_wled_1_no_pin", nil, []string{"AO"}},
		{"sim_home_wled_1_pin", nil, []string{"AO"}},
		{"sim_home_wled_1_wrong_pin", driver.ErrAuth, nil},
		{"sim_home_wled_1_cooldown", driver.ErrRateLimited, nil},
	} {
		c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzUnlockSettings", tt.seed)...)
		js, err := unlockSettings(ctx, c, &driver.Credentials{Password: pinHeld})
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) || !slices.Equal(checkedBoxes(js), tt.boxes) {
			t.Errorf("%s: boxes %q, %v; want %q, %v", tt.seed, checkedBoxes(js), err, tt.boxes, tt.want)
		}
	}
}
