package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/porchlight/porchlight/app/events"
	"github.com/porchlight/porchlight/app/password"
	"github.com/porchlight/porchlight/app/report"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
)

// ErrNoPassword: Porchlight keeps no password for the device.
var ErrNoPassword = errors.New("no password is kept for this device")

// ErrNoKeyring: an action that gives a device a secret needs the OS
// keyring, and it does not work; nothing was sent or changed.
var ErrNoKeyring = errors.New("passwords cannot be kept on this computer, so Porchlight changed nothing")

// needKeyring returns an error wrapping ErrNoKeyring, with what is wrong
// and what to do, when the keyring does not work.
func (c *Core) needKeyring(ctx context.Context) error {
	if st := vault.Probe(ctx, c.Vault); !st.Available {
		return fmt.Errorf("%w: %s %s", ErrNoKeyring, st.Problem, st.Fix)
	}
	return nil
}

// KeepsPassword reports whether Porchlight keeps a password for the device
// with id (from its index of keyring entries: the keyring is not asked).
func (c *Core) KeepsPassword(id string) bool {
	r, ok := c.Record(id)
	acct, err := vault.Account(id, password.PurposeAdmin)
	return ok && err == nil && slices.Contains(r.Secrets, acct)
}

// Password returns the password Porchlight keeps for the device with id, for
// the person to copy; ErrNoPassword when it keeps none.
func (c *Core) Password(ctx context.Context, id string) (string, error) {
	acct, err := vault.Account(id, password.PurposeAdmin)
	if err != nil {
		return "", err
	}
	pw, err := c.Vault.Get(ctx, acct)
	if errors.Is(err, vault.ErrNotFound) {
		return "", ErrNoPassword
	}
	return pw, err
}

// Capabilities says what Porchlight can do itself on a device (see driver.Capabilities).
type Capabilities = driver.Capabilities

// Capabilities returns what Porchlight can do itself on the device with id,
// as its identified family's driver says; nothing when it has none, and
// nothing but ProofLost once Porchlight keeps a password for a device that
// proves its identity only to a request carrying it.
func (c *Core) Capabilities(id string) Capabilities {
	r, ok := c.Record(id)
	if !ok {
		return Capabilities{}
	}
	d, ok := driver.For(r.Family)
	if !ok {
		return Capabilities{}
	}
	caps := d.Capabilities()
	if caps.ProofNeedsPassword && c.KeepsPassword(id) {
		// Identity before secrets: the device would prove who it is only to
		// a request that already carries its password.
		return Capabilities{ProofLost: true}
	}
	return caps
}

// ClearText reports whether the passwords Porchlight sends the device with
// id travel unencrypted: it acts on it, and the device proved no TLS key
// when it was claimed (it offers only plain HTTP).
func (c *Core) ClearText(id string) bool {
	r, ok := c.Record(id)
	if !ok {
		return false
	}
	_, acts := driver.For(r.Family)
	return acts && r.Pinned.TLSKey == ""
}

// AdminURL is the address of the device's own web page, "" when it has none
// or when its address is not on the home network (private, link-local or
// loopback): a device cannot send the person to the internet from here.
func (c *Core) AdminURL(id string) string {
	r, ok := c.Record(id)
	if !ok {
		return ""
	}
	addr := discover.PreferredAddress(r.Addresses)
	if !addr.IsValid() || devhttp.CheckLocal(addr) != nil {
		return ""
	}
	port := 0
	for _, svc := range r.Services {
		if svc.Type == "_http._tcp" {
			port = svc.Port
		}
	}
	if port <= 0 || port > 65535 {
		return ""
	}
	host := addr.String()
	switch {
	case port != 80:
		host = net.JoinHostPort(host, strconv.Itoa(port))
	case addr.Is6():
		host = "[" + host + "]"
	}
	return (&url.URL{Scheme: "http", Host: host, Path: "/"}).String()
}

// WriteReport writes a checkup as HTML, PDF or JSON ("html", "pdf",
// "json"), in the core's language.
func (c *Core) WriteReport(w io.Writer, res Checkup, format string) error {
	switch format {
	case "json":
		return report.WriteJSON(w, res, c.lang)
	case "pdf":
		return report.WritePDF(w, res, c.lang)
	}
	return report.WriteHTML(w, res, c.lang)
}

// Setup returns the guided setup's saved progress.
func (c *Core) Setup() (setup.State, error) { return setup.Load(c.env.Dir) }

// SaveSetup saves the guided setup's progress.
func (c *Core) SaveSetup(st setup.State) error { return setup.Save(c.env.Dir, st) }

// DeleteAllData removes everything Porchlight keeps: the passwords in the
// keyring, the device list, the setup progress, an unfinished wipe's plan,
// what the watcher noticed and, last, the journal. Receipts the person saved are theirs and stay. It
// returns what it removed: keyring entries as "keyring: ACCOUNT", files by path.
func (c *Core) DeleteAllData(ctx context.Context) ([]string, error) {
	var removed []string
	res, err := c.Forget(ctx, nil, true)
	for _, a := range res.KeyringEntries {
		removed = append(removed, "keyring: "+a)
	}
	if err != nil {
		return removed, err
	}
	removed = append(removed, c.Inventory.Path())
	for _, f := range []string{setup.FileName, wipe.PlanFile, events.FileName} {
		p := filepath.Join(c.env.Dir, f)
		if rerr := os.Remove(p); rerr == nil {
			removed = append(removed, p)
		} else if !errors.Is(rerr, os.ErrNotExist) {
			return removed, fmt.Errorf("removing %s: %w", p, rerr)
		}
	}
	if err := c.Journal.Delete(); err != nil {
		return removed, err
	}
	return append(removed, c.Journal.Path()), nil
}
