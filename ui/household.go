package ui

import (
	"context"

	"github.com/porchlight/porchlight/app"
)

// Household is what the screens need from Porchlight's core, put together
// from what each screen declares it uses: deviceHousehold (device.go),
// dashboardHousehold, setupHousehold, wipeHousehold and settingsHousehold.
// *app.Core is the real one (on the network, or the demo household in the
// process); tests use fakes that embed it and change what they test.
type Household interface {
	dashboardHousehold
	setupHousehold
	wipeHousehold
	settingsHousehold
	// Watch reports new devices until ctx ends.
	Watch(ctx context.Context, onNew func(app.Device)) error
}

var _ Household = (*app.Core)(nil)
