// Package shellygen2 drives Shelly Gen2, Gen3 and Gen4 devices through
// their documented JSON-RPC 2.0 API over HTTP, with RFC 7616 digest
// authentication (SHA-256, user "admin", realm = the device id).
//
// The password never travels: Shelly.SetAuth takes only
// ha1 = hex(SHA-256("admin:" + realm + ":" + password)), and every later
// request proves knowledge of it with a digest.
package shellygen2

import (
	"context"
	"fmt"

	"github.com/porchlight/porchlight/devices/devtext"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/httpdigest"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// Family is the catalog ID of Shelly Gen2+ devices.
const Family = "shelly-gen2"

// Username is the only user a Gen2+ device has.
// Source: https://shelly-api-docs.shelly.cloud/gen2/General/Authentication
// ("let username = 'admin'; // always").
const Username = "admin"

// The documentation names no length limit for the password (only its
// SHA-256 reaches the device); these bounds are Porchlight's choice.
const (
	minLen = 1
	maxLen = 64
)

// Driver is the Shelly Gen2+ driver; the zero value is ready to use.
type Driver struct{}

func init() { driver.Register(Driver{}) }

// Family returns "shelly-gen2".
func (Driver) Family() string { return Family }

// Capabilities: password, update and factory reset over the local API.
func (Driver) Capabilities() driver.Capabilities {
	return driver.Capabilities{Password: true, Update: true, Reset: true}
}

// PasswordRules: 1 to 64 characters a URL carries unencoded, so that the
// person can type the same password into the device's web page.
func (Driver) PasswordRules() driver.PasswordRules {
	return driver.PasswordRules{MinLen: minLen, MaxLen: maxLen, Alphabet: exchange.Unreserved}
}

// deviceInfo is the part of Shelly.GetDeviceInfo the driver uses.
// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellygetdeviceinfo
// (id, ver, auth_en, auth_domain; readable without authentication).
type deviceInfo struct {
	ID     string `json:"id"`
	Ver    string `json:"ver"`
	AuthEn bool   `json:"auth_en"`
}

// Login reads the configuration, which needs the password once
// authentication is enabled.
func (Driver) Login(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellygetconfig
	// (protected like every method but Shelly.GetDeviceInfo, per
	// https://shelly-api-docs.shelly.cloud/gen2/General/Authentication).
	return newRPC(exchange.New(t), creds).call(ctx, "Shelly.GetConfig", nil, nil)
}

// setAuthParams are Shelly.SetAuth's parameters.
// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellysetauth
// (user: must be "admin"; realm: must be the device id; ha1:
// SHA256("admin:realm:password"), null disables authentication).
type setAuthParams struct {
	User  string `json:"user"`
	Realm string `json:"realm"`
	HA1   string `json:"ha1"`
}

// SetPassword sets next as the device's password, authenticating with
// current when the device already has one, then checks that the device
// now asks for a password.
func (d Driver) SetPassword(ctx context.Context, t driver.Target, current *driver.Credentials, next driver.Credentials) error {
	if next.Username != "" && next.Username != Username {
		return fmt.Errorf("%w: the user is always %q", driver.ErrPasswordRules, Username)
	}
	if err := d.PasswordRules().Check(next.Password); err != nil {
		return err
	}
	return setPassword(ctx, newRPC(exchange.New(t), current), next)
}

// setPassword is SetPassword, once next meets the rules, through rpc.
func setPassword(ctx context.Context, rpc *rpcClient, next driver.Credentials) error {
	rpc.conn.AddSecret(next.Password)
	var info deviceInfo
	// Source: Shelly.GetDeviceInfo (see deviceInfo): the id is the realm.
	if err := rpc.call(ctx, "Shelly.GetDeviceInfo", nil, &info); err != nil {
		return err
	}
	if info.ID == "" {
		return rpc.conn.Errorf(driver.ErrRefused, "Shelly.GetDeviceInfo named no device id")
	}
	params := setAuthParams{User: Username, Realm: info.ID, HA1: httpdigest.HA1(Username, info.ID, next.Password)}
	rpc.conn.AddSecret(params.HA1)
	if err := rpc.call(ctx, "Shelly.SetAuth", params, nil); err != nil {
		return err
	}
	if err := rpc.call(ctx, "Shelly.GetDeviceInfo", nil, &info); err != nil {
		return err
	}
	if !info.AuthEn {
		return rpc.conn.Errorf(driver.ErrRefused, "Shelly.SetAuth succeeded but the device does not ask for a password")
	}
	return nil
}

// updates is Shelly.CheckForUpdate's result.
// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellycheckforupdate
// ({stable:{version,build_id}, beta:{…}}, each present only when on offer).
type updates struct {
	Stable struct {
		Version string `json:"version"`
	} `json:"stable"`
}

// CheckUpdate reads the running version and asks the device which stable
// version it is offered (beta releases are not proposed).
func (Driver) CheckUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) (driver.UpdateInfo, error) {
	return checkUpdate(ctx, newRPC(exchange.New(t), creds))
}

// checkUpdate is CheckUpdate through rpc.
func checkUpdate(ctx context.Context, rpc *rpcClient) (driver.UpdateInfo, error) {
	var info deviceInfo
	if err := rpc.call(ctx, "Shelly.GetDeviceInfo", nil, &info); err != nil {
		return driver.UpdateInfo{}, err
	}
	var u updates
	if err := rpc.call(ctx, "Shelly.CheckForUpdate", nil, &u); err != nil {
		return driver.UpdateInfo{}, err
	}
	return driver.UpdateInfo{Current: devtext.Clean(info.Ver, devtext.Name), Available: devtext.Clean(u.Stable.Version, devtext.Name)}, nil
}

// StartUpdate installs the stable update; the device reboots when done.
func (Driver) StartUpdate(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellyupdate
	// (stage: "stable" or "beta").
	return newRPC(exchange.New(t), creds).call(ctx, "Shelly.Update", map[string]string{"stage": "stable"}, nil)
}

// FactoryReset erases the device's settings; it reboots unconfigured.
func (Driver) FactoryReset(ctx context.Context, t driver.Target, creds *driver.Credentials) error {
	// Source: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Shelly#shellyfactoryreset
	return newRPC(exchange.New(t), creds).call(ctx, "Shelly.FactoryReset", nil, nil)
}

// username is the digest user: the caller's, else the fixed "admin".
func username(creds *driver.Credentials) string {
	if creds == nil || creds.Username == "" {
		return Username
	}
	return creds.Username
}
