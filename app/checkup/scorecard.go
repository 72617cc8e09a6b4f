// Package checkup turns what Porchlight observed about a device into a
// scorecard against the consumer-IoT security baseline ETSI EN 303 645: one
// line per provision group (5.1 … 5.13 and 6), each with a status, a plain
// sentence, the evidence and the fix available. The lines are observations,
// never certificates: a device is never called compliant.
package checkup

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/devices/catalog"
	"github.com/porchlight/porchlight/devices/discover"
	"github.com/porchlight/porchlight/devices/identify"
	"github.com/porchlight/porchlight/devices/probe"
	"github.com/porchlight/porchlight/devices/rtsp"
	"github.com/porchlight/porchlight/devices/wsd"
)

// Status is a line's outcome.
type Status string

// The statuses of a line.
const (
	OK            Status = "ok"
	Problem       Status = "problem"
	Unknown       Status = "unknown"
	NotApplicable Status = "not applicable"
)

// Provisions are the EN 303 645 provision groups, in order.
var Provisions = []string{"5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "6"}

// Line is one provision group's observation.
type Line struct {
	// Provision is the EN 303 645 provision group, e.g. "5.1".
	Provision string `json:"provision"`
	Status    Status `json:"status"`
	// Says what was observed, in plain words, one sentence after another.
	Says Reasons `json:"says"`
	// Evidence says how: what was asked and what came back.
	Evidence Reasons `json:"evidence"`
	// Fix is what can be done about a problem.
	Fix *Fix `json:"fix,omitempty"`
	// Observable is false for provisions that cannot be checked from the
	// network at all (the line then always says so).
	Observable bool `json:"observable"`
	// factory is set on a 5.1 line whose problem is an accepted factory
	// password: the next step then says to change it.
	factory bool
	// next, when set, is the key of the next step this line's problem
	// calls for, in place of the provision's own (ports opened on a router).
	next string
}

// Title names the provision group in lang.
func (l Line) Title(lang string) string { return text(lang, "title."+l.Provision) }

// Sentence says what was observed, in lang.
func (l Line) Sentence(lang string) string { return l.Says.In(lang) }

// Actionable reports a problem someone can act on: Porchlight fixes it, or
// there are steps to follow. A problem with only advice (a guest network,
// say) is not: no action clears it.
func (l Line) Actionable() bool {
	return l.Status == Problem && l.Fix != nil && (l.Fix.ByPorchlight || len(l.Fix.Steps) > 0)
}

// Fix is what can be done about a problem.
type Fix struct {
	// ByPorchlight is set when Porchlight can do it itself.
	ByPorchlight bool `json:"by_porchlight"`
	// Says what will be done, or why nothing can.
	Says *Reason `json:"says,omitempty"`
	// Steps are the person's own numbered steps, when they must do it.
	Steps Steps `json:"steps,omitempty"`
}

// Summary says what will be done, or why nothing can, in lang ("" when
// the steps say it all).
func (f Fix) Summary(lang string) string {
	if f.Says == nil {
		return ""
	}
	return f.Says.In(lang)
}

// saysFix is a fix that is advice or Porchlight's own, in one sentence.
func saysFix(byPorchlight bool, key string) *Fix {
	r := reason(key)
	return &Fix{ByPorchlight: byPorchlight, Says: &r}
}

// Device names the device a scorecard is about.
type Device struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Host      string   `json:"host"`
	Addresses []string `json:"addresses"`
	Family    string   `json:"family"`
	Vendor    string   `json:"vendor,omitempty"`
	Model     string   `json:"model,omitempty"`
	Firmware  string   `json:"firmware,omitempty"`
	// VendorID is the catalog vendor recognised and Kind what sort of
	// device it is (a catalog kind), empty when unknown.
	VendorID string `json:"vendor_id,omitempty"`
	Kind     string `json:"kind,omitempty"`
	// HardwareID is the hardware identity the device reported, if any.
	HardwareID string `json:"hardware_id,omitempty"`
	// ReportedName is the name the device reports for itself, if any.
	ReportedName string `json:"reported_name,omitempty"`
}

// Scorecard is one device's checkup.
type Scorecard struct {
	Device   Device `json:"device"`
	Lines    []Line `json:"lines"`
	Problems int    `json:"problems"`
	// Actionable counts the problems someone can act on (see Line.Actionable).
	Actionable int `json:"actionable"`
	// Router is the router check's observation, on a router only.
	Router *Router `json:"router,omitempty"`
	// Camera is what an ONVIF camera answered without credentials, on a
	// camera found over WS-Discovery only.
	Camera *wsd.Info `json:"camera,omitempty"`
	// RTSP is what a camera's video streams answered without credentials
	// (OPTIONS, DESCRIBE): rtsp://ADDR:554/ and the stream ONVIF's
	// GetStreamUri named, on a camera (found over WS-Discovery, or of the
	// catalog's kind camera) only.
	RTSP []rtsp.Report `json:"rtsp,omitempty"`
}

// Input is everything observed about one device.
type Input struct {
	Device   discover.Device
	Identity identify.Identity
	Probe    probe.Report
	// Family is the catalog's entry for the device's family (or "unknown").
	Family catalog.Family
	// Factory is the device's last factory-password run, nil when the
	// person never had Porchlight try them.
	Factory *factorypw.Result
	// Kept is what the device answered to a read with the password
	// Porchlight keeps for it; nil when there was none.
	Kept *KeptRead
	// ProofLost is set when Porchlight keeps the device's password but the
	// device proves its identity only to a request carrying it: Porchlight
	// then does nothing for it, and its fixes are the person's own.
	ProofLost bool
	// Newest is the newest version the maker's own release feed named,
	// nil when Porchlight did not ask or the maker did not answer.
	Newest *Newest
	Now    time.Time
}

// KeptRead is a device's answer about its firmware to a read made with the
// password Porchlight keeps for it, after the device proved its identity.
type KeptRead struct {
	// Current is the firmware it runs.
	Current string
	// Available is the newer firmware on offer ("" for none).
	Available string
	// Tells is set when the device can say whether it is up to date
	// (Available "" then means it is).
	Tells bool
}

// Score builds a device's scorecard.
func Score(in Input) Scorecard {
	s := scorer{in: in}
	addrs := make([]string, len(in.Device.Addresses))
	for i, a := range in.Device.Addresses {
		addrs[i] = a.String()
	}
	sc := Scorecard{Device: Device{
		ID: in.Device.ID, Name: in.Device.Name, Host: in.Device.Host, Addresses: addrs,
		Family: string(in.Identity.Family), Vendor: in.Identity.Vendor, Model: in.Identity.Model, Firmware: in.Identity.Firmware,
		VendorID: in.Identity.VendorID, Kind: in.Identity.Kind, HardwareID: in.Identity.HardwareID, ReportedName: in.Identity.Name,
	}}
	if in.Kept != nil && in.Kept.Current != "" {
		sc.Device.Firmware = in.Kept.Current
	}
	for _, p := range Provisions {
		l := s.line(p)
		l.Provision, l.Observable = p, observable[p]
		if l.Evidence == nil {
			l.Evidence = Reasons{}
		}
		if l.Status == Problem {
			sc.Problems++
		}
		if l.Actionable() {
			sc.Actionable++
		}
		sc.Lines = append(sc.Lines, l)
	}
	return sc
}

// scorer holds one scorecard's inputs.
type scorer struct {
	in Input
}

func (s scorer) line(p string) Line {
	switch p {
	case "5.1":
		return s.withFactory(s.passwords())
	case "5.2":
		return s.vulnerabilityReporting()
	case "5.3":
		return s.updates()
	case "5.5":
		return s.communication()
	case "5.6":
		return s.services()
	case "5.8":
		return s.personalData()
	case "5.11":
		return s.erasing()
	case "5.13":
		return Line{Status: Unknown, Says: says("not.tested.input"), Evidence: Reasons{reason("evidence.notobserved")}}
	case "6":
		return s.privacy()
	}
	return Line{Status: Unknown, Says: says("not.observable"), Evidence: Reasons{reason("evidence.notobserved")}}
}

// observable lists the provision groups the network can tell anything about.
var observable = map[string]bool{"5.1": true, "5.2": true, "5.3": true, "5.5": true, "5.6": true, "5.8": true, "5.11": true, "6": true}

// passwords is 5.1: no universal default passwords, and a way to set one.
func (s scorer) passwords() Line {
	a, m, rep := s.in.Probe.Announced, s.in.Probe.Management, s.in.Identity.Reported
	switch {
	case a.HomeKitUnpaired:
		return Line{Status: Problem, Says: says("pw.homekit.unpaired"), Evidence: s.txtEvidence("_hap._tcp", "sf"), Fix: saysFix(false, "fix.pair")}
	case a.MatterCommissioningOpen:
		return Line{Status: Problem, Says: says("pw.matter.open"), Evidence: s.txtEvidence("_matterc._udp", "cm"), Fix: saysFix(false, "fix.pair")}
	case m != nil && m.Error == "" && m.Open:
		return Line{Status: Problem, Says: says("pw.open"), Evidence: Reasons{s.managementEvidence()}, Fix: s.passwordFix()}
	case m != nil && m.Error == "":
		return Line{Status: OK, Says: says("pw.protected"), Evidence: Reasons{s.managementEvidence()}}
	case s.in.Identity.Family == identify.WLED:
		return s.wledPasswords()
	case rep.AuthEnabled != nil && !*rep.AuthEnabled:
		return Line{Status: Problem, Says: says("pw.reported.open"), Evidence: s.reportedEvidence("auth"), Fix: s.passwordFix()}
	case rep.AuthEnabled != nil:
		return Line{Status: OK, Says: says("pw.reported.set"), Evidence: s.reportedEvidence("auth")}
	case s.in.Identity.Family == identify.HomeKit:
		return Line{Status: OK, Says: says("pw.pairing"), Evidence: s.txtEvidence("_hap._tcp", "sf")}
	}
	ev := Reasons{reason("evidence.identified", s.identityName())}
	if m != nil {
		ev = append(ev, s.managementEvidence())
	}
	return Line{Status: Unknown, Says: says("pw.unknown"), Evidence: ev}
}

// wledPasswords is 5.1 for WLED, whose controls never ask for a password
// (its maker's design) and whose settings a PIN can protect: two findings,
// only the second of which anyone can fix.
func (s scorer) wledPasswords() Line {
	l := Line{Status: Problem, Says: says("pw.wled.controls"), Evidence: s.reportedEvidence("auth")}
	switch pin := s.in.Identity.Reported.SettingsPIN; {
	case pin != nil && *pin:
		l.Says = append(l.Says, reason("pw.wled.pin"))
		l.Fix = saysFix(false, "fix.wled.controls")
	case pin != nil:
		l.Says = append(l.Says, reason("pw.wled.nopin"))
		l.Fix = s.fix(catalog.StepsPassword, s.in.Family.Fixes.Password, "fix.auto.pin")
	default:
		l.Fix = saysFix(false, "fix.wled.controls")
	}
	return l
}

func (s scorer) passwordFix() *Fix {
	if s.in.Family.Fixes.Password == catalog.FixNone {
		return saysFix(false, "fix.none.password")
	}
	return s.fix(catalog.StepsPassword, s.in.Family.Fixes.Password, "fix.auto.password")
}

// fix describes how a problem is fixed: by Porchlight, or by the person's
// own steps from the catalog.
func (s scorer) fix(kind catalog.StepKind, mode catalog.FixMode, autoKey string) *Fix {
	steps := stepsOf(func(lang string) []string { return s.in.Family.Steps(kind, lang) })
	switch {
	case mode == catalog.FixAuto && s.in.ProofLost && len(steps) > 0:
		return &Fix{Steps: steps}
	case mode == catalog.FixAuto && s.in.ProofLost:
		return saysFix(false, "fix.prooflost")
	case mode == catalog.FixAuto && autoKey != "":
		return saysFix(true, autoKey)
	case mode == catalog.FixAuto:
		return saysFix(true, "fix.auto.reset")
	case len(steps) > 0:
		return &Fix{Steps: steps}
	}
	return saysFix(false, "fix.isolate")
}

// vulnerabilityReporting is 5.2, from the catalog.
func (s scorer) vulnerabilityReporting() Line {
	return s.catalogLink(s.in.Family.VulnerabilityDisclosure, "vdp")
}

// catalogLink is a line that is ok when the catalog knows the vendor's page
// (sentence key+".ok"), unknown when not (key+".unknown").
func (s scorer) catalogLink(l *catalog.Link, key string) Line {
	if l == nil {
		return Line{Status: Unknown, Says: says(key + ".unknown")}
	}
	return Line{Status: OK, Says: says(key+".ok", s.in.Family.Vendor, l.URL),
		Evidence: Reasons{reason("evidence.catalog", l.URL, l.Source)}}
}

// updates is 5.3: the device's own answer first, then the catalog's newest
// known version, and the vendor's support period.
func (s scorer) updates() Line {
	id, f := s.in.Identity, s.in.Family
	running := id.Firmware
	var l Line
	latest := f.LatestFirmware
	for _, m := range f.Models {
		if m.LatestFirmware != nil && strings.Contains(strings.ToLower(id.Model), strings.ToLower(m.ID)) {
			latest = m.LatestFirmware
		}
	}
	var catalogSays Reason
	if latest != nil {
		catalogSays = reason("evidence.catalog", latest.Version, latest.Source)
	}
	if n := s.in.Newest; n != nil && IsRelease(n.Version) && (latest == nil || !older(n.Version, latest.Version)) {
		latest = &catalog.Firmware{Version: n.Version, Provenance: catalog.Provenance{Source: n.Source}}
		catalogSays = reason("evidence.maker", n.Version, n.Source, n.Asked.Format("2006-01-02 15:04"))
	}
	kept := s.in.Kept
	if kept != nil && kept.Current != "" {
		running = kept.Current
	}
	switch {
	case kept != nil && kept.Current != "" && kept.Available != "":
		l = Line{Status: Problem, Says: says("upd.available", kept.Available, running), Evidence: Reasons{reason("evidence.kept", running, kept.Available)}}
	case kept != nil && kept.Current != "" && kept.Tells:
		l = Line{Status: OK, Says: says("upd.current.device", running), Evidence: Reasons{reason("evidence.kept.current", running)}}
	case running == "":
		l = Line{Status: Unknown, Says: says("upd.unknown"), Evidence: Reasons{reason("evidence.identified", s.identityName())}}
	case id.Reported.UpdateAvailable != nil && *id.Reported.UpdateAvailable && id.Reported.NewFirmware != "":
		l = Line{Status: Problem, Says: says("upd.available", id.Reported.NewFirmware, running), Evidence: s.reportedEvidence("update")}
	case id.Reported.UpdateAvailable != nil && *id.Reported.UpdateAvailable:
		l = Line{Status: Problem, Says: says("upd.available.nover", running), Evidence: s.reportedEvidence("update")}
	case latest != nil && older(running, latest.Version):
		l = Line{Status: Problem, Says: says("upd.older", running, latest.Version),
			Evidence: Reasons{reason("evidence.identified", s.identityName()), catalogSays}}
	case id.Reported.UpdateAvailable != nil:
		l = Line{Status: OK, Says: says("upd.current.device", running), Evidence: s.reportedEvidence("update")}
	case latest != nil && comparable(running, latest.Version):
		l = Line{Status: OK, Says: says("upd.current", running, latest.Version),
			Evidence: Reasons{reason("evidence.identified", s.identityName()), catalogSays}}
	default:
		l = Line{Status: Unknown, Says: says("upd.unknown.latest", running), Evidence: Reasons{reason("evidence.identified", s.identityName())}}
	}
	if sp := f.SupportPeriod; sp != nil {
		s.supportPeriod(&l, sp)
	}
	if l.Status == Problem {
		l.Fix = s.fix(catalog.StepsUpdate, f.Fixes.Update, "fix.auto.update")
	}
	return l
}

// supportPeriod adds the vendor's promise of security updates (5.3-13).
func (s scorer) supportPeriod(l *Line, sp *catalog.SupportPeriod) {
	if until, ok := sp.Until.Time(); ok {
		if s.in.Now.After(until) {
			l.Status = Problem
			l.Says = append(l.Says, reason("upd.support.ended", until.Format("2006-01-02")))
		} else {
			l.Says = append(l.Says, reason("upd.support.until", until.Format("2006-01-02")))
		}
	}
	l.Evidence = append(l.Evidence, reason("evidence.catalog", sp.Statement, sp.Source))
}

func older(running, latest string) bool {
	r, ok1 := parseVersion(running)
	l, ok2 := parseVersion(latest)
	return ok1 && ok2 && r.compare(l) < 0
}

func comparable(running, latest string) bool {
	_, ok1 := parseVersion(running)
	_, ok2 := parseVersion(latest)
	return ok1 && ok2
}

// managedOverHTTP are the families whose settings and passwords travel over
// plain HTTP when they are managed (device-apis.md §3.12).
var managedOverHTTP = map[identify.Family]bool{
	identify.ShellyGen1: true, identify.ShellyGen2: true, identify.Tasmota: true, identify.WLED: true,
	identify.Elgato: true, identify.OctoPrint: true,
}

// communication is 5.5: encryption of management and of secrets in transit.
func (s scorer) communication() Line {
	p := s.in.Probe
	var problems, evidence Reasons
	if len(p.Announced.CredentialKeys) > 0 {
		problems = append(problems, reason("comm.creds.txt", strings.Join(p.Announced.CredentialKeys, ", ")))
		evidence = append(evidence, s.txtEvidence("", p.Announced.CredentialKeys...)...)
	}
	if p.Announced.ESPHomeAPIUnencrypted {
		problems = append(problems, reason("comm.esphome"))
		evidence = append(evidence, s.txtEvidence("_esphomelib._tcp", "api_encryption_supported")...)
	}
	if slices.Contains(p.OpenPorts, 1883) {
		problems = append(problems, reason("comm.mqtt"))
	}
	var tlsSeen []string
	plainPort := 0
	for _, w := range p.Web {
		evidence = append(evidence, s.webEvidence(w))
		switch {
		case w.TLS && w.TLSInfo != nil && (w.TLSInfo.Version == "TLS 1.0" || w.TLSInfo.Version == "TLS 1.1"):
			problems = append(problems, reason("comm.tls.old", w.TLSInfo.Version, w.Port))
		case w.TLS && w.TLSInfo != nil:
			tlsSeen = append(tlsSeen, w.TLSInfo.Version)
		case !w.TLS && w.Status != 0 && !w.RedirectsToTLS && plainPort == 0:
			plainPort = w.Port
		}
	}
	if plainPort != 0 && managedOverHTTP[s.in.Identity.Family] {
		problems = append(problems, reason("comm.plain", plainPort))
	}
	evidence = append(evidence, s.portEvidence())
	switch {
	case len(problems) > 0:
		return Line{Status: Problem, Says: problems, Evidence: evidence, Fix: saysFix(false, "fix.isolate")}
	case len(tlsSeen) > 0:
		return Line{Status: OK, Says: says("comm.tls", strings.Join(tlsSeen, ", ")), Evidence: evidence}
	case len(p.Web) == 0:
		return Line{Status: Unknown, Says: says("comm.none"), Evidence: evidence}
	}
	return Line{Status: Unknown, Says: says("not.observable"), Evidence: evidence}
}

// riskyPorts are services a consumer device should not expose.
var riskyPorts = map[int]string{21: "port.ftp", 23: "port.telnet", 2323: "port.telnet", 5555: "port.adb", 7547: "port.tr069", 554: "port.rtsp"}

// services is 5.6: minimise exposed services.
func (s scorer) services() Line {
	p := s.in.Probe
	var risky []Reason
	for _, port := range p.OpenPorts {
		if name, ok := riskyPorts[port]; ok {
			risky = append(risky, reason(name, port))
		}
	}
	ev := Reasons{s.portEvidence()}
	switch {
	case len(p.OpenPorts) == 0 && len(p.Errors) > 0:
		for _, e := range p.Errors {
			ev = append(ev, Reason{Text: e})
		}
		return Line{Status: Unknown, Says: says("not.observable"), Evidence: ev}
	case len(risky) > 0:
		return Line{Status: Problem, Says: says("svc.risky", list(risky)), Evidence: ev, Fix: saysFix(false, "fix.isolate")}
	case len(p.OpenPorts) == 0:
		return Line{Status: OK, Says: says("svc.none"), Evidence: ev}
	}
	return Line{Status: OK, Says: says("svc.ok", joinInts(p.OpenPorts)), Evidence: ev}
}

// personalData is 5.8: settings that hold Wi-Fi details and location,
// readable without a password (Shelly Gen1 /settings, device-apis.md §3.1).
func (s scorer) personalData() Line {
	m := s.in.Probe.Management
	if m != nil && m.Error == "" && m.Open && (s.in.Identity.Family == identify.ShellyGen1 || s.in.Identity.Family == identify.ShellyGen2) {
		return Line{Status: Problem, Says: says("data.open"), Evidence: Reasons{s.managementEvidence()}, Fix: s.passwordFix()}
	}
	return Line{Status: Unknown, Says: says("not.observable"), Evidence: Reasons{reason("evidence.notobserved")}}
}

// erasing is 5.11: a simple way to erase user data, from the catalog.
func (s scorer) erasing() Line {
	f := s.in.Family
	ev := Reasons{reason("evidence.catalog", string(f.Fixes.Reset), f.ID)}
	switch f.Fixes.Reset {
	case catalog.FixAuto:
		return Line{Status: OK, Says: says("erase.auto"), Evidence: ev}
	case catalog.FixGuided:
		return Line{Status: OK, Says: says("erase.guided"), Evidence: ev, Fix: &Fix{Steps: s.steps(catalog.StepsReset)}}
	case catalog.FixUnknown:
		l := Line{Status: Unknown, Says: says("erase.unknown"), Evidence: ev}
		if steps := s.steps(catalog.StepsReset); len(steps) > 0 {
			l.Fix = &Fix{Steps: steps} // general steps, as a hint
		}
		return l
	}
	return Line{Status: Unknown, Says: says("erase.none"), Evidence: ev}
}

// privacy is 6: a published privacy notice, from the catalog.
func (s scorer) privacy() Line {
	return s.catalogLink(s.in.Family.PrivacyPolicy, "privacy")
}

// steps are the catalog's steps of a kind for the device's family, in
// every language.
func (s scorer) steps(kind catalog.StepKind) Steps {
	return stepsOf(func(lang string) []string { return s.in.Family.Steps(kind, lang) })
}

func (s scorer) identityName() Reason {
	if s.in.Identity.Family == identify.Unknown {
		return reason("unknown.device")
	}
	return Reason{Text: s.in.Identity.String()}
}

func (s scorer) managementEvidence() Reason {
	m := s.in.Probe.Management
	answer := reason("evidence.status", m.Status)
	if m.Error != "" {
		answer = reason("evidence.failed", m.Error)
	}
	return reason("evidence.management", m.Asked, answer)
}

// reportedEvidence quotes what the device answered to the read-only
// requests that identified it; what names the fact ("auth", "update")
// when nothing is left to quote.
func (s scorer) reportedEvidence(what string) Reasons {
	var ev Reasons
	for _, e := range s.in.Identity.Evidence {
		if !strings.HasPrefix(e.Asked, "TXT ") {
			ev = append(ev, reason("evidence.management", e.Asked, e.Saw))
		}
	}
	if len(ev) == 0 {
		ev = Reasons{reason("evidence.reported", reason("reported."+what))}
	}
	return ev
}

// txtEvidence quotes the announced TXT keys of a service type ("" for any).
func (s scorer) txtEvidence(typ string, keys ...string) Reasons {
	var ev Reasons
	for _, svc := range s.in.Device.Services {
		if typ != "" && svc.Type != typ {
			continue
		}
		var pairs []string
		for _, k := range keys {
			if v, ok := svc.TXT[k]; ok {
				pairs = append(pairs, k+"="+v)
			}
		}
		if len(pairs) > 0 {
			ev = append(ev, reason("evidence.txt", svc.Type+" "+strings.Join(pairs, " ")))
		}
	}
	return ev
}

func (s scorer) portEvidence() Reason {
	p := s.in.Probe
	open := Reason{Text: joinInts(p.OpenPorts)}
	if open.Text == "" {
		open = reason("evidence.nothing")
	}
	return reason("evidence.ports", p.Address.String(), open)
}

func (s scorer) webEvidence(w probe.Web) Reason {
	scheme := "http"
	if w.TLS {
		scheme = "https"
	}
	asked := fmt.Sprintf("GET %s://%s/", scheme, net.JoinHostPort(s.in.Probe.Address.String(), strconv.Itoa(w.Port)))
	answer := reason("evidence.status", w.Status)
	switch {
	case w.Error != "":
		answer = reason("evidence.failed", w.Error)
	case w.TLSInfo != nil:
		trust := reason("evidence.untrusted")
		if w.TLSInfo.SelfSigned {
			trust = reason("evidence.selfsigned")
		} else if w.TLSInfo.Trusted {
			trust = reason("evidence.trusted")
		}
		answer = reason("evidence.status.tls", answer, reason("evidence.tls", w.TLSInfo.Version, trust))
	}
	return reason("evidence.management", asked, answer)
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}
