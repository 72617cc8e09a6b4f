//go:build linux

package sim

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/netns"
)

// startHostileLab serves the hostile household, refusing to run outside an
// isolated network namespace. close closes the lab once, at the latest
// when the test ends.
func startHostileLab(t *testing.T) (lab *Lab, closeLab func()) {
	t.Helper()
	if err := netns.Check(); err != nil {
		t.Fatal(err)
	}
	lab, err := Start(Config{Profile: ProfileHostile})
	if err != nil {
		t.Fatalf("starting the lab: %v", err)
	}
	var once sync.Once
	closeLab = func() { once.Do(func() { lab.Close() }) }
	t.Cleanup(closeLab)
	return lab, closeLab
}

// attacker returns the lab's device serving a.
func attacker(t *testing.T, lab *Lab, a Attack) *Device {
	t.Helper()
	for _, d := range lab.Devices() {
		if d.Attack == a {
			return d
		}
	}
	t.Fatalf("no device serves %q", a)
	return nil
}

func attackAddr(d *Device, port int) string {
	return netip.AddrPortFrom(d.Addr, uint16(port)).String()
}

// TestHostileLabServesAttacks checks that every attack of the hostile lab
// accepts connections on its device's own address and ports (the hang-up
// may reset one before the dialer returns it).
func TestHostileLabServesAttacks(t *testing.T) {
	lab, _ := startHostileLab(t)
	n := 0
	for _, d := range lab.Devices() {
		if d.Attack == "" {
			continue
		}
		n++
		for _, port := range d.HTTPPorts {
			c, err := net.DialTimeout("tcp", attackAddr(d, port), 2*time.Second)
			if err != nil {
				if d.Attack != AttackHangUp || !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("%s (%s) on port %d: %v", d.Host, d.Attack, port, err)
				}
				continue
			}
			c.Close()
		}
	}
	if n != len(httpAttacks)+len(tcpAttacks) {
		t.Errorf("%d attacking devices, want one per attack", n)
	}
	// And answers as its handler does, through the lab.
	d := attacker(t, lab, AttackRedirectOutside)
	resp, cancel := getAttack(t, attackClient(t), "http://"+attackAddr(d, 8008)+"/setup/eureka_info")
	defer cancel()
	if got := resp.Header.Get("Location"); resp.StatusCode != 302 || got != outsideEurekaInfo {
		t.Errorf("%s: %d to %q, want 302 to %q", d.Host, resp.StatusCode, got, outsideEurekaInfo)
	}
}

// TestHostileLabClosesMidAttack closes the lab while clients are in the
// middle of the slow drip, the huge body, the header flood, the TLS garbage
// and the stall: Close must end them all and return.
func TestHostileLabClosesMidAttack(t *testing.T) {
	lab, closeLab := startHostileLab(t)
	attacks := []Attack{AttackSlowDrip, AttackHugeBody, AttackHeaderFlood, AttackTLSGarbage, AttackStall}
	conns := make([]net.Conn, len(attacks))
	for i, a := range attacks {
		d := attacker(t, lab, a)
		conns[i] = dialAttack(t, attackAddr(d, d.HTTPPorts[0]))
		engage(t, a, conns[i])
	}
	closeEnds(t, closeLab)
	for i, c := range conns {
		wantClosed(t, string(attacks[i]), c)
	}
}
