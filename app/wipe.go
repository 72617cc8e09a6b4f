package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/porchlight/porchlight/app/wipe"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/driver"
)

// Privacy wipe types (see package wipe).
type (
	// WipePlan is what a wipe will do, device by device.
	WipePlan = wipe.Plan
	// WipeConfirmation is the person's one confirmation of a plan.
	WipeConfirmation = wipe.Confirmation
	// WipeOptions steer a wipe: waits, progress, manual steps.
	WipeOptions = wipe.Options
	// WipeEvent is one step of a wipe, for progress displays.
	WipeEvent = wipe.Event
	// WipeReceipt is what a wipe did.
	WipeReceipt = wipe.Receipt
	// UnfinishedWipe is an interrupted wipe.
	UnfinishedWipe = wipe.Unfinished
)

// Wiper returns the privacy wipe of the household's devices, with steps in
// lang. Devices are found as for every other action: claimed only, checked
// to be the same hardware, looked for with scanOpts when they moved.
func (h *Household) Wiper(scanOpts ScanOptions, lang string) *wipe.Wiper {
	return &wipe.Wiper{
		Dir:       filepath.Dir(h.Journal.Path()),
		Journal:   h.Journal,
		Inventory: h.Inventory,
		Vault:     h.Vault,
		Locate: func(ctx context.Context, id string) (driver.Driver, driver.Target, error) {
			d, t, err := h.target(ctx, id, scanOpts)
			switch {
			case errors.Is(err, ErrMoved):
				return nil, driver.Target{}, fmt.Errorf("%w: %w", wipe.ErrIdentity, err)
			case errors.Is(err, driver.ErrUnreachable):
				d, t = h.lastSeen(id)
			}
			return d, t, err
		},
		Credentials: h.credentials,
		Lang:        lang,
	}
}

// lastSeen returns the driver of the device with id and where it was last
// seen; a nil driver when either is unknown.
func (h *Household) lastSeen(id string) (driver.Driver, driver.Target) {
	inv, ok := h.Inventory.Get(id)
	d, known := driver.For(inv.Family)
	if !ok || !known || len(inv.Addresses) == 0 {
		return nil, driver.Target{}
	}
	return d, driver.Target{ID: id, Addr: discover.PreferredAddress(inv.Addresses), Port: webPort(Device{Services: inv.Services})}
}

// PlanWipe says what a privacy wipe of the devices with ids (every claimed
// device when none) would do, in the session's language (see wipe.Wiper.Plan).
func (s *Session) PlanWipe(ctx context.Context, ids []string) (*WipePlan, error) {
	return s.Wiper(ScanOptions{}, s.Lang).Plan(s.Context(ctx), ids)
}

// ExecuteWipe wipes the devices of a plan the person confirmed (see
// wipe.Wiper.Execute).
func (s *Session) ExecuteWipe(ctx context.Context, p *WipePlan, c WipeConfirmation, opts WipeOptions) (*WipeReceipt, error) {
	return s.Wiper(ScanOptions{}, s.Lang).Execute(s.Context(ctx), p, c, opts)
}

// UnfinishedWipe returns the interrupted wipe, nil when there is none: show
// it at start and offer to continue it with ResumeWipe.
func (s *Session) UnfinishedWipe() (*UnfinishedWipe, error) {
	return s.Wiper(ScanOptions{}, s.Lang).Unfinished()
}

// ResumeWipe finishes the interrupted wipe (see wipe.Wiper.Resume).
func (s *Session) ResumeWipe(ctx context.Context, opts WipeOptions) (*WipeReceipt, error) {
	return s.Wiper(ScanOptions{}, s.Lang).Resume(s.Context(ctx), opts)
}
