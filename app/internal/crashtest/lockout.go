package crashtest

import (
	"context"
	"errors"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/driver"
)

// ErrLockedOut: the device accepts none of the passwords Porchlight holds.
var ErrLockedOut = errors.New("locked out: the device accepts no password Porchlight holds")

// NotLockedOut checks the promise never to lock a person out: the device
// at tgt has no password, or accepts the secret v holds for one of
// accounts. Otherwise it returns ErrLockedOut.
func NotLockedOut(ctx context.Context, d driver.Driver, tgt driver.Target, v vault.Store, accounts ...string) error {
	if d.Login(ctx, tgt, nil) == nil {
		return nil
	}
	for _, acct := range accounts {
		if pw, err := v.Get(ctx, acct); err == nil && d.Login(ctx, tgt, &driver.Credentials{Password: pw}) == nil {
			return nil
		}
	}
	return ErrLockedOut
}
