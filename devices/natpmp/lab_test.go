//go:build linux

package natpmp

import (
	"context"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestLabRouter asks the lab's router over a real UDP socket (inside the
// isolated namespace); a device that is no router stays silent.
func TestLabRouter(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	a, err := ExternalAddress(context.Background(), nil, sim.RouterAddr, time.Second)
	if err != nil || a.Result != 0 || a.External.String() != "203.0.113.77" {
		t.Errorf("router: %+v %v", a, err)
	}
	if _, err := ExternalAddress(context.Background(), nil, lab.Devices()[0].Addr, 300*time.Millisecond); err == nil {
		t.Errorf("a device that is no router answered NAT-PMP")
	}
}

// TestLabRouterPCP asks the lab's router over PCP (a real UDP socket,
// inside the isolated namespace): it speaks PCP, as a FRITZ!Box does; a
// device that is no router stays silent.
func TestLabRouterPCP(t *testing.T) {
	lab := simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	a, err := Announce(context.Background(), nil, sim.RouterAddr, time.Second)
	if err != nil || !a.SpeaksPCP() || a.Result != PCPSuccess || a.Epoch == 0 {
		t.Errorf("router: %+v %v", a, err)
	}
	if _, err := Announce(context.Background(), nil, lab.Devices()[0].Addr, 300*time.Millisecond); err == nil {
		t.Errorf("a device that is no router answered PCP")
	}
}
