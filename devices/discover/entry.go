package discover

import (
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devtext"
)

// expiryGrace is added to an announcement's TTL before the service is
// dropped: a record is renewed when someone asks again, and in a watch
// Porchlight asks at least once a minute (maxRepeat).
const expiryGrace = 75 * time.Second

// entry is an instance the assembler put together, as its records
// arrived: names still escaped, TXT strings as on the wire.
type entry struct {
	// Instance is the instance label (`Küche\ Licht`), HostName the
	// SRV target ("kueche.local.").
	Instance, HostName string
	Port               int
	Text               []string
	Addrs              []net.IP
	// Expiry is when the first of its PTR, SRV and TXT records expires.
	Expiry time.Time
}

// resolved is one service entry turned into our types.
type resolved struct {
	hostKey string
	host    string
	service Service
	addrs   []netip.Addr
}

// fromEntry turns an assembled entry into our types: names decoded and
// made safe for display, TXT parsed and bounded, addresses validated. It
// reports false for an entry that names no host.
func fromEntry(e *entry, typ string, now time.Time) (resolved, bool) {
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
	for _, ip := range e.Addrs {
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
