// Package tasmota drives devices running the Tasmota open firmware through
// its documented web command interface, GET /cm?cmnd=<command>, with the
// web password as user/password query parameters once one is set.
//
// Tasmota's web server has no TLS: the password travels in the URL, over
// plain HTTP, to the device's own address only, and is scrubbed from every
// error. Source: https://tasmota.github.io/docs/Commands/#with-web-requests
// and https://tasmota.github.io/docs/Securing-your-IoT-from-hacking/.
package tasmota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Family is the catalog ID of Tasmota devices.
const Family = "tasmota"

// Username is the web user of stock builds (WEB_USERNAME, set at build time).
// Source: https://tasmota.github.io/docs/Commands/#webpassword ("for user
// WEB_USERNAME (Default WEB_USERNAME = admin)").
const Username = "admin"

// Source: https://tasmota.github.io/docs/Commands/#webpassword ("set web UI
// password (32 char limit)"; the values "0" and "1" are not passwords but
// "disable" and "reset to firmware default", hence at least 2 characters).
const (
	minLen = 2
	maxLen = 32
)

// Driver is the Tasmota driver; the zero value is ready to use.
type Driver struct{}

func init() { driver.Register(Driver{}) }

// Family returns "tasmota".
func (Driver) Family() string { return Family }

// Capabilities: password, update and factory reset over the local API.
func (Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Password: true, Update: true, Reset: true, ProofNeedsPassword: true}
}

// PasswordRules: 2 to 32 characters a URL carries unencoded (the password
// travels in the query string of every command).
func (Driver) PasswordRules() driver.PasswordRules {
	return driver.PasswordRules{MinLen: minLen, MaxLen: maxLen, Alphabet: exchange.Unreserved}
}

// Login runs "Status 0", which needs the password once one is set.
func (Driver) Login(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := exchange.New(t, password(creds))
	// Source: https://tasmota.github.io/docs/Commands/#status ("0 = show all
	// status information").
	return command(ctx, c, creds, "Status 0", nil)
}

// SetPassword sets next as the web password, then checks that the device
// refuses a command without it.
func (d Driver) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if next.Username != "" && next.Username != Username {
		return fmt.Errorf("%w: the user is always %q", driver.ErrPasswordRules, Username)
	}
	if err := d.PasswordRules().Check(next.Password); err != nil {
		return err
	}
	return setPassword(ctx, exchange.New(t, password(current), next.Password), current, next.Password)
}

// setPassword is SetPassword, once next meets the rules, through c (which
// scrubs both passwords).
func setPassword(ctx context.Context, c *exchange.Conn, current *driver.Credentials, next string) error {
	// Source: https://tasmota.github.io/docs/Commands/#webpassword
	// ("WebPassword <value>" sets the web UI password).
	if err := command(ctx, c, current, "WebPassword "+next, nil); err != nil {
		return err
	}
	// Without a password the device must now refuse. Source: Status 2 (below).
	err := command(ctx, c, nil, "Status 2", nil)
	switch {
	case errors.Is(err, driver.ErrAuth):
		return nil
	case err != nil:
		return err
	default:
		return c.Errorf(driver.ErrRefused, "WebPassword was accepted but the device still answers without a password")
	}
}

// status2 is the answer of "Status 2".
// Source: https://tasmota.github.io/docs/JSON-Status-Responses/
// ({"StatusFWR":{"Version":"…","BuildDateTime":"…",…}}).
type status2 struct {
	StatusFWR struct {
		Version string `json:"Version"`
	} `json:"StatusFWR"`
}

// CheckUpdate reports the running version only. Tasmota has no command
// that asks whether a newer release exists ("Upgrade" installs, it does
// not ask), so Available is always "": the checkup compares Current with
// the vendor catalog's latest release instead.
func (Driver) CheckUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) (driver.UpdateInfo, error) {
	return checkUpdate(ctx, exchange.New(t, password(creds)), creds)
}

// checkUpdate is CheckUpdate through c.
func checkUpdate(ctx context.Context, c *exchange.Conn, creds *driver.Credentials) (driver.UpdateInfo, error) {
	var s status2
	// Source: https://tasmota.github.io/docs/Commands/#status ("2 = show
	// firmware information").
	if err := command(ctx, c, creds, "Status 2", &s); err != nil {
		return driver.UpdateInfo{}, err
	}
	if s.StatusFWR.Version == "" {
		return driver.UpdateInfo{}, c.Errorf(driver.ErrRefused, "Status 2 named no firmware version")
	}
	return driver.UpdateInfo{Current: devtext.Clean(s.StatusFWR.Version, devtext.Name)}, nil
}

// StartUpdate downloads the firmware from the device's OtaUrl (Tasmota's
// release server unless someone changed it) and restarts.
func (Driver) StartUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := exchange.New(t, password(creds))
	// Source: https://tasmota.github.io/docs/Commands/#upgrade ("Upgrade 1" =
	// download firmware from OtaUrl and restart).
	return command(ctx, c, creds, "Upgrade 1", nil)
}

// FactoryReset runs "Reset 5": erase all flash and reset every parameter to
// the firmware defaults, keeping only the Wi-Fi settings, then restart.
// Not "Reset 1" (settings only, flash contents such as stored files stay)
// nor "Reset 2" (also forgets Wi-Fi): with 5 everything personal is erased
// yet the device comes back on the home network, unconfigured, so the wipe
// can be confirmed. The receipt should say the Wi-Fi credentials remain.
func (Driver) FactoryReset(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := exchange.New(t, password(creds))
	// Source: https://tasmota.github.io/docs/Commands/#reset ("5 = erase all
	// flash and reset parameters to firmware defaults but keep Wi-Fi
	// settings and restart").
	return command(ctx, c, creds, "Reset 5", nil)
}

// warningNeedPassword is how a password-protected device refuses a command.
// Source: Tasmota xdrv_01_webserver.ino HandleHttpCommand and language files
// (D_NEED_USER_AND_PASSWORD = "Need user=<username>&password=<password>"),
// answered with status 200 by older releases and with 401 since the fix of
// https://github.com/arendst/Tasmota/issues/8170 (2020): both are handled.
const warningNeedPassword = "Need user="

// command runs cmnd and decodes its JSON answer into v (may be nil).
func command(ctx context.Context, c *exchange.Conn, creds *driver.Credentials, cmnd string, v any) error {
	res, err := c.Get(ctx, commandPath(creds, cmnd), nil)
	if err != nil {
		return err
	}
	verb, _, _ := strings.Cut(cmnd, " ")
	if err := answerError(c, res, verb); err != nil {
		return err
	}
	if v == nil {
		return nil
	}
	return c.DecodeJSON(res, v)
}

// answerError says whether the device refused the command verb.
func answerError(c *exchange.Conn, res *devhttp.Response, verb string) error {
	if err := c.StatusError(res); err != nil {
		return err
	}
	var answer map[string]json.RawMessage
	if err := c.DecodeJSON(res, &answer); err != nil {
		return err
	}
	if w, ok := answer["WARNING"]; ok && strings.Contains(string(w), warningNeedPassword) {
		return c.Errorf(driver.ErrAuth, "%s: the device asks for a password", verb)
	}
	// Source: Tasmota support_command.ino ExecuteCommand (an unknown command
	// answers {"Command":"Unknown"}).
	if cmd, ok := answer["Command"]; ok && strings.Contains(string(cmd), "Unknown") {
		return c.Errorf(driver.ErrRefused, "%s: the device does not know this command", verb)
	}
	return nil
}

// commandPath is /cm with the command and, when there is one, the password.
// Spaces are %20 (not "+"), and the password is escaped, so the device reads
// back exactly what was sent.
// Source: https://tasmota.github.io/docs/Commands/#with-web-requests
// (http://<ip>/cm?user=admin&password=<pw>&cmnd=<command>).
func commandPath(creds *driver.Credentials, cmnd string) string {
	var q strings.Builder
	q.WriteString("/cm?")
	if creds != nil {
		q.WriteString("user=" + escape(username(creds)) + "&password=" + escape(creds.Password) + "&")
	}
	q.WriteString("cmnd=" + escape(cmnd))
	return q.String()
}

func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func username(creds *driver.Credentials) string {
	if creds.Username == "" {
		return Username
	}
	return creds.Username
}

func password(creds *driver.Credentials) string {
	if creds == nil {
		return ""
	}
	return creds.Password
}
