// Package wled drives WLED LED controllers. WLED has no login: its JSON API
// and web pages are open to anyone on the network. What comes closest to an
// admin password is the settings PIN (4 digits): once set, every settings
// page — Wi-Fi, security, factory reset — asks for it. This driver treats
// the PIN as the device's password.
//
// It does not change WLED's other lock, the OTA lock passphrase: with the
// OTA lock on, firmware updates and the Wi-Fi settings can only be unlocked
// with the passphrase, and a lost passphrase leaves only a re-flash over a
// serial cable — a way to lock a person out that Porchlight must not risk.
// TryFactory (factory.go) only checks whether the lock still takes WLED's
// factory passphrase, and leaves it as it was.
//
// Sources: https://kno.wled.ge/features/settings/ (security settings) and
// WLED's own code, github.com/wled/WLED: wled00/set.cpp (handleSettingsSet,
// SUBPAGE_SEC), wled00/wled_server.cpp (serveSettings, serveSettingsJS) and
// wled00/util.cpp (checkSettingsPIN, printSetFormCheckbox).
package wled

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Family is the catalog ID of WLED devices.
const Family = "wled"

// The settings PIN: exactly four digits; "0000" is not a PIN but the
// placeholder the security page shows, and WLED ignores it.
// Source: set.cpp SUBPAGE_SEC ("if (pinLen == 4 || pinLen == 0)", "ignore
// 0000 input (placeholder)"); settings_sec.htm (numeric input, 4 long).
const (
	pinLen      = 4
	pinAlphabet = "0123456789"
	placeholder = "0000"
)

// Endpoints of the security settings.
// Source: wled_server.cpp serveSettings (a URL containing "sec" is the
// security subpage, "lock" relocks the settings) and serveSettingsJS
// ("/settings/s.js?p=<subpage>", 6 = security, per the subpage list in
// set.cpp handleSettingsSet).
const (
	secPath    = "/settings/sec"
	secJSPath  = "/settings/s.js?p=6"
	lockPath   = "/settings/lock"
	formHeader = "application/x-www-form-urlencoded"
)

// accessDenied is how WLED answers a settings request sent less than
// three seconds after the last settings change or PIN attempt.
// Source: wled_server.cpp serveSettings (PIN_RETRY_COOLDOWN: serveMessage
// 401 "Access Denied"); util.cpp checkSettingsPIN ("guard against PIN brute
// force").
const accessDenied = "Access Denied"

// Driver is the WLED driver; the zero value is ready to use.
type Driver struct{}

func init() { driver.Register(Driver{}) }

// Family returns "wled".
func (Driver) Family() string { return Family }

// Capabilities: the settings PIN and factory reset. WLED cannot pull an
// update itself (new firmware is uploaded to it), so Update is false;
// CheckUpdate still reports the running version.
func (Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Password: true, Reset: true}
}

// PasswordRules: the settings PIN is exactly four digits (and not "0000").
func (Driver) PasswordRules() driver.PasswordRules {
	return driver.PasswordRules{MinLen: pinLen, MaxLen: pinLen, Alphabet: pinAlphabet}
}

// Login checks the settings PIN: with creds nil the device must have none;
// otherwise creds.Password must unlock the settings (a device without a PIN
// takes any). It relocks the settings before and after, so that an unlock
// left by someone else does not count, and none is left behind.
// It returns an error wrapping driver.ErrRateLimited when WLED's 3-second
// cooldown is running: wait and try again.
func (Driver) Login(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := exchange.New(t, pin(creds))
	if _, err := unlockSettings(ctx, c, creds); err != nil {
		return err
	}
	return relock(ctx, c)
}

// SetPassword sets next as the settings PIN, keeping every other security
// setting as it is, and checks that the settings are locked afterwards.
func (d Driver) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if err := checkPIN(d.PasswordRules(), next.Password); err != nil {
		return err
	}
	c := exchange.New(t, pin(current), next.Password)
	js, err := unlockSettings(ctx, c, current)
	if err != nil {
		return err
	}
	// The security form sets its checkboxes from what is sent: send back
	// those the device has ticked, or it would untick them (OTA lock, Wi-Fi
	// lock, ArduinoOTA …). The OTA password field (OP) is not sent, so it
	// stays. Source: set.cpp SUBPAGE_SEC (otaLock = hasArg("NO"), …).
	form := url.Values{"PIN": {next.Password}}
	for _, box := range checkedBoxes(js) {
		form.Set(box, "on")
	}
	if err := postSecurity(ctx, c, form); err != nil {
		return err
	}
	if err := relock(ctx, c); err != nil {
		return err
	}
	locked, _, err := probe(ctx, c)
	if err != nil {
		return err
	}
	if !locked {
		return c.Errorf(driver.ErrRefused, "the device saved the security settings but has no PIN")
	}
	return nil
}

// info is the part of /json/info the driver uses.
// Source: https://kno.wled.ge/interfaces/json-api/ (GET /json/info: "ver",
// the version name).
type info struct {
	Ver string `json:"ver"`
}

// CheckUpdate reports the running version only: WLED has no API that says
// whether a newer release exists, so Available is always "" and the
// checkup compares Current with the vendor catalog.
func (Driver) CheckUpdate(ctx context.Context, t driver.Target, _ *driver.Credentials) (driver.UpdateInfo, error) {
	return checkUpdate(ctx, exchange.New(t))
}

// checkUpdate is CheckUpdate through c.
func checkUpdate(ctx context.Context, c *exchange.Conn) (driver.UpdateInfo, error) {
	var i info
	if err := c.GetJSON(ctx, "/json/info", nil, &i); err != nil {
		return driver.UpdateInfo{}, err
	}
	if i.Ver == "" {
		return driver.UpdateInfo{}, c.Errorf(driver.ErrRefused, "/json/info named no version")
	}
	return driver.UpdateInfo{Current: devtext.Clean(i.Ver, devtext.Name)}, nil
}

// StartUpdate is not possible: WLED installs firmware uploaded to its
// /update page; it does not download updates itself.
// Source: wled_server.cpp (POST /update takes an uploaded binary; there is
// no request that makes the device fetch one).
func (Driver) StartUpdate(context.Context, driver.Target, *driver.Credentials) error {
	return fmt.Errorf("%w: WLED does not download updates itself; new firmware is uploaded to it", driver.ErrUnsupported)
}

// FactoryReset erases every setting and file (the file system is
// formatted) and reboots. A real device then opens its own access point
// and leaves the home network.
// Source: set.cpp SUBPAGE_SEC ("RS": "complete factory reset",
// WLED_FS.format(), "All Settings erased.").
func (Driver) FactoryReset(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	c := exchange.New(t, pin(creds))
	if _, err := unlockSettings(ctx, c, creds); err != nil {
		return err
	}
	return postSecurity(ctx, c, url.Values{resetBox: {"on"}})
}

// checkPIN applies the rules and refuses the placeholder.
func checkPIN(rules driver.PasswordRules, p string) error {
	if err := rules.Check(p); err != nil {
		return err
	}
	if p == placeholder {
		return fmt.Errorf("%w: WLED ignores %s", driver.ErrPasswordRules, placeholder)
	}
	return nil
}

// unlockSettings relocks the settings, then opens them with creds when the
// device has a PIN, and returns the security page's settings script.
func unlockSettings(ctx context.Context, c *exchange.Conn, creds *driver.Credentials) (string, error) {
	if err := relock(ctx, c); err != nil {
		return "", err
	}
	locked, js, err := probe(ctx, c)
	if err != nil || !locked {
		return js, err
	}
	if creds == nil {
		return "", c.Errorf(driver.ErrAuth, "the device has a settings PIN")
	}
	// With a PIN set and the settings locked, a POST to any settings page
	// only checks the PIN: it changes nothing.
	// Source: wled_server.cpp serveSettings (SUBPAGE_PINREQ) and set.cpp
	// handleSettingsSet (checkSettingsPIN, then return).
	res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, Path: secPath,
		Header: http.Header{"Content-Type": {formHeader}}, Body: []byte(url.Values{"PIN": {creds.Password}}.Encode())})
	if err != nil {
		return "", err
	}
	if err := settingsError(c, res, "the device refused the PIN"); err != nil {
		return "", err
	}
	if locked, js, err = probe(ctx, c); err != nil {
		return "", err
	}
	if locked {
		return "", c.Errorf(driver.ErrAuth, "the device did not unlock its settings with the PIN")
	}
	return js, nil
}

// pinIncorrect is the script WLED serves instead of the settings while a
// PIN is set and the settings are locked.
// Source: wled_server.cpp serveSettingsJS ("alert('PIN incorrect.');",
// status 401, 403 in earlier releases).
const pinIncorrect = "PIN incorrect"

// probe reads the security page's settings script, or learns that a PIN
// keeps it locked.
func probe(ctx context.Context, c *exchange.Conn) (locked bool, js string, err error) {
	res, err := c.Get(ctx, secJSPath, nil)
	if err != nil {
		return false, "", err
	}
	switch {
	case res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden ||
		strings.Contains(string(res.Body), pinIncorrect):
		return true, "", nil
	case res.Truncated:
		return false, "", c.Errorf(driver.ErrRefused, "%s: the answer is larger than %d bytes", res.Asked, devhttp.MaxBody)
	}
	return false, string(res.Body), c.StatusError(res)
}

// relock locks the settings again (a no-op when no PIN is set).
// Source: wled_server.cpp serveSettings (SUBPAGE_LOCK: "correctPIN =
// !strlen(settingsPIN)", answers "Settings locked" or "No PIN set").
func relock(ctx context.Context, c *exchange.Conn) error {
	res, err := c.Get(ctx, lockPath, nil)
	if err != nil {
		return err
	}
	return c.StatusError(res)
}

// postSecurity saves the security settings form.
func postSecurity(ctx context.Context, c *exchange.Conn, form url.Values) error {
	res, err := c.Do(ctx, devhttp.Request{Method: http.MethodPost, Path: secPath,
		Header: http.Header{"Content-Type": {formHeader}}, Body: []byte(form.Encode())})
	if err != nil {
		return err
	}
	return settingsError(c, res, "the device refused the security settings")
}

// settingsError maps WLED's answer to a settings POST: 200 is done, 401 is
// either the cooldown (ErrRateLimited) or a wrong PIN (ErrAuth).
// Source: wled_server.cpp serveSettings (serveMessage(…, correctPIN ? 200 :
// 401, …) and the cooldown's 401 "Access Denied").
func settingsError(c *exchange.Conn, res *devhttp.Response, refused string) error {
	if res.Status != http.StatusUnauthorized {
		return c.StatusError(res)
	}
	if strings.Contains(string(res.Body), accessDenied) {
		return c.Errorf(driver.ErrRateLimited, "%s: WLED waits 3 seconds between settings changes and PIN attempts", res.Asked)
	}
	return c.Errorf(driver.ErrAuth, "%s: %s", res.Asked, refused)
}

// checkboxRE matches one checkbox in a settings script, as WLED writes it:
// d.Sf.<name>.checked=<0|1>;
// Source: util.cpp printSetFormCheckbox ("d.Sf.%s.%s=%d;" with "checked").
var checkboxRE = regexp.MustCompile(`d\.Sf\.([A-Za-z0-9_]+)\.checked\s*=\s*(1|true)\b`)

// resetBox is the security form's factory-reset checkbox: never sent back.
const resetBox = "RS"

// checkedBoxes lists the ticked checkboxes of a settings script, except
// the factory reset.
func checkedBoxes(js string) []string {
	var boxes []string
	for _, m := range checkboxRE.FindAllStringSubmatch(js, -1) {
		if m[1] != resetBox {
			boxes = append(boxes, m[1])
		}
	}
	return boxes
}

func pin(creds *driver.Credentials) string {
	if creds == nil {
		return ""
	}
	return creds.Password
}
