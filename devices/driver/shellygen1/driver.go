// Package shellygen1 drives first-generation Shelly devices through their
// documented HTTP API: HTTP Basic authentication over plain HTTP, settings
// and actions as GET query parameters.
//
// Source for every endpoint here: Shelly Gen1 "Common HTTP API",
// https://shelly-api-docs.shelly.cloud/gen1/#common-http-api (all resources
// but /shelly require Basic authentication once it is enabled; the HTTP
// method is ignored; errors are 4xx with a text body).
package shellygen1

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Family is the catalog ID of Shelly Gen1 devices.
const Family = "shelly-gen1"

// DefaultUsername is the login name Porchlight sets when the caller names
// none (the device's own default, as /settings/login shows it).
const DefaultUsername = "admin"

// Source: https://shelly-api-docs.shelly.cloud/gen1/#settings-login
// ("username: Length between 1 and 50", "password: Length between 1 and 50").
const (
	minLen = 1
	maxLen = 50
)

// Driver is the Shelly Gen1 driver; the zero value is ready to use.
type Driver struct{}

func init() { driver.Register(Driver{}) }

// Family returns "shelly-gen1".
func (Driver) Family() string { return Family }

// Capabilities: password, update and factory reset over the local API.
func (Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Password: true, Update: true, Reset: true}
}

// PasswordRules are the device's 1..50 characters, restricted to the
// characters a URL carries unencoded: the new password has to travel in a
// query string (to the device's own address only), and this way it arrives
// exactly as written.
func (Driver) PasswordRules() driver.PasswordRules {
	return driver.PasswordRules{MinLen: minLen, MaxLen: maxLen, Alphabet: exchange.Unreserved}
}

// Login reads the settings, which need the password once it is enabled.
func (Driver) Login(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := conn(t, creds)
	// Source: https://shelly-api-docs.shelly.cloud/gen1/#settings (GET /settings).
	res, err := c.Get(ctx, "/settings", basicAuth(creds))
	if err != nil {
		return err
	}
	return c.StatusError(res)
}

// loginSettings is the answer of /settings/login.
type loginSettings struct {
	Enabled  bool   `json:"enabled"`
	Username string `json:"username"`
}

// SetPassword enables HTTP authentication with next. The new password
// necessarily travels in the query string, over plain HTTP, to the
// device's own address only; it never appears in an error.
func (d Driver) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	user := username(&next)
	if err := d.PasswordRules().Check(next.Password); err != nil {
		return err
	}
	if err := d.PasswordRules().Check(user); err != nil {
		return fmt.Errorf("%w: the user name must be %d to %d letters, digits or -._~", driver.ErrPasswordRules, minLen, maxLen)
	}
	return setLogin(ctx, conn(t, current), current, user, next.Password)
}

// setLogin is SetPassword, once user and password meet the rules, through c.
func setLogin(ctx context.Context, c *exchange.Conn, current *driver.Credentials, user, password string) error {
	c.AddSecret(password)
	var got loginSettings
	if err := c.GetJSON(ctx, loginPath(user, password), basicAuth(current), &got); err != nil {
		return err
	}
	if !got.Enabled || got.Username != user {
		return c.Errorf(driver.ErrRefused, "the device answered but did not enable the login for %q", user)
	}
	return nil
}

// ota is the answer of /ota.
// Source: https://shelly-api-docs.shelly.cloud/gen1/#ota (status: idle,
// pending, updating or unknown; has_update; new_version; old_version).
type ota struct {
	Status     string `json:"status"`
	HasUpdate  bool   `json:"has_update"`
	NewVersion string `json:"new_version"`
	OldVersion string `json:"old_version"`
}

// CheckUpdate asks the device to look for new firmware, then reads what it
// knows. The look-up runs in the background on the device, so a new version
// may only show on a later call.
func (Driver) CheckUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) (driver.UpdateInfo, error) {
	return checkUpdate(ctx, conn(t, creds), creds)
}

// checkUpdate is CheckUpdate through c.
func checkUpdate(ctx context.Context, c *exchange.Conn, creds *driver.Credentials) (driver.UpdateInfo, error) {
	// Source: https://shelly-api-docs.shelly.cloud/gen1/#ota-check ("Manual
	// check for new firmware version", answers {"status":"ok"|"running"}).
	res, err := c.Get(ctx, "/ota/check", basicAuth(creds))
	if err != nil {
		return driver.UpdateInfo{}, err
	}
	if err := c.StatusError(res); errors.Is(err, driver.ErrAuth) {
		return driver.UpdateInfo{}, err
	}
	// Any other refusal of the refresh is not fatal: /ota still says what
	// the device last knew.
	var o ota
	// Source: https://shelly-api-docs.shelly.cloud/gen1/#ota (GET /ota).
	if err := c.GetJSON(ctx, "/ota", basicAuth(creds), &o); err != nil {
		return driver.UpdateInfo{}, err
	}
	info := driver.UpdateInfo{Current: devtext.Clean(o.OldVersion, devtext.Name), InProgress: o.Status == "updating"}
	if o.HasUpdate {
		info.Available = devtext.Clean(o.NewVersion, devtext.Name)
	}
	return info, nil
}

// StartUpdate installs the update from the vendor's default URL; the
// device reboots when done.
func (Driver) StartUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := conn(t, creds)
	// Source: https://shelly-api-docs.shelly.cloud/gen1/#ota ("update: Run
	// firmware update from default URL").
	res, err := c.Get(ctx, "/ota?update=1", basicAuth(creds))
	if err != nil {
		return err
	}
	return c.StatusError(res)
}

// FactoryReset erases the device's settings; it reboots unconfigured (in
// access-point mode on a real device, so it leaves the home network).
func (Driver) FactoryReset(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := conn(t, creds)
	// Source: https://shelly-api-docs.shelly.cloud/gen1/#settings ("reset:
	// Will perform a factory reset of the device"; there is no /reset).
	res, err := c.Get(ctx, "/settings?reset=1", basicAuth(creds))
	if err != nil {
		return err
	}
	return c.StatusError(res)
}

// loginPath enables HTTP authentication for user with password.
// Source: https://shelly-api-docs.shelly.cloud/gen1/#settings-login
// (GET /settings/login?enabled=1&username=…&password=…).
func loginPath(user, password string) string {
	return "/settings/login?enabled=1&username=" + url.QueryEscape(user) + "&password=" + url.QueryEscape(password)
}

func conn(t driver.Target, creds *driver.Credentials) *exchange.Conn {
	if creds == nil {
		return exchange.New(t)
	}
	return exchange.New(t, creds.Password)
}

func username(creds *driver.Credentials) string {
	if creds == nil || creds.Username == "" {
		return DefaultUsername
	}
	return creds.Username
}

// basicAuth is the Authorization header for creds (nil when there are none).
// Source: RFC 7617 §2; the Gen1 docs ask for "Authorization: Basic ..." once
// login.enabled is set (https://shelly-api-docs.shelly.cloud/gen1/#settings).
func basicAuth(creds *driver.Credentials) http.Header {
	if creds == nil {
		return nil
	}
	token := base64.StdEncoding.EncodeToString([]byte(username(creds) + ":" + creds.Password))
	return http.Header{"Authorization": {"Basic " + token}}
}
