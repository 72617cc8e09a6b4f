package hue

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devhttp/devhttptest"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/drivertest"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// The fuzz targets read the fuzzer's raw HTTP answer as the bridge's. The
// committed corpus in testdata/fuzz/<target> holds the lab's answers (its
// home household's bridge and the hostile household's liar, captured on
// the wire): pairing before and after the link button, the full and the
// public configuration, an update started; and answers cut short or that
// lie.

// appKey is the app key the fuzzed calls hold: no error may show it.
const appKey = "Porchlight-app-key-0123456789abcdef"

// FuzzConfig: GET /api/<key>/config, read as CheckUpdate reads it. The
// versions are safe to show and the error is a driver's, safe and without
// the key.
func FuzzConfig(f *testing.F) {
	f.Fuzz(func(t *testing.T, answer []byte) {
		c, _ := drivertest.Conn([]string{appKey}, answer)
		res, err := c.Get(context.Background(), "/api/"+appKey+"/config", nil)
		if err != nil {
			drivertest.CheckError(t, err, appKey)
			return
		}
		cfg, err := parseConfig(c, res)
		drivertest.CheckError(t, err, appKey)
		if err != nil {
			return
		}
		info := updateInfo(cfg)
		drivertest.CheckUpdateInfo(t, info)
		if info.Available != "" && info.Available != ReadyToInstall {
			t.Fatalf("available %q", info.Available)
		}
	})
}

// FuzzWriteAnswer: the bridge's answer to a write, read as Pair reads it
// and as StartUpdate does. An app key taken from it is one a URL path
// carries as it is; the errors are a driver's, safe and without the key
// Porchlight holds.
func FuzzWriteAnswer(f *testing.F) {
	f.Fuzz(func(t *testing.T, answer []byte) {
		c, _ := drivertest.Conn([]string{appKey}, answer, answer)
		res, err := c.Do(context.Background(), devhttp.Request{Method: http.MethodPost, Path: "/api"})
		if err != nil {
			drivertest.CheckError(t, err, appKey)
			return
		}
		key, err := keyFromPairing(c, res)
		drivertest.CheckError(t, err, appKey)
		if err == nil && !validKey(key) {
			t.Fatalf("app key %q", key)
		}
		drivertest.CheckError(t, installStarted(c, res), appKey)
	})
}

// TestFuzzSeeds keeps the corpus honest: the lab's answers read as the
// lab's bridge answers.
func TestFuzzSeeds(t *testing.T) {
	read := func(seed string) (*exchange.Conn, *devhttp.Response) {
		c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzConfig", seed)...)
		res, err := c.Get(context.Background(), "/api/"+appKey+"/config", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c, res
	}
	if cfg, err := parseConfig(read("sim_home_hue-bridge_1")); err != nil || updateInfo(cfg) != (driver.UpdateInfo{Current: "1967054020", Available: ReadyToInstall}) {
		t.Errorf("CheckUpdate: %+v, %v", cfg, err)
	}
	if _, err := parseConfig(read("sim_home_hue-bridge_1_unpaired")); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("CheckUpdate with an unpaired key: %v", err)
	}
	for seed, want := range map[string]error{"sim_home_hue-bridge_1_paired": nil, "sim_home_hue-bridge_1_link_button": driver.ErrNeedsPairing} {
		c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzWriteAnswer", seed)...)
		res, err := c.Do(context.Background(), devhttp.Request{Method: http.MethodPost, Path: "/api"})
		if err != nil {
			t.Fatal(err)
		}
		if key, err := keyFromPairing(c, res); !errors.Is(err, want) || (want == nil) != (err == nil) || (err == nil) != validKey(key) {
			t.Errorf("%s: key %q, %v; want %v", seed, key, err, want)
		}
	}
	c, _ := drivertest.Conn(nil, devhttptest.Seed(t, "FuzzWriteAnswer", "sim_home_hue-bridge_1_install")...)
	res, err := c.Do(context.Background(), devhttp.Request{Method: http.MethodPut, Path: "/api/" + appKey + "/config"})
	if err != nil || installStarted(c, res) != nil {
		t.Errorf("StartUpdate: %v, %v", err, installStarted(c, res))
	}
}
