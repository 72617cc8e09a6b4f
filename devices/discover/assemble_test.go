package discover

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Records of one instance, "Küche Licht" on kueche.local, as a responder
// sends them.
func kitchen(ttl uint32) (ptr, srv, txt, a dns.RR) {
	const typ, inst, host = "_http._tcp.local.", `Küche\ Licht._http._tcp.local.`, "kueche.local."
	h := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
	}
	return &dns.PTR{Hdr: h(typ, dns.TypePTR), Ptr: inst},
		&dns.SRV{Hdr: h(inst, dns.TypeSRV), Target: host, Port: 80},
		&dns.TXT{Hdr: h(inst, dns.TypeTXT), Txt: []string{"path=/"}},
		&dns.A{Hdr: h(host, dns.TypeA), A: net.IPv4(127, 77, 0, 1)}
}

func answer(rrs ...dns.RR) *dns.Msg {
	return &dns.Msg{MsgHdr: dns.MsgHdr{Response: true}, Answer: rrs}
}

// sender is the address the test's answers come from.
var sender = netip.MustParseAddr("127.77.0.1")

type delivery struct {
	typ string
	e   *entry
}

func newTestAssembler() (*assembler, *[]delivery) {
	return newKeepingAssembler(keepSet{})
}

// newKeepingAssembler returns an assembler that keeps what keep names,
// browses _http._tcp and ignores the type enumeration.
func newKeepingAssembler(keep keepSet) (*assembler, *[]delivery) {
	var got []delivery
	a := newAssembler(func(typ string, e *entry) { got = append(got, delivery{typ, e}) },
		func(string, netip.Addr) {}, keep)
	a.browse("_http._tcp")
	return a, &got
}

// TestAssemblerPutsInstancesTogether: whatever messages the records of an
// instance arrive in, and in whatever order, the instance is handed over
// once, complete, as the mDNS library would have given it.
func TestAssemblerPutsInstancesTogether(t *testing.T) {
	ptr, srv, txt, a := kitchen(120)
	orders := [][][]dns.RR{
		{{ptr, srv, txt, a}},
		{{ptr}, {srv}, {txt}, {a}},
		{{a}, {txt}, {srv}, {ptr}},
		{{srv, a}, {ptr}, {txt}},
		{{ptr}, {txt, srv}, {a}, {ptr, srv, txt, a}}, // repeated: handed over once
	}
	for i, msgs := range orders {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			asm, got := newTestAssembler()
			now := time.Now()
			for j, rrs := range msgs {
				asm.observe(answer(rrs...), sender, now.Add(time.Duration(j)*10*time.Millisecond))
			}
			if len(*got) != 1 {
				t.Fatalf("handed over %d times, want once", len(*got))
			}
			d := (*got)[0]
			e := d.e
			if d.typ != "_http._tcp" || e.Instance != `Küche\ Licht` || e.HostName != "kueche.local." || e.Port != 80 ||
				!slices.Equal(e.Text, []string{"path=/"}) || len(e.Addrs) != 1 || !e.Addrs[0].Equal(net.IPv4(127, 77, 0, 1)) {
				t.Errorf("entry %+v", e)
			}
			r, ok := fromEntry(e, d.typ, now)
			if !ok || r.service.Instance != "Küche Licht" || r.host != "kueche.local" {
				t.Errorf("as a device: %+v", r)
			}
		})
	}
}

// TestAssemblerHandsOverChanges: a new address or TXT record is handed
// over again; an incomplete or expired instance, a type not browsed, a
// question and a goodbye are not.
func TestAssemblerHandsOverChanges(t *testing.T) {
	ptr, srv, txt, a := kitchen(120)
	asm, got := newTestAssembler()
	now := time.Now()
	asm.observe(answer(ptr, srv, a), sender, now) // no TXT yet
	if len(*got) != 0 {
		t.Fatalf("handed over without a TXT record: %+v", (*got)[0].e)
	}
	asm.observe(answer(txt), sender, now)
	txt2 := dns.Copy(txt).(*dns.TXT)
	txt2.Txt = []string{"path=/new"}
	asm.observe(answer(txt2), sender, now)
	if len(*got) != 2 || !slices.Equal((*got)[1].e.Text, []string{"path=/new"}) {
		t.Fatalf("changes handed over: %d", len(*got))
	}

	question := answer(ptr, srv, txt, a)
	question.Response = false
	other := dns.Copy(ptr).(*dns.PTR)
	other.Hdr.Name, other.Ptr = "_ipp._tcp.local.", "Drucker._ipp._tcp.local."
	goodbye, _, _, _ := kitchen(0)
	for _, m := range []*dns.Msg{question, answer(other), answer(goodbye)} {
		asm.observe(m, sender, now)
	}
	if len(*got) != 2 {
		t.Errorf("handed over %d times after a question, another type and a goodbye", len(*got))
	}
	// After the goodbye the PTR is gone: records that arrive anew do not
	// make the instance whole again without one.
	ptrAgain, srvAgain, txtAgain, aAgain := kitchen(120)
	_ = ptrAgain
	asm.observe(answer(srvAgain, txtAgain, aAgain), sender, now.Add(time.Second))
	if len(*got) != 2 {
		t.Errorf("an instance without a PTR was handed over")
	}
	if asm.observe(answer(ptrAgain), sender, now.Add(time.Second)); len(*got) != 3 {
		t.Errorf("the instance was not handed over when announced again")
	}
	// Renewed records, unchanged, are handed over again only once what
	// was handed over is about to expire (TTL 120 s).
	later := now.Add(30 * time.Second)
	asm.observe(answer(ptrAgain, srvAgain, txtAgain, aAgain), sender, later)
	if len(*got) != 3 {
		t.Errorf("a renewal 30 s in was handed over")
	}
	later = now.Add(70 * time.Second)
	asm.observe(answer(ptrAgain, srvAgain, txtAgain, aAgain), sender, later)
	if len(*got) != 4 || !(*got)[3].e.Expiry.Equal(later.Add(120*time.Second)) {
		t.Errorf("a renewal 70 s in was not handed over: %d", len(*got))
	}
}

// TestAssemblerAsks: an instance still incomplete after askAfter makes the
// assembler ask for exactly what it misses, a few times at most; a
// complete one makes it ask nothing.
func TestAssemblerAsks(t *testing.T) {
	ptr, srv, _, _ := kitchen(120)
	asm, _ := newTestAssembler()
	now := time.Now()
	asm.observe(answer(ptr), sender, now)
	if qs := recordQuestions(asm.questions(now.Add(askAfter / 2))); len(qs) != 0 {
		t.Errorf("asked before askAfter: %v", qs)
	}
	want := func(at time.Time, names ...string) {
		t.Helper()
		var got []string
		for _, m := range recordQuestions(asm.questions(at)) {
			for _, q := range m {
				got = append(got, dns.TypeToString[q.Qtype]+" "+q.Name)
			}
		}
		if !slices.Equal(got, names) {
			t.Errorf("asked %q, want %q", got, names)
		}
	}
	at := now.Add(askAfter)
	want(at, `SRV Küche\ Licht._http._tcp.local.`, `TXT Küche\ Licht._http._tcp.local.`)
	want(at.Add(askTick)) // not again so soon
	asm.observe(answer(srv), sender, at.Add(askTick))
	want(at.Add(2*askTick), `TXT Küche\ Licht._http._tcp.local.`, "A kueche.local.") // the address is new: at once
	want(at.Add(2*askTick+askAgain), `TXT Küche\ Licht._http._tcp.local.`, "A kueche.local.")
	want(at.Add(2*askTick+2*askAgain), `TXT Küche\ Licht._http._tcp.local.`, "A kueche.local.")
	want(at.Add(2*askTick + 3*askAgain)) // maxAsks reached
}

// TestAssemblerIsBounded: a flood of instances and hosts from many senders
// (each within its share) is cut at the limits and counted, and so are the
// questions it would cause.
func TestAssemblerIsBounded(t *testing.T) {
	asm, got := newTestAssembler()
	now := time.Now()
	const perSender = 50
	for i := 0; i < maxCachedInstances+100; i += perSender {
		m := answer()
		for j := i; j < i+perSender; j++ {
			inst := fmt.Sprintf("bogus-%d._http._tcp.local.", j)
			host := fmt.Sprintf("bogus-%d.local.", j)
			m.Answer = append(m.Answer,
				&dns.PTR{Hdr: dns.RR_Header{Name: "_http._tcp.local.", Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 120}, Ptr: inst},
				&dns.A{Hdr: dns.RR_Header{Name: host, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 120}, A: net.IPv4(127, 77, 0, 1)})
		}
		asm.observe(m, netip.AddrFrom4([4]byte{127, 78, byte(i >> 8), byte(i)}), now)
	}
	asm.observe(answer(&dns.TXT{Hdr: dns.RR_Header{Name: "big._http._tcp.local.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 120},
		Txt: []string{strings.Repeat("x", 200), strings.Repeat("y", maxCachedTXT)}}), sender, now)
	if len(asm.instances) != maxCachedInstances || len(asm.hosts) != maxCachedHosts || asm.dropped == 0 || len(*got) != 0 {
		t.Errorf("%d instances, %d hosts, %d dropped, %d handed over", len(asm.instances), len(asm.hosts), asm.dropped, len(*got))
	}
	sent := 0
	for tick := 0; tick < 1000; tick++ {
		msgs := recordQuestions(asm.questions(now.Add(askAfter + time.Duration(tick)*askAgain)))
		if len(msgs) > maxTickMessages {
			t.Fatalf("%d messages at once", len(msgs))
		}
		for _, m := range msgs {
			if len(m) > maxQuestions {
				t.Fatalf("%d questions in one message", len(m))
			}
		}
		sent += len(msgs)
	}
	if sent != maxAskMessages {
		t.Errorf("sent %d question messages, want the limit %d", sent, maxAskMessages)
	}
	// A watch may ask again in the next window, for instances still
	// incomplete and announced anew.
	next := now.Add(1000*askAgain + askWindow)
	for i := 0; i < 20; i++ {
		inst := fmt.Sprintf("fresh-%d._http._tcp.local.", i)
		asm.observe(answer(&dns.PTR{Hdr: dns.RR_Header{Name: "_http._tcp.local.", Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 4500}, Ptr: inst}), sender, next)
	}
	if msgs := recordQuestions(asm.questions(next.Add(askAfter))); len(msgs) == 0 {
		t.Error("no questions in the next window")
	}
}

// FuzzAssemble feeds arbitrary packets to the assembler as the network
// would: nothing panics and nothing grows past its bounds.
func FuzzAssemble(f *testing.F) {
	ptr, srv, txt, a := kitchen(120)
	for _, m := range []*dns.Msg{answer(ptr, srv, txt, a), answer(ptr), answer(srv, a)} {
		b, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		asm, _ := newTestAssembler()
		asm.browse("_ipp._tcp")
		var m dns.Msg
		if m.Unpack(b) != nil {
			return
		}
		m.Response = true
		now := time.Now()
		asm.observe(&m, sender, now)
		asm.observe(&m, sender, now)
		asm.observe(&m, netip.MustParseAddr("fe80::1%eth0"), now)
		for _, qs := range recordQuestions(asm.questions(now.Add(askAfter))) {
			if len(qs) > maxQuestions {
				t.Fatalf("%d questions", len(qs))
			}
		}
		if len(asm.instances) > maxCachedInstances || len(asm.hosts) > maxCachedHosts {
			t.Fatalf("%d instances, %d hosts", len(asm.instances), len(asm.hosts))
		}
		total := share{}
		for from, sh := range asm.senders {
			if sh.instances > MaxInstancesPerSender || sh.hosts > MaxHostsPerSender || sh == (share{}) {
				t.Fatalf("%v holds %+v", from, sh)
			}
			total.instances += sh.instances
			total.hosts += sh.hosts
		}
		if total.instances != len(asm.instances) || total.hosts != len(asm.hosts) {
			t.Fatalf("shares add up to %+v, the cache holds %d instances and %d hosts", total, len(asm.instances), len(asm.hosts))
		}
		for _, c := range asm.instances {
			size := 0
			for _, s := range c.txt {
				size += len(s)
			}
			if size > maxCachedTXT {
				t.Fatalf("TXT of %d bytes kept", size)
			}
		}
	})
}

// recordQuestions leaves out of msgs the browses' PTR questions, which
// travel in messages of their own.
func recordQuestions(msgs [][]dns.Question) [][]dns.Question {
	return slices.DeleteFunc(msgs, func(qs []dns.Question) bool {
		return !slices.ContainsFunc(qs, func(q dns.Question) bool { return q.Qtype != dns.TypePTR })
	})
}

// TestAssemblerAsksForBrowsedTypes: the PTR question of each browsed type
// and of the type enumeration goes out at once, in one message for up to
// maxQuestions of them, then after one second, then at intervals that
// double up to maxRepeat (RFC 6762 §5.2).
func TestAssemblerAsksForBrowsedTypes(t *testing.T) {
	asm, _ := newTestAssembler() // browses _http._tcp
	asm.enumerate()
	for i := range maxQuestions {
		asm.browse(fmt.Sprintf("_t%d._tcp", i))
	}
	start := time.Now()
	asked := func(at time.Duration) (msgs, http int) {
		all := asm.questions(start.Add(at))
		for _, qs := range all {
			for _, q := range qs {
				if q.Name == "_http._tcp.local." && q.Qtype == dns.TypePTR {
					http++
				}
			}
		}
		return len(all), http
	}
	if msgs, http := asked(0); msgs != 2 || http != 1 {
		t.Errorf("at first: %d messages, _http._tcp asked %d times; want 2 messages (%d questions) and once", msgs, http, maxQuestions+2)
	}
	var times []time.Duration
	for at := askTick; at <= 5*time.Minute; at += askTick {
		if _, http := asked(at); http > 0 {
			times = append(times, at)
		}
	}
	want := []time.Duration{time.Second, 3 * time.Second, 7 * time.Second, 15 * time.Second, 31 * time.Second,
		63 * time.Second, 123 * time.Second, 183 * time.Second, 243 * time.Second}
	if !slices.Equal(times, want) {
		t.Errorf("asked again at %v, want %v", times, want)
	}
	var typs []string
	asm.onType = func(typ string, _ netip.Addr) { typs = append(typs, typ) }
	meta := func(target string, ttl uint32) dns.RR {
		return &dns.PTR{Hdr: dns.RR_Header{Name: "_services._dns-sd._udp.local.", Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: ttl}, Ptr: target}
	}
	asm.observe(answer(meta("_ipp._tcp.local.", 4500), meta("_ipp._tcp.local.", 4500), meta("_IPP._tcp.local.", 4500),
		meta("_bad.local.", 4500), meta("_goodbye._tcp.local.", 0)), sender, start)
	if !slices.Equal(typs, []string{"_ipp._tcp"}) {
		t.Errorf("the type enumeration named %q, want _ipp._tcp once", typs)
	}
}

// TestAssemblerSharesPerSender: one sender's flood of instances and hosts
// fills its share, not the cache: the rest is dropped and counted, another
// sender's device is put together all the same, a flooded instance the
// caller keeps is kept over the share, and the share is given back when
// the flood's records expire.
func TestAssemblerSharesPerSender(t *testing.T) {
	keptInst := keepSet{instances: map[string]bool{instanceKey("_http._tcp", "bogus-9999"): true},
		hosts: map[string]bool{"bogus-9999.local": true}}
	asm, got := newKeepingAssembler(keptInst)
	flooder := netip.MustParseAddr("127.66.0.1")
	now := time.Now()
	for i := 0; i < 10000; i += 50 {
		m := answer()
		for j := i; j < i+50; j++ {
			m.Answer = append(m.Answer, bogus(j, 120)...)
		}
		asm.observe(m, flooder, now)
	}
	ptr, srv, txt, a := kitchen(120)
	asm.observe(answer(ptr, srv, txt, a), sender, now)
	handed := map[string]bool{}
	for _, d := range *got {
		handed[d.e.Instance] = true
	}
	if len(asm.instances) != MaxInstancesPerSender+2 || len(asm.hosts) != MaxHostsPerSender+2 {
		t.Errorf("cached %d instances and %d hosts, want the flooder's share (%d, %d), the kept one and the kitchen",
			len(asm.instances), len(asm.hosts), MaxInstancesPerSender, MaxHostsPerSender)
	}
	if !handed[`Küche\ Licht`] || !handed["bogus-9999"] || len(handed) != MaxHostsPerSender+2 || asm.dropped == 0 {
		t.Errorf("handed over %d instances (kitchen %v, kept bogus-9999 %v), %d dropped", len(handed),
			handed[`Küche\ Licht`], handed["bogus-9999"], asm.dropped)
	}
	if sh := asm.senders[flooder]; sh.instances != MaxInstancesPerSender+1 || sh.hosts != MaxHostsPerSender+1 {
		t.Errorf("the flooder's share holds %+v, want the kept instance and host counted in it", sh)
	}
	asm.questions(now.Add(time.Hour)) // everything expired
	if len(asm.senders) != 0 || len(asm.instances) != 0 || len(asm.hosts) != 0 {
		t.Errorf("after expiry: %d senders, %d instances, %d hosts", len(asm.senders), len(asm.instances), len(asm.hosts))
	}
}

// bogus returns the records of a flooded instance, bogus-<i> on its own host.
func bogus(i int, ttl uint32) []dns.RR {
	inst := fmt.Sprintf("bogus-%d._http._tcp.local.", i)
	host := fmt.Sprintf("bogus-%d.local.", i)
	h := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
	}
	return []dns.RR{
		&dns.PTR{Hdr: h("_http._tcp.local.", dns.TypePTR), Ptr: inst},
		&dns.SRV{Hdr: h(inst, dns.TypeSRV), Target: host, Port: 80},
		&dns.TXT{Hdr: h(inst, dns.TypeTXT), Txt: []string{"bogus=1"}},
		&dns.A{Hdr: h(host, dns.TypeA), A: net.IPv4(127, 66, byte(i>>8), byte(i))},
	}
}
