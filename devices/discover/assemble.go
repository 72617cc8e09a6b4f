package discover

import (
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// The assembler is Porchlight's mDNS querier. It asks for the instances of
// the browsed types and for the type enumeration (RFC 6763 §9), and takes
// in every mDNS answer heard during a scan or watch (see listener), with
// its sender. Responders do not all send an instance's PTR, SRV, TXT and
// address records in one message: some split them over several messages,
// some leave out records they sent less than a second ago (RFC 6762 §6),
// some answer only what was asked. So the assembler keeps the records of
// the browsed types (bounded in all and per sender, with their TTLs), puts
// instances together across messages, and asks for what is still missing.

// Bounds of the assembler's cache and of the questions it sends.
const (
	// maxCachedInstances bounds the instances (and maxCachedHosts the host
	// names) whose records are kept; more are dropped. Each sender's share
	// is bounded too (MaxInstancesPerSender, MaxHostsPerSender).
	maxCachedInstances = 2 * MaxDevices
	maxCachedHosts     = 2 * MaxDevices
	// maxCachedAddrs bounds the addresses kept per host name.
	maxCachedAddrs = MaxAddressesPerDevice
	// maxCachedTXT bounds the bytes of one cached TXT record.
	maxCachedTXT = MaxTXTBytes
	// askAfter is how long an instance may stay incomplete before the
	// assembler asks for its missing records, and askAgain how long it
	// waits before asking again (at most maxAsks times per instance).
	askAfter = 250 * time.Millisecond
	askAgain = time.Second
	maxAsks  = 4
	// maxQuestions bounds the questions in one message, maxTickMessages
	// the messages sent at once and maxAskMessages those sent in an
	// askWindow (a scan lasts less): a flood of bogus instances must not
	// make Porchlight flood the network in turn.
	// refreshBefore: an unchanged instance whose records were renewed is
	// handed over again once what was handed over has less than this to
	// live, so that a watch does not let it expire.
	refreshBefore   = time.Minute
	maxQuestions    = 16
	maxTickMessages = 4
	maxAskMessages  = 256
	askWindow       = 10 * time.Minute
	// A browsed type's PTR question (and the type enumeration's) is sent
	// at once, again after firstRepeat, then at intervals that double up
	// to maxRepeat (RFC 6762 §5.2 asks for at least one second, then at
	// least doubling): a second chance within a scan for answers lost on
	// the way, and in a watch a question at least once a minute.
	firstRepeat = time.Second
	maxRepeat   = time.Minute
)

// asking is the schedule of one PTR question a browse sends.
type asking struct {
	name  string // "_http._tcp.local."
	next  time.Time
	every time.Duration // the interval after next; zero before the first
	asked int           // how many times it was sent
}

// cachedInstance holds the records of one service instance.
type cachedInstance struct {
	typ string // browsed type, e.g. "_http._tcp"
	// instance is the instance label as the mDNS library would give it
	// (still escaped), and name the instance's full owner name.
	instance, name string
	ptr            time.Time // PTR expiry; zero: no PTR (yet)
	target         string
	port           int
	srv            time.Time // SRV expiry
	txt            []string
	txtExp         time.Time
	first          time.Time
	asks           int
	asked          time.Time
	askedFor       string // the questions asked last
	// from is the sender whose answer first named the instance: the
	// instance counts toward its share.
	from netip.Addr
	// sent is what was last handed over and sentExp when it expires: a
	// change is handed over at once, a refresh once the last one has
	// less than refreshBefore to live.
	sent    string
	sentExp time.Time
}

// cachedAddr is one address of a host name and when it expires.
type cachedAddr struct {
	ip  net.IP
	exp time.Time
}

// cachedHost holds the addresses of one host name, and the sender whose
// answer first named it: the host counts toward its share.
type cachedHost struct {
	addrs []cachedAddr
	from  netip.Addr
}

// share is what one sender has in the cache.
type share struct{ instances, hosts int }

// assembler asks for the browsed types, keeps their records and hands over
// every instance it can complete. It is safe for concurrent use.
type assembler struct {
	onEntry func(typ string, e *entry)
	// onType is called with every service type the type enumeration
	// (RFC 6763 §9) names, and who named it.
	onType func(typ string, from netip.Addr)
	// keep names what no limit drops.
	keep keepSet

	mu        sync.Mutex
	types     map[string]string // lower-case "_http._tcp.local." → "_http._tcp"
	browsing  []*asking
	instances map[string]*cachedInstance
	hosts     map[string]*cachedHost // by lower-case host name
	// senders holds each sender's share; a sender with nothing cached has
	// no entry.
	senders map[netip.Addr]share
	// byTarget finds the instances on a host (lower-case SRV target).
	byTarget   map[string]map[*cachedInstance]bool
	asked      int // question messages sent since askedSince
	askedSince time.Time
	// browsed is when the last PTR question of a browse was sent.
	browsed time.Time
	dropped int
}

func newAssembler(onEntry func(typ string, e *entry), onType func(typ string, from netip.Addr), keep keepSet) *assembler {
	return &assembler{
		onEntry:   onEntry,
		onType:    onType,
		keep:      keep,
		types:     make(map[string]string),
		instances: make(map[string]*cachedInstance),
		hosts:     make(map[string]*cachedHost),
		senders:   make(map[netip.Addr]share),
		byTarget:  make(map[string]map[*cachedInstance]bool),
	}
}

// count adds to from's share; a.mu must be held.
func (a *assembler) count(from netip.Addr, instances, hosts int) {
	sh := a.senders[from]
	sh.instances += instances
	sh.hosts += hosts
	if sh == (share{}) {
		delete(a.senders, from)
	} else {
		a.senders[from] = sh
	}
}

// droppedRecords counts the records not kept because the cache was full.
func (a *assembler) droppedRecords() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dropped
}

// browse makes the assembler ask for the instances of typ ("_http._tcp")
// and keep their records.
func (a *assembler) browse(typ string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.types[strings.ToLower(typ)+".local."] = typ
	a.browsing = append(a.browsing, &asking{name: typ + ".local."})
}

// enumerate makes the assembler ask for the service types on the network
// (RFC 6763 §9); onType hears them.
func (a *assembler) enumerate() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.browsing = append(a.browsing, &asking{name: metaQuery + ".local."})
}

// observe takes in one mDNS message from sender from, hands over every
// instance it completed or changed and reports the service types it names.
func (a *assembler) observe(m *dns.Msg, from netip.Addr, now time.Time) {
	if !m.Response {
		return
	}
	var ready []*entry
	var readyTypes, named []string
	a.mu.Lock()
	touched := map[*cachedInstance]bool{}
	for _, rrs := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range rrs {
			if t := enumerated(rr); t != "" {
				if !slices.Contains(named, t) {
					named = append(named, t)
				}
				continue
			}
			if c := a.record(rr, from, now); c != nil {
				touched[c] = true
			}
		}
	}
	for _, rrs := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range rrs {
			a.address(rr, from, now, touched)
		}
	}
	for c := range touched {
		if e, ok := a.entry(c, now); ok {
			ready, readyTypes = append(ready, e), append(readyTypes, c.typ)
		}
	}
	a.mu.Unlock()
	for _, t := range named {
		a.onType(t, from)
	}
	for i, e := range ready {
		a.onEntry(readyTypes[i], e)
	}
}

// enumerated returns the service type a PTR record of the type enumeration
// (RFC 6763 §9) names, e.g. "_http._tcp"; "" for any other record or a
// name that is not a service type.
func enumerated(rr dns.RR) string {
	ptr, ok := rr.(*dns.PTR)
	if !ok || !strings.EqualFold(ptr.Hdr.Name, metaQuery+".local.") || ptr.Hdr.Ttl == 0 {
		return ""
	}
	return normaliseType(DecodeName(ptr.Ptr))
}

// ttl is when a record received at now expires; zero for a goodbye (TTL 0).
func ttl(rr dns.RR, now time.Time) time.Time {
	if rr.Header().Ttl == 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(rr.Header().Ttl) * time.Second)
}

// record caches a PTR, SRV or TXT record of a browsed type, sent by from,
// and returns its instance; a.mu must be held.
func (a *assembler) record(rr dns.RR, from netip.Addr, now time.Time) *cachedInstance {
	switch rr := rr.(type) {
	case *dns.PTR:
		typ, ok := a.types[strings.ToLower(rr.Hdr.Name)]
		if !ok || !dns.IsSubDomain(rr.Hdr.Name, rr.Ptr) {
			return nil
		}
		c := a.instance(rr.Ptr, typ, rr.Hdr.Name, from, now)
		if c != nil {
			c.ptr = ttl(rr, now)
		}
		return c
	case *dns.SRV:
		c := a.owned(rr.Hdr.Name, from, now)
		if c != nil {
			a.retarget(c, rr.Target)
			c.port, c.srv = int(rr.Port), ttl(rr, now)
		}
		return c
	case *dns.TXT:
		c := a.owned(rr.Hdr.Name, from, now)
		if c != nil {
			c.txt, c.txtExp = boundTXT(rr.Txt), ttl(rr, now)
		}
		return c
	}
	return nil
}

// retarget records that c runs on host target ("": on none); a.mu must
// be held.
func (a *assembler) retarget(c *cachedInstance, target string) {
	if old := strings.ToLower(c.target); old != "" {
		delete(a.byTarget[old], c)
		if len(a.byTarget[old]) == 0 {
			delete(a.byTarget, old)
		}
	}
	c.target = target
	key := strings.ToLower(target)
	if key == "" {
		return
	}
	if a.byTarget[key] == nil {
		a.byTarget[key] = map[*cachedInstance]bool{}
	}
	a.byTarget[key][c] = true
}

// owned returns the instance an SRV or TXT record's owner name belongs to,
// when its type is browsed; a.mu must be held.
func (a *assembler) owned(name string, from netip.Addr, now time.Time) *cachedInstance {
	labels := dns.Split(name)
	if len(labels) < 2 {
		return nil
	}
	typeName := name[labels[1]:]
	typ, ok := a.types[strings.ToLower(typeName)]
	if !ok {
		return nil
	}
	return a.instance(name, typ, typeName, from, now)
}

// instance returns the cached instance called name, adding it, on behalf
// of sender from, when there is room in all and in from's share or when
// it is kept; a.mu must be held.
func (a *assembler) instance(name, typ, typeName string, from netip.Addr, now time.Time) *cachedInstance {
	key := strings.ToLower(name)
	if c, ok := a.instances[key]; ok {
		return c
	}
	// The instance label as the mDNS library derives it from a PTR.
	label := strings.TrimSuffix(strings.TrimSuffix(name, "."), "."+strings.TrimSuffix(typeName, "."))
	if len(label) == len(strings.TrimSuffix(name, ".")) {
		return nil
	}
	full := len(a.instances) >= maxCachedInstances || a.senders[from].instances >= MaxInstancesPerSender
	if full && !a.keep.instance(typ, label) {
		a.dropped++
		return nil
	}
	c := &cachedInstance{typ: typ, instance: label, name: name, first: now, from: from}
	a.instances[key] = c
	a.count(from, 1, 0)
	return c
}

// address caches an A or AAAA record sent by from and marks the instances
// on that host as touched. A host name is added when there is room in all
// and in from's share, or when it is kept; a.mu must be held.
func (a *assembler) address(rr dns.RR, from netip.Addr, now time.Time, touched map[*cachedInstance]bool) {
	var host string
	var ip net.IP
	switch rr := rr.(type) {
	case *dns.A:
		host, ip = rr.Hdr.Name, rr.A
	case *dns.AAAA:
		host, ip = rr.Hdr.Name, rr.AAAA
	default:
		return
	}
	key := strings.ToLower(host)
	h, known := a.hosts[key]
	if !known {
		full := len(a.hosts) >= maxCachedHosts || a.senders[from].hosts >= MaxHostsPerSender
		if full && !a.keep.hostName(host) {
			a.dropped++
			return
		}
		h = &cachedHost{from: from}
		a.hosts[key] = h
		a.count(from, 0, 1)
	}
	exp := ttl(rr, now)
	i := slices.IndexFunc(h.addrs, func(c cachedAddr) bool { return c.ip.Equal(ip) })
	switch {
	case i >= 0:
		h.addrs[i].exp = exp
	case len(h.addrs) < maxCachedAddrs:
		h.addrs = append(h.addrs, cachedAddr{ip: slices.Clone(ip), exp: exp})
	}
	for c := range a.byTarget[key] {
		touched[c] = true
	}
}

// entry returns c, when c is complete (PTR, SRV, TXT — every DNS-SD service
// has one, RFC 6763 §6 — and an address, none expired) and differs from
// what was handed over last; a.mu must be held.
func (a *assembler) entry(c *cachedInstance, now time.Time) (*entry, bool) {
	live := func(t time.Time) bool { return t.After(now) }
	if !live(c.ptr) || !live(c.srv) || !live(c.txtExp) {
		return nil, false
	}
	e := &entry{Instance: c.instance, HostName: c.target, Port: c.port, Text: c.txt, Expiry: minTime(minTime(c.ptr, c.srv), c.txtExp)}
	for _, ad := range a.addrs(c.target) {
		if live(ad.exp) {
			e.Addrs = append(e.Addrs, ad.ip)
		}
	}
	if len(e.Addrs) == 0 {
		return nil, false
	}
	sig := strings.Join([]string{c.target, strconv.Itoa(c.port), strings.Join(e.Text, "\x00"), addrList(e.Addrs)}, "\x01")
	if sig == c.sent && c.sentExp.Sub(now) > refreshBefore {
		return nil, false
	}
	c.sent, c.sentExp = sig, e.Expiry
	return e, true
}

func addrList(ips []net.IP) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ",")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// boundTXT keeps a TXT record's strings up to maxCachedTXT bytes.
func boundTXT(txt []string) []string {
	out, size := make([]string, 0, len(txt)), 0
	for _, s := range txt {
		if size += len(s); size > maxCachedTXT {
			break
		}
		out = append(out, s)
	}
	return out
}

// questions returns the messages of questions due at now: the browses'
// PTR questions (see asking), then questions for what incomplete instances
// still miss (at most maxQuestions in a message, and maxTickMessages of
// them; none once the assembler has asked all it may in this askWindow).
// It also forgets expired records.
func (a *assembler) questions(now time.Time) [][]dns.Question {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expire(now)
	if now.Sub(a.askedSince) >= askWindow {
		a.asked, a.askedSince = 0, now
	}
	var browse []dns.Question
	for _, b := range a.browsing {
		if now.Before(b.next) {
			continue
		}
		browse = append(browse, dns.Question{Name: b.name, Qtype: dns.TypePTR, Qclass: dns.ClassINET})
		b.next = now.Add(max(b.every, firstRepeat))
		b.every = min(max(2*b.every, 2*firstRepeat), maxRepeat)
		b.asked++
		a.browsed = now
	}
	browsed := slices.Collect(slices.Chunk(browse, maxQuestions))
	var msgs [][]dns.Question
	var qs []dns.Question
	seen := map[string]bool{}
	full := func() bool { return a.asked+len(msgs) >= maxAskMessages || len(msgs) >= maxTickMessages }
	for _, c := range a.instances {
		if full() {
			break
		}
		if !c.ptr.After(now) || c.asks >= maxAsks || now.Sub(c.first) < askAfter {
			continue
		}
		var missing []dns.Question
		if !c.srv.After(now) {
			missing = append(missing, dns.Question{Name: c.name, Qtype: dns.TypeSRV, Qclass: dns.ClassINET})
		}
		if !c.txtExp.After(now) {
			missing = append(missing, dns.Question{Name: c.name, Qtype: dns.TypeTXT, Qclass: dns.ClassINET})
		}
		if c.target != "" && !slices.ContainsFunc(a.addrs(c.target), func(ad cachedAddr) bool { return ad.exp.After(now) }) {
			missing = append(missing, dns.Question{Name: c.target, Qtype: dns.TypeA, Qclass: dns.ClassINET})
		}
		key := questionKey(missing)
		// Ask again for the same records after askAgain; for records
		// newly known to be missing (the address of a target just
		// learnt), at once.
		if len(missing) == 0 || (key == c.askedFor && now.Sub(c.asked) < askAgain) {
			continue
		}
		for _, q := range missing {
			k := questionKey([]dns.Question{q})
			if seen[k] {
				continue
			}
			seen[k] = true
			qs = append(qs, q)
			if len(qs) == maxQuestions {
				msgs, qs = append(msgs, qs), nil
			}
		}
		c.asks, c.asked, c.askedFor = c.asks+1, now, key
	}
	if len(qs) > 0 && !full() {
		msgs = append(msgs, qs)
	}
	a.asked += len(msgs)
	return append(browsed, msgs...)
}

// askedTwice reports whether every browsed type's PTR question (and the
// type enumeration's) has been sent at least twice, and none for quiet
// since. The second question comes at least firstRepeat after the first:
// a responder that multicast its answer moments before, for another
// querier or for our previous scan, holds it back from the first (RFC
// 6762 §6; avahi-daemon drops an answer it sent less than 500 ms ago) and
// answers the second, within 120 ms.
func (a *assembler) askedTwice(now time.Time, quiet time.Duration) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, b := range a.browsing {
		if b.asked < 2 {
			return false
		}
	}
	return now.Sub(a.browsed) >= quiet
}

// addrs returns the cached addresses of host (as an SRV target names it);
// a.mu must be held.
func (a *assembler) addrs(host string) []cachedAddr {
	if h := a.hosts[strings.ToLower(host)]; h != nil {
		return h.addrs
	}
	return nil
}

// expire forgets records whose TTL ran out, and instances and hosts left
// with none; a.mu must be held.
func (a *assembler) expire(now time.Time) {
	for k, c := range a.instances {
		if !c.ptr.After(now) && !c.srv.After(now) && !c.txtExp.After(now) && now.Sub(c.first) > askAgain {
			a.retarget(c, "")
			delete(a.instances, k)
			a.count(c.from, -1, 0)
		}
	}
	for k, h := range a.hosts {
		h.addrs = slices.DeleteFunc(h.addrs, func(ad cachedAddr) bool { return !ad.exp.After(now) })
		if len(h.addrs) == 0 {
			delete(a.hosts, k)
			a.count(h.from, 0, -1)
		}
	}
}

// questionKey names a set of questions.
func questionKey(qs []dns.Question) string {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(strings.ToLower(q.Name) + "/" + dns.TypeToString[q.Qtype] + " ")
	}
	return b.String()
}
