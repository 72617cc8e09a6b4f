package shellygen2

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/drivertest"
)

// The fuzz targets answer the RPC client's frames with the fuzzer's raw
// HTTP answers, one per request (digest challenges included), in order.
// The committed corpus in testdata/fuzz/<target> holds the lab's answers
// (its home household's Gen2 devices, with and without a password, and the
// hostile household's liar, captured on the wire), a refused password, and
// answers cut short or that lie.

// The passwords the fuzzed calls hold: no error may show them, and no
// request may carry them (only ha1 and digests travel).
const (
	held   = "Porch-light.1st"
	nextPw = "second~Pass_2"
)

// maxPosts bounds the requests of one call: the frame, the frame answering
// a challenge, and once more after a stale nonce.
const maxPosts = 3

// sent fails t when a request carried a password.
func sent(t *testing.T, asked []string, passwords ...string) {
	t.Helper()
	for _, a := range asked {
		for _, pw := range passwords {
			if strings.Contains(a, pw) {
				t.Fatalf("a request carried a password: %q", a)
			}
		}
	}
}

// FuzzCheckUpdate: Shelly.GetDeviceInfo, then Shelly.CheckForUpdate, with
// a password the device may ask for. The versions are safe to show, the
// error is a driver's, safe and without the password, which no request
// carries; each call makes at most maxPosts requests.
func FuzzCheckUpdate(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b, c, d []byte) {
		conn, dev := drivertest.Conn(nil, a, b, c, d)
		info, err := checkUpdate(context.Background(), newRPC(conn, &driver.Credentials{Password: held}))
		drivertest.CheckError(t, err, held)
		drivertest.CheckUpdateInfo(t, info)
		if len(dev.Asked) > 2*maxPosts {
			t.Fatalf("%d requests", len(dev.Asked))
		}
		var asked []string
		for _, r := range dev.Asked {
			asked = append(asked, string(r.Body), r.Header.Get("Authorization"))
		}
		sent(t, asked, held)
	})
}

// FuzzSetPassword: Shelly.GetDeviceInfo, Shelly.SetAuth, then
// Shelly.GetDeviceInfo again, authenticating with the password held. The
// error is a driver's, safe and without either password; no request
// carries a password, and Shelly.SetAuth carries ha1 for the realm the
// device named.
func FuzzSetPassword(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g []byte) {
		conn, dev := drivertest.Conn(nil, a, b, c, d, e, g)
		err := setPassword(context.Background(), newRPC(conn, &driver.Credentials{Password: held}), driver.Credentials{Password: nextPw})
		drivertest.CheckError(t, err, held, nextPw)
		if len(dev.Asked) > 3*maxPosts {
			t.Fatalf("%d requests", len(dev.Asked))
		}
		var asked []string
		for _, r := range dev.Asked {
			asked = append(asked, string(r.Body), r.Header.Get("Authorization"))
			if bytes.Contains(r.Body, []byte("Shelly.SetAuth")) && !bytes.Contains(r.Body, []byte(`"ha1":"`)) {
				t.Fatalf("Shelly.SetAuth without ha1: %s", r.Body)
			}
		}
		sent(t, asked, held, nextPw)
	})
}

// TestFuzzSeeds keeps the corpus honest: the lab's answers read as the
// lab's devices answer.
func TestFuzzSeeds(t *testing.T) {
	ctx := context.Background()
	conn, dev := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_shelly-gen2_1")...)
	info, err := checkUpdate(ctx, newRPC(conn, &driver.Credentials{Password: held}))
	if err != nil || info.Current != "1.4.4" || info.Available != "1.6.2" || len(dev.Asked) != 3 {
		t.Errorf("CheckUpdate = %+v, %v after %d requests (one challenge)", info, err, len(dev.Asked))
	}
	conn, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzCheckUpdate", "sim_home_shelly-gen2_1_wrong_password")...)
	if _, err := checkUpdate(ctx, newRPC(conn, &driver.Credentials{Password: held})); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("CheckUpdate with a refused password: %v", err)
	}
	conn, _ = drivertest.Conn(nil, devhttptest.Seed(t, "FuzzSetPassword", "sim_home_shelly-gen2_1")...)
	if err := setPassword(ctx, newRPC(conn, nil), driver.Credentials{Password: nextPw}); err != nil {
		t.Errorf("SetPassword: %v", err)
	}
}
