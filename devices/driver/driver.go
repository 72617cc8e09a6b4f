// Package driver acts on devices through their vendors' documented local
// APIs: log in, change the password, check and install firmware updates,
// factory-reset. One Driver per family, found through For. Drivers talk to a
// device only through devhttp, so a secret never goes anywhere but the
// device's own address and no redirect is ever followed; they never log or
// format a secret.
package driver

import (
	"context"
	"errors"
	"fmt"
	"github.com/porchlight/porchlight/devices/devhttp"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Errors a driver returns, wrapped with what happened.
var (
	// ErrAuth: the device refused the credentials.
	ErrAuth = errors.New("the device did not accept the password")
	// ErrUnsupported: the family cannot do this through a local API.
	ErrUnsupported = errors.New("this device cannot do that through its local API")
	// ErrUnreachable: the device did not answer.
	ErrUnreachable = errors.New("the device did not answer")
	// ErrRefused: the device answered but refused the action.
	ErrRefused = errors.New("the device refused")
	// ErrRateLimited: the device asks to wait before trying again (WLED's
	// three-second cooldown, for example).
	ErrRateLimited = errors.New("the device asks to wait before trying again")
	// ErrNeedsPairing: the device needs a physical step first (Hue's link button).
	ErrNeedsPairing = errors.New("the device needs to be paired first")
	// ErrPasswordRules: a new password does not meet the family's
	// PasswordRules; nothing was sent to the device.
	ErrPasswordRules = errors.New("the new password does not meet the device's rules")
)

// Target is the device a driver acts on.
type Target struct {
	// ID is the device's stable identity (see discover.Device.ID).
	ID string
	// Addr is the address it was last seen at; every request goes there.
	Addr netip.Addr
	// Port is its web API's port (80 when zero).
	Port int
	// Timeout bounds each exchange (devhttp.DefaultTimeout when zero).
	Timeout time.Duration
	// Net is the network the device is reached through (the real network
	// when nil; the demo household's inside the process).
	Net devhttp.Network
	// Key, when set, is the device's pinned TLS key (see
	// devhttp.Client.RequireKey): every request then goes over HTTPS to
	// Port, and a device with another key is sent nothing.
	Key string
}

// Credentials are what a driver logs in with. A nil *Credentials means the
// device has no password set. Never log or print them.
type Credentials struct {
	// Username is the login name; drivers fill in the family's fixed one
	// (Shelly Gen2: "admin") when it is empty.
	Username string
	Password string
}

// Capabilities says what a family can do through its local API.
type Capabilities struct {
	Password bool
	Update   bool
	Reset    bool
	// Pairing: the family needs a physical pairing step that yields an app
	// key (kept in the keyring like a password) before anything else.
	Pairing bool
	// ProofNeedsPassword: once the device has a password, it shows its
	// hardware identity only to a request that carries it, so nobody can
	// tell it from a device copying its announcements without first
	// sending the password (Tasmota).
	ProofNeedsPassword bool
	// ProofLost is set by the core, not a driver: Porchlight keeps the
	// device's password and the family proves its identity only with it,
	// so Porchlight sends it nothing more and can do none of the above.
	ProofLost bool
}

// PasswordRules are a family's limits for a new password.
type PasswordRules struct {
	MinLen, MaxLen int
	// Alphabet is every character the family accepts in a password.
	Alphabet string
}

// Check returns nil when pw meets the rules, and otherwise an error wrapping
// ErrPasswordRules that says what is wrong without quoting pw.
func (r PasswordRules) Check(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < r.MinLen || n > r.MaxLen {
		return fmt.Errorf("%w: it has %d characters, the device takes %d to %d", ErrPasswordRules, n, r.MinLen, r.MaxLen)
	}
	for _, c := range pw {
		if !strings.ContainsRune(r.Alphabet, c) {
			return fmt.Errorf("%w: it has a character the device does not take", ErrPasswordRules)
		}
	}
	return nil
}

// UpdateInfo is what a device says about its firmware. Versions are the
// device's own text, made safe to show by the driver (devtext.Clean, cut
// to devtext.Name).
type UpdateInfo struct {
	Current string
	// Available is the newer version on offer, "" when up to date.
	Available string
	// InProgress is set while an update is being installed.
	InProgress bool
}

// Driver acts on the devices of one family. Methods are safe for
// concurrent use on different devices; callers serialise actions on one
// device.
type Driver interface {
	// Family is the family ID (identify.Family values, catalog IDs).
	Family() string
	Capabilities() Capabilities
	PasswordRules() PasswordRules
	// Login checks creds against the device with a read-only request and
	// returns nil when they are accepted, an error wrapping ErrAuth when not.
	// With nil creds it succeeds only when the device has no password set.
	// A device without a password may accept any credentials: callers that
	// must know whether a password is in force check Login(nil) too.
	Login(ctx context.Context, t Target, creds *Credentials) error
	// SetPassword replaces the device's password (current is nil when none is set).
	SetPassword(ctx context.Context, t Target, current *Credentials, next Credentials) error
	// CheckUpdate asks the device about its firmware.
	CheckUpdate(ctx context.Context, t Target, creds *Credentials) (UpdateInfo, error)
	// StartUpdate starts installing the available update; the device
	// reboots while it does. Follow it with CheckUpdate.
	StartUpdate(ctx context.Context, t Target, creds *Credentials) error
	// FactoryReset erases the device's settings and data. It is irreversible.
	FactoryReset(ctx context.Context, t Target, creds *Credentials) error
}

// Wait pauses for d, or until ctx ends (then it returns ctx.Err()): how a
// driver, or its caller, waits out a device's cooldown.
func Wait(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// FactoryOutcome is what a device did with a vendor-documented factory
// password that was tried on one of its interfaces.
type FactoryOutcome string

// The outcomes of one try.
const (
	// FactoryAccepted: the device accepted its factory password.
	FactoryAccepted FactoryOutcome = "accepted"
	// FactoryRefused: the device refused it.
	FactoryRefused FactoryOutcome = "refused"
	// FactoryNotInUse: the interface asks for no password at all (WLED's
	// update lock is switched off, say), so nothing was tried.
	FactoryNotInUse FactoryOutcome = "not in use"
)

// FactoryTester is a Driver that can try a vendor-documented factory
// password on one of a device's interfaces. Callers try only the catalog's
// defaults for the device's family, once each, on devices the person has
// marked as theirs and asked for it.
type FactoryTester interface {
	// CanTryFactory reports whether the driver can try the factory
	// password of iface (a catalog credential interface such as "ota").
	CanTryFactory(iface string) bool
	// TryFactory sends password once to iface and says what the device
	// did with it. The device is left as it was found. held is the
	// password Porchlight holds for the device (nil: none), used only to
	// reach the interface. An error with FactoryAccepted means the device
	// accepted the password but could not be put back as it was; the error
	// says what the person should check.
	TryFactory(ctx context.Context, t Target, iface, password string, held *Credentials) (FactoryOutcome, error)
}

var (
	mu       sync.RWMutex
	registry = map[string]Driver{}
)

// Register makes d available through For. It panics if the family has
// one already (a programming error).
func Register(d Driver) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[d.Family()]; dup {
		panic("driver: two drivers for " + d.Family())
	}
	registry[d.Family()] = d
}

// For returns the driver for a family, if there is one.
func For(family string) (Driver, bool) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := registry[family]
	return d, ok
}

// Families lists the families that have a driver, sorted.
func Families() []string {
	mu.RLock()
	defer mu.RUnlock()
	fs := make([]string, 0, len(registry))
	for f := range registry {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	return fs
}
