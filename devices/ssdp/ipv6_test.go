//go:build linux

package ssdp

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
	"github.com/porchlight/porchlight/devices/sim"
	"github.com/porchlight/porchlight/devices/sim/lanhost"
)

// peerEnv, when set, makes the test binary the second host of
// TestScanOverIPv6 instead of running tests: it serves ipv6TV on the
// interface named; with modeEnv "announce", it only announces itself.
const (
	peerEnv = "PORCHLIGHT_SSDP6_PEER"
	modeEnv = "PORCHLIGHT_SSDP6_MODE"
)

// The addresses of TestScanOverIPv6's veth pair.
var (
	ipv6Local = netip.MustParsePrefix("fe80::1/64")
	ipv6Peer  = netip.MustParsePrefix("fe80::2/64")
)

// ipv6TV is the lab's smart TV, answering over IPv6 only.
func ipv6TV() *sim.UPnPDevice {
	return &sim.UPnPDevice{Kind: sim.UPnPTV, Name: "Wohnzimmer Fernseher (IPv6)", Addr: ipv6Peer.Addr(), UUID: "1e0c6a2c-47d5-4b5e-a5b3-3c2f5bd4e6a6",
		DeviceType: "urn:dial-multiscreen-org:device:dial:1", Manufacturer: "Samsung Electronics", Model: "UE50TU7090",
		Server: "Linux/4.1.10 UPnP/1.0 Samsung UPnP SDK/1.0"}
}

func TestMain(m *testing.M) {
	if iface := os.Getenv(peerEnv); iface != "" {
		os.Exit(servePeer(iface))
	}
	os.Exit(m.Run())
}

// servePeer serves ipv6TV on iface until killed, saying "ready" on
// standard error once it answers.
func servePeer(iface string) int {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	serve := sim.ServeUPnP6
	if os.Getenv(modeEnv) == "announce" {
		serve = sim.AnnounceUPnP6
	}
	u, err := serve(ipv6TV(), ifi)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer u.Close()
	fmt.Fprintln(os.Stderr, "ready")
	select {}
}

// TestScanOverIPv6: a device that speaks SSDP only over IPv6, on a second
// host joined by a veth pair with link-local addresses, is found at its
// link-local address with the zone (the interface) kept, and its
// description is read there: by its answer to the M-SEARCH sent to
// FF02::C, and, from one that answers no search, by its announcements.
func TestScanOverIPv6(t *testing.T) {
	for _, mode := range []string{"answer", "announce"} {
		t.Run(mode, func(t *testing.T) { scanOverIPv6(t, mode) })
	}
}

func scanOverIPv6(t *testing.T, mode string) {
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h, err := lanhost.Command(lanhost.Config{Local: netip.MustParsePrefix("169.254.89.1/16"), Peer: netip.MustParsePrefix("169.254.89.2/16"),
		Local6: ipv6Local, Peer6: ipv6Peer}, `export `+peerEnv+`="$peer" `+modeEnv+`=`+mode+`
exec "$@"`, self)
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := h.Cmd().StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Cmd().Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = h.Close()
		_ = h.Cmd().Process.Kill()
		_ = h.Cmd().Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Join(ctx, nil); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || sc.Text() != "ready" {
		t.Fatalf("the second host said %q (%v)", sc.Text(), sc.Err())
	}

	res, err := Scan(ctx, Options{Interface: h.Interface()})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	t.Logf("%d root devices in %v", len(res.Found), res.Elapsed.Round(time.Millisecond))
	want := ipv6TV()
	wantAddr := want.Addr.WithZone(h.Interface())
	if len(res.Found) != 1 {
		t.Fatalf("found %+v, want the TV alone", res.Found)
	}
	f := res.Found[0]
	if f.Addr != wantAddr || f.UUID != want.UUID || f.Location != "http://[fe80::2]:49000/desc.xml" {
		t.Errorf("found %s (%s at %s), want %s (%s)", f.Addr, f.UUID, f.Location, wantAddr, want.UUID)
	}
	if f.Description == nil || f.Description.Root.FriendlyName != want.Name || f.Description.Root.Manufacturer != want.Manufacturer {
		t.Fatalf("description %+v (error %q)", f.Description, f.Err)
	}
	if !slices.ContainsFunc(f.Targets, func(s string) bool { return strings.HasPrefix(s, "urn:dial-multiscreen-org:") }) {
		t.Errorf("targets %q lack the DIAL service", f.Targets)
	}
	merged := Merge(nil, res.Found)
	if len(merged) != 1 || merged[0].Name != want.Name || !slices.Equal(merged[0].Addresses, []netip.Addr{wantAddr}) {
		t.Errorf("merged into %+v", merged)
	}
}
