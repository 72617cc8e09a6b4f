package wled

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// OTAInterface is the catalog's name for WLED's OTA lock, the only WLED
// interface with a documented factory password (its passphrase).
const OTAInterface = "ota"

// otaLockBox is the security form's "Enable OTA lock" checkbox.
// Source: set.cpp SUBPAGE_SEC (otaLock = request->hasArg("NO")).
const otaLockBox = "NO"

// passphraseField is the security form's OTA passphrase field.
// Source: set.cpp SUBPAGE_SEC ("OP": unlocks when it matches while the lock
// is on; sets a new passphrase while the lock is off).
const passphraseField = "OP"

// retryCooldown is how long WLED ignores a passphrase, even the right
// one, after a settings save or PIN attempt, plus a margin.
// Source: set.cpp SUBPAGE_SEC ("brute force protection: do not unlock even
// if correct if last save was less than 3 seconds ago", PIN_RETRY_COOLDOWN
// 3000 ms in const.h).
const retryCooldown = 3*time.Second + 300*time.Millisecond

// CanTryFactory: only the OTA lock's passphrase can be tried over the home
// network; the access point's password belongs to WLED's own setup network.
func (Driver) CanTryFactory(iface string) bool { return iface == OTAInterface }

// TryFactory tries password as the OTA lock's passphrase. WLED has no
// read-only way to check it: the security form is the only door. So the
// try sends the passphrase with the lock's box unticked and every other
// ticked box as it is; a right passphrase opens the lock, a wrong one
// changes nothing. The security page then shows which happened, and an
// opened lock is closed again at once with the same passphrase, so the
// device ends as it was found. A settings PIN in the way is opened with
// held and locked again afterwards. A try takes a little over three
// seconds: WLED's cooldown is waited out first.
//
// With the lock switched off there is no passphrase in force:
// FactoryNotInUse, nothing sent.
func (Driver) TryFactory(ctx context.Context, t driver.Target, iface, password string, held *driver.Credentials) (driver.FactoryOutcome, error) {
	if iface != OTAInterface {
		return "", fmt.Errorf("%w: WLED's %s password cannot be tried over the home network", driver.ErrUnsupported, iface)
	}
	c := exchange.New(t, pin(held), password)
	if err := relock(ctx, c); err != nil {
		return "", err
	}
	locked, js, err := probe(ctx, c)
	if err != nil {
		return "", err
	}
	if locked {
		if js, err = unlockSettings(ctx, c, held); err != nil {
			return "", err
		}
	}
	outcome, err := driver.FactoryNotInUse, error(nil)
	if boxes := checkedBoxes(js); slices.Contains(boxes, otaLockBox) {
		outcome, err = tryPassphrase(ctx, c, boxes, password)
	}
	if rerr := relock(context.WithoutCancel(ctx), c); rerr != nil && err == nil && outcome != driver.FactoryAccepted {
		err = rerr
	}
	return outcome, err
}

// tryPassphrase sends the passphrase once to a device whose lock is on,
// reads whether the lock opened and, if it did, closes it again. boxes are
// the ticked checkboxes before.
func tryPassphrase(ctx context.Context, c *exchange.Conn, boxes []string, password string) (driver.FactoryOutcome, error) {
	// WLED ignores even the right passphrase for three seconds after a
	// settings save, a PIN attempt (the unlock, say) or a restart, and
	// answers exactly as to a wrong one: wait, or a refusal would mean
	// nothing.
	if err := driver.Wait(ctx, retryCooldown); err != nil {
		return "", err
	}
	try := url.Values{passphraseField: {password}}
	for _, b := range boxes {
		if b != otaLockBox {
			try.Set(b, "on")
		}
	}
	if err := postSecurity(ctx, c, try); err != nil {
		return "", err
	}
	open, err := otaUnlocked(ctx, c)
	if err != nil {
		return "", fmt.Errorf("could not read whether the update lock opened; open the device's Security & Updates page and check that \"Enable OTA lock\" is ticked: %w", err)
	}
	if !open {
		return driver.FactoryRefused, nil
	}
	// The lock is open: the passphrase field now sets the passphrase, so
	// sending the same one with every box as it was restores the device.
	restore := url.Values{passphraseField: {password}}
	for _, b := range boxes {
		restore.Set(b, "on")
	}
	err = postSecurity(context.WithoutCancel(ctx), c, restore)
	if err == nil {
		if open, err = otaUnlocked(context.WithoutCancel(ctx), c); err == nil && open {
			err = c.Errorf(driver.ErrRefused, "the device saved the security settings but its update lock stayed off")
		}
	}
	if err != nil {
		return driver.FactoryAccepted, fmt.Errorf("the update lock accepted the factory passphrase and could not be switched on again; open the device's Security & Updates page, tick \"Enable OTA lock\" and save: %w", err)
	}
	return driver.FactoryAccepted, nil
}

// otaUnlocked reads the security page and reports whether the OTA lock is off.
func otaUnlocked(ctx context.Context, c *exchange.Conn) (bool, error) {
	locked, js, err := probe(ctx, c)
	if err != nil {
		return false, err
	}
	if locked {
		return false, c.Errorf(driver.ErrAuth, "the settings locked themselves while the update lock was tried")
	}
	return !slices.Contains(checkedBoxes(js), otaLockBox), nil
}
