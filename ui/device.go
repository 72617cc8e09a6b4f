package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/checkup"
	"github.com/porchlight/porchlight/app/factorypw"
)

// deviceHousehold is what the device page needs from the core (the guided
// setup's fixing steps use it too).
type deviceHousehold interface {
	Devices() []app.Device
	Record(id string) (app.Record, bool)
	Check(ctx context.Context, devices []app.Device, opts app.CheckOptions) (app.Checkup, error)
	Claim(ctx context.Context, ids []string, name, room string) error
	Capabilities(id string) app.Capabilities
	SetPassword(ctx context.Context, id, next string) error
	Pair(ctx context.Context, id string) error
	// KeepsPassword reports whether a password is kept (no keyring read).
	KeepsPassword(id string) bool
	CheckUpdate(ctx context.Context, id string) (app.UpdateInfo, error)
	ApplyUpdate(ctx context.Context, id string, opts app.UpdateOptions) (app.UpdateResult, error)
	Reset(ctx context.Context, id string, confirmed bool, opts app.UpdateOptions) (string, error)
	// FactoryPasswords lists the interfaces whose factory password can be
	// tried on the device; TryFactoryPasswords tries them (the person asked).
	FactoryPasswords(id string) []string
	TryFactoryPasswords(ctx context.Context, id string, progress func(iface string)) (app.FactoryResult, error)
	Forget(ctx context.Context, ids []string, all bool) (app.Forgotten, error)
	AdminURL(id string) string
	// ClearText reports whether the device's passwords travel unencrypted.
	ClearText(id string) bool
}

// devicePage shows one device: who it is, its checkup and what can be done.
type devicePage struct {
	u  *ui
	h  deviceHousehold
	id string
	// root is the page's content, to tell whether it is still shown.
	root   fyne.CanvasObject
	status *widget.Label
	bar    *widget.ProgressBarInfinite
	// actions are disabled while one runs.
	actions []*widget.Button
}

func (u *ui) showDevice(id string) { u.showDeviceSaying(id, "") }

// showDeviceSaying shows the device's page with note as its status line.
func (u *ui) showDeviceSaying(id, note string) {
	u.enter()
	p := &devicePage{u: u, h: u.h, id: id, status: wrapped(note), bar: busyBar()}
	rec, _ := u.h.Record(id)
	name := rec.Name
	if name == "" {
		name = id
	}
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), u.showDashboard)
	body := container.NewVBox(p.identity(rec), p.actionBar(rec))
	if rec.Claimed && u.h.ClearText(id) {
		body.Add(wrapped(lang.L("device.cleartext")))
	}
	if u.h.Capabilities(id).ProofLost {
		body.Add(wrapped(lang.L("device.prooflost")))
	}
	body.Add(p.bar)
	body.Add(p.status)
	body.Add(widget.NewSeparator())
	body.Add(p.scorecard())
	p.root = page(name, container.NewVScroll(body), back)
	u.show(p.root)
}

// identity lists what the device is and where it is.
func (p *devicePage) identity(r app.Record) fyne.CanvasObject {
	addrs := make([]string, len(r.Addresses))
	for i, a := range r.Addresses {
		addrs[i] = a.String()
	}
	var services []string
	for _, s := range r.Services {
		services = append(services, s.Type)
	}
	rows := []string{
		lang.L("device.model") + ": " + orUnknown(app.DescribeModel(r.Vendor, r.Model)),
		lang.L("device.firmware") + ": " + orUnknown(r.Firmware),
	}
	if r.Room != "" {
		rows = append([]string{lang.L("device.room") + ": " + r.Room}, rows...)
	}
	if !r.Claimed {
		rows = append(rows, lang.L("device.notclaimed"))
	}
	details := wrapped(lang.L("device.address") + ": " + strings.Join(addrs, ", ") + " (" + r.Host + ")\n" +
		lang.L("device.services") + ": " + strings.Join(services, ", "))
	return container.NewVBox(wrapped(strings.Join(rows, "\n")),
		widget.NewAccordion(widget.NewAccordionItem(lang.L("line.details"), details)))
}

func orUnknown(s string) string {
	if s == "" {
		return lang.L("device.unknown")
	}
	return s
}

// actionBar offers what Porchlight can do for this device.
func (p *devicePage) actionBar(r app.Record) fyne.CanvasObject {
	caps := p.h.Capabilities(p.id)
	add := func(label string, icon fyne.Resource, do func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, do)
		p.actions = append(p.actions, b)
		return b
	}
	var buttons []fyne.CanvasObject
	if !r.Claimed {
		buttons = append(buttons, add(lang.L("device.claim"), theme.ConfirmIcon(), p.claim))
	} else {
		if caps.Password {
			buttons = append(buttons, add(lang.L("device.password"), theme.AccountIcon(), p.password))
		}
		if caps.Pairing {
			buttons = append(buttons, add(lang.L("device.pair"), theme.LoginIcon(), p.pair))
		}
		if ifaces := p.h.FactoryPasswords(p.id); len(ifaces) > 0 {
			buttons = append(buttons, add(lang.L("device.factory"), theme.VisibilityIcon(), func() { p.factory(ifaces) }))
		}
		if caps.Update {
			buttons = append(buttons, add(lang.L("device.update"), theme.DownloadIcon(), p.update))
		}
		if caps.Reset {
			buttons = append(buttons, add(lang.L("device.reset"), theme.DeleteIcon(), p.reset))
		}
		buttons = append(buttons, add(lang.L("wipe.button"), theme.DeleteIcon(), func() { p.u.showWipe(p.id) }))
	}
	if adminURL := p.h.AdminURL(p.id); adminURL != "" {
		buttons = append(buttons, add(lang.L("device.admin"), theme.ComputerIcon(), func() {
			if u, err := url.Parse(adminURL); err == nil {
				if err := p.u.app.OpenURL(u); err != nil {
					p.status.SetText(lang.L("device.admin.failed", map[string]any{"URL": adminURL}))
				}
			}
		}))
	}
	buttons = append(buttons, add(lang.L("device.forget"), theme.CancelIcon(), p.forget))
	return container.NewGridWrap(fyne.NewSize(200, 40), buttons...)
}

// busy disables the actions and shows the progress indicator with what,
// or undoes that.
func (p *devicePage) busy(on bool, what string) {
	for _, b := range p.actions {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		startBusy(p.bar)
		p.status.SetText(what)
	} else {
		stopBusy(p.bar)
	}
}

// shown reports whether this page is still the screen shown.
func (p *devicePage) shown() bool { return p.u.win.Content() == p.root }

// run does slow work for this device with a progress indicator. When it
// succeeds, the household is checked again at once, so that the page, its
// badge and the dashboard show the device as it is now; then the outcome
// is shown in words. A result that arrives after the person left the page
// changes no other screen.
func (p *devicePage) run(what string, work func(ctx context.Context, progress func(string)) (string, error)) {
	p.busy(true, what)
	progress := func(s string) {
		do(func() {
			if p.shown() {
				p.status.SetText(s)
			}
		})
	}
	p.u.act(p.id, progress, func(ctx context.Context) (string, error) { return work(ctx, progress) }, func(note string, err error) {
		if !p.shown() {
			return
		}
		p.busy(false, "")
		if err != nil {
			p.u.sayFailure(err, p.status, p.u.showDashboard)
			return
		}
		p.u.showDeviceSaying(p.id, note)
	})
}

// act runs work, an action on the device with id, off the UI goroutine.
// When it succeeds, the household is checked again at once (progress says
// so) and u.checkup is the new checkup, so every view shows the device as
// it is now (nil when that checkup failed: the next screen checks again).
// Then show gets work's note or error on the UI goroutine.
func (u *ui) act(id string, progress func(string), work func(context.Context) (string, error), show func(note string, err error)) {
	type outcome struct {
		note    string
		err     error
		checked *app.Checkup
	}
	again := u.checkedIDs(id)
	background(u, func(ctx context.Context) outcome {
		note, err := work(ctx)
		if err != nil {
			return outcome{err: err}
		}
		progress(lang.L("action.rechecking"))
		return outcome{note: note, checked: u.recheck(ctx, again)}
	}, func(o outcome) {
		if o.err == nil {
			u.checkup = o.checked
		}
		show(o.note, o.err)
	})
}

// sayFailure shows why an action did not happen: for a device that did not
// prove its identity, the question whether it was replaced (replaced runs
// once it is forgotten); otherwise one plain sentence in status.
func (u *ui) sayFailure(err error, status *widget.Label, replaced func()) {
	var idErr *app.IdentityError
	switch {
	case errors.As(err, &idErr):
		status.SetText("")
		u.askReplaced(idErr, replaced)
	case errors.Is(err, app.ErrNoKeyring):
		status.SetText(lang.L("keyring.needed"))
	default:
		status.SetText(lang.L("action.failed", map[string]any{"Error": err.Error()}))
	}
}

// askReplaced tells the person, in plain words, that Porchlight sent
// nothing because the device did not prove it is theirs, and asks whether
// they replaced it: then Porchlight forgets it and calls then.
func (u *ui) askReplaced(e *app.IdentityError, then func()) {
	key := map[app.IdentityProblem]string{app.NeverLearned: "identity.never", app.Hidden: "identity.hidden", app.NewKey: "identity.newkey"}[e.Problem]
	if key == "" {
		key = "identity.other"
	}
	msg := lang.L(key, map[string]any{"Name": e.Name, "Addr": e.Addr.String()})
	d := dialog.NewCustomConfirm(lang.L("identity.title"), lang.L("identity.replaced"), lang.L("identity.keep"), wrapped(msg), func(replaced bool) {
		if replaced {
			u.forget(e.ID, then)
		}
	}, u.win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// checkedIDs lists the devices of the latest checkup and id (UI
// goroutine only).
func (u *ui) checkedIDs(id string) map[string]bool {
	ids := map[string]bool{id: true}
	if u.checkup != nil {
		for _, sc := range u.checkup.Devices {
			ids[sc.Device.ID] = true
		}
	}
	return ids
}

// recheck checks the devices with ids again, so every view shows what
// they say now; nil when the checkup failed.
func (u *ui) recheck(ctx context.Context, ids map[string]bool) *app.Checkup {
	var devices []app.Device
	for _, d := range u.h.Devices() {
		if ids[d.ID] {
			devices = append(devices, d)
		}
	}
	c, err := u.h.Check(ctx, devices, app.CheckOptions{})
	if err != nil {
		return nil
	}
	return &c
}

// claim marks the device as the person's; Porchlight reads what the device
// says about itself first, which takes a moment.
func (p *devicePage) claim() {
	p.busy(true, lang.L("device.claiming"))
	onScreen(p.u, func(ctx context.Context) error {
		return p.h.Claim(ctx, []string{p.id}, "", "")
	}, func(err error) {
		p.busy(false, "")
		if err != nil {
			dialog.ShowError(err, p.u.win)
			return
		}
		p.u.showDevice(p.id)
	})
}

func (p *devicePage) password() {
	dialog.ShowConfirm(lang.L("device.password"), lang.L("password.confirm"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("password.running"), func(ctx context.Context, _ func(string)) (string, error) {
			if err := p.h.SetPassword(ctx, p.id, ""); err != nil {
				return "", err
			}
			return lang.L("password.done"), nil
		})
	}, p.u.win)
}

// factoryOutcome is a factory-password run and the household's checkup
// after it (nil when there was none to renew).
type factoryOutcome struct {
	res     app.FactoryResult
	checkup *app.Checkup
}

// factory tries the device's documented factory passwords once the person
// agreed, then checks the household's devices again so that the scorecard
// shows the finding at once.
func (p *devicePage) factory(ifaces []string) {
	dialog.ShowConfirm(lang.L("device.factory"), factoryQuestion(ifaces), func(ok bool) {
		if !ok {
			return
		}
		checked := map[string]bool{}
		if c := p.u.checkup; c != nil {
			for _, card := range c.Devices {
				checked[card.Device.ID] = true
			}
		}
		p.busy(true, lang.L("factory.running"))
		background(p.u, func(ctx context.Context) result[factoryOutcome] {
			res, err := p.h.TryFactoryPasswords(ctx, p.id, func(iface string) {
				do(func() { p.status.SetText(lang.L("factory.sending", map[string]any{"What": lang.L("iface." + iface)})) })
			})
			if err != nil {
				return result[factoryOutcome]{err: err}
			}
			out := factoryOutcome{res: res}
			var devices []app.Device
			for _, d := range p.h.Devices() {
				if checked[d.ID] {
					devices = append(devices, d)
				}
			}
			if len(devices) > 0 {
				if c, err := p.h.Check(ctx, devices, app.CheckOptions{}); err == nil {
					out.checkup = &c
				}
			}
			return result[factoryOutcome]{v: out}
		}, func(r result[factoryOutcome]) {
			p.busy(false, "")
			if r.err != nil {
				p.status.SetText(lang.L("action.failed", map[string]any{"Error": r.err.Error()}))
				return
			}
			p.u.checkup = r.v.checkup
			p.u.showDeviceSaying(p.id, factorySentence(r.v.res))
		})
	}, p.u.win)
}

// factoryQuestion asks whether to try the factory passwords of ifaces.
func factoryQuestion(ifaces []string) string {
	what := make([]string, len(ifaces))
	for i, f := range ifaces {
		what[i] = lang.L("iface." + f)
	}
	return lang.L("factory.confirm", map[string]any{"What": strings.Join(what, ", ")})
}

// factorySentence says what the device did with its factory passwords.
func factorySentence(res app.FactoryResult) string {
	var says []string
	for _, a := range res.Attempts {
		args := map[string]any{"What": lang.L("iface." + a.Interface), "Detail": a.Detail}
		switch a.Outcome {
		case factorypw.Accepted:
			says = append(says, lang.L("factory.accepted", args))
			if a.Detail != "" {
				says = append(says, lang.L("factory.notrestored", args))
			}
		case factorypw.Refused:
			says = append(says, lang.L("factory.refused", args))
		case factorypw.NotInUse:
			says = append(says, lang.L("factory.notinuse", args))
		case factorypw.Failed:
			says = append(says, lang.L("factory.failed", args))
		}
	}
	if len(says) == 0 {
		return lang.L("factory.nothing")
	}
	for i, s := range says {
		says[i] = capitalised(s)
	}
	return strings.Join(says, " ")
}

// capitalised returns s with its first letter in upper case.
func capitalised(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// pair asks the person to press the device's link button, then pairs.
func (p *devicePage) pair() {
	dialog.ShowConfirm(lang.L("device.pair"), lang.L("pair.press"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("pair.running"), func(ctx context.Context, _ func(string)) (string, error) {
			if err := p.h.Pair(ctx, p.id); err != nil {
				return "", err
			}
			return lang.L("pair.done"), nil
		})
	}, p.u.win)
}

func (p *devicePage) update() {
	p.run(lang.L("update.checking"), func(ctx context.Context, _ func(string)) (string, error) {
		info, err := p.h.CheckUpdate(ctx, p.id)
		if err != nil {
			return "", err
		}
		if info.Available == "" {
			return lang.L("update.current", map[string]any{"Version": info.Current}), nil
		}
		if !p.u.ask(ctx, lang.L("device.update"), lang.L("update.confirm", map[string]any{"From": info.Current, "To": info.Available})) {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			return lang.L("update.later"), nil
		}
		res, err := p.h.ApplyUpdate(ctx, p.id, app.UpdateOptions{})
		if err != nil {
			return "", err
		}
		return lang.L("update.done", map[string]any{"From": res.From, "To": res.To}), nil
	})
}

func (p *devicePage) reset() {
	dialog.ShowConfirm(lang.L("device.reset"), lang.L("reset.confirm"), func(ok bool) {
		if !ok {
			return
		}
		p.run(lang.L("reset.running"), func(ctx context.Context, progress func(string)) (string, error) {
			how, err := p.h.Reset(ctx, p.id, true, app.UpdateOptions{Progress: p.u.stepSayer(progress)})
			if err != nil {
				return "", err
			}
			return lang.L("reset.done", map[string]any{"How": how}), nil
		})
	}, p.u.win)
}

func (p *devicePage) forget() {
	dialog.ShowConfirm(lang.L("device.forget"), lang.L("forget.confirm"), func(ok bool) {
		if !ok {
			return
		}
		p.u.forget(p.id, p.u.showDashboard)
	}, p.u.win)
}

// forget forgets the device with id, then calls then.
func (u *ui) forget(id string, then func()) {
	background(u, func(ctx context.Context) error {
		_, err := u.h.Forget(ctx, []string{id}, false)
		return err
	}, func(err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		u.checkup = nil
		then()
	})
}

// scorecard shows the device's lines from the latest checkup, each with
// its evidence and fix one tap away.
func (p *devicePage) scorecard() fyne.CanvasObject {
	var card *checkup.Scorecard
	if c := p.u.checkup; c != nil {
		for i := range c.Devices {
			if c.Devices[i].Device.ID == p.id {
				card = &c.Devices[i]
			}
		}
	}
	if card == nil {
		return wrapped(lang.L("device.nocheckup"))
	}
	acc := widget.NewAccordion()
	var hidden []string
	for _, l := range card.Lines {
		if !l.Observable {
			hidden = append(hidden, l.Provision)
			continue
		}
		acc.Append(widget.NewAccordionItem(fmt.Sprintf("%s   %s %s", lineMark(l.Status), l.Provision, l.Title(p.u.lang)), lineDetail(l, p.u.lang)))
	}
	note := wrapped(lang.L("device.notobservable", map[string]any{"List": strings.Join(hidden, ", ")}))
	return container.NewVBox(acc, note)
}

// lineDetail is what one scorecard line observed, how, and what to do,
// in the language lng.
func lineDetail(l checkup.Line, lng string) fyne.CanvasObject {
	parts := []fyne.CanvasObject{wrapped(l.Sentence(lng))}
	if l.Fix != nil {
		fix := l.Fix.Summary(lng)
		if l.Fix.ByPorchlight {
			fix = lang.L("fix.byporchlight")
		}
		for i, s := range l.Fix.Steps.In(lng) {
			fix += fmt.Sprintf("\n%d. %s", i+1, s)
		}
		parts = append(parts, wrapped(lang.L("line.fix")+": "+strings.TrimSpace(fix)))
	}
	if len(l.Evidence) > 0 {
		// Requests, records and clause numbers are for whoever wants them:
		// behind "Details", closed until asked.
		ev := wrapped(lang.L("line.evidence") + " (EN 303 645, " + l.Provision + "):\n" + strings.Join(l.Evidence.Each(lng), "\n"))
		ev.TextStyle = fyne.TextStyle{Monospace: true}
		parts = append(parts, widget.NewAccordion(widget.NewAccordionItem(lang.L("line.details"), ev)))
	}
	return container.NewVBox(parts...)
}

// stepSayer turns an update's or reset's steps into sentences in the
// person's language, calling the device by its name, for say.
func (u *ui) stepSayer(say func(string)) func(app.UpdateStep) {
	return func(s app.UpdateStep) {
		name := s.Device
		if r, ok := u.h.Record(s.Device); ok && r.Name != "" {
			name = r.Name
		}
		say(lang.L("step."+string(s.Kind), map[string]any{"Name": name, "From": s.From, "To": s.To}))
	}
}
