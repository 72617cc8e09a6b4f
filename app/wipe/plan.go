package wipe

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/driver"
)

// Method is how a device is wiped.
type Method string

// The methods.
const (
	// Automatic: Porchlight factory-resets the device through its local API.
	Automatic Method = "automatic"
	// Manual: the person follows the vendor's steps, which Porchlight shows.
	Manual Method = "manual"
	// Blocked: the device is not wiped now; the plan says why.
	Blocked Method = "blocked"
)

// The pre-flight checks, as Check.What names them.
const (
	CheckYours     = "yours"
	CheckReachable = "reachable"
	CheckIdentity  = "identity"
	CheckPassword  = "password"
)

// Check is one pre-flight check of a device. What a failed check found is
// the plan's Reason; what a passed password check found is PasswordInForce.
type Check struct {
	// What names the check: CheckYours, CheckReachable, CheckIdentity or CheckPassword.
	What string `json:"what"`
	OK   bool   `json:"ok"`
	// Detail is the error's text when the check failed with one, for
	// details; "" otherwise.
	Detail string `json:"detail,omitempty"`
}

// CloudAccount is the vendor cloud account a device may be tied to. A
// factory reset does not delete it; the person does, with the steps given.
type CloudAccount struct {
	Service string `json:"service"`
	// URL is where the account is managed or deleted, when known.
	URL string `json:"url,omitempty"`
}

// DevicePlan is what a wipe does to one device.
type DevicePlan struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Room string `json:"room,omitempty"`
	// Family is the device's catalog family ("" when never identified).
	Family string `json:"family,omitempty"`
	// Product says what the device is, as a person would.
	Product string `json:"product,omitempty"`
	Method  Method `json:"method"`
	// Reason says why the device has manual steps or is blocked; Detail
	// is the error's text that came with it, if any, for details.
	Reason Reason  `json:"reason,omitempty"`
	Detail string  `json:"detail,omitempty"`
	Checks []Check `json:"checks,omitempty"`
	// PasswordInForce is set when the device asked for a password at the
	// pre-flight: its reset then shows as the password being gone. Without
	// one, Porchlight can only see the device restart.
	PasswordInForce bool `json:"password_in_force,omitempty"`
	// ResetSteps are the vendor's factory-reset steps in the plan's
	// language: what the person does for a manual device, and the way
	// round a blocked one.
	ResetSteps []string `json:"reset_steps,omitempty"`
	// CloudAccount is set when the device may be tied to a vendor cloud
	// account; CloudSteps say how to delete it.
	CloudAccount *CloudAccount `json:"cloud_account,omitempty"`
	CloudSteps   []string      `json:"cloud_steps,omitempty"`
	// KeyringEntries are the keyring accounts (names only) Porchlight
	// deletes, with its record of the device (name, room, addresses, what
	// was found), once the device's erase is verified.
	KeyringEntries []string `json:"keyring_entries"`
}

// Plan is what a wipe will do, device by device, for the person to confirm.
type Plan struct {
	// Action is the wipe's journal action.
	Action  string    `json:"action"`
	Created time.Time `json:"created"`
	// Lang is the language of the steps.
	Lang    string       `json:"lang"`
	Devices []DevicePlan `json:"devices"`
}

// Wiped returns the devices the wipe acts on: all but the blocked ones.
func (p *Plan) Wiped() []DevicePlan {
	var out []DevicePlan
	for _, d := range p.Devices {
		if d.Method != Blocked {
			out = append(out, d)
		}
	}
	return out
}

// Phrase is what the person types to confirm a wipe of more than one
// device, for example "wipe 3"; "" when the plan acts on one device or
// none, where one explicit yes is enough.
func (p *Plan) Phrase() string {
	if n := len(p.Wiped()); n > 1 {
		return "wipe " + strconv.Itoa(n)
	}
	return ""
}

// Confirmation is the person's confirmation of one plan, made by
// Plan.Confirm. Its zero value confirms nothing.
type Confirmation struct {
	digest [sha256.Size]byte
}

// Confirm returns the confirmation Execute needs. Call it only when the
// person said yes to the plan as shown. When the plan acts on more than one
// device, typed must be Phrase (case and spacing do not matter); for one
// device typed is ignored. It fails with ErrNothingToWipe when no device can
// be wiped and ErrWrongPhrase when typed does not match.
func (p *Plan) Confirm(typed string) (Confirmation, error) {
	if len(p.Wiped()) == 0 {
		return Confirmation{}, ErrNothingToWipe
	}
	if phrase := p.Phrase(); phrase != "" && !MatchPhrase(typed, phrase) {
		return Confirmation{}, fmt.Errorf("%w: type %q to wipe these %d devices", ErrWrongPhrase, phrase, len(p.Wiped()))
	}
	return Confirmation{digest: p.digest()}, nil
}

// MatchPhrase reports whether what the person typed is phrase, ignoring
// case and extra spaces ("  Wipe   3 " matches "wipe 3").
func MatchPhrase(typed, phrase string) bool {
	return phrase != "" && strings.Join(strings.Fields(strings.ToLower(typed)), " ") == phrase
}

// digest identifies the plan's action and what it does to which device.
func (p *Plan) digest() [sha256.Size]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n", p.Action)
	for _, d := range p.Devices {
		fmt.Fprintf(h, "%q %q %t\n", d.ID, d.Method, d.PasswordInForce)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// device returns the plan of the device with id.
func (p *Plan) device(id string) (DevicePlan, bool) {
	i := slices.IndexFunc(p.Devices, func(d DevicePlan) bool { return d.ID == id })
	if i < 0 {
		return DevicePlan{}, false
	}
	return p.Devices[i], true
}

// ErrNoSuchDevice: Plan was given an ID Porchlight does not know.
var ErrNoSuchDevice = errors.New("no such device")

// Plan says what a wipe of the devices with the given IDs would do, after
// a pre-flight of each automatic reset (see the package documentation); with
// no IDs, of every device the person claimed. It sends nothing that changes
// a device: it looks the devices up and logs in, read-only. A stale plan
// file of a finished wipe is removed. A damaged plan file is set aside, and
// Plan returns the plan together with a *PlanDamagedError: show both.
func (w *Wiper) Plan(ctx context.Context, ids []string) (*Plan, error) {
	cat, err := w.catalog()
	if err != nil {
		return nil, err
	}
	var records []inventory.Device
	if len(ids) == 0 {
		for _, d := range w.Inventory.Devices() {
			if d.Claimed {
				records = append(records, d)
			}
		}
	}
	for _, id := range ids {
		d, ok := w.Inventory.Get(id)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrNoSuchDevice, id)
		}
		if !slices.ContainsFunc(records, func(r inventory.Device) bool { return r.ID == id }) {
			records = append(records, d)
		}
	}
	notice, err := w.removeStalePlan()
	if err != nil {
		return nil, errors.Join(notice, err)
	}
	now := time.Now().UTC()
	p := &Plan{Action: "wipe-" + strconv.FormatInt(now.UnixNano(), 36), Created: now, Lang: w.lang()}
	for _, r := range records {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Devices = append(p.Devices, w.planDevice(ctx, cat, r))
	}
	return p, notice
}

func (w *Wiper) lang() string {
	if w.Lang == "" {
		return "en"
	}
	return w.Lang
}

// planDevice runs the pre-flight of one device.
func (w *Wiper) planDevice(ctx context.Context, cat *catalog.Catalog, r inventory.Device) DevicePlan {
	d := DevicePlan{ID: r.ID, Name: r.Name, Room: r.Room, KeyringEntries: slices.Clone(r.Secrets)}
	if d.KeyringEntries == nil {
		d.KeyringEntries = []string{}
	}
	if !r.Claimed {
		d.describe(cat, r, w.lang())
		d.Method, d.Reason = Blocked, ReasonNotYours
		d.Checks = []Check{{What: CheckYours}}
		return d
	}
	d.Checks = []Check{{What: CheckYours, OK: true}}
	if r.Family != "" && !autoReset(cat, r.Family, nil) {
		d.describe(cat, r, w.lang())
		d.Method, d.Reason = Manual, ReasonNoAutoReset
		return d
	}
	pf := w.preflight(ctx, cat, r.ID)
	if r2, ok := w.Inventory.Get(r.ID); ok {
		r = r2 // the pre-flight may have identified the device
	}
	d.describe(cat, r, w.lang())
	d.Checks = append(d.Checks, pf.checks...)
	d.Method, d.Reason, d.Detail, d.PasswordInForce = pf.method, pf.reason, pf.detail, pf.passwordInForce
	if d.Method == Manual {
		d.Reason = ReasonNoAutoReset
	}
	return d
}

// describe fills in what the device is and the vendor's steps.
func (d *DevicePlan) describe(cat *catalog.Catalog, r inventory.Device, lang string) {
	fam, ok := cat.Family(r.Family)
	if !ok {
		fam, _ = cat.Family(catalog.UnknownID)
	}
	d.Family = r.Family
	switch {
	case r.Vendor != "" && r.Model != "":
		d.Product = r.Vendor + " " + r.Model
	case fam.ID != catalog.UnknownID:
		d.Product = fam.Product
	default:
		d.Product = "device"
	}
	d.ResetSteps = fam.Steps(catalog.StepsReset, lang)
	if c := fam.CloudAccount; c != nil {
		d.CloudAccount = &CloudAccount{Service: c.Service, URL: c.URL}
		d.CloudSteps = fam.Steps(catalog.StepsCloudAccount, lang)
	}
}

// autoReset reports whether Porchlight resets devices of family itself:
// the catalog says so and, when one is given, the driver can.
func autoReset(cat *catalog.Catalog, family string, d driver.Driver) bool {
	fam, ok := cat.Family(family)
	if !ok || fam.Fixes.Reset != catalog.FixAuto {
		return false
	}
	return d == nil || d.Capabilities().Reset
}

// preflight is the outcome of the checks before an automatic reset.
type preflight struct {
	method Method
	reason Reason
	// detail is the error's text that came with reason, if any.
	detail string
	checks []Check
	// What the reset needs, when method is Automatic.
	drv             driver.Driver
	target          driver.Target
	creds           *driver.Credentials
	passwordInForce bool
}

// planPatience bounds how long the pre-flight waits for a device that asks
// to wait before the next login (WLED's three-second cooldown).
const planPatience = 10 * time.Second

// preflight checks that a claimed device can be reset automatically now:
// it answers, it is the same hardware, and it takes the password Porchlight
// holds (or asks for none). It never changes the device.
func (w *Wiper) preflight(ctx context.Context, cat *catalog.Catalog, id string) preflight {
	var pf preflight
	// block ends the pre-flight at the check what, which failed for
	// reason, with err's text as the detail when there is one.
	block := func(reason Reason, what string, err error) preflight {
		pf.method, pf.reason = Blocked, reason
		c := Check{What: what}
		if err != nil {
			pf.detail, c.Detail = err.Error(), err.Error()
		}
		pf.checks = append(pf.checks, c)
		return pf
	}
	drv, t, err := w.Locate(ctx, id)
	switch {
	case errors.Is(err, driver.ErrUnsupported):
		pf.method = Manual
		return pf
	case errors.Is(err, ErrIdentity):
		pf.checks = append(pf.checks, Check{What: CheckReachable, OK: true}) // something answers at its address
		return block(ReasonOtherDevice, CheckIdentity, nil)
	case errors.Is(err, driver.ErrUnreachable):
		return block(ReasonUnreachable, CheckReachable, err)
	case err != nil:
		return block(ReasonCheckFailed, CheckReachable, err)
	}
	pf.checks = append(pf.checks, Check{What: CheckReachable, OK: true}, Check{What: CheckIdentity, OK: true})
	if !autoReset(cat, drv.Family(), drv) {
		pf.method = Manual
		return pf
	}
	creds, err := w.Credentials(ctx, id)
	if err != nil {
		return block(ReasonKeyring, CheckPassword, err)
	}
	patient := func(c *driver.Credentials) error {
		return patiently(ctx, planPatience, planPatience/20, func() error { return drv.Login(ctx, t, c) })
	}
	switch err := patient(nil); {
	case err == nil:
		// No password: Porchlight confirms the reset by seeing it restart.
		pf.checks = append(pf.checks, Check{What: CheckPassword, OK: true})
	case errors.Is(err, driver.ErrAuth) && creds == nil:
		return block(ReasonNoPassword, CheckPassword, nil)
	case errors.Is(err, driver.ErrAuth):
		if err := patient(creds); err != nil {
			return block(ReasonPasswordRefused, CheckPassword, err)
		}
		pf.passwordInForce = true
		pf.checks = append(pf.checks, Check{What: CheckPassword, OK: true})
	default:
		return block(ReasonLoginFailed, CheckPassword, err)
	}
	pf.method, pf.drv, pf.target, pf.creds = Automatic, drv, t, creds
	return pf
}

// patiently calls op again while the device asks to wait (it is rate
// limited), every poll, for up to wait.
func patiently(ctx context.Context, wait, poll time.Duration, op func() error) error {
	deadline := time.Now().Add(wait)
	for {
		err := op()
		if !errors.Is(err, driver.ErrRateLimited) || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(poll):
		}
	}
}
