package sim

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// FloodInstances is how many bogus service instances the hostile profile
// announces in one burst, FloodPerPacket to a packet.
const (
	FloodInstances = 10000
	FloodPerPacket = 50
)

// floodEvery is the shortest time between two floods.
const floodEvery = 5 * time.Second

// FloodAddr is the address the hostile profile's malformed packets and
// flood come from: one misbehaving host on the network, apart from the
// household's devices.
var FloodAddr = netip.AddrFrom4([4]byte{127, 77, 255, 253})

// hostileHousehold is a household that attacks the scanner: devices whose
// announcements carry well-formed but hostile content (the hostile
// announcer adds the packets no DNS library would build), then devices
// that announce a real family and attack whoever connects (see attackers),
// then devices of real families that lie about themselves (see liars).
func hostileHousehold() []*Device {
	long250 := strings.Repeat("v", 250)
	bigTXT := make([]string, 0, 33)
	for i := 0; len(strings.Join(bigTXT, "")) < 8<<10; i++ {
		bigTXT = append(bigTXT, fmt.Sprintf("k%02d=%s", i, strings.Repeat("x", 240)))
	}
	devs := []struct {
		name, host string
		txt        []string
	}{
		{"Evil\x1b[2J\u202egpj.exe", "evil-ansi", []string{"name=\x1b[31mRED\x1b[0m", "long=" + long250}},
		{strings.Repeat("L", 63), "label-63", []string{"note=a 63-byte label, the most DNS allows"}},
		{strings.Repeat("Ü", 31) + "x", "label-utf8-63", nil},
		{"Plug\nrm -rf /\x00\x07", "control-chars", []string{"\x00key=\x01value"}},
		{"Big TXT", "big-txt", bigTXT},
		{`back\slash.and.dots`, "escapes", []string{`path=C:\temp`, `quote="hi"`}},
		{"\u202eAdmin\u202c \u2066Login\u2069", "bidi", []string{"x=\u200f\u200e"}},
		{"Küche Licht", "spoof-kueche", []string{"fw=6.6.6"}},
		{"Duplicate keys", "dup-keys", []string{"a=first", "A=second", "=novalue", "flag"}},
	}
	ds := make([]*Device, 0, len(devs))
	for i, d := range devs {
		ds = append(ds, &Device{
			Family: Hostile, Name: d.name, Host: d.host, Addr: Addr(i), MAC: macFor(hostileOUI, i),
			Services: []Service{{Type: "_http._tcp", Instance: d.name, Port: 80, TXT: d.txt}},
		})
	}
	ds = append(ds, attackers(len(ds))...)
	return append(ds, liars(len(ds))...)
}

// Hostile text the lying devices report about themselves. liarText erases
// the screen, sets the window title, colours what follows in 7-bit and
// 8-bit form, turns it around with a bidi override, and carries NUL, DEL
// and NEL; it fits IPP's text(127). The longer forms carry more than any
// model or version has, and still fit a TXT string (255 bytes).
const liarText = "Evil\x1b[2J\x1b]0;pwned\x07\x1b[31mPlug\u009b0m\u202egnp.exe\u202c\x00\x7f\u0085"

var (
	liarModel   = liarText + strings.Repeat("M", 190)
	liarVersion = liarText + strings.Repeat("1", 190)
	liarNewer   = liarText + strings.Repeat("2", 190)
)

// liarTXT are the TXT keys that tell a device's model, vendor or version
// (device-apis.md §3): a lying device announces hostile text in them.
var liarTXT = map[string]bool{"md": true, "ty": true, "model": true, "modelid": true, "vendor": true,
	"version": true, "board": true, "platform": true, "app": true}

// liars returns one device of each family that names its model, vendor or
// firmware, the first at Addr(first), that serves its family's API as the
// vendor documents it but reports hostile text (liarText, and longer than
// any real one) as its model and firmware, its newer firmware, and in the
// TXT keys that say the same. A printer keeps its text short enough for
// IPP (text(127)) to carry it.
func liars(first int) []*Device {
	var ds []*Device
	for _, b := range builders {
		if b.family == Matter { // its TXT names vendor and product by number only
			continue
		}
		i := first + len(ds)
		d := b.build(i, "Liar "+string(b.family), Addr(i))
		d.Model, d.Firmware, d.state.latestFirmware = liarModel, liarVersion, liarNewer
		if b.family == IPPPrinter {
			d.Model, d.Firmware = liarText, liarText
		}
		for _, svc := range d.Services {
			for j, kv := range svc.TXT {
				if key, _, _ := strings.Cut(kv, "="); liarTXT[strings.ToLower(key)] {
					svc.TXT[j] = key + "=" + liarModel
				}
			}
		}
		ds = append(ds, d)
	}
	return ds
}

// hostileAnnouncer sends from FloodAddr, whenever a scan browses _http._tcp
// (at most every floodEvery), a set of malformed packets and a flood of
// FloodInstances bogus service instances.
type hostileAnnouncer struct {
	mu       sync.Mutex
	r        *responder
	last     time.Time
	stopping chan struct{}
	wg       sync.WaitGroup
}

func newHostileAnnouncer() *hostileAnnouncer {
	return &hostileAnnouncer{stopping: make(chan struct{})}
}

func (h *hostileAnnouncer) start(r *responder) {
	h.mu.Lock()
	h.r = r
	h.mu.Unlock()
}

func (h *hostileAnnouncer) stop() {
	close(h.stopping)
	h.wg.Wait()
}

// onQuery starts an attack when a scan browses _http._tcp.
func (h *hostileAnnouncer) onQuery(q dns.Question) {
	if q.Qtype != dns.TypePTR || !strings.EqualFold(q.Name, "_http._tcp.local.") {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.r == nil || time.Since(h.last) < floodEvery {
		return
	}
	h.last = time.Now()
	h.wg.Add(1)
	go h.attack(h.r)
}

func (h *hostileAnnouncer) attack(r *responder) {
	defer h.wg.Done()
	for _, p := range MalformedPackets() {
		r.writeRaw(p, FloodAddr)
	}
	for first := 0; first < FloodInstances; first += FloodPerPacket {
		select {
		case <-h.stopping:
			return
		default:
		}
		buf, err := floodPacket(first, FloodPerPacket)
		if err != nil {
			return
		}
		r.writeRaw(buf, FloodAddr)
		time.Sleep(5 * time.Millisecond) // 200 packets in about a second
	}
}

// floodPacket announces n complete bogus instances, first to first+n-1, on
// hosts of their own.
func floodPacket(first, n int) ([]byte, error) {
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}, Compress: true}
	for i := first; i < first+n; i++ {
		inst := fmt.Sprintf("bogus-%05d._http._tcp.local.", i)
		host := fmt.Sprintf("bogus-%05d.local.", i)
		addr := netip.AddrFrom4([4]byte{127, 66, byte(i >> 8), byte(i)})
		hdr := func(name string, t uint16) dns.RR_Header {
			return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 120}
		}
		m.Answer = append(m.Answer,
			&dns.PTR{Hdr: hdr("_http._tcp.local.", dns.TypePTR), Ptr: inst},
			&dns.SRV{Hdr: hdr(inst, dns.TypeSRV), Port: 80, Target: host},
			&dns.TXT{Hdr: hdr(inst, dns.TypeTXT), Txt: []string{"bogus=1"}},
			&dns.A{Hdr: hdr(host, dns.TypeA), A: net.IP(addr.AsSlice())},
		)
	}
	return m.Pack()
}

// MalformedPackets returns mDNS packets that break the DNS wire format in
// the ways attackers and broken firmware do. Each is a response, so a
// browser reads it.
func MalformedPackets() [][]byte {
	header := func(an uint16) []byte {
		b := make([]byte, 12)
		binary.BigEndian.PutUint16(b[2:], 0x8400) // response, authoritative
		binary.BigEndian.PutUint16(b[6:], an)
		return b
	}
	ptrHead := func(an uint16) []byte {
		b := header(an)
		b = append(b, 5, '_', 'h', 't', 't', 'p', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0)
		return append(b, 0, 12, 0, 1, 0, 0, 0, 120) // PTR IN TTL 120
	}
	var ps [][]byte
	// A compression pointer that points at itself.
	ps = append(ps, append(header(1), 0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 120, 0, 2, 0xC0, 12))
	// Two pointers that point at each other.
	ps = append(ps, append(ptrHead(1), 0, 4, 0xC0, 0x30, 0xC0, 0x2E))
	// A label whose length byte claims 255 bytes.
	ps = append(ps, append(header(1), 0xFF, 'a', 'b', 'c', 0, 0, 1, 0, 1))
	// A 64-byte label (the extended label type RFC 6891 retired).
	ps = append(ps, append(append(header(1), 64), []byte(strings.Repeat("a", 64)+"\x00\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04\x7f\x00\x00\x01")...))
	// Counts that promise far more records than the packet holds.
	ps = append(ps, append(header(65535), ptrHead(0)[12:]...))
	// Cut off in the middle of a record.
	full, _ := floodPacket(FloodInstances, 1)
	ps = append(ps, full[:len(full)/2])
	// An A record with zero-length data.
	ps = append(ps, append(header(1), 4, 'h', 'o', 's', 't', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0, 1, 0, 0, 0, 120, 0, 0))
	// A PTR whose rdata length runs past the end of the packet.
	ps = append(ps, append(ptrHead(1), 0xFF, 0xFF, 3, 'a', 'b', 'c'))
	// A name longer than 255 bytes, in 63-byte labels.
	long := header(1)
	for i := 0; i < 5; i++ {
		long = append(long, 63)
		long = append(long, []byte(strings.Repeat("n", 63))...)
	}
	ps = append(ps, append(long, 0, 0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 127, 0, 0, 1))
	// Nine kilobytes of junk after a valid header.
	junk := header(3)
	for i := 0; len(junk) < 9<<10; i++ {
		junk = append(junk, byte(i*7+3))
	}
	ps = append(ps, junk)
	// A header alone, and less than a header.
	ps = append(ps, header(1), []byte{0x00, 0x00, 0x84})
	return ps
}
