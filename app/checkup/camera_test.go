package checkup

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/sim/simnet"
)

// demoCheckup scans the demo household through its in-memory network and
// checks every device it found; the network closes when the test ends.
func demoCheckup(t *testing.T) (*simnet.Network, Household) {
	t.Helper()
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	res, err := n.Scan(context.Background(), discover.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hh, err := Run(context.Background(), res.Devices, Options{Network: n.Dialer()})
	if err != nil {
		t.Fatal(err)
	}
	return n, hh
}

// TestCameraCheck checks the demo's two ONVIF cameras through its
// in-memory network: the one that answers GetDeviceInformation without a
// password has a 5.1 problem and is identified by what it answered; the
// one that asks for a password does not; both have a plain-HTTP ONVIF
// service (5.5).
func TestCameraCheck(t *testing.T) {
	n, hh := demoCheckup(t)
	for _, cam := range n.Cameras() {
		i := slices.IndexFunc(hh.Devices, func(c Scorecard) bool { return slices.Contains(c.Device.Addresses, cam.Addr.String()) })
		if i < 0 {
			t.Errorf("%s: no scorecard", cam.Name)
			continue
		}
		c := hh.Devices[i]
		if c.Camera == nil || c.Device.Name != cam.Name {
			t.Errorf("%s: %+v", cam.Name, c.Device)
			continue
		}
		pw, comm := *lineOf(&c, "5.1"), *lineOf(&c, "5.5")
		// The root stream; the open camera's ONVIF also names its stream.
		wantURLs := []string{"rtsp://" + cam.Addr.String() + ":554/"}
		if !cam.Auth {
			wantURLs = append(wantURLs, cam.StreamURI())
		}
		var urls []string
		for _, rep := range c.RTSP {
			urls = append(urls, rep.URL)
			if rep.Open == cam.Auth || rep.AuthRequired != cam.Auth {
				t.Errorf("%s: RTSP %+v", cam.Name, rep)
			}
		}
		if !slices.Equal(urls, wantURLs) {
			t.Errorf("%s: RTSP asked %q, want %q", cam.Name, urls, wantURLs)
		}
		if cam.Auth {
			if pw.Status != OK || c.Camera.Open || !c.Camera.Refused {
				t.Errorf("%s (password): 5.1 %s %q, %+v", cam.Name, pw.Status, pw.Sentence(English), c.Camera)
			}
			if !strings.Contains(pw.Sentence(English), "asks for a password before it describes its video stream") ||
				!strings.Contains(pw.Evidence.In(English), "DESCRIBE rtsp://"+cam.Addr.String()+":554/ → RTSP 401") {
				t.Errorf("%s (password): 5.1 %q, evidence %q", cam.Name, pw.Sentence(English), pw.Evidence.In(English))
			}
		} else {
			if !strings.Contains(pw.Sentence(English), "Its video can be watched by anyone on your network without a password") ||
				!strings.Contains(pw.Evidence.In(English), "RTSP 200, a session description") || !strings.Contains(pw.Sentence(German), "Ihr Video kann jeder") {
				t.Errorf("%s (open): 5.1 %q, evidence %q", cam.Name, pw.Sentence(English), pw.Evidence.In(English))
			}
			if pw.Status != Problem || !strings.Contains(pw.Sentence(English), "without a password") || c.Device.Vendor != cam.Manufacturer || c.Device.Firmware != cam.Firmware {
				t.Errorf("%s (open): 5.1 %s %q, %+v", cam.Name, pw.Status, pw.Sentence(English), c.Device)
			}
			if !strings.Contains(pw.Sentence(German), "ohne Passwort") {
				t.Errorf("German: %q", pw.Sentence(German))
			}
		}
		if comm.Status != Problem || !strings.Contains(comm.Sentence(English), "ONVIF service") {
			t.Errorf("%s: 5.5 %s %q", cam.Name, comm.Status, comm.Sentence(English))
		}
	}
}

// TestRTSPOfCatalogCamera: a device the catalog knows as a camera, not
// found over WS-Discovery, has its stream asked all the same: the demo's
// open camera's and its password camera's RTSP, reached through the demo
// network, decide its 5.1 line.
func TestRTSPOfCatalogCamera(t *testing.T) {
	n, err := simnet.Start(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	for _, cam := range n.Cameras() {
		d := discover.Device{ID: "cam", Name: cam.Name, Addresses: []netip.Addr{cam.Addr}}
		cards := []Scorecard{Score(Input{Device: d, Identity: identify.Identity{Kind: string(catalog.KindCamera)}, Family: family(t, catalog.UnknownID)})}
		checkCameras(context.Background(), []discover.Device{d}, cards, n.Dialer(), 2*time.Second)
		c := cards[0]
		l := *lineOf(&c, "5.1")
		if len(c.RTSP) != 1 || c.RTSP[0].Open == cam.Auth || c.Camera != nil {
			t.Errorf("%s: RTSP %+v, camera %+v", cam.Name, c.RTSP, c.Camera)
		}
		if want := map[bool]Status{true: OK, false: Problem}[cam.Auth]; l.Status != want || (l.Status == Problem && c.Problems == 0) {
			t.Errorf("%s: 5.1 %s %q, want %s", cam.Name, l.Status, l.Sentence(English), want)
		}
	}
	// Not a camera: nothing asked.
	d := discover.Device{ID: "plug", Addresses: []netip.Addr{n.Cameras()[0].Addr}}
	cards := []Scorecard{Score(Input{Device: d, Identity: identify.Identity{Kind: string(catalog.KindPlug)}, Family: family(t, catalog.UnknownID)})}
	checkCameras(context.Background(), []discover.Device{d}, cards, n.Dialer(), 2*time.Second)
	if cards[0].RTSP != nil {
		t.Errorf("a plug's stream was asked: %+v", cards[0].RTSP)
	}
}
