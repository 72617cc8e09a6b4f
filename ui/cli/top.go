package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
)

// Window is what the command line asks of the window: the options that
// may come without a command.
type Window struct {
	// Demo opens the simulated household instead of the person's.
	Demo bool
	// DemoDevices, with Demo, is the size of the simulated household,
	// opened on the dashboard (for benchmarks).
	DemoDevices int
	// DataDir is where Porchlight keeps its data ("" for the default).
	DataDir string
	// Background starts in the system tray, keeping watch, when the person
	// chose that in the settings (for starting with the computer).
	Background bool
}

// windowFlags adds the window's options to fs.
func windowFlags(fs *pflag.FlagSet, w *Window, words *words) {
	fs.BoolVar(&w.Demo, "demo", false, words.t("cli.flag.demo"))
	fs.IntVar(&w.DemoDevices, "demo-devices", 0, words.t("cli.flag.demodevices"))
	fs.StringVar(&w.DataDir, "data-dir", "", words.t("cli.flag.datadir", "Env", "PORCHLIGHT_DATA_DIR"))
	fs.BoolVar(&w.Background, "background", false, words.t("cli.flag.background"))
}

// WindowArgs reports whether args (without the program's name) ask for the
// window: none, or only the window's options (--demo, --demo-devices,
// --data-dir). Anything else is for Run, which never opens a window.
func WindowArgs(args []string) (Window, bool) {
	var w Window
	fs := pflag.NewFlagSet("porchlight", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	windowFlags(fs, &w, wordsFor("en"))
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return Window{}, false
	}
	return w, true
}

// NoDisplay says, in one sentence, that the window cannot open here.
func NoDisplay(errOut io.Writer) {
	fmt.Fprintln(errOut, wordsFor(language(os.Getenv)).t("cli.nodisplay"))
}

// runTop runs a command line that starts with an option: --version,
// --help, or options given before the command ("porchlight --lang de
// scan"), which then go to the command.
func runTop(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	w := wordsFor(argsLanguage(args))
	fs := pflag.NewFlagSet("porchlight", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(false)
	var win Window
	windowFlags(fs, &win, w)
	version := fs.BoolP("version", "V", false, w.t("cli.flag.version"))
	fs.String("lang", "", w.t("cli.flag.lang"))
	err := fs.Parse(args)
	switch {
	case err == pflag.ErrHelp || len(args) == 0:
		usage(out, w, fs)
		if len(args) == 0 {
			return ErrUsage
		}
		return errHelp
	case err != nil:
		f := &Flags{FlagSet: fs, name: "", words: w}
		msg := f.parseError(err)
		fmt.Fprintf(errOut, "porchlight: %s %s\n", msg, w.t("cli.error.seehelp.top"))
		return ErrUsage
	case *version:
		return printVersion(env, out, w)
	case fs.NArg() > 0:
		name := fs.Arg(0)
		c, ok := commands[name]
		if !ok {
			fmt.Fprintln(errOut, w.t("cli.error.command", "Command", name, "Closest", closest(name, commandNames())))
			return ErrUsage
		}
		before := args[:len(args)-fs.NArg()]
		rest := append(append([]string{}, before...), fs.Args()[1:]...)
		if code := status(c.run(ctx, env, rest, out, errOut), name, errOut); code != ExitOK {
			return exitError(code)
		}
		return nil
	}
	fmt.Fprintf(errOut, "porchlight: %s %s\n", w.t("cli.error.windowonly"), w.t("cli.error.seehelp.top"))
	return ErrUsage
}

// exitError carries a command's exit status, already said, out of runTop.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usage prints the top-level help: the commands and the window's options.
func usage(out io.Writer, w *words, fs *pflag.FlagSet) {
	fmt.Fprintln(out, w.t("cli.usage.top"))
	fmt.Fprintln(out, w.t("cli.about.top"))
	fmt.Fprintln(out)
	fmt.Fprintln(out, w.t("cli.commands"))
	for _, n := range commandNames() {
		fmt.Fprintf(out, "  %-9s %s\n", n, w.t("cli.summary."+n))
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, w.t("cli.options"))
	fmt.Fprint(out, fs.FlagUsages())
	fmt.Fprintln(out)
	fmt.Fprintln(out, w.t("cli.morehelp"))
}

// runHelp is 'porchlight help [COMMAND]'.
func runHelp(ctx context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("help", out, errOut)
	if err := f.Parse(args, 0, 1); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return runTop(ctx, env, []string{"--help", "--lang", f.Lang()}, out, errOut)
	}
	name := f.Arg(0)
	c, ok := commands[name]
	if !ok {
		fmt.Fprintln(errOut, f.words.t("cli.error.command", "Command", name, "Closest", closest(name, commandNames())))
		return ErrUsage
	}
	return c.run(ctx, env, []string{"--help", "--lang", f.Lang()}, out, errOut)
}

// Version is the app's version, from FyneApp.toml.
type Version struct {
	Version string
	Build   int
}

// runVersion is 'porchlight version'.
func runVersion(_ context.Context, env Env, args []string, out, errOut io.Writer) error {
	f := NewFlags("version", out, errOut)
	if err := f.Parse(args, 0, 0); err != nil {
		return err
	}
	return printVersion(env, out, f.words)
}

// printVersion prints the app's version, the Go version it was built
// with, and the commit it was built from (as Go recorded it).
func printVersion(env Env, out io.Writer, w *words) error {
	commit, modified := "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	v := env.Version.Version
	if v == "" {
		v = w.t("cli.version.unknown")
	}
	fmt.Fprintln(out, w.t("cli.version.app", "Version", v, "Build", env.Version.Build))
	fmt.Fprintln(out, w.t("cli.version.go", "Go", runtime.Version(), "Platform", runtime.GOOS+"/"+runtime.GOARCH))
	switch {
	case commit == "":
		fmt.Fprintln(out, w.t("cli.version.nocommit"))
	case modified:
		fmt.Fprintln(out, w.t("cli.version.modified", "Commit", commit))
	default:
		fmt.Fprintln(out, w.t("cli.version.commit", "Commit", commit))
	}
	return nil
}
