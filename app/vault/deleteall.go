package vault

import (
	"context"
	"errors"
)

// DeleteAll deletes the secret of every listed account from s, in order,
// skipping repeats. An account with no secret counts as already deleted.
// deleted lists, in input order, the accounts that had a secret and no
// longer have one: an account that was already absent is not listed, so a
// receipt built from deleted says only what really happened.
//
// An invalid account is reported and the others are still deleted. An
// unavailable keyring or an ended ctx stops the loop at once, because
// every later delete would fail the same way; deleted then holds what was
// done before. All errors are joined into err.
func DeleteAll(ctx context.Context, s Store, accounts []string) (deleted []string, err error) {
	var errs []error
	seen := make(map[string]bool, len(accounts))
	for _, account := range accounts {
		if seen[account] {
			continue
		}
		seen[account] = true
		switch err := s.Delete(ctx, account); {
		case err == nil:
			deleted = append(deleted, account)
		case errors.Is(err, ErrNotFound):
		case errors.Is(err, ErrInvalidAccount):
			errs = append(errs, err)
		default:
			return deleted, errors.Join(append(errs, err)...)
		}
	}
	return deleted, errors.Join(errs...)
}
