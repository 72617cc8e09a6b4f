package app

import (
	"cmp"
	"context"
	"log/slog"
	"net/netip"
	"slices"

	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/ssdp"
)

// scanHome finds the devices over mDNS and SSDP at once, and merges what
// SSDP found into mDNS's devices by address (see ssdp.Merge). SSDP's
// devices are reported once the scan has merged them. A failing SSDP
// search costs only its devices: mDNS's results stand.
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
	go func() {
		defer close(done)
		found, ssdpErr = ssdp.Scan(ctx, ssdp.Options{Interface: opts.Interface, Keep: keep})
	}()
	res, err := discover.Scan(ctx, opts, onEvent)
	<-done
	if err != nil {
		return res, err
	}
	if ssdpErr != nil {
		slog.Info("searching for UPnP devices failed", "err", ssdpErr)
	}
	res.Devices = ssdp.Merge(res.Devices, found.Found)
	res.Dropped += found.Dropped
	res.Elapsed = max(res.Elapsed, found.Elapsed)
	slices.SortFunc(res.Devices, func(a, b Device) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Host, b.Host))
	})
	if onEvent != nil {
		for _, d := range res.Devices {
			if slices.Contains(d.Protocols, discover.ProtocolSSDP) {
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
