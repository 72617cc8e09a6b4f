// Package cli is Porchlight's command line: the same household core as the
// desktop app, with human output by default and --json for machines. It
// never imports Fyne, so no command prints what Fyne's packages say.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/porchlight/porchlight/app"
	"github.com/porchlight/porchlight/app/releases"
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

// Exit statuses (documented in docs/cli.md).
const (
	// ExitOK: the command did what was asked (or printed the help asked for).
	ExitOK = 0
	// ExitFailed: the work failed; a sentence on standard error says why.
	ExitFailed = 1
	// ExitUsage: the command was called wrongly (unknown command or
	// option, missing or extra argument, a confirmation not given).
	ExitUsage = 2
)

// command is one subcommand.
type command struct {
	run func(ctx context.Context, env Env, args []string, out, errOut io.Writer) error
}

// Env is what the composition root (main) gives the command line: the
// keyring, the network, the lab command, which needs the simulated
// household that only main may choose, and the app's version.
type Env struct {
	// Vault keeps device passwords (the OS keyring).
	Vault vault.Store
	// Network returns the network to use, scanning only interface iface
	// when it is not empty.
	Network func(iface string) app.Network
	// Lab runs 'porchlight lab': it serves a simulated household until ctx ends.
	Lab func(ctx context.Context, args []string, out, errOut io.Writer) error
	// Version is the app's version and build, from FyneApp.toml.
	Version Version
	// Makers asks the makers' public release feeds for their newest
	// versions; check and report use it only with --ask-makers.
	Makers releases.Source
}

// commands are the subcommands by name (set in init: help refers to them).
var commands map[string]command

func init() {
	commands = map[string]command{
		"scan":       {runScan},
		"check":      {runCheck},
		"report":     {runReport},
		"claim":      {runClaim},
		"password":   {runPassword},
		"update":     {runUpdate},
		"pair":       {runPair},
		"reset":      {runReset},
		"forget":     {runForget},
		"close-port": {runClosePort},
		"wipe":       {runWipe},
		"lab":        {runLab},
		"version":    {runVersion},
		"watch":      {runWatch},
		"help":       {runHelp},
	}
}

// commandNames are the commands in order.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrUsage marks an error in how the command was called (exit status 2);
// the lab command, which main provides, wraps it too.
var ErrUsage = errors.New("usage")

// errHelp: the help asked for was printed (exit status 0).
var errHelp = errors.New("help printed")

// Run runs the command line args (without the program's name) and returns
// the exit status: 0 on success, 1 when the work failed, 2 when the call
// was wrong. It never opens a window: main does, when Window says the
// arguments ask for it.
func Run(ctx context.Context, env Env, args []string, out, errOut io.Writer) int {
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' {
		err := runTop(ctx, env, args, out, errOut)
		if e, ok := err.(exitError); ok {
			return int(e)
		}
		return status(err, "", errOut)
	}
	c, ok := commands[args[0]]
	if !ok {
		w := wordsFor(argsLanguage(args))
		fmt.Fprintln(errOut, w.t("cli.error.command", "Command", args[0], "Closest", closest(args[0], commandNames())))
		return ExitUsage
	}
	return status(c.run(ctx, env, args[1:], out, errOut), args[0], errOut)
}

// status turns a command's error into its exit status, saying the error.
func status(err error, name string, errOut io.Writer) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return ExitOK
	case errors.Is(err, ErrUsage):
		return ExitUsage
	}
	if name == "" {
		fmt.Fprintf(errOut, "porchlight: %v\n", err)
	} else {
		fmt.Fprintf(errOut, "porchlight %s: %v\n", name, err)
	}
	return ExitFailed
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
