package discover

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/zeroconf/v2"

	"github.com/porchlight/porchlight/devices/devtext"
)

// entryBuffer is the channel buffer between the mDNS library and our
// consumer; the consumer never blocks, so a small one is enough.
const entryBuffer = 64

// expiryGrace is added to an announcement's TTL before the service is
// dropped: the library re-reports a service only after its own record of it
// expired (swept every 10 s) and its next query went out (at most 60 s apart).
const expiryGrace = 75 * time.Second

// browseFunc is zeroconf.Browse; tests replace it to inject failures.
var browseFunc = zeroconf.Browse

// browse runs one zeroconf browse for typ until ctx ends, handing every entry
// to handle. It uses a fresh resolver (the library closes its sockets after
// one use), always drains the entries channel (a consumer that stops reading
// blocks the library), retries with IPv4 only when IPv6 is unavailable, and
// turns a panic in our code into an error.
func browse(ctx context.Context, typ string, ifaces []net.Interface, handle func(*zeroconf.ServiceEntry)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("browsing %s failed unexpectedly: %v", typ, r)
		}
	}()
	err = browseOnce(ctx, typ, ifaces, nil, handle)
	if err != nil && ctx.Err() == nil {
		slog.Debug("mDNS browse failed, retrying with IPv4 only", "type", typ, "err", err)
		err = browseOnce(ctx, typ, ifaces, zeroconf.SelectIPTraffic(zeroconf.IPv4), handle)
	}
	if err != nil {
		return fmt.Errorf("browsing %s: %w", typ, err)
	}
	return nil
}

func browseOnce(ctx context.Context, typ string, ifaces []net.Interface, ipOpt zeroconf.ClientOption, handle func(*zeroconf.ServiceEntry)) error {
	entries := make(chan *zeroconf.ServiceEntry, entryBuffer)
	done := make(chan error, 1)
	go func() {
		opts := []zeroconf.ClientOption{ipOpt}
		if len(ifaces) > 0 {
			opts = append(opts, zeroconf.SelectIfaces(ifaces))
		}
		done <- browseFunc(ctx, typ, "local.", entries, opts...)
	}()
	for {
		select {
		case e, ok := <-entries:
			if !ok { // the library closed it: Browse is about to return
				return <-done
			}
			handle(e)
		case err := <-done:
			// Browse returned without closing the channel (it failed before
			// starting); nothing writes to it any more, so take what is left.
			for {
				select {
				case e, ok := <-entries:
					if !ok {
						return err
					}
					handle(e)
				default:
					return err
				}
			}
		}
	}
}

// resolved is one service entry turned into our types.
type resolved struct {
	hostKey string
	host    string
	service Service
	addrs   []netip.Addr
}

// fromEntry turns a library entry into our types: names decoded and made
// safe for display, TXT parsed and bounded, addresses validated. It reports
// false for an entry that names no host.
func fromEntry(e *zeroconf.ServiceEntry, typ string, now time.Time) (resolved, bool) {
	host := devtext.Clean(DecodeName(strings.TrimSuffix(e.HostName, ".")), devtext.Name)
	if host == "" {
		return resolved{}, false
	}
	r := resolved{
		hostKey: strings.ToLower(host),
		host:    host,
		service: Service{
			Type:     typ,
			Instance: devtext.Clean(DecodeName(e.Instance), devtext.Label),
			Port:     e.Port,
			TXT:      ParseTXT(e.Text),
			expires:  e.Expiry.Add(expiryGrace),
		},
	}
	if e.Expiry.IsZero() {
		r.service.expires = now.Add(expiryGrace)
	}
	for _, ip := range append(e.AddrIPv4, e.AddrIPv6...) {
		a, ok := netip.AddrFromSlice(ip)
		if !ok {
			continue
		}
		a = a.Unmap()
		if len(r.addrs) < MaxAddressesPerDevice && !slices.Contains(r.addrs, a) {
			r.addrs = append(r.addrs, a)
		}
	}
	return r, true
}
