package hue

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// TestDeviceType keeps the device name to the 19 bytes the bridge takes,
// without cutting a character in two.
func TestDeviceType(t *testing.T) {
	for name, want := range map[string]string{
		"laptop":                   "porchlight#laptop",
		"":                         "porchlight#",
		"exactly-nineteen-ch":      "porchlight#exactly-nineteen-ch",
		"twenty-characters-xx":     "porchlight#twenty-characters-x",
		"Küchen-Läptöp-von-Jürgen": "porchlight#Küchen-Läptöp-vo",
	} {
		if got := DeviceType(name); got != want {
			t.Errorf("DeviceType(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestPairingAnswers reads the key out of a success, and asks for the link
// button on error 101.
func TestPairingAnswers(t *testing.T) {
	c := exchange.New(driver.Target{})
	res := func(body string) *devhttp.Response { return &devhttp.Response{Status: 200, Body: []byte(body)} }
	key, err := keyFromPairing(c, res(`[{"success":{"username":"83b7780291a6ceffbe0bd049104df","clientkey":"x"}}]`))
	if err != nil || key != "83b7780291a6ceffbe0bd049104df" {
		t.Errorf("success: %q, %v", key, err)
	}
	if _, err := keyFromPairing(c, res(`[{"error":{"type":101,"address":"","description":"link button not pressed"}}]`)); !errors.Is(err, driver.ErrNeedsPairing) {
		t.Errorf("101: %v", err)
	}
	for _, body := range []string{`[{"error":{"type":7,"address":"/devicetype","description":"invalid value"}}]`, `[]`, `[{"success":{"username":"../x"}}]`, `{}`} {
		if _, err := keyFromPairing(c, res(body)); !errors.Is(err, driver.ErrRefused) {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestParseConfig takes the full configuration and refuses the public one
// (what any key gets) and an unauthorized-user error; no error quotes the key.
func TestParseConfig(t *testing.T) {
	const key = "83b7780291a6ceffbe0bd049104df"
	c := exchange.New(driver.Target{}, key)
	res := func(body string) *devhttp.Response {
		return &devhttp.Response{Asked: "GET http://127.0.0.1:80/api/" + key + "/config", Status: 200, Body: []byte(body)}
	}
	cfg, err := parseConfig(c, res(`{"name":"Hue","swversion":"1967054020","whitelist":{"k":{"name":"x"}},`+
		`"swupdate2":{"state":"anyreadytoinstall","bridge":{"state":"allreadytoinstall","lastinstall":"2024-01-01T00:00:00"},"checkforupdate":false}}`))
	if err != nil || cfg.SWVersion != "1967054020" || cfg.SWUpdate2.Bridge.State != "allreadytoinstall" {
		t.Errorf("full: %+v, %v", cfg, err)
	}
	for _, body := range []string{
		`{"name":"Hue","datastoreversion":"88","swversion":"1967054020","apiversion":"1.35.0","mac":"00:17:88:aa:bb:cc","bridgeid":"001788FFFEAABBCC","factorynew":false,"replacesbridgeid":null,"modelid":"BSB002","starterkitid":""}`,
		`[{"error":{"type":1,"address":"/","description":"unauthorized user"}}]`,
	} {
		_, err := parseConfig(c, res(body))
		if !errors.Is(err, driver.ErrAuth) {
			t.Errorf("%s: %v, want ErrAuth", body, err)
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("the error shows the key: %v", err)
		}
	}
}

// TestKeys: no key means pairing first; a key that does not fit in a URL
// path is refused before anything is sent.
func TestKeys(t *testing.T) {
	ctx := context.Background()
	if err := (Driver{}).Login(ctx, driver.Target{}, nil); !errors.Is(err, driver.ErrNeedsPairing) {
		t.Errorf("no key: %v", err)
	}
	if err := (Driver{}).Login(ctx, driver.Target{}, &driver.Credentials{Password: "../../config"}); !errors.Is(err, driver.ErrAuth) {
		t.Errorf("path in the key: %v", err)
	}
}

// TestUpdateStates reads the bridge's own state first, then the system's.
func TestUpdateStates(t *testing.T) {
	c := exchange.New(driver.Target{})
	for body, want := range map[string]driver.UpdateInfo{
		`{"swversion":"1","swupdate2":{"state":"anyreadytoinstall","bridge":{"state":"readytoinstall"}}}`: {Current: "1", Available: ReadyToInstall},
		`{"swversion":"1","swupdate2":{"state":"anyreadytoinstall","bridge":{"state":"noupdates"}}}`:      {Current: "1"},
		`{"swversion":"1","swupdate2":{"state":"allreadytoinstall"}}`:                                     {Current: "1", Available: ReadyToInstall},
		`{"swversion":"1","swupdate2":{"state":"installing","bridge":{"state":"installing"}}}`:            {Current: "1", InProgress: true},
		`{"swversion":"1","whitelist":{}}`:                                                                {Current: "1"},
	} {
		cfg, err := parseConfig(c, &devhttp.Response{Status: 200, Body: []byte(body)})
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		if got := updateInfo(cfg); got != want {
			t.Errorf("%s: %+v, want %+v", body, got, want)
		}
	}
}
