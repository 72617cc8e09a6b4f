package app

import (
	"cmp"
	"context"
	"log/slog"
	"net/netip"
	"slices"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/ssdp"
	"github.com/porchlight/porchlight/devices/wsd"
)

// scanHome finds the devices over mDNS, SSDP and WS-Discovery at once,
// and merges what SSDP and WS-Discovery found into mDNS's devices by
// address (see ssdp.Merge, wsd.Merge). Their devices are reported once the
// scan has merged them. A failing SSDP search or WS-Discovery probe costs
// only its devices: mDNS's results stand.
func scanHome(ctx context.Context, opts ScanOptions, onEvent func(ScanEvent)) (ScanResult, error) {
	var keep []netip.Addr
	for _, d := range opts.Keep {
		keep = append(keep, d.Addresses...)
	}
	var (
		found   ssdp.Result
		ssdpErr error
		done    = make(chan struct{})
	)
	var (
		cams    wsd.Result
		wsdErr  error
		wsdDone = make(chan struct{})
	)
	go func() {
		defer close(done)
		found, ssdpErr = ssdp.Scan(ctx, ssdp.Options{Interface: opts.Interface, Keep: keep})
	}()
	go func() {
		defer close(wsdDone)
		cams, wsdErr = wsd.Scan(ctx, wsd.Options{Interface: opts.Interface})
	}()
	res, err := discover.Scan(ctx, opts, onEvent)
	<-done
	<-wsdDone
	if err != nil {
		return res, err
	}
	if ssdpErr != nil {
		slog.Info("searching for UPnP devices failed", "err", ssdpErr)
	}
	if wsdErr != nil {
		slog.Info("probing for cameras failed", "err", wsdErr)
	}
	res.Devices = wsd.Merge(ssdp.Merge(res.Devices, found.Found), cams.Found)
	res.Dropped += found.Dropped + cams.Dropped
	res.Elapsed = max(res.Elapsed, found.Elapsed, cams.Elapsed)
	slices.SortFunc(res.Devices, func(a, b Device) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Host, b.Host))
	})
	if onEvent != nil {
		for _, d := range res.Devices {
			if slices.Contains(d.Protocols, discover.ProtocolSSDP) || slices.Contains(d.Protocols, discover.ProtocolWSD) {
				onEvent(ScanEvent{Device: d})
			}
		}
	}
	return res, nil
}

// UPnPTypePrefix begins the type of a service found over SSDP (see
// discover.UPnPTypePrefix).
const UPnPTypePrefix = discover.UPnPTypePrefix

// IsRouter reports whether d announced itself as an Internet Gateway
// Device over SSDP: a router.
func IsRouter(d Device) bool { return slices.ContainsFunc(d.Services, ssdp.IsGateway) }
