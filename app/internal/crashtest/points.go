//go:build unix

package crashtest

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/devhttp"
)

// Points counts the points at which a child process may be killed (see
// Vault and Dialer) and kills it at the chosen one. It is safe for
// concurrent use.
type Points struct {
	at  int
	log io.Writer
	mu  sync.Mutex
	n   int
}

// NewPoints returns Points that kill the process at the at-th point (never
// when at is 0), first writing which point it is to log.
func NewPoints(at int, log io.Writer) *Points { return &Points{at: at, log: log} }

// Reach counts a point, what says where it is; at the chosen one, the
// process is killed.
func (p *Points) Reach(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.n == p.at {
		fmt.Fprintf(p.log, "crash point %d: %s\n", p.n, what)
		Kill()
	}
}

// Count returns how many points were reached.
func (p *Points) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// Vault returns s with a point before and after every write (Set, Delete).
func Vault(s vault.Store, p *Points) vault.Store { return &pointVault{Store: s, p: p} }

type pointVault struct {
	vault.Store
	p *Points
}

func (v *pointVault) Set(ctx context.Context, account, secret string) error {
	v.p.Reach("keyring: about to store " + account)
	err := v.Store.Set(ctx, account, secret)
	v.p.Reach("keyring: stored " + account)
	return err
}

func (v *pointVault) Delete(ctx context.Context, account string) error {
	v.p.Reach("keyring: about to delete " + account)
	err := v.Store.Delete(ctx, account)
	v.p.Reach("keyring: deleted " + account)
	return err
}

// Dialer returns a network that connects directly, with a point before each
// connection and one when the device's answer starts to arrive: the device
// has taken the request, and the process has not read its answer.
func Dialer(p *Points) devhttp.Network { return pointDialer{p: p} }

type pointDialer struct{ p *Points }

func (d pointDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.p.Reach("HTTP: connecting to " + address)
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return &pointConn{Conn: c, p: d.p, address: address}, nil
}

// pointConn reaches a point at the first answer bytes.
type pointConn struct {
	net.Conn
	p        *Points
	address  string
	answered bool
}

func (c *pointConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && !c.answered {
		c.answered = true
		c.p.Reach("HTTP: the answer from " + c.address + " is arriving")
	}
	return n, err
}
