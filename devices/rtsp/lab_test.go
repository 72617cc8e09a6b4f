//go:build linux

package rtsp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/simtest"
)

// TestLabCameras asks the lab's two cameras over real TCP (inside the
// isolated namespace): the one without a password streams to anyone, the
// other answers DESCRIBE with 401; OPTIONS is answered by both.
func TestLabCameras(t *testing.T) {
	simtest.Lab(t, sim.Config{Profile: sim.ProfileHome})
	for _, cam := range sim.Cameras(sim.ProfileHome) {
		rep := Check(context.Background(), nil, cam.Addr, sim.RTSPPort, "/", 2*time.Second)
		t.Logf("%s: %+v", cam.Name, rep)
		if rep.Error != "" || rep.Options != 200 || len(rep.Evidence) != 2 {
			t.Errorf("%s: %+v", cam.Name, rep)
		}
		if rep.Open == cam.Auth || rep.AuthRequired != cam.Auth {
			t.Errorf("%s (password %v): open %v, asks for a password %v", cam.Name, cam.Auth, rep.Open, rep.AuthRequired)
		}
		if cam.Auth && !strings.Contains(rep.Evidence[1], "asks for a password (Digest)") {
			t.Errorf("%s: evidence %q", cam.Name, rep.Evidence)
		}
	}
	// A device that is no camera: nothing listens on 554.
	if rep := Check(context.Background(), nil, sim.RouterAddr, DefaultPort, "/", time.Second); rep.Error == "" || rep.Open {
		t.Errorf("the router: %+v", rep)
	}
}
