// Package drivertest checks, in the drivers' tests and fuzz targets, what
// every driver promises whatever a device answers: its errors wrap one of
// the driver package's errors, are safe to show, bounded and hold no
// secret; the versions it reports are safe to show within devtext.Name.
// The device is one in memory (devhttptest.Device) that answers with raw
// HTTP answers, so a driver's exchanges run without a network.
package drivertest

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/devtext/devtexttest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Conn returns a connection to a device in memory at 127.77.0.1, port 80,
// that answers with answers (raw HTTP, one per request, in order), and the
// device. The connection scrubs secrets from its errors, as the driver's
// own would.
func Conn(secrets []string, answers ...[]byte) (*exchange.Conn, *devhttptest.Device) {
	dev := &devhttptest.Device{At: netip.MustParseAddr("127.77.0.1"), Answers: answers}
	return exchange.Over(dev, driver.Target{Addr: dev.At}, secrets...), dev
}

// sentinels are the errors every driver error wraps.
var sentinels = []error{driver.ErrAuth, driver.ErrUnsupported, driver.ErrUnreachable, driver.ErrRefused,
	driver.ErrRateLimited, driver.ErrNeedsPairing, driver.ErrPasswordRules}

// maxError bounds an error's text: the words of the driver's errors that
// it wraps, then the message, which exchange caps at devtext.Message.
const maxError = devtext.Message + 160

// CheckError fails t unless err is nil or wraps one of the driver
// package's errors, with a text that is safe to show, at most maxError
// characters long and free of every secret.
func CheckError(t testing.TB, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }) {
		t.Fatalf("error %+q wraps none of the driver's errors", msg)
	}
	if r, bad := devtexttest.Unsafe(msg); bad {
		t.Fatalf("error %+q holds %U", msg, r)
	}
	if n := utf8.RuneCountInString(msg); n > maxError {
		t.Fatalf("error of %d characters: %+q", n, msg)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Fatalf("error %+q holds a secret", msg)
		}
	}
}

// CheckUpdateInfo fails t unless the versions in info are safe to show and
// at most devtext.Name characters long.
func CheckUpdateInfo(t testing.TB, info driver.UpdateInfo) {
	t.Helper()
	for what, v := range map[string]string{"current": info.Current, "available": info.Available} {
		if r, bad := devtexttest.Unsafe(v); bad {
			t.Fatalf("%s version %+q holds %U", what, v, r)
		}
		if n := utf8.RuneCountInString(v); n > devtext.Name {
			t.Fatalf("%s version of %d characters: %+q", what, n, v)
		}
	}
}
