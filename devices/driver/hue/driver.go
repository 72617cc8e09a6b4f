// Package hue drives Philips Hue bridges through the Hue API v1. A bridge
// has no password: an application is let in by pairing — the person presses
// the bridge's link button and, within 30 seconds, the application asks for
// an app key (Pair). The key is then kept like a password (in the keyring)
// and passed to the driver as Credentials.Password.
//
// Sources: Hue API v1 "7. Configuration API",
// https://developers.meethue.com/develop/hue-api/7-configuration-api/
// (7.1 create user, 7.2 get configuration, 7.3 modify configuration).
package hue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Family is the catalog ID of Hue bridges.
const Family = "hue-bridge"

// AppName is the application half of the devicetype Porchlight pairs with.
const AppName = "porchlight"

// maxDeviceName bounds the device half of the devicetype.
// Source: 7.1.2 ("devicetype string 0..40: <application_name>#<devicename>,
// application_name string 0..20, devicename string 0..19").
const maxDeviceName = 19

// Error types of the Hue API: 1 "unauthorized user", 101 "link button not
// pressed". Source: 7.1.6 ("If the link button has not been pressed a 101
// error will be returned") and the Hue API's error list, as bridges answer
// them: [{"error":{"type":1,"address":"/","description":"unauthorized user"}}]
// (https://github.com/diyhue/diyHue/issues/293, captured from a real bridge).
const (
	errUnauthorizedUser = 1
	errLinkButton       = 101
)

// ReadyToInstall is what UpdateInfo.Available says when the bridge has an
// update ready: the API tells that one is there, not which version it is.
const ReadyToInstall = "ready to install"

// Driver is the Hue bridge driver; the zero value is ready to use.
type Driver struct{}

func init() { driver.Register(Driver{}) }

// Family returns "hue-bridge".
func (Driver) Family() string { return Family }

// Capabilities: firmware updates, after pairing. A bridge has no password
// to change and no factory reset over the network (it has a reset button).
func (Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Update: true, Pairing: true}
}

// PasswordRules is empty: a bridge has no password.
func (Driver) PasswordRules() driver.PasswordRules { return driver.PasswordRules{} }

// apiError is one error element of a Hue API answer.
type apiError struct {
	Type        int    `json:"type"`
	Address     string `json:"address"`
	Description string `json:"description"`
}

// result is one element of the array the bridge answers writes with:
// [{"success":{…}}] or [{"error":{…}}].
// Source: 7.1.5 (sample response) and the error format above.
type result struct {
	Success json.RawMessage `json:"success"`
	Error   *apiError       `json:"error"`
}

// Pair asks the bridge for a new app key for Porchlight running on
// deviceName. Until the link button has been pressed (within the last 30
// seconds) it returns an error wrapping driver.ErrNeedsPairing: ask the
// person to press it, then call Pair again. The key is a secret: keep it
// in the keyring and pass it as Credentials.Password.
func Pair(ctx context.Context, t driver.Target, deviceName string) (appKey string, err error) {
	c := exchange.New(t)
	body, err := json.Marshal(map[string]string{"devicetype": DeviceType(deviceName)})
	if err != nil {
		return "", err
	}
	// Source: 7.1 (POST /api, body {"devicetype": …}).
	res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, Path: "/api",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
	if err != nil {
		return "", err
	}
	return keyFromPairing(c, res)
}

// keyFromPairing reads the app key out of the bridge's answer to a pairing request.
func keyFromPairing(c *exchange.Conn, res *devhttp.Response) (string, error) {
	results, err := decodeResults(c, res)
	if err != nil {
		return "", err
	}
	for _, r := range results {
		if r.Error != nil {
			if r.Error.Type == errLinkButton {
				return "", c.Errorf(driver.ErrNeedsPairing, "press the link button on the bridge, then try again within 30 seconds")
			}
			return "", c.Errorf(driver.ErrRefused, "pairing: error %d: %s", r.Error.Type, r.Error.Description)
		}
		var s struct {
			Username string `json:"username"`
		}
		if err := json.Unmarshal(r.Success, &s); err == nil && validKey(s.Username) {
			return s.Username, nil
		}
	}
	return "", c.Errorf(driver.ErrRefused, "pairing: the bridge answered without an app key")
}

// DeviceType is the devicetype Porchlight pairs with: "porchlight#" and
// deviceName cut to the 19 bytes the bridge takes.
func DeviceType(deviceName string) string {
	for len(deviceName) > maxDeviceName {
		_, size := utf8.DecodeLastRuneInString(deviceName)
		deviceName = deviceName[:len(deviceName)-size]
	}
	return AppName + "#" + deviceName
}

// config is the part of the bridge configuration the driver uses.
// Source: 7.2.2 (swversion; swupdate2 {state, bridge {state}}; whitelist).
type config struct {
	SWVersion string `json:"swversion"`
	SWUpdate2 *struct {
		State  string `json:"state"`
		Bridge struct {
			State string `json:"state"`
		} `json:"bridge"`
	} `json:"swupdate2"`
	Whitelist json.RawMessage `json:"whitelist"`
}

// Login reads the configuration with the app key in creds.Password. Any
// key gets the bridge's public configuration; only a paired key gets the
// full one (with swupdate2 and the whitelist), which is what is checked.
func (Driver) Login(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	_, err := readConfig(ctx, t, creds)
	return err
}

// SetPassword is not possible: a bridge has no password.
func (Driver) SetPassword(context.Context, driver.Target, *driver.Credentials, driver.Credentials) error {
	return fmt.Errorf("%w: a Hue bridge has no password; apps are let in with its link button", driver.ErrUnsupported)
}

// CheckUpdate reads the bridge's version and update state: the bridge's own
// (swupdate2.bridge.state) when it gives one, else the system's. The bridge
// says whether an update is ready, not which version it is: Available is
// then ReadyToInstall.
// Source: 7.2.2, swupdate2.state: unknown, noupdates, transferring,
// anyreadytoinstall, allreadytoinstall, installing; swupdate2.bridge
// ("software update object of bridge").
func (Driver) CheckUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) (driver.UpdateInfo, error) {
	cfg, err := readConfig(ctx, t, creds)
	if err != nil {
		return driver.UpdateInfo{}, err
	}
	return updateInfo(cfg), nil
}

// updateInfo is what cfg says about the bridge's firmware.
func updateInfo(cfg *config) driver.UpdateInfo {
	info := driver.UpdateInfo{Current: devtext.Clean(cfg.SWVersion, devtext.Name)}
	if cfg.SWUpdate2 == nil {
		return info // bridges before API 1.20 have no swupdate2
	}
	state := cfg.SWUpdate2.Bridge.State
	if state == "" {
		state = cfg.SWUpdate2.State
	}
	info.InProgress = state == "installing"
	// The system states are anyreadytoinstall and allreadytoinstall; a
	// device's own (bridge.state, like a light's swupdate.state) is
	// readytoinstall.
	if strings.HasSuffix(state, "readytoinstall") {
		info.Available = ReadyToInstall
	}
	return info
}

// StartUpdate installs the updates the bridge has ready; it and its lights
// may be unavailable for a few minutes.
func (Driver) StartUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	key, c, err := keyConn(t, creds)
	if err != nil {
		return err
	}
	// Source: 7.3 / 7.2.2 ("install: Writing true triggers installation of
	// software updates when in state anyreadytoinstall or allreadytoinstall"),
	// PUT /api/<username>/config.
	res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPut, Path: "/api/" + key + "/config",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"swupdate2":{"install":true}}`)})
	if err != nil {
		return err
	}
	return installStarted(c, res)
}

// installStarted reads whether the bridge started installing, out of its
// answer to the install request.
func installStarted(c *exchange.Conn, res *devhttp.Response) error {
	results, err := decodeResults(c, res)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Error != nil {
			return apiErr(c, "installing the update", r.Error)
		}
	}
	if len(results) == 0 {
		return c.Errorf(driver.ErrRefused, "installing the update: the bridge did not confirm")
	}
	return nil
}

// FactoryReset is not possible over the network: a bridge is reset with the
// button on its back.
func (Driver) FactoryReset(context.Context, driver.Target, *driver.Credentials) error {
	return fmt.Errorf("%w: a Hue bridge is reset with the button on its back", driver.ErrUnsupported)
}

// readConfig gets the full configuration with the app key in creds.
func readConfig(ctx context.Context, t driver.Target, creds *driver.Credentials) (*config, error) {
	key, c, err := keyConn(t, creds)
	if err != nil {
		return nil, err
	}
	// Source: 7.2 (GET /api/<username>/config).
	res, err := c.Get(ctx, "/api/"+key+"/config", nil)
	if err != nil {
		return nil, err
	}
	return parseConfig(c, res)
}

// parseConfig reads a bridge's full configuration out of its answer; an
// error or the public configuration only means the key is not paired.
func parseConfig(c *exchange.Conn, res *devhttp.Response) (*config, error) {
	if err := c.StatusError(res); err != nil {
		return nil, err
	}
	if body := bytes.TrimSpace(res.Body); len(body) > 0 && body[0] == '[' {
		var errs []result
		if err := c.DecodeJSON(res, &errs); err != nil {
			return nil, err
		}
		for _, r := range errs {
			if r.Error != nil {
				return nil, apiErr(c, "reading the configuration", r.Error)
			}
		}
		return nil, c.Errorf(driver.ErrRefused, "reading the configuration: unexpected answer")
	}
	var cfg config
	if err := c.DecodeJSON(res, &cfg); err != nil {
		return nil, err
	}
	// An unpaired key gets the public configuration, without these.
	// Source: developers.meethue.com "Message structure and response",
	// section on non-valid users (/api/<any>/config answers them with name,
	// datastoreversion, swversion, apiversion, mac, bridgeid, factorynew,
	// replacesbridgeid, modelid, starterkitid only), as reported in
	// https://github.com/michielpost/Q42.HueApi/issues/126 and
	// https://github.com/SteveyO/Hue-Emulator/issues/24.
	if cfg.SWUpdate2 == nil && len(cfg.Whitelist) == 0 {
		return nil, c.Errorf(driver.ErrAuth, "the bridge answered with its public configuration only: the app key is not paired")
	}
	return &cfg, nil
}

// keyConn checks the app key and returns a connection that scrubs it.
func keyConn(t driver.Target, creds *driver.Credentials) (string, *exchange.Conn, error) {
	if creds == nil || creds.Password == "" {
		return "", nil, fmt.Errorf("%w: Porchlight has no app key for this bridge", driver.ErrNeedsPairing)
	}
	if !validKey(creds.Password) {
		return "", nil, fmt.Errorf("%w: the app key has characters a bridge never puts in one", driver.ErrAuth)
	}
	return creds.Password, exchange.New(t, creds.Password), nil
}

// validKey accepts what can go into a URL path as it is; bridges hand out
// keys of letters, digits and "-".
func validKey(key string) bool {
	if key == "" || len(key) > 64 {
		return false
	}
	for _, c := range key {
		if !strings.ContainsRune(exchange.Unreserved, c) {
			return false
		}
	}
	return true
}

// decodeResults decodes a bridge's answer to a write: a JSON array.
func decodeResults(c *exchange.Conn, res *devhttp.Response) ([]result, error) {
	if err := c.StatusError(res); err != nil {
		return nil, err
	}
	var rs []result
	if err := c.DecodeJSON(res, &rs); err != nil {
		return nil, err
	}
	return rs, nil
}

// apiErr maps a Hue error element to the driver's errors.
func apiErr(c *exchange.Conn, what string, e *apiError) error {
	sentinel := driver.ErrRefused
	if e.Type == errUnauthorizedUser {
		sentinel = driver.ErrAuth
	}
	return c.Errorf(sentinel, "%s: error %d: %s", what, e.Type, e.Description)
}
