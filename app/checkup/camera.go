package checkup

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/rtsp"
	"github.com/porchlight/porchlight/devices/wsd"
)

// checkCameras asks every ONVIF camera among devices, without
// credentials, what it tells anyone (see wsd.Identify), and adds what it
// found: its maker, model and firmware where identification found none;
// on 5.1 whether it answers ONVIF without a password and whether its
// video stream (RTSP) is open without one; on 5.5 that its ONVIF service
// is plain HTTP. A camera the catalog knows but that was not found over
// WS-Discovery gets the RTSP check only.
func checkCameras(ctx context.Context, devices []discover.Device, cards []Scorecard, n devhttp.Network, timeout time.Duration) {
	for i, d := range devices {
		addr := discover.PreferredAddress(d.Addresses)
		si := slices.IndexFunc(d.Services, wsd.IsCamera)
		if si < 0 {
			if cards[i].Device.Kind == string(catalog.KindCamera) && addr.IsValid() {
				checkRTSP(ctx, &cards[i], n, addr, "", timeout)
				recount(&cards[i])
			}
			continue
		}
		s := d.Services[si]
		port, path, err := wsd.ServiceURL(s.TXT[wsd.KeyXAddr], addr)
		if err != nil {
			continue
		}
		info := wsd.Identify(ctx, n, addr, port, path, timeout)
		c := &cards[i]
		c.Camera = &info
		if info.Open {
			c.Device.Vendor = cmpOr(c.Device.Vendor, info.Manufacturer)
			c.Device.Model = cmpOr(c.Device.Model, info.Model)
			c.Device.Firmware = cmpOr(c.Device.Firmware, info.Firmware)
		}
		if c.Device.Model == "" {
			c.Device.Model = s.TXT[wsd.KeyHardware]
		}
		ev := Reasons{}
		for _, e := range info.Evidence {
			ev = append(ev, Reason{Text: e})
		}
		if l := lineOf(c, "5.1"); l != nil {
			switch {
			case info.Open:
				becomeProblem(l)
				l.Says = append(Reasons{reason("camera.onvif.open")}, l.Says...)
				l.Evidence = append(ev, l.Evidence...)
				l.Fix = saysFix(false, "fix.camera.onvif")
			case info.Refused && l.Status == Unknown:
				l.Status, l.Says, l.Evidence = OK, says("camera.onvif.refused"), ev
			}
		}
		if l := lineOf(c, "5.5"); l != nil && strings.HasPrefix(s.TXT[wsd.KeyXAddr], "http://") {
			becomeProblem(l)
			l.Says = append(Reasons{reason("camera.onvif.plain")}, l.Says...)
			l.Evidence = append(Reasons{reason("evidence.camera.xaddr", s.TXT[wsd.KeyXAddr])}, l.Evidence...)
			if l.Fix == nil {
				l.Fix = saysFix(false, "fix.isolate")
			}
		}
		checkRTSP(ctx, c, n, addr, info.StreamURI, timeout)
		recount(c)
	}
}

// checkRTSP asks the camera's video streams (rtsp://addr:554/ and
// streamURI, the one ONVIF named, when it is at addr), without
// credentials, OPTIONS and DESCRIBE, and adds to its 5.1 line what it
// found: a problem when it describes a stream to anyone, ok when it asks
// for a password (and nothing else on the line is wrong).
func checkRTSP(ctx context.Context, c *Scorecard, n devhttp.Network, addr netip.Addr, streamURI string, timeout time.Duration) {
	c.RTSP = []rtsp.Report{rtsp.Check(ctx, n, addr, rtsp.DefaultPort, "/", timeout)}
	if port, path, err := rtsp.StreamPath(streamURI, addr); err == nil && (port != rtsp.DefaultPort || path != "/") {
		c.RTSP = append(c.RTSP, rtsp.Check(ctx, n, addr, port, path, timeout))
	}
	l := lineOf(c, "5.1")
	if l == nil {
		return
	}
	ev := Reasons{}
	open, refused := false, false
	for _, rep := range c.RTSP {
		for _, e := range rep.Evidence {
			ev = append(ev, Reason{Text: e})
		}
		open = open || rep.Open
		refused = refused || rep.AuthRequired
	}
	switch {
	case open:
		becomeProblem(l)
		l.Says = append(Reasons{reason("camera.rtsp.open")}, l.Says...)
		l.Evidence = append(ev, l.Evidence...)
		if l.Fix == nil {
			l.Fix = saysFix(false, "fix.camera.rtsp")
		}
	case refused && l.Status == Unknown:
		l.Status, l.Says, l.Evidence = OK, says("camera.rtsp.refused"), ev
	case refused && l.Status == OK:
		l.Says = append(l.Says, reason("camera.rtsp.refused"))
		l.Evidence = append(l.Evidence, ev...)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
