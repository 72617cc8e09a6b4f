// Command porchlight keeps a household's smart devices safe: without a
// command it opens the desktop app, with one it runs the same core from the
// command line (see docs/cli.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/ui"
	"github.com/porchlight/porchlight/ui/cli"
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	demo := flag.Bool("demo", false, "try Porchlight on a simulated household inside the app (no network needed)")
	demoDevices := flag.Int("demo-devices", 0, "with --demo: a household of this many devices, opened on the dashboard (for benchmarks)")
	dataDir := flag.String("data-dir", "", "where Porchlight keeps its data (default: $"+app.DataDirEnv+", else your configuration folder)")
	flag.Parse()

	h, err := openSession(*dataDir, *demo, *demoDevices)
	if err != nil {
		fmt.Fprintln(os.Stderr, "porchlight:", err)
		os.Exit(1)
	}
	var demoSession *app.Session
	ui.Run(fyneapp.NewWithID("io.github.porchlight.Porchlight"), h, ui.Options{
		OpenDemo: func() (ui.Household, error) {
			var err error
			demoSession, err = app.OpenDemoSession(0)
			return demoSession, err
		},
	})
	h.Close()
	if demoSession != nil {
		demoSession.Close()
	}
}

// openSession opens the household in the data directory, or the demo household.
func openSession(dir string, demo bool, demoDevices int) (*app.Session, error) {
	if demo {
		s, err := app.OpenDemoSession(demoDevices)
		if err == nil && demoDevices > 0 {
			err = s.SaveSetup(setup.State{Step: setup.Done})
		}
		return s, err
	}
	dir, err := app.DataDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := app.OpenSession(dir, vault.NewKeyring(0), 0)
	if s != nil && err != nil {
		slog.Warn("Porchlight started with an empty device list", "err", err)
		return s, nil
	}
	return s, err
}
