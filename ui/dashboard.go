package ui

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
)

// dashboardHousehold is what the dashboard needs from the core.
type dashboardHousehold interface {
	Devices() []app.Device
	Record(id string) (app.Record, bool)
	// Scan finds devices, reporting each as it answers, and remembers them.
	Scan(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)
	Check(ctx context.Context, devices []app.Device, opts app.CheckOptions) (app.Checkup, error)
	WriteReport(w io.Writer, c app.Checkup, format string) error
	UnfinishedWipe() (*app.UnfinishedWipe, error)
	// UnfinishedActions and FinishAction: interrupted updates and resets.
	UnfinishedActions() (app.UnfinishedActions, error)
	FinishAction(ctx context.Context, a app.InterruptedAction, opts app.UpdateOptions) (app.FinishedAction, error)
	Demo() bool
}

// dashboard is the household at a glance.
type dashboard struct {
	u       *ui
	h       dashboardHousehold
	devices []app.Device // UI goroutine only
	summary *widget.Label
	next    *widget.Label
	// notice says what happened while the app is open.
	notice *widget.Label
	bar    *widget.ProgressBarInfinite
	list   *widget.List
	rescan *widget.Button
}

func (u *ui) showDashboard() {
	u.enter()
	d := &dashboard{u: u, h: u.h, devices: routerFirst(u.h.Devices())}
	d.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.summary.Wrapping = fyne.TextWrapWord
	d.next = wrapped("")
	d.notice = wrapped("")
	d.notice.TextStyle.Bold = true
	d.notice.Hide()
	d.bar = busyBar()
	d.list = widget.NewList(
		func() int { return len(d.devices) },
		func() fyne.CanvasObject {
			b := newBadge()
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, b, widget.NewIcon(theme.NavigateNextIcon()), container.NewVBox(name, detail))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { d.fill(i, o) },
	)
	d.list.OnSelected = func(i widget.ListItemID) {
		d.list.UnselectAll()
		if i < len(d.devices) {
			u.showDevice(d.devices[i].ID)
		}
	}
	d.rescan = widget.NewButtonWithIcon(lang.L("dashboard.rescan"), theme.ViewRefreshIcon(), d.scan)
	report := widget.NewButtonWithIcon(lang.L("dashboard.report"), theme.DocumentSaveIcon(), d.saveReport)
	settingsBtn := widget.NewButtonWithIcon(lang.L("menu.settings"), theme.SettingsIcon(), u.showSettings)
	wipeBtn := widget.NewButtonWithIcon(lang.L("wipe.button"), theme.DeleteIcon(), func() { u.showWipe() })
	happened := widget.NewButtonWithIcon(lang.L("dashboard.happened"), theme.HistoryIcon(), u.showHappened)
	top := container.NewVBox(d.summary, d.next, container.NewBorder(nil, nil, nil, happened, d.notice), d.bar)
	uw, err := u.h.UnfinishedWipe()
	if u.noticePlanDamaged(err) {
		err = nil
	}
	if u.planNotice != "" {
		top.Add(wrapped(u.planNotice))
	}
	if err == nil && uw != nil {
		resume := widget.NewButtonWithIcon(lang.L("wipe.resume"), theme.MediaPlayIcon(), func() { newWipeFlow(u).resume() })
		resume.Importance = widget.WarningImportance
		top.Add(container.NewBorder(nil, nil, nil, resume, wrapped(lang.L("wipe.interrupted"))))
	}
	if un, err := u.h.UnfinishedActions(); err == nil && len(un.Actions) > 0 {
		top.Add(d.interrupted(un.Actions))
	}
	var body fyne.CanvasObject = container.NewBorder(top, nil, nil, nil, d.list)
	if u.h.Demo() {
		body = container.NewBorder(widget.NewLabel(lang.L("demo.banner")), nil, nil, nil, body)
	}
	u.show(page(lang.L("dashboard.title"), body, d.rescan, report, wipeBtn, settingsBtn))
	u.dash = d
	d.showSummary()
	if len(d.devices) == 0 {
		d.scan()
	} else if u.checkup == nil {
		d.check()
	}
}

// fill shows device i in a list row.
func (d *dashboard) fill(i widget.ListItemID, o fyne.CanvasObject) {
	dev := d.devices[i]
	row := o.(*fyne.Container)
	middle := row.Objects[0].(*fyne.Container)
	// Plain words: the name the person gave or the device reports, its
	// room and what it is; host names and addresses are on its page.
	name := dev.Name
	var detail []string
	if r, ok := d.h.Record(dev.ID); ok {
		name = cmp.Or(r.Name, name)
		if r.Room != "" {
			detail = append(detail, r.Room)
		}
		if identified(r) {
			detail = append(detail, whatItIs(r))
		}
	}
	if len(detail) == 0 {
		detail = append(detail, whatItIs(app.Record{}))
	}
	if app.IsRouter(dev) {
		detail = append([]string{lang.L("dashboard.router")}, detail...)
	}
	middle.Objects[0].(*widget.Label).SetText(name)
	middle.Objects[1].(*widget.Label).SetText(strings.Join(detail, " · "))
	row.Objects[1].(*statusBadge).set(stateOf(d.u.checkup, dev.ID))
}

// routerFirst puts the household's router (or routers) first, the rest in
// their order: what the router lets in from the internet matters most.
func routerFirst(devices []app.Device) []app.Device {
	slices.SortStableFunc(devices, func(a, b app.Device) int {
		ra, rb := app.IsRouter(a), app.IsRouter(b)
		switch {
		case ra && !rb:
			return -1
		case rb && !ra:
			return 1
		}
		return 0
	})
	return devices
}

// whatItIs says in plain words what a device is: its maker or model with
// a word for what sort of device it is ("Shelly smart plug", "Brother
// printer"), or that Porchlight does not know yet.
func whatItIs(r app.Record) string {
	kind := kindWord(r.Kind)
	model := app.DescribeModel(r.Vendor, r.Model)
	switch {
	case r.Model != "" && kind != "":
		return lang.L("device.what.model_kind", map[string]any{"Model": model, "Kind": kind})
	case r.Vendor != "" && kind != "":
		return lang.L("device.what.vendor_kind", map[string]any{"Vendor": r.Vendor, "Kind": kind})
	case model != "":
		return model
	case kind != "":
		return capitalise(kind)
	}
	return lang.L("device.unknown.kind")
}

// identified reports whether anything is known of what r is.
func identified(r app.Record) bool { return r.Vendor != "" || r.Model != "" || kindWord(r.Kind) != "" }

// kindWord is the word for a catalog kind in the person's language, empty
// for no kind or one without a word.
func kindWord(kind string) string {
	if kind == "" {
		return ""
	}
	key := "kind." + kind
	if w := lang.L(key); w != key {
		return w
	}
	return ""
}

// capitalise starts s with a capital letter, for a word that begins a label.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// showSummary shows the household's state and its most important next step.
func (d *dashboard) showSummary() {
	c := d.u.checkup
	switch {
	case len(d.devices) == 0:
		d.summary.SetText(lang.L("dashboard.empty"))
		d.next.SetText("")
	case c == nil:
		d.summary.SetText(lang.LocalizePluralKey("dashboard.devices", "", len(d.devices), map[string]any{"Count": len(d.devices)}))
		d.next.SetText("")
	default:
		d.summary.SetText(c.Summary.Sentence(d.u.lang))
		d.next.SetText(c.Summary.NextStep(d.u.lang))
	}
}

// scan looks for devices again; new ones appear as they answer.
func (d *dashboard) scan() {
	d.rescan.Disable()
	startBusy(d.bar)
	d.summary.SetText(lang.L("scan.running"))
	onScreen(d.u, func(ctx context.Context) error {
		// Discovery calls back from one goroutine and never waits on us.
		_, err := d.h.Scan(ctx, app.ScanOptions{}, func(e app.ScanEvent) { do(func() { d.add(e.Device) }) })
		return err
	}, func(err error) {
		d.rescan.Enable()
		if err != nil {
			stopBusy(d.bar)
			d.summary.SetText(lang.L("scan.failed", map[string]any{"Error": err.Error()}))
			return
		}
		d.devices = routerFirst(d.h.Devices())
		d.list.Refresh()
		d.check()
	})
}

// add shows a device that answered during a scan.
func (d *dashboard) add(dev app.Device) {
	if !slices.ContainsFunc(d.devices, func(x app.Device) bool { return x.ID == dev.ID }) {
		d.devices = append(d.devices, dev)
		d.list.Refresh()
		d.summary.SetText(lang.LocalizePluralKey("scan.found", "", len(d.devices), map[string]any{"Count": len(d.devices)}))
	}
}

// check runs the checkup of every device and shows the badges.
func (d *dashboard) check() {
	startBusy(d.bar)
	d.summary.SetText(lang.L("checkup.running"))
	devices := d.devices
	onScreen(d.u, func(ctx context.Context) result[app.Checkup] {
		c, err := d.h.Check(ctx, devices, app.CheckOptions{})
		return result[app.Checkup]{c, err}
	}, func(r result[app.Checkup]) {
		stopBusy(d.bar)
		if r.err != nil {
			d.summary.SetText(lang.L("checkup.failed", map[string]any{"Error": r.err.Error()}))
			return
		}
		d.u.checkup = &r.v
		d.showSummary()
		d.list.Refresh()
	})
}

// saveReport writes the latest checkup where the person chooses: a PDF, or
// an HTML page when the name they give ends in .html.
func (d *dashboard) saveReport() {
	if d.u.checkup == nil {
		dialog.ShowInformation(lang.L("dashboard.report"), lang.L("report.needcheck"), d.u.win)
		return
	}
	c := *d.u.checkup
	save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if err := d.h.WriteReport(w, c, reportFormat(w.URI().Extension())); err != nil {
			dialog.ShowError(fmt.Errorf("%s: %w", lang.L("report.failed"), err), d.u.win)
		}
	}, d.u.win)
	save.SetTitleText(lang.L("report.savetitle"))
	save.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".html", ".htm"}))
	save.SetFileName("porchlight-report.pdf")
	save.Show()
}

// reportFormat is the report format for a file name's extension: an HTML
// page for .html and .htm, else a PDF.
func reportFormat(ext string) string {
	switch strings.ToLower(ext) {
	case ".html", ".htm":
		return "html"
	}
	return "pdf"
}

// result carries a value and an error from background work.
type result[T any] struct {
	v   T
	err error
}

// interrupted tells of updates and resets that were not seen to their end
// and offers to check the devices: Porchlight sends nothing again, it only
// looks whether they happened and records what it finds.
func (d *dashboard) interrupted(actions []app.InterruptedAction) fyne.CanvasObject {
	var lines []string
	for _, a := range actions {
		lines = append(lines, lang.L("interrupted."+a.Kind, map[string]any{"Name": a.Name, "When": a.Started.Local().Format("2006-01-02 15:04")}))
	}
	text := wrapped(strings.Join(lines, "\n"))
	var check *widget.Button
	check = widget.NewButtonWithIcon(lang.L("interrupted.check"), theme.SearchIcon(), func() {
		check.Disable()
		startBusy(d.bar)
		text.SetText(lang.L("interrupted.checking"))
		background(d.u, func(ctx context.Context) []string {
			var found []string
			for _, a := range actions {
				res, err := d.h.FinishAction(ctx, a, app.UpdateOptions{})
				outcome := string(res.Outcome)
				if err != nil || res.CheckAgain {
					outcome = "again"
				}
				found = append(found, lang.L("interrupted."+a.Kind+"."+outcome, map[string]any{"Name": a.Name, "Version": res.Version}))
			}
			return found
		}, func(found []string) {
			stopBusy(d.bar)
			d.u.checkup = nil // what the devices say may have changed
			if d.u.dash != d {
				return
			}
			text.SetText(strings.Join(found, "\n"))
			d.check()
		})
	})
	check.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, nil, check, text)
}
