package vault

import "github.com/zalando/go-keyring"

// backend is the part of go-keyring the vault uses; tests replace it with
// one that blocks, fails or panics on demand.
type backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// goKeyring is the real backend: the operating system's keyring through
// github.com/zalando/go-keyring. It is the only code in Porchlight that
// calls that library.
type goKeyring struct{}

func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

func (goKeyring) Get(service, user string) (string, error) {
	return keyring.Get(service, user)
}

func (goKeyring) Delete(service, user string) error {
	return keyring.Delete(service, user)
}
