// Package password changes device passwords without ever locking a person
// out. A change is two-phase: the new password is stored in the keyring as
// pending before it is sent, verified by logging in with it afresh, and only
// then committed; any failure or crash leaves a state from which the device
// is reachable with a password Porchlight still holds, and the next run
// finishes the change or rolls it back (see Recover).
package password

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/porchlight/porchlight/app/inventory"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
)

// Purposes of a device's keyring entries.
const (
	// PurposeAdmin holds the password the device has.
	PurposeAdmin = "admin"
	// PurposePending holds a new password while it is being applied.
	PurposePending = "admin-pending"
)

// Phase names a point of a change, after which a crash may happen.
type Phase string

// The phases of a change, in order.
const (
	PhasePendingStored Phase = "pending stored"
	PhaseSent          Phase = "sent"
	PhaseVerified      Phase = "verified"
	PhaseCommitted     Phase = "committed"
)

// Rotator changes device passwords.
type Rotator struct {
	Vault     vault.Store
	Inventory *inventory.Store
	// crashAt, in tests, stops a change right after a phase, as a crash would.
	crashAt Phase
	// now and wait replace the clock in tests (time.Now and driver.Wait
	// when nil).
	now  func() time.Time
	wait func(context.Context, time.Duration) error
}

// errCrash stands in for a crash in tests.
var errCrash = errors.New("simulated crash")

// Outcome is what Recover found and did.
type Outcome string

// Outcomes of Recover.
const (
	// Nothing: no change was under way.
	Nothing Outcome = "nothing to recover"
	// Finished: the device had the new password; it is now committed.
	Finished Outcome = "finished"
	// RolledBack: the device still had its old password; the new one was dropped.
	RolledBack Outcome = "rolled back"
)

// ErrUnresolved: a change was under way and the device accepted neither
// password (or did not answer); both are kept for the next try.
var ErrUnresolved = errors.New("the device accepted neither the old nor the new password; Porchlight keeps both and will try again")

// ErrUnknownPassword: the device has a password Porchlight does not hold.
var ErrUnknownPassword = errors.New("the device has a password Porchlight does not know; reset the device or set its password in its own app first")

// accounts returns the keyring accounts of a device.
func accounts(id string) (current, pending string, err error) {
	if current, err = vault.Account(id, PurposeAdmin); err != nil {
		return "", "", err
	}
	pending, err = vault.Account(id, PurposePending)
	return current, pending, err
}

// Rotate gives the device t a new password: next, or a generated one when
// next is empty. It first finishes or rolls back any change left by a
// crash. It returns the password now in force (never print it).
func (r *Rotator) Rotate(ctx context.Context, d driver.Driver, t driver.Target, next string) (string, error) {
	if !d.Capabilities().Password {
		return "", fmt.Errorf("changing the password of a %s: %w", d.Family(), driver.ErrUnsupported)
	}
	curAcct, pendAcct, err := accounts(t.ID)
	if err != nil {
		return "", err
	}
	if _, err := r.Recover(ctx, d, t); err != nil {
		return "", err
	}
	current, err := r.held(ctx, curAcct)
	if err != nil {
		return "", err
	}
	if err := r.login(ctx, d, t, current); err != nil {
		if errors.Is(err, driver.ErrAuth) {
			return "", ErrUnknownPassword
		}
		return "", fmt.Errorf("checking the current password: %w", err)
	}
	if next == "" {
		if next, err = Generate(d.PasswordRules()); err != nil {
			return "", err
		}
	} else if err := Check(next, d.PasswordRules()); err != nil {
		return "", err
	}
	if err := r.index(t.ID, curAcct, pendAcct); err != nil {
		return "", err
	}
	if err := r.Vault.Set(ctx, pendAcct, next); err != nil {
		return "", fmt.Errorf("keeping the new password before sending it: %w", err)
	}
	if err := r.reached(PhasePendingStored); err != nil {
		return "", err
	}
	creds := driver.Credentials{Password: next}
	// A device that asks to wait refused the change, so trying again is safe.
	if err := r.patiently(ctx, func() error { return d.SetPassword(ctx, t, current, creds) }); err != nil {
		if errors.Is(err, driver.ErrAuth) || errors.Is(err, driver.ErrRefused) || errors.Is(err, driver.ErrRateLimited) {
			// The device said no: nothing changed on it.
			_ = r.Vault.Delete(ctx, pendAcct)
			return "", fmt.Errorf("the device refused the new password: %w", err)
		}
		return "", fmt.Errorf("sending the new password (Porchlight keeps both passwords and will check the device next time): %w", err)
	}
	if err := r.reached(PhaseSent); err != nil {
		return "", err
	}
	if err := r.inForce(ctx, d, t, &creds); err != nil {
		return "", fmt.Errorf("the device did not confirm the new password (Porchlight keeps both and will check it next time): %w", err)
	}
	if err := r.reached(PhaseVerified); err != nil {
		return "", err
	}
	if err := r.commit(ctx, curAcct, pendAcct, next); err != nil {
		return "", err
	}
	if err := r.reached(PhaseCommitted); err != nil {
		return "", err
	}
	return next, nil
}

// Recover finishes or rolls back a change a crash interrupted: when the
// device accepts the pending password it is committed; when it accepts the
// old one (or none, if it had none) the pending one is dropped. When it
// accepts neither or does not answer, both stay and ErrUnresolved is returned.
func (r *Rotator) Recover(ctx context.Context, d driver.Driver, t driver.Target) (Outcome, error) {
	curAcct, pendAcct, err := accounts(t.ID)
	if err != nil {
		return Nothing, err
	}
	pending, err := r.Vault.Get(ctx, pendAcct)
	if errors.Is(err, vault.ErrNotFound) {
		return Nothing, nil
	}
	if err != nil {
		return Nothing, fmt.Errorf("reading the pending password: %w", err)
	}
	perr := r.inForce(ctx, d, t, &driver.Credentials{Password: pending})
	if perr == nil {
		return Finished, r.commit(ctx, curAcct, pendAcct, pending)
	}
	current, err := r.held(ctx, curAcct)
	if err != nil {
		return Nothing, err
	}
	if current == nil {
		err = r.login(ctx, d, t, nil)
	} else {
		err = r.inForce(ctx, d, t, current)
	}
	if err == nil {
		if err := r.Vault.Delete(ctx, pendAcct); err != nil {
			return Nothing, fmt.Errorf("dropping the unused password: %w", err)
		}
		return RolledBack, nil
	}
	return Nothing, fmt.Errorf("%w (%v; %v)", ErrUnresolved, perr, err)
}

// inForce checks that creds are the device's password: they are accepted
// and logging in without a password is not.
func (r *Rotator) inForce(ctx context.Context, d driver.Driver, t driver.Target, creds *driver.Credentials) error {
	if err := r.login(ctx, d, t, creds); err != nil {
		return err
	}
	if err := r.login(ctx, d, t, nil); err == nil {
		return fmt.Errorf("%w: the device accepts logging in without any password", driver.ErrAuth)
	} else if !errors.Is(err, driver.ErrAuth) {
		return err
	}
	return nil
}

// rateLimitWait is how long a step of a change keeps trying a device that
// asks to wait (WLED refuses PIN attempts for three seconds after a change
// or an attempt), and rateLimitRetry how long it waits between tries.
const (
	rateLimitWait  = 5 * time.Second
	rateLimitRetry = 500 * time.Millisecond
)

// patiently runs op, waiting and trying again for up to rateLimitWait while
// the device asks to wait (driver.ErrRateLimited). Every login and password
// change of a rotation goes through it: one step often follows another, or
// an earlier change, within a device's cooldown.
func (r *Rotator) patiently(ctx context.Context, op func() error) error {
	now, wait := r.now, r.wait
	if now == nil {
		now = time.Now
	}
	if wait == nil {
		wait = driver.Wait
	}
	deadline := now().Add(rateLimitWait)
	for {
		err := op()
		if !errors.Is(err, driver.ErrRateLimited) || now().After(deadline) {
			return err
		}
		if werr := wait(ctx, rateLimitRetry); werr != nil {
			return fmt.Errorf("waiting out the device's cooldown: %w", werr)
		}
	}
}

// login logs in with creds, waiting out the device's cooldown.
func (r *Rotator) login(ctx context.Context, d driver.Driver, t driver.Target, creds *driver.Credentials) error {
	return r.patiently(ctx, func() error { return d.Login(ctx, t, creds) })
}

// held returns the password Porchlight holds for account, nil when none.
func (r *Rotator) held(ctx context.Context, account string) (*driver.Credentials, error) {
	pw, err := r.Vault.Get(ctx, account)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the password Porchlight keeps: %w", err)
	}
	return &driver.Credentials{Password: pw}, nil
}

// commit makes next the password Porchlight holds and drops the pending copy.
func (r *Rotator) commit(ctx context.Context, curAcct, pendAcct, next string) error {
	if err := r.Vault.Set(ctx, curAcct, next); err != nil {
		return fmt.Errorf("keeping the new password (the device already has it; Porchlight keeps it as pending): %w", err)
	}
	if err := r.Vault.Delete(ctx, pendAcct); err != nil && !errors.Is(err, vault.ErrNotFound) {
		return fmt.Errorf("dropping the pending copy: %w", err)
	}
	return nil
}

// index records the device's keyring accounts in the inventory (names only),
// before anything is stored, so that deleting everything later finds them.
func (r *Rotator) index(id string, accts ...string) error {
	if r.Inventory == nil {
		return nil
	}
	return r.Inventory.Update(id, func(d *inventory.Device) {
		for _, a := range accts {
			if !slices.Contains(d.Secrets, a) {
				d.Secrets = append(d.Secrets, a)
			}
		}
	})
}

func (r *Rotator) reached(p Phase) error {
	if r.crashAt == p {
		return fmt.Errorf("%w after %s", errCrash, p)
	}
	return nil
}
