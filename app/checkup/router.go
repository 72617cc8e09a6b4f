package checkup

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/igd"
	"github.com/porchlight/porchlight/devices/natpmp"
	"github.com/porchlight/porchlight/devices/ssdp"
)

// Router is what the router check observed (read-only) on a device that
// is an Internet Gateway Device: UPnP IGD's state, the port mappings and
// the internet address, shown as evidence.
type Router struct {
	// UPnP is set when the router answered UPnP IGD control requests.
	UPnP bool `json:"upnp"`
	// DefaultRoute is set when the system's default route points at it.
	DefaultRoute bool `json:"default_route"`
	// ExternalAddress is the internet address it reports, as evidence.
	ExternalAddress string          `json:"external_address,omitempty"`
	Mappings        []RouterMapping `json:"mappings"`
	// Complete is set when the list of mappings was read to its end.
	Complete bool           `json:"complete"`
	Evidence []igd.Exchange `json:"evidence"`
	// Error says why the check stopped early ("" when it did not).
	Error string `json:"error,omitempty"`
	// NATPMP is the router's answer to a NAT-PMP external address request
	// (RFC 6886), nil when it gave none.
	NATPMP *natpmp.Answer `json:"natpmp,omitempty"`
	// PCP is the router's answer to a PCP ANNOUNCE request (RFC 6887), nil
	// when it gave none; version 0 is a NAT-PMP-only router's "unsupported
	// version".
	PCP *natpmp.PCPAnswer `json:"pcp,omitempty"`
	// PlainAdmin is the router's own page, as its UPnP description names
	// it, when that page is plain HTTP ("" otherwise).
	PlainAdmin string `json:"plain_admin,omitempty"`
	// Steps are the person's steps to close mappings and keep devices from
	// opening ports through UPnP: the router maker's, with their source,
	// else general ones.
	Steps Steps `json:"steps"`
}

// RouterMapping is one port mapping and the device of the household it
// points at, when the scan found one there.
type RouterMapping struct {
	igd.Mapping
	DeviceID   string `json:"device_id,omitempty"`
	DeviceName string `json:"device_name,omitempty"`
}

// gatewayOf returns the IGD root service a device announced over SSDP,
// and whether it has one.
func gatewayOf(d discover.Device) (discover.Service, bool) {
	i := slices.IndexFunc(d.Services, ssdp.IsGateway)
	if i < 0 {
		return discover.Service{}, false
	}
	return d.Services[i], true
}

// checkRouters runs the router check on every gateway among devices and
// among household (the devices remembered, some not being checked), and adds its
// findings to the cards: a checked router's own 5.6 line, and the 5.6
// line of each checked device a mapping points at. Nothing on a router
// changes.
func checkRouters(ctx context.Context, devices, household []discover.Device, cards []Scorecard, n devhttp.Network, timeout time.Duration) {
	gw, hasRoute := igd.DefaultGateway()
	all := slices.Concat(devices, household)
	for i, d := range all {
		s, ok := gatewayOf(d)
		if !ok || (i >= len(devices) && slices.ContainsFunc(devices, func(o discover.Device) bool { return o.ID == d.ID })) {
			continue
		}
		addr := discover.PreferredAddress(d.Addresses)
		r := checkRouter(ctx, addr, s, n, timeout)
		r.DefaultRoute = hasRoute && gw == addr.Unmap()
		for k, m := range r.Mappings {
			r.Mappings[k] = mappedTo(m.Mapping, cards, household)
		}
		name := d.Name
		guide, hasGuide, _ := catalog.RouterGuideFor(s.TXT[ssdp.KeyManufacturer])
		if i < len(devices) {
			if a, err := natpmp.ExternalAddress(ctx, n, addr, min(timeout, time.Second)); err == nil {
				r.NATPMP = &a
			}
			if a, err := natpmp.Announce(ctx, n, addr, min(timeout, time.Second)); err == nil {
				r.PCP = &a
			}
			cards[i].Router = r
			r.Steps = routerFix(guide, hasGuide).Steps
			identifyRouter(&cards[i], s)
			routerLine(&cards[i], r, guide, hasGuide)
			r.PlainAdmin = adminLine(&cards[i], s)
			name = cards[i].Device.Name
		}
		for _, m := range r.Mappings {
			if j := slices.IndexFunc(cards, func(c Scorecard) bool { return c.Device.ID == m.DeviceID }); m.DeviceID != "" && j >= 0 && j != i {
				openedLine(&cards[j], m, name, guide, hasGuide)
			}
		}
	}
	for i := range cards {
		recount(&cards[i])
	}
}

// checkRouter reads the IGD of the router at addr that announced s.
func checkRouter(ctx context.Context, addr netip.Addr, s discover.Service, n devhttp.Network, timeout time.Duration) *Router {
	r := &Router{Mappings: []RouterMapping{}, Evidence: []igd.Exchange{}}
	port, path, err := ssdp.DescriptionURL(s.TXT[ssdp.KeyLocation], addr)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	rep, err := igd.Check(ctx, n, igd.Router{Addr: addr, Port: port, Path: path}, timeout)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.UPnP, r.ExternalAddress, r.Complete, r.Error = true, rep.ExternalAddress, rep.Complete, rep.Error
	if rep.Evidence != nil {
		r.Evidence = rep.Evidence
	}
	for _, m := range rep.Mappings {
		r.Mappings = append(r.Mappings, RouterMapping{Mapping: m})
	}
	return r
}

// mappedTo names the device a mapping points at: a device being checked
// (by the name its card shows), else one of the household's.
func mappedTo(m igd.Mapping, cards []Scorecard, household []discover.Device) RouterMapping {
	rm := RouterMapping{Mapping: m}
	a, ok := m.Client()
	if !ok {
		return rm
	}
	for _, c := range cards {
		if slices.Contains(c.Device.Addresses, a.String()) {
			rm.DeviceID, rm.DeviceName = c.Device.ID, c.Device.Name
			return rm
		}
	}
	for _, d := range household {
		if slices.ContainsFunc(d.Addresses, func(b netip.Addr) bool { return b.Unmap() == a }) {
			rm.DeviceID, rm.DeviceName = d.ID, d.Name
			return rm
		}
	}
	return rm
}

// identifyRouter fills in the router's maker, model and firmware from its
// UPnP description and SSDP answer, where identification found none.
func identifyRouter(c *Scorecard, s discover.Service) {
	if c.Device.Vendor == "" {
		c.Device.Vendor = s.TXT[ssdp.KeyManufacturer]
	}
	if c.Device.Model == "" {
		c.Device.Model = s.TXT[ssdp.KeyModel]
	}
	if c.Device.Firmware == "" {
		c.Device.Firmware = firmwareOf(s.TXT[ssdp.KeyServer])
	}
}

// firmwareOf reads a version from an SSDP SERVER value's product part,
// "FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57" → "154.07.57":
// the last word after "UPnP/x.y", when it is a dotted number.
func firmwareOf(server string) string {
	_, product, ok := strings.Cut(server, "UPnP/")
	if !ok {
		return ""
	}
	words := strings.Fields(product)
	if len(words) < 2 {
		return ""
	}
	v := words[len(words)-1]
	if strings.Contains(v, ".") && strings.Trim(v, "0123456789.") == "" {
		return v
	}
	return ""
}

// describeMapping is one mapping in plain words: "Küche Licht opened port
// 8080 (TCP)" or, for an address no device of the scan has, the address.
func describeMapping(m RouterMapping) Reason {
	who := Reason{Text: m.DeviceName}
	if m.DeviceName == "" {
		who = reason("router.unknown.device", m.InternalClient)
	}
	return reason("router.mapping", who, m.ExternalPort, m.Protocol, m.InternalPort)
}

// routerLine writes the router's 5.6 line: UPnP IGD on with port mappings
// is a problem, each mapping named.
func routerLine(c *Scorecard, r *Router, guide catalog.RouterGuide, hasGuide bool) {
	l := lineOf(c, "5.6")
	if l == nil {
		return
	}
	ev := Reasons{}
	for _, e := range r.Evidence {
		ev = append(ev, reason("evidence.management", e.Asked, e.Saw))
	}
	if r.ExternalAddress != "" {
		ev = append(ev, reason("evidence.router.external", r.ExternalAddress))
	}
	if r.DefaultRoute {
		ev = append(ev, reason("evidence.router.route"))
	}
	var natpmpSays Reasons
	if a := r.NATPMP; a != nil && a.Result == 0 {
		ev = append(ev, reason("evidence.router.natpmp", a.External.String()))
		natpmpSays = Reasons{reason("router.natpmp")}
	}
	switch a := r.PCP; {
	case a == nil:
	case a.SpeaksPCP():
		ev = append(ev, reason("evidence.router.pcp", a.Result, cmp.Or(a.ResultName(), "?"), int(a.Epoch)))
		if a.Result == natpmp.PCPSuccess {
			natpmpSays = append(natpmpSays, reason("router.pcp"))
		}
	default:
		ev = append(ev, reason("evidence.router.pcp.natpmponly", a.Result, cmp.Or(a.ResultName(), "?")))
	}
	defer func() { l.Says = slices.Insert(l.Says, min(1, len(l.Says)), natpmpSays...) }()
	switch {
	case !r.UPnP:
		l.Says = append(Reasons{reason("router.upnp.unknown")}, l.Says...)
		l.Evidence = append(l.Evidence, reason("evidence.failed", r.Error))
		return
	case len(r.Mappings) == 0:
		l.Says = append(Reasons{reason("router.upnp.nomappings")}, l.Says...)
		l.Evidence = append(ev, l.Evidence...)
		return
	}
	items := make([]Reason, len(r.Mappings))
	for i, m := range r.Mappings {
		items[i] = describeMapping(m)
	}
	becomeProblem(l)
	l.next = "next.router.mappings"
	l.Says = append(Reasons{reason("router.upnp.mappings", len(r.Mappings), list(items))}, l.Says...)
	if !r.Complete {
		l.Says = append(l.Says, reason("router.incomplete"))
	}
	l.Evidence = append(ev, l.Evidence...)
	l.Fix = routerFix(guide, hasGuide)
}

// adminLine adds to the router's 5.5 line that its admin page, as its
// description names it, is plain HTTP: the router's password crosses the
// home network unencrypted. It returns that page ("" when it is not plain
// HTTP).
func adminLine(c *Scorecard, s discover.Service) string {
	page := s.TXT[ssdp.KeyPresentation]
	l := lineOf(c, "5.5")
	if l == nil || !strings.HasPrefix(strings.ToLower(page), "http://") {
		return ""
	}
	becomeProblem(l)
	l.Says = append(Reasons{reason("router.admin.plain")}, l.Says...)
	l.Evidence = append(Reasons{reason("evidence.router.admin", page)}, l.Evidence...)
	if l.Fix == nil {
		l.Fix = saysFix(false, "fix.router.https")
	}
	return page
}

// openedLine adds to a device's 5.6 line that it opened a port on the router.
func openedLine(c *Scorecard, m RouterMapping, router string, guide catalog.RouterGuide, hasGuide bool) {
	l := lineOf(c, "5.6")
	if l == nil {
		return
	}
	becomeProblem(l)
	l.next = "next.router.opened"
	l.Says = append(Reasons{reason("router.opened", m.ExternalPort, m.Protocol, router)}, l.Says...)
	l.Evidence = append(Reasons{reason("evidence.router.mapping", router, m.ExternalPort, m.Protocol, m.InternalClient, m.InternalPort, m.Description)}, l.Evidence...)
	l.Fix = routerFix(guide, hasGuide)
}

// routerFix is the maker's steps to close mappings, else general ones.
func routerFix(guide catalog.RouterGuide, hasGuide bool) *Fix {
	if hasGuide {
		steps := Steps{}
		for _, lang := range Languages {
			steps[lang] = append(slices.Clone(guide.CloseMappings[lang]), text(lang, "router.steps.source", guide.Source))
		}
		return &Fix{Steps: steps}
	}
	steps := Steps{}
	for _, lang := range Languages {
		for k := 1; k <= 3; k++ {
			steps[lang] = append(steps[lang], text(lang, "router.steps.general."+strconv.Itoa(k)))
		}
	}
	return &Fix{Steps: steps}
}

// becomeProblem makes l a problem; a line that could not tell anything
// before drops what it said (that nothing was observable no longer holds).
func becomeProblem(l *Line) {
	if l.Status == Unknown {
		l.Says = nil
	}
	l.Status = Problem
}

func lineOf(c *Scorecard, provision string) *Line {
	for i := range c.Lines {
		if c.Lines[i].Provision == provision {
			return &c.Lines[i]
		}
	}
	return nil
}

// recount counts a card's problems again after the router check.
func recount(c *Scorecard) {
	c.Problems, c.Actionable = 0, 0
	for _, l := range c.Lines {
		if l.Status == Problem {
			c.Problems++
		}
		if l.Actionable() {
			c.Actionable++
		}
	}
}
