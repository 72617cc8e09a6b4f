package checkup

import (
	"github.com/porchlight/porchlight/app/factorypw"
	"github.com/porchlight/porchlight/devices/catalog"
)

// factoryTime is how the time of a factory-password try is shown.
const factoryTime = "2006-01-02 15:04"

// InterfaceName names a credential's interface ("ota", "web" …) in the
// person's words, in lang: "the update lock".
func InterfaceName(lang, iface string) string {
	return text(lang, "iface."+iface)
}

// iface names a credential's interface as a reason.
func iface(name string) Reason { return reason("iface." + name) }

// withFactory adds the device's last factory-password run to its 5.1 line:
// a factory password the device accepted is a problem whatever else was
// observed; every other outcome is evidence.
func (s scorer) withFactory(l Line) Line {
	r := s.in.Factory
	if r == nil {
		return l
	}
	ev := s.factoryEvidence(*r)
	a, accepted := r.Accepted()
	if !accepted {
		l.Evidence = append(l.Evidence, ev...)
		return l
	}
	change := reason("fix.factory")
	out := Line{
		Status:   Problem,
		Says:     says("pw.factory.accepted", iface(a.Interface)),
		Evidence: append(ev, l.Evidence...),
		Fix: &Fix{Says: &change, Steps: stepsOf(func(lang string) []string {
			if d, ok := catalog.CameraDefaultByID(a.Default); ok {
				return append(d.Steps(lang), text(lang, "steps.source", d.ChangeSteps.Source))
			}
			return s.in.Family.CredentialSteps(a.Interface, lang)
		})},
		factory: true,
	}
	if l.Status == Problem {
		out.Says = append(out.Says, l.Says...)
	}
	if len(out.Fix.Steps) == 0 {
		out.Fix = s.passwordFix()
	}
	return out
}

// factoryEvidence says, per documented default, what was done and what
// the device did.
func (s scorer) factoryEvidence(r factorypw.Result) Reasons {
	var ev Reasons
	for _, a := range r.Attempts {
		iface := iface(a.Interface)
		when := a.At
		if when.IsZero() {
			when = r.Checked
		}
		at := when.Local().Format(factoryTime)
		switch a.Outcome {
		case factorypw.Accepted:
			ev = append(ev, reason("factory.accepted", at, iface))
			if a.Detail != "" {
				ev = append(ev, reason("factory.notrestored", a.Detail))
			}
		case factorypw.Refused:
			ev = append(ev, reason("factory.refused", at, iface))
		case factorypw.NotInUse:
			ev = append(ev, reason("factory.notinuse", at, iface))
		case factorypw.Failed:
			ev = append(ev, reason("factory.failed", at, iface, a.Detail))
		case factorypw.NotTried:
			ev = append(ev, reason("factory.nottried."+string(a.Reason), at, iface))
		}
	}
	return ev
}
