// Command porchlight keeps a household's smart devices safe: without a
// command it opens the desktop app, with one it runs the same core from the
// command line (see docs/cli.md). This file is the composition root: it
// alone chooses the network (the real one, or the simulated household for
// --demo and lab), the keyring and the data directory.
package main

import (
	"context"
	_ "embed" // FyneApp.toml, for the version
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"
	"github.com/BurntSushi/toml"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/autostart"
	"github.com/porchlight/porchlight/app/releases"
	"github.com/porchlight/porchlight/app/setup"
	"github.com/porchlight/porchlight/app/single"
	"github.com/porchlight/porchlight/app/vault"
	"github.com/porchlight/porchlight/devices/sim/simnet"
	"github.com/porchlight/porchlight/ui"
	"github.com/porchlight/porchlight/ui/cli"
	"github.com/porchlight/porchlight/ui/posixlocale"
	"github.com/porchlight/porchlight/ui/statusicon"
)

// fyneAppTOML is the app's metadata, the one source of its version.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// version reads the version and build from FyneApp.toml.
func version() cli.Version {
	var meta struct {
		Details struct {
			Version string
			Build   int
		}
	}
	if _, err := toml.Decode(fyneAppTOML, &meta); err != nil {
		return cli.Version{}
	}
	return cli.Version{Version: meta.Details.Version, Build: meta.Details.Build}
}

func main() {
	w, window := cli.WindowArgs(os.Args[1:])
	if !window {
		posixlocale.Restore()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, cli.Env{
			Vault:   vault.NewKeyring(0),
			Network: func(iface string) app.Network { return app.HomeNetwork{Interface: iface} },
			Lab:     runLab,
			Version: version(),
			Makers:  releases.GitHub{},
		}, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	if !hasDisplay(os.Getenv) {
		cli.NoDisplay(os.Stderr)
		os.Exit(cli.ExitFailed)
	}
	if !w.Demo {
		if dir, err := app.DataDir(w.DataDir); err == nil && single.Ask(dir) {
			return // the Porchlight already running shows its window
		}
	}
	core, err := openCore(w.DataDir, w.Demo, w.DemoDevices)
	if err != nil {
		fmt.Fprintln(os.Stderr, "porchlight:", err)
		os.Exit(cli.ExitFailed)
	}
	var one *single.Listener
	if !w.Demo {
		if one, err = single.Listen(core.DataDir()); err != nil {
			slog.Warn("a Porchlight started later will not find this one", "err", err)
		}
	}
	var demoCore *app.Core
	var login ui.Autostart
	// The makers' release pages are asked only from the person's own
	// household, once they turn it on in the settings; the demo never asks.
	var makers releases.Source
	if exe, err := os.Executable(); err == nil && !w.Demo {
		login = autostart.Login{Exe: exe}
	}
	if !w.Demo {
		makers = releases.GitHub{}
	}
	a := fyneapp.NewWithID("io.github.porchlight.Porchlight")
	opts := ui.Options{
		OpenDemo: func() (ui.Household, error) {
			var err error
			demoCore, err = openDemo(0)
			return demoCore, err
		},
		Autostart: login,
		Makers:    makers,
		Tray:      &statusicon.Tray{},
	}
	if one != nil {
		opts.Show = one.Show()
	}
	var next ui.Next
	if w.Background && !w.Demo && ui.StartsInTray(a, opts) {
		next = ui.RunBackground(a, core, opts)
	} else {
		next = ui.Run(a, core, opts)
	}
	core.Close()
	if demoCore != nil {
		demoCore.Close()
	}
	if one != nil {
		one.Close() // before starting afresh: the new start must not find this one
	}
	if next != ui.Done {
		// The window and the tray alone each start afresh: a Fyne app
		// runs its graphics loop once per process.
		if err := restart(next == ui.InTray); err != nil {
			fmt.Fprintln(os.Stderr, "porchlight:", err)
			os.Exit(cli.ExitFailed)
		}
	}
}

// restart starts Porchlight afresh with the same options, in the tray
// alone (background) or with its window.
func restart(background bool) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding Porchlight's program to start it again: %w", err)
	}
	if err := relaunch(exe, restartArgs(os.Args[1:], background)); err != nil {
		return fmt.Errorf("starting Porchlight again: %w", err)
	}
	return nil
}

// restartArgs are the options Porchlight was started with, for the tray
// alone (background) or the window.
func restartArgs(args []string, background bool) []string {
	out := slices.DeleteFunc(slices.Clone(args), func(a string) bool {
		return a == autostart.BackgroundFlag || strings.HasPrefix(a, autostart.BackgroundFlag+"=")
	})
	if background {
		out = append(out, autostart.BackgroundFlag)
	}
	return out
}

// openCore builds the core on the household in the data directory and the
// real network, or on the demo household.
func openCore(dir string, demo bool, demoDevices int) (*app.Core, error) {
	if demo {
		c, err := openDemo(demoDevices)
		if err == nil && demoDevices > 0 {
			err = c.SaveSetup(setup.State{Step: setup.Done})
		}
		return c, err
	}
	dir, err := app.DataDir(dir)
	if err != nil {
		return nil, err
	}
	c, err := app.Open(app.Env{Dir: dir, Vault: vault.NewKeyring(0), Network: app.HomeNetwork{}})
	if c != nil && err != nil {
		slog.Warn("Porchlight started with an empty device list", "err", err)
		return c, nil
	}
	return c, err
}

// openDemo builds a core on the simulated household inside the process,
// with its data apart from the person's: a temporary data directory
// (removed on Close) and an in-memory keyring, so trying Porchlight leaves
// nothing behind. With n > 0 the household has n devices.
func openDemo(n int) (*app.Core, error) {
	net, err := simnet.Start(n)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "porchlight-demo-")
	if err != nil {
		net.Close()
		return nil, err
	}
	c, err := app.Open(app.Env{Dir: dir, Vault: &vault.Fake{}, Network: net, Temporary: true, OnClose: net.Close})
	if err != nil {
		net.Close()
		os.RemoveAll(dir)
	}
	return c, err
}
