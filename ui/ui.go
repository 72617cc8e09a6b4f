// Package ui holds Porchlight's desktop screens, built with Fyne. It is the
// only package that touches widgets; the work behind them lives in app.
package ui

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/assets"
)

// Scanner finds the household's devices; app.Scan is the real one, tests use fakes.
type Scanner func(ctx context.Context, opts app.ScanOptions, onEvent func(app.ScanEvent)) (app.ScanResult, error)

// Run opens Porchlight's main window on a and blocks until it closes.
func Run(a fyne.App, scan Scanner) {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		slog.Warn("loading translations failed", "err", err)
	}
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow(lang.L("app.title"))
	s := newScanScreen(scan)
	w.SetContent(s.content())
	w.Resize(fyne.NewSize(720, 520))
	w.SetOnClosed(s.stop)
	w.ShowAndRun()
}
