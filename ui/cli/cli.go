// Package cli is Porchlight's command line: the same household core as the
// desktop app, with human output by default and --json for machines.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/vault"
)

// runLab runs the lab command the composition root provides.
func runLab(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	if env.Lab == nil {
		return errors.New("this build has no lab")
	}
	return env.Lab(ctx, args, out, errOut)
}

// Schema is the version of every JSON document the command line prints
// (see docs/cli.md).
const Schema = 1

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string, out, errOut io.Writer) error
}

// Env is what the composition root (main) gives the command line: the
// keyring, the network, and the lab command, which needs the simulated
// household that only main may choose.
type Env struct {
	// Vault keeps device passwords (the OS keyring).
	Vault vault.Store
	// Network returns the network to use, scanning only interface iface
	// when it is not empty.
	Network func(iface string) app.Network
	// Lab runs 'porchlight lab': it serves a simulated household until ctx ends.
	Lab func(ctx context.Context, args []string, out, errOut io.Writer) error
}

var commands = map[string]command{
	"scan":     {"find the devices on the network", runScan},
	"check":    {"check devices against the security baseline EN 303 645", runCheck},
	"report":   {"write the checkup as an HTML page or JSON", runReport},
	"claim":    {"mark devices as yours, so Porchlight may act on them", runClaim},
	"password": {"give a device a new password, kept in your keyring", runPassword},
	"update":   {"check for, or install, a firmware update", runUpdate},
	"pair":     {"pair with a device that needs it (a Hue bridge's link button)", runPair},
	"reset":    {"factory-reset a device (erases its settings and your data)", runReset},
	"forget":   {"delete the passwords Porchlight keeps, and forget devices", runForget},
	"wipe":     {"erase your data from devices (factory reset or guided steps), with a receipt", runWipe},
	"lab":      {"serve a simulated household (inside an isolated network namespace)", runLab},
	"watch":    {"keep watch: look again at an interval and print what changed, one line each", runWatch},
}

// IsCommand reports whether name is a subcommand (or a request for help).
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok || name == "help" || name == "-h" || name == "--help"
}

// ErrUsage marks an error in how the command was called (exit status 2);
// the lab command, which main provides, wraps it too.
var ErrUsage = errors.New("usage")

// Run runs the subcommand named by args[0] and returns the exit status:
// 0 on success, 1 when the work failed, 2 when the call was wrong.
func Run(ctx context.Context, env Env, args []string, out, errOut io.Writer) int {
	if len(args) == 0 || !IsCommand(args[0]) || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(errOut)
		if len(args) > 0 && IsCommand(args[0]) {
			return 0
		}
		return 2
	}
	err := commands[args[0]].run(ctx, env, args[1:], out, errOut)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	}
	fmt.Fprintf(errOut, "porchlight %s: %v\n", args[0], err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: porchlight [COMMAND] [OPTIONS]")
	fmt.Fprintln(w, "Without a command, Porchlight opens its window.")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'porchlight COMMAND -h' for a command's options.")
}

// newFlags returns a flag set that reports errors through errOut.
func newFlags(name string, errOut io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("porchlight "+name, flag.ContinueOnError)
	fs.SetOutput(errOut)
	return fs
}

// usageError turns a flag parsing error into ErrUsage (help stays help).
func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return ErrUsage
}

// parse parses args and rejects positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return ErrUsage
	}
	return nil
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
