package tasmota

import (
	"context"
	"errors"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/drivertest"
)

// The fuzz targets answer the driver's commands with the fuzzer's raw HTTP
// answers, one per command, in order. The committed corpus in
// testdata/fuzz/<target> holds the lab's answers (its home household's
// Tasmota and the hostile household's liar, captured on the wire), the
// refusal of a device with a web password, and answers cut short or that
// lie.

// The passwords the fuzzed calls hold: no error may show them.
const (
	held   = "Porch-light.1st"
	nextPw = "second~Pass_2"
)

// FuzzCheckUpdate: Status 2. The version is safe to show and the error is
// a driver's, safe and without the password.
func FuzzCheckUpdate(f *testing.F) {
	f.Fuzz(func(t *testing.T, status []byte) {
		c, dev := drivertest.Conn([]string{held}, status)
		info, err := checkUpdate(context.Background(), c, &driver.Credentials{Password: held})
		drivertest.CheckError(t, err, held)
		drivertest.CheckUpdateInfo(t, info)
		if info.Available != "" || len(dev.Asked) != 1 {
			t.Fatalf("available %q after %d requests", info.Available, len(dev.Asked))
		}
	})
}

// FuzzSetPassword: WebPassword, then Status 2 without a password. The
// error is a driver's, safe and without either password.
func FuzzSetPassword(f *testing.F) {
	f.Fuzz(func(t *testing.T, set, check []byte) {
		c, dev := drivertest.Conn([]string{held, nextPw}, set, check)
		err := setPassword(context.Background(), c, &driver.Credentials{Password: held}, nextPw)
		drivertest.CheckError(t, err, held, nextPw)
		if len(dev.Asked) > 2 {
			t.Fatalf("%d requests", len(dev.Asked))
		}
	})
}

// TestFuzzSeeds keeps the corpus honest: the lab's answers read as the
// lab's device answers.
func TestFuzzSeeds(t *testing.T) {
	ctx := context.Background()
	c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_tasmota_1")...)
	if info, err := checkUpdate(ctx, c, nil); err != nil || info.Current != "13.2.0(tasmota)" {
		t.Errorf("CheckUpdate = %+v, %v", info, err)
	}
	c, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_tasmota_1_need_password")...)
	if _, err := checkUpdate(ctx, c, nil); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("CheckUpdate without the password: %v", err)
	}
	c, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzSetPassword", "sim_home_tasmota_1")...)
	if err := setPassword(ctx, c, nil, nextPw); err != nil {
		t.Errorf("SetPassword: %v", err)
	}
}
