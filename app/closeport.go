package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/journal"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/igd"
	"github.com/porchlight/porchlight/devices/ssdp"
)

// KindClosePort is the journal's kind for removing one port mapping.
const KindClosePort = "close-port"

// The steps of closing a port, as the journal records them.
const (
	ClosePlanned  = "planned"
	CloseSent     = "sent"
	CloseVerified = "verified"
	CloseFailed   = "failed"
)

// Errors of ClosePort.
var (
	// ErrNoRouter: no remembered device is a router offering UPnP IGD.
	ErrNoRouter = errors.New("no router that offers UPnP is known (run 'porchlight scan')")
	// ErrNoSuchMapping: the router holds no mapping of that port.
	ErrNoSuchMapping = igd.ErrNoSuchMapping
)

// ClosedPort is what closing one port mapping did.
type ClosedPort struct {
	// Router is the router's ID.
	Router string `json:"router"`
	// Mapping is the mapping removed (as the router listed it).
	Mapping igd.Mapping `json:"mapping"`
	// Verified is set when the router, read again, no longer lists it.
	Verified bool `json:"verified"`
	// Remaining are the mappings the router lists afterwards.
	Remaining []igd.Mapping  `json:"remaining"`
	Evidence  []igd.Exchange `json:"evidence"`
}

// ClosePort removes exactly one port mapping from the household's router:
// the one of externalPort and protocol ("TCP" or "UDP"), as the router
// lists it now. It is journaled before it is sent, and checked after: the
// router is read again and must no longer list it. Nothing else on the
// router changes.
func (c *Core) ClosePort(ctx context.Context, externalPort int, protocol string, timeout time.Duration) (ClosedPort, error) {
	protocol = strings.ToUpper(protocol)
	i := slices.IndexFunc(c.Devices(), IsRouter)
	if i < 0 {
		return ClosedPort{}, ErrNoRouter
	}
	router := c.Devices()[i]
	s := router.Services[slices.IndexFunc(router.Services, ssdp.IsGateway)]
	addr := discover.PreferredAddress(router.Addresses)
	port, path, err := ssdp.DescriptionURL(s.TXT[ssdp.KeyLocation], addr)
	if err != nil {
		return ClosedPort{}, err
	}
	r := igd.Router{Addr: addr, Port: port, Path: path}
	n := c.env.Network.Dialer()
	res := ClosedPort{Router: router.ID, Remaining: []igd.Mapping{}, Evidence: []igd.Exchange{}}
	before, err := igd.Check(ctx, n, r, timeout)
	if err != nil {
		return res, fmt.Errorf("reading the router's port mappings: %w", err)
	}
	j := slices.IndexFunc(before.Mappings, func(m igd.Mapping) bool { return m.ExternalPort == externalPort && m.Protocol == protocol })
	if j < 0 {
		return res, fmt.Errorf("%w: port %d (%s)", ErrNoSuchMapping, externalPort, protocol)
	}
	res.Mapping = before.Mappings[j]
	action := actionID()
	detail := fmt.Sprintf("%s %d → %s:%d", protocol, externalPort, res.Mapping.InternalClient, res.Mapping.InternalPort)
	entry := func(state, more string) error {
		return c.Journal.Append(journal.Entry{Action: action, Kind: KindClosePort, Device: router.ID, State: state, Detail: strings.TrimSpace(detail + " " + more)})
	}
	if err := entry(ClosePlanned, ""); err != nil {
		return res, fmt.Errorf("writing the journal before changing the router: %w", err)
	}
	ex, derr := igd.Delete(ctx, n, r, res.Mapping, timeout)
	res.Evidence = append(res.Evidence, ex)
	if derr != nil {
		return res, errors.Join(fmt.Errorf("the router refused to remove it: %w", derr), entry(CloseFailed, derr.Error()))
	}
	if err := entry(CloseSent, ""); err != nil {
		return res, err
	}
	after, err := igd.Check(ctx, n, r, timeout)
	if err != nil || !after.Complete {
		return res, errors.Join(fmt.Errorf("reading the router again: %w", cmpErr(err, after.Error)), entry(CloseFailed, "not read again"))
	}
	res.Remaining = after.Mappings
	res.Verified = !slices.ContainsFunc(after.Mappings, func(m igd.Mapping) bool { return m.ExternalPort == externalPort && m.Protocol == protocol })
	if !res.Verified {
		return res, errors.Join(errors.New("the router still lists the mapping"), entry(CloseFailed, "still listed"))
	}
	return res, entry(CloseVerified, "")
}

func cmpErr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

// actionID is a fresh journal action id.
func actionID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%x", KindClosePort, b)
}
