//go:build linux

package rtsp

import (
	"context"
	"io"
	"net"
	"net/netip"
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

// TestHostileServers: a server that never answers, one that sends header
// lines without end and one that announces a huge body each end the check
// with an error and nothing found open (over real TCP, inside the
// isolated namespace).
func TestHostileServers(t *testing.T) {
	tests := []struct {
		name  string
		serve func(net.Conn)
		want  string
	}{
		{"silent", func(c net.Conn) { _, _ = io.Copy(io.Discard, c) }, "timeout"},
		{"endless headers", func(c net.Conn) {
			_, _ = io.WriteString(c, "RTSP/1.0 200 OK\r\n")
			for {
				if _, err := io.WriteString(c, "X-Pad: "+strings.Repeat("a", 100)+"\r\n"); err != nil {
					return
				}
			}
		}, "header"},
		{"huge body", func(c net.Conn) {
			_, _ = io.WriteString(c, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: 1073741824\r\n\r\nv=0\r\n")
			_, _ = io.Copy(io.Discard, c)
		}, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				tt.serve(c)
			}()
			ap := netip.MustParseAddrPort(ln.Addr().String())
			rep := Check(context.Background(), nil, ap.Addr(), int(ap.Port()), "/", 500*time.Millisecond)
			if rep.Open || rep.Options != 0 || !strings.Contains(rep.Error, tt.want) {
				t.Errorf("%+v, want an error mentioning %q", rep, tt.want)
			}
		})
	}
}
