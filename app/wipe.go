package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/porchlight/porchlight/app/wipe"
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
// the core's language. Devices are found as for every other action:
// claimed only, and only where they prove the identity pinned when they
// were claimed.
func (c *Core) Wiper() *wipe.Wiper {
	return &wipe.Wiper{
		Dir:       c.env.Dir,
		Journal:   c.Journal,
		Inventory: c.Inventory,
		Vault:     c.Vault,
		Locate: func(ctx context.Context, id string) (driver.Driver, driver.Target, error) {
			d, t, err := c.target(ctx, id)
			var idErr *IdentityError
			switch {
			case errors.As(err, &idErr):
				return nil, driver.Target{}, fmt.Errorf("%w: %w", wipe.ErrIdentity, err)
			case errors.Is(err, driver.ErrUnreachable):
				d, t = c.lastSeen(id)
			}
			return d, t, err
		},
		Credentials: c.credentials,
		Lang:        c.lang,
	}
}

// PlanWipe says what a privacy wipe of the devices with ids (every claimed
// device when none) would do, in the core's language (see wipe.Wiper.Plan).
func (c *Core) PlanWipe(ctx context.Context, ids []string) (*WipePlan, error) {
	return c.Wiper().Plan(ctx, ids)
}

// ExecuteWipe wipes the devices of a plan the person confirmed (see
// wipe.Wiper.Execute).
func (c *Core) ExecuteWipe(ctx context.Context, p *WipePlan, conf WipeConfirmation, opts WipeOptions) (*WipeReceipt, error) {
	return c.Wiper().Execute(ctx, p, conf, opts)
}

// UnfinishedWipe returns the interrupted wipe, nil when there is none: show
// it at start and offer to continue it with ResumeWipe.
func (c *Core) UnfinishedWipe() (*UnfinishedWipe, error) {
	return c.Wiper().Unfinished()
}

// ResumeWipe finishes the interrupted wipe (see wipe.Wiper.Resume).
func (c *Core) ResumeWipe(ctx context.Context, opts WipeOptions) (*WipeReceipt, error) {
	return c.Wiper().Resume(ctx, opts)
}
