package ui

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/releases"
)

// settingsHousehold is what the settings need from the core.
type settingsHousehold interface {
	KeyringStatus(ctx context.Context) app.KeyringStatus
	DataDir() string
	DeleteAllData(ctx context.Context) ([]string, error)
	// SetLang sets the language of the core's results.
	SetLang(lang string)
	// AskMakers sets the makers' release feeds the checkup asks (nil: none).
	AskMakers(src releases.Source)
	// Demo reports a simulated household.
	Demo() bool
}

// settingsScreen shows the keyring's state, where data lives, and the
// person's choices.
type settingsScreen struct {
	u       *ui
	h       settingsHousehold
	keyring *widget.Label
	bar     *widget.ProgressBarInfinite
}

// The choices offered, with their preference values.
var (
	languageValues = []string{"", "en", "de"}
	themeValues    = []string{"", "light", "dark"}
)

func (u *ui) showSettings() {
	u.enter()
	s := &settingsScreen{u: u, h: u.h, keyring: wrapped(lang.L("settings.keyring.checking")), bar: busyBar()}
	languageNames := []string{lang.L("settings.system"), "English", "Deutsch"}
	language := widget.NewSelect(languageNames, func(choice string) {
		v := languageValues[slices.Index(languageNames, choice)]
		if v != u.prefs.language() {
			u.prefs.setLanguage(v)
			u.switchLanguage(v)
		}
	})
	language.SetSelectedIndex(max(0, slices.Index(languageValues, u.prefs.language())))
	themeNames := []string{lang.L("settings.system"), lang.L("settings.theme.light"), lang.L("settings.theme.dark")}
	themeSel := widget.NewSelect(themeNames, func(choice string) {
		v := themeValues[slices.Index(themeNames, choice)]
		u.prefs.setTheme(v)
		u.app.Settings().SetTheme(themeFor(v))
	})
	themeSel.SetSelectedIndex(max(0, slices.Index(themeValues, u.prefs.theme())))
	keep := widget.NewCheck(lang.L("settings.watch.keep"), func(on bool) { u.prefs.setKeepWatching(on) })
	keep.SetChecked(u.prefs.keepWatching())
	paused := widget.NewCheck(lang.L("settings.watch.pause"), u.setPaused)
	paused.SetChecked(u.watcher != nil && u.watcher.Paused())
	watching := container.NewVBox(keep, paused)
	if u.tray == nil {
		watching.Add(wrapped(lang.L("settings.watch.notray")))
	}
	if a := u.opts.Autostart; a != nil {
		login := widget.NewCheck(lang.L("settings.watch.login"), nil)
		login.SetChecked(a.Enabled())
		login.OnChanged = func(on bool) { s.startWithComputer(login, on) }
		watching.Add(login)
	}
	makers := widget.NewCheck(lang.L("settings.makers.ask"), func(on bool) {
		u.prefs.setAskMakers(on)
		u.applyAskMakers()
	})
	makers.SetChecked(u.prefs.askMakers())
	deleteAll := widget.NewButtonWithIcon(lang.L("settings.deleteall"), theme.DeleteIcon(), s.deleteAll)
	deleteAll.Importance = widget.DangerImportance
	form := widget.NewForm(
		widget.NewFormItem(lang.L("settings.keyring"), container.NewVBox(s.keyring, s.bar)),
		widget.NewFormItem(lang.L("settings.data"), wrapped(u.h.DataDir())),
		widget.NewFormItem(lang.L("settings.language"), language),
		widget.NewFormItem(lang.L("settings.theme"), themeSel),
		widget.NewFormItem(lang.L("settings.watch"), watching),
	)
	if u.opts.Makers != nil && !u.h.Demo() {
		form.Append(lang.L("settings.makers"), makers)
	}
	form.Append("", deleteAll)
	back := widget.NewButtonWithIcon(lang.L("nav.back"), theme.NavigateBackIcon(), u.showDashboard)
	u.show(page(lang.L("menu.settings"), container.NewVScroll(form), back))
	s.probe()
}

// applyAskMakers lets the household's checkup ask the makers' release
// pages when the person chose so in the settings; a demo household never
// asks.
func (u *ui) applyAskMakers() {
	if u.opts.Makers != nil && u.prefs.askMakers() && !u.h.Demo() {
		u.h.AskMakers(u.opts.Makers)
		return
	}
	u.h.AskMakers(nil)
}

// startWithComputer turns starting with the computer on or off; when it
// fails, the check goes back and the person is told why.
func (s *settingsScreen) startWithComputer(check *widget.Check, on bool) {
	a := s.u.opts.Autostart
	if on == a.Enabled() {
		return
	}
	var err error
	if on {
		err = a.Enable()
	} else {
		_, err = a.Disable()
	}
	if err != nil {
		check.SetChecked(a.Enabled())
		dialog.ShowError(fmt.Errorf("%s: %w", lang.L("settings.watch.login.failed"), err), s.u.win)
	}
}

// probe asks the keyring whether it works; an unlock prompt may take long,
// so it runs in the background with the vault's own timeout.
func (s *settingsScreen) probe() {
	startBusy(s.bar)
	onScreen(s.u, func(ctx context.Context) app.KeyringStatus { return s.h.KeyringStatus(ctx) },
		func(st app.KeyringStatus) {
			stopBusy(s.bar)
			if st.Available {
				s.keyring.SetText("✓ " + lang.L("settings.keyring.ok"))
				return
			}
			s.keyring.SetText("✗ " + lang.L("settings.keyring.missing") + "\n" + keyringProblem(st))
		})
}

// forgetAppData removes the app's own preferences (language, theme, window
// size, watching), what the watcher remembers and Porchlight's entry among
// what starts with the computer, and says so. Porchlight keeps nothing else
// in Fyne's app storage: its data lives in its data directory, which
// DeleteAllData empties.
func (u *ui) forgetAppData() ([]string, error) {
	for _, k := range []string{prefLanguage, prefTheme, prefWindowWidth, prefWindowHeight, prefKeepWatching, prefAskMakers} {
		u.app.Preferences().RemoveValue(k)
	}
	u.applyAskMakers()
	removed := []string{lang.L("settings.deleteall.prefs")}
	if u.watcher != nil {
		if u.watcher.Paused() {
			if err := u.watcher.SetPaused(false); err != nil {
				return removed, err
			}
		}
		if err := u.watcher.Forget(); err != nil {
			return removed, err
		}
	}
	if u.opts.Autostart != nil {
		where, err := u.opts.Autostart.Disable()
		if err != nil {
			return removed, err
		}
		if where != "" {
			removed = append(removed, where)
		}
	}
	u.refreshTray()
	return removed, nil
}

// deleteAll removes everything Porchlight keeps, after a confirmation, and
// says what it removed.
func (s *settingsScreen) deleteAll() {
	dialog.ShowConfirm(lang.L("settings.deleteall"), lang.L("settings.deleteall.confirm"), func(ok bool) {
		if !ok {
			return
		}
		startBusy(s.bar)
		background(s.u, func(ctx context.Context) result[[]string] {
			removed, err := s.h.DeleteAllData(ctx)
			return result[[]string]{removed, err}
		}, func(r result[[]string]) {
			stopBusy(s.bar)
			s.u.checkup = nil
			if r.err != nil {
				dialog.ShowError(r.err, s.u.win)
				return
			}
			more, err := s.u.forgetAppData()
			removed := append(r.v, more...)
			if err != nil {
				dialog.ShowError(err, s.u.win)
				return
			}
			msg := lang.L("settings.deleteall.done") + "\n" + strings.Join(removed, "\n")
			d := dialog.NewInformation(lang.L("settings.deleteall"), msg, s.u.win)
			d.Resize(fyne.NewSize(520, 320))
			d.Show()
		})
	}, s.u.win)
}

// switchLanguage applies the language chosen in the settings at once: the
// words on every screen and the core's results. What the household holds
// stays, its checkup too: the checkup's typed reasons are rendered in the
// new language the next time a screen shows them.
func (u *ui) switchLanguage(code string) {
	l, err := useLanguage(code)
	if err != nil {
		slog.Warn("loading translations failed", "err", err)
	}
	u.lang = l
	u.h.SetLang(l)
	u.win.SetTitle(lang.L("app.title"))
	u.win.SetMainMenu(u.menu())
	u.showSettings()
}

// keyringProblem says in the person's language what is wrong with the
// keyring and how to fix it on this operating system (keyringKey).
func keyringProblem(st app.KeyringStatus) string {
	name := lang.L("keyring.name." + keyringKey)
	switch {
	case st.Stopped:
		return lang.L("keyring.stopped")
	case st.Waited > 0:
		return lang.L("keyring.problem.timeout", map[string]any{"Name": name, "Seconds": int(st.Waited.Seconds())}) + "\n" + lang.L("keyring.fix."+keyringKey)
	}
	return lang.L("keyring.problem", map[string]any{"Name": name}) + "\n" + lang.L("keyring.fix."+keyringKey)
}
