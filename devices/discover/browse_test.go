package discover

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/libp2p/zeroconf/v2"
)

// fakeBrowse replaces the mDNS library for one test.
func fakeBrowse(t *testing.T, f func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error) {
	t.Helper()
	saved := browseFunc
	browseFunc = f
	t.Cleanup(func() { browseFunc = saved })
}

func entry(instance, host string) *zeroconf.ServiceEntry {
	return &zeroconf.ServiceEntry{
		ServiceRecord: zeroconf.ServiceRecord{Instance: instance},
		HostName:      host, Port: 80, AddrIPv4: []net.IP{net.IPv4(127, 0, 0, 9)}, Expiry: time.Now().Add(time.Minute),
	}
}

func TestBrowseRetriesWithIPv4Only(t *testing.T) {
	calls := 0
	fakeBrowse(t, func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error {
		calls++
		if calls == 1 {
			return errors.New("listen udp6 [ff02::]:5353: socket: address family not supported")
		}
		entries <- entry("Plug", "plug.local.")
		close(entries) // as the library does when ctx ends
		return nil
	})
	var got []string
	err := browse(context.Background(), "_http._tcp", nil, func(e *zeroconf.ServiceEntry) { got = append(got, e.Instance) })
	if err != nil || calls != 2 || len(got) != 1 {
		t.Fatalf("browse = %v after %d calls with entries %v; want success on the IPv4-only retry", err, calls, got)
	}
}

func TestBrowseReturnsWhenTheLibraryFailsWithoutClosing(t *testing.T) {
	fakeBrowse(t, func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error {
		entries <- entry("Left over", "x.local.")
		return errors.New("no multicast interface")
	})
	var got int
	err := browse(context.Background(), "_http._tcp", nil, func(*zeroconf.ServiceEntry) { got++ })
	if err == nil || got != 2 {
		t.Fatalf("browse = %v with %d entries, want the error and both buffered entries drained", err, got)
	}
}

func TestBrowseRecoversFromAPanicInTheHandler(t *testing.T) {
	fakeBrowse(t, func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error {
		entries <- entry("Boom", "x.local.")
		close(entries)
		return nil
	})
	err := browse(context.Background(), "_http._tcp", nil, func(*zeroconf.ServiceEntry) { panic("bad entry") })
	if err == nil {
		t.Fatal("browse swallowed a panic without reporting it")
	}
}

func TestScanFailsClearlyWithoutMulticast(t *testing.T) {
	fakeBrowse(t, func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error {
		return errors.New("udp4: failed to join any of these interfaces")
	})
	_, err := Scan(context.Background(), Options{Settle: 50 * time.Millisecond}, nil)
	if !errors.Is(err, ErrNoMulticast) {
		t.Fatalf("Scan = %v, want ErrNoMulticast", err)
	}
}

// TestScanStreamsAndSettles checks that devices reach the caller while the
// scan runs, that a slow caller never stalls discovery, and that the scan
// ends once quiet.
func TestScanStreamsAndSettles(t *testing.T) {
	fakeBrowse(t, func(ctx context.Context, service, domain string, entries chan<- *zeroconf.ServiceEntry, opts ...zeroconf.ClientOption) error {
		if service == "_http._tcp" {
			for _, h := range []string{"a", "b", "c"} {
				entries <- entry("Device "+h, h+".local.")
			}
		}
		<-ctx.Done()
		close(entries)
		return nil
	})
	first := make(chan struct{})
	var seen []string
	res, err := Scan(context.Background(), Options{Settle: 200 * time.Millisecond, Timeout: time.Minute}, func(e Event) {
		if len(seen) == 0 {
			close(first)
		}
		seen = append(seen, e.Device.Host)
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	select {
	case <-first:
	default:
		t.Fatal("no event reached the caller")
	}
	if len(res.Devices) != 3 || len(seen) < 1 {
		t.Errorf("found %d devices, %d events; want 3 devices", len(res.Devices), len(seen))
	}
	if res.Elapsed > 30*time.Second {
		t.Errorf("scan ran %v: it did not settle", res.Elapsed)
	}
}
