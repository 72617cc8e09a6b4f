package discover

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/zeroconf/v2"
	"github.com/miekg/dns"
)

// The mDNS library hands over an instance only when its PTR, SRV, TXT and
// address records arrive in one message. Responders do not all send them so:
// some split them over several messages, some leave out records they sent
// less than a second ago (RFC 6762 §6), some answer only what was asked. The
// assembler listens to every mDNS answer during a scan or watch, keeps the
// records of the browsed types (bounded, with their TTLs), puts instances
// together across messages, and asks for what is still missing.

// Bounds of the assembler's cache and of the questions it sends.
const (
	// maxCachedInstances bounds the instances (and maxCachedHosts the host
	// names) whose records are kept; more are dropped.
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
)

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

// assembler keeps the records of the browsed types and hands over every
// instance it can complete. It is safe for concurrent use.
type assembler struct {
	onEntry func(typ string, e *zeroconf.ServiceEntry)

	mu        sync.Mutex
	types     map[string]string // lower-case "_http._tcp.local." → "_http._tcp"
	instances map[string]*cachedInstance
	hosts     map[string][]cachedAddr // lower-case host name → addresses
	// byTarget finds the instances on a host (lower-case SRV target).
	byTarget   map[string]map[*cachedInstance]bool
	asked      int // question messages sent since askedSince
	askedSince time.Time
	dropped    int
}

func newAssembler(onEntry func(typ string, e *zeroconf.ServiceEntry)) *assembler {
	return &assembler{
		onEntry:   onEntry,
		types:     make(map[string]string),
		instances: make(map[string]*cachedInstance),
		hosts:     make(map[string][]cachedAddr),
		byTarget:  make(map[string]map[*cachedInstance]bool),
	}
}

// droppedRecords counts the records not kept because the cache was full.
func (a *assembler) droppedRecords() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dropped
}

// browse makes the assembler keep the records of typ ("_http._tcp").
func (a *assembler) browse(typ string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.types[strings.ToLower(typ)+".local."] = typ
}

// observe takes in one mDNS message and hands over every instance it
// completed or changed.
func (a *assembler) observe(m *dns.Msg, now time.Time) {
	if !m.Response {
		return
	}
	var ready []*zeroconf.ServiceEntry
	var readyTypes []string
	a.mu.Lock()
	touched := map[*cachedInstance]bool{}
	for _, rrs := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range rrs {
			if c := a.record(rr, now); c != nil {
				touched[c] = true
			}
		}
	}
	for _, rrs := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range rrs {
			a.address(rr, now, touched)
		}
	}
	for c := range touched {
		if e, ok := a.entry(c, now); ok {
			ready, readyTypes = append(ready, e), append(readyTypes, c.typ)
		}
	}
	a.mu.Unlock()
	for i, e := range ready {
		a.onEntry(readyTypes[i], e)
	}
}

// ttl is when a record received at now expires; zero for a goodbye (TTL 0).
func ttl(rr dns.RR, now time.Time) time.Time {
	if rr.Header().Ttl == 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(rr.Header().Ttl) * time.Second)
}

// record caches a PTR, SRV or TXT record of a browsed type and returns its
// instance; a.mu must be held.
func (a *assembler) record(rr dns.RR, now time.Time) *cachedInstance {
	switch rr := rr.(type) {
	case *dns.PTR:
		typ, ok := a.types[strings.ToLower(rr.Hdr.Name)]
		if !ok || !dns.IsSubDomain(rr.Hdr.Name, rr.Ptr) {
			return nil
		}
		c := a.instance(rr.Ptr, typ, rr.Hdr.Name, now)
		if c != nil {
			c.ptr = ttl(rr, now)
		}
		return c
	case *dns.SRV:
		c := a.owned(rr.Hdr.Name, now)
		if c != nil {
			a.retarget(c, rr.Target)
			c.port, c.srv = int(rr.Port), ttl(rr, now)
		}
		return c
	case *dns.TXT:
		c := a.owned(rr.Hdr.Name, now)
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
func (a *assembler) owned(name string, now time.Time) *cachedInstance {
	labels := dns.Split(name)
	if len(labels) < 2 {
		return nil
	}
	typeName := name[labels[1]:]
	typ, ok := a.types[strings.ToLower(typeName)]
	if !ok {
		return nil
	}
	return a.instance(name, typ, typeName, now)
}

// instance returns the cached instance called name, adding it when there is
// room; a.mu must be held.
func (a *assembler) instance(name, typ, typeName string, now time.Time) *cachedInstance {
	key := strings.ToLower(name)
	if c, ok := a.instances[key]; ok {
		return c
	}
	if len(a.instances) >= maxCachedInstances {
		a.dropped++
		return nil
	}
	// The instance label as the mDNS library derives it from a PTR.
	label := strings.TrimSuffix(strings.TrimSuffix(name, "."), "."+strings.TrimSuffix(typeName, "."))
	if len(label) == len(strings.TrimSuffix(name, ".")) {
		return nil
	}
	c := &cachedInstance{typ: typ, instance: label, name: name, first: now}
	a.instances[key] = c
	return c
}

// address caches an A or AAAA record and marks the instances on that host
// as touched; a.mu must be held.
func (a *assembler) address(rr dns.RR, now time.Time, touched map[*cachedInstance]bool) {
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
	addrs, known := a.hosts[key]
	if !known && len(a.hosts) >= maxCachedHosts {
		a.dropped++
		return
	}
	exp := ttl(rr, now)
	i := slices.IndexFunc(addrs, func(c cachedAddr) bool { return c.ip.Equal(ip) })
	switch {
	case i >= 0:
		addrs[i].exp = exp
	case len(addrs) < maxCachedAddrs:
		addrs = append(addrs, cachedAddr{ip: slices.Clone(ip), exp: exp})
	}
	a.hosts[key] = addrs
	for c := range a.byTarget[key] {
		touched[c] = true
	}
}

// entry returns c as the mDNS library would deliver it, when c is complete
// (PTR, SRV, TXT — every DNS-SD service has one, RFC 6763 §6 — and an
// address, none expired) and differs from what was handed over last; a.mu
// must be held.
func (a *assembler) entry(c *cachedInstance, now time.Time) (*zeroconf.ServiceEntry, bool) {
	live := func(t time.Time) bool { return t.After(now) }
	if !live(c.ptr) || !live(c.srv) || !live(c.txtExp) {
		return nil, false
	}
	e := &zeroconf.ServiceEntry{
		ServiceRecord: zeroconf.ServiceRecord{Instance: c.instance, Service: c.typ, Domain: "local."},
		HostName:      c.target, Port: c.port, Text: c.txt, Expiry: minTime(minTime(c.ptr, c.srv), c.txtExp),
	}
	for _, ad := range a.hosts[strings.ToLower(c.target)] {
		if !live(ad.exp) {
			continue
		}
		if ad.ip.To4() != nil {
			e.AddrIPv4 = append(e.AddrIPv4, ad.ip)
		} else {
			e.AddrIPv6 = append(e.AddrIPv6, ad.ip)
		}
	}
	if len(e.AddrIPv4)+len(e.AddrIPv6) == 0 {
		return nil, false
	}
	sig := strings.Join([]string{c.target, strconv.Itoa(c.port), strings.Join(e.Text, "\x00"), addrList(e.AddrIPv4), addrList(e.AddrIPv6)}, "\x01")
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

// questions returns the messages of questions for what incomplete
// instances still miss (at most maxQuestions each, maxTickMessages in all),
// and forgets expired records; nil when there is nothing to ask or the
// assembler has asked all it may in this askWindow.
func (a *assembler) questions(now time.Time) [][]dns.Question {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expire(now)
	if now.Sub(a.askedSince) >= askWindow {
		a.asked, a.askedSince = 0, now
	}
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
		if c.target != "" && !slices.ContainsFunc(a.hosts[strings.ToLower(c.target)], func(ad cachedAddr) bool { return ad.exp.After(now) }) {
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
	return msgs
}

// expire forgets records whose TTL ran out, and instances and hosts left
// with none; a.mu must be held.
func (a *assembler) expire(now time.Time) {
	for k, c := range a.instances {
		if !c.ptr.After(now) && !c.srv.After(now) && !c.txtExp.After(now) && now.Sub(c.first) > askAgain {
			a.retarget(c, "")
			delete(a.instances, k)
		}
	}
	for k, addrs := range a.hosts {
		addrs = slices.DeleteFunc(addrs, func(ad cachedAddr) bool { return !ad.exp.After(now) })
		if len(addrs) == 0 {
			delete(a.hosts, k)
		} else {
			a.hosts[k] = addrs
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
