package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
)

// scanScreen looks for devices and lists them as they answer.
type scanScreen struct {
	scan Scanner

	button   *widget.Button
	progress *widget.ProgressBarInfinite
	status   *widget.Label
	list     *widget.List

	// devices is read and written on the UI goroutine only.
	devices []app.Device

	mu     sync.Mutex
	cancel context.CancelFunc
	// onDone, when set, runs on the UI goroutine after a scan has finished.
	onDone func()
}

func newScanScreen(scan Scanner) *scanScreen {
	s := &scanScreen{scan: scan}
	s.button = widget.NewButtonWithIcon(lang.L("scan.button"), theme.SearchIcon(), s.start)
	s.button.Importance = widget.HighImportance
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Hide()
	s.status = widget.NewLabel(lang.L("device.empty"))
	s.status.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(
		func() int { return len(s.devices) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.TextStyle = fyne.TextStyle{Bold: true}
			return container.NewVBox(name, widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			d := s.devices[id]
			rows := o.(*fyne.Container).Objects
			rows[0].(*widget.Label).SetText(d.Name)
			rows[1].(*widget.Label).SetText(describe(d))
		},
	)
	return s
}

// describe is the second line of a device in the list.
func describe(d app.Device) string {
	addrs := make([]string, len(d.Addresses))
	for i, a := range d.Addresses {
		addrs[i] = a.String()
	}
	services := lang.LocalizePluralKey("device.services", "", len(d.Services), map[string]any{"Count": len(d.Services)})
	return fmt.Sprintf("%s · %s · %s", d.Host, strings.Join(addrs, ", "), services)
}

func (s *scanScreen) content() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("home.intro"))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(intro, container.NewHBox(s.button), s.progress, s.status)
	return container.NewBorder(top, nil, nil, nil, s.list)
}

// start begins a scan off the UI goroutine; devices reach the list through
// fyne.Do as they answer.
func (s *scanScreen) start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	s.devices = nil
	s.list.Refresh()
	s.button.Disable()
	s.progress.Show()
	s.progress.Start()
	s.status.SetText(lang.L("scan.running"))
	go func() {
		defer cancel()
		res, err := s.scan(ctx, app.ScanOptions{}, func(e app.ScanEvent) {
			fyne.Do(func() { s.update(e) })
		})
		fyne.Do(func() { s.finish(res, err) })
	}()
}

// update shows one device that appeared, changed or went away.
func (s *scanScreen) update(e app.ScanEvent) {
	i := slices.IndexFunc(s.devices, func(d app.Device) bool { return d.Host == e.Device.Host })
	switch {
	case e.Gone && i >= 0:
		s.devices = slices.Delete(s.devices, i, i+1)
	case e.Gone:
		return
	case i >= 0:
		s.devices[i] = e.Device
	default:
		s.devices = append(s.devices, e.Device)
	}
	s.status.SetText(lang.LocalizePluralKey("scan.found", "", len(s.devices), map[string]any{"Count": len(s.devices)}))
	s.list.Refresh()
}

// finish shows the outcome of a scan.
func (s *scanScreen) finish(res app.ScanResult, err error) {
	s.progress.Stop()
	s.progress.Hide()
	s.button.SetText(lang.L("scan.again"))
	s.button.Enable()
	s.devices = res.Devices
	s.list.Refresh()
	msgs := []string{lang.LocalizePluralKey("scan.found", "", len(s.devices), map[string]any{"Count": len(s.devices)})}
	switch {
	case err != nil:
		msgs = []string{lang.L("scan.failed", map[string]any{"Error": err.Error()})}
	case len(s.devices) == 0:
		msgs = []string{lang.L("scan.none")}
	}
	if res.Dropped > 0 {
		msgs = append(msgs, lang.L("scan.dropped", map[string]any{"Count": res.Dropped}))
	}
	s.status.SetText(strings.Join(msgs, " "))
	if s.onDone != nil {
		s.onDone()
	}
}

// stop cancels a running scan.
func (s *scanScreen) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}
