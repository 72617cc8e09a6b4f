// Command porchlight keeps a household's smart devices safe: without
// arguments it opens the desktop app, with a command it runs the same core
// from the command line (see docs/cli.md).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/ui"
	"github.com/porchlight/porchlight/ui/cli"
)

func main() {
	if len(os.Args) > 1 {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	ui.Run(fyneapp.NewWithID("io.github.porchlight.Porchlight"), app.Scan)
}
