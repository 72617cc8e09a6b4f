package shellygen1

import (
	"context"
	"errors"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/drivertest"
)

// The fuzz targets answer the driver's requests with the fuzzer's raw
// HTTP answers, one per request, in order. The committed corpus in
// testdata/fuzz/<target> holds the lab's answers (its home household's
// Gen1 device and the hostile household's liar, captured on the wire),
// answers after the password was set, and answers cut short or that lie.

// The passwords the fuzzed calls hold: no error may show them.
const (
	held    = "Porch-light.1st"
	nextPw  = "second~Pass_2"
	maxAsks = 2
)

// FuzzCheckUpdate: /ota/check, then /ota. Whatever the device answers, the
// versions are safe to show and the error is a driver's, safe and without
// the password.
func FuzzCheckUpdate(f *testing.F) {
	f.Fuzz(func(t *testing.T, check, ota []byte) {
		c, dev := drivertest.Conn([]string{held}, check, ota)
		info, err := checkUpdate(context.Background(), c, &driver.Credentials{Password: held})
		drivertest.CheckError(t, err, held)
		drivertest.CheckUpdateInfo(t, info)
		if len(dev.Asked) > maxAsks {
			t.Fatalf("%d requests", len(dev.Asked))
		}
	})
}

// FuzzSetLogin: /settings/login with the new password. The error is a
// driver's, safe and without either password; success only when the
// device says the login is on for the user asked.
func FuzzSetLogin(f *testing.F) {
	f.Fuzz(func(t *testing.T, answer []byte) {
		c, dev := drivertest.Conn([]string{held}, answer)
		err := setLogin(context.Background(), c, &driver.Credentials{Password: held}, DefaultUsername, nextPw)
		drivertest.CheckError(t, err, held, nextPw)
		if len(dev.Asked) != 1 {
			t.Fatalf("%d requests", len(dev.Asked))
		}
	})
}

// TestFuzzSeeds keeps the corpus honest: the lab's answers read as the
// lab's device answers.
func TestFuzzSeeds(t *testing.T) {
	ctx := context.Background()
	c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_shelly-gen1_1")...)
	info, err := checkUpdate(ctx, c, nil)
	if err != nil || info.Current != "20230913-112003/v1.14.0-gcb84623" || info.Available != "20230913-112003/v1.14.1-g3ea2bf5" {
		t.Errorf("CheckUpdate = %+v, %v", info, err)
	}
	c, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_shelly-gen1_1_refused")...)
	if _, err := checkUpdate(ctx, c, nil); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("CheckUpdate without the password: %v", err)
	}
	c, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzSetLogin", "sim_home_shelly-gen1_1")...)
	if err := setLogin(ctx, c, nil, DefaultUsername, held); err != nil {
		t.Errorf("SetPassword: %v", err)
	}
}
