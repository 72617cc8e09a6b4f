package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/porchlight/porchlight/app"
)

// Flags are one command's options, parsed by spf13/pflag: options may come
// before and after the arguments, "--" ends them, "-h" and "--help" print
// the command's help. Every command has --lang, the language of its words.
type Flags struct {
	*pflag.FlagSet
	name        string
	out, errOut io.Writer
	lang        *string
	// words are the command's words, in --lang or the environment's language.
	words *words
}

// NewFlags returns the options of command name; out receives its help,
// errOut its errors.
func NewFlags(name string, out, errOut io.Writer) *Flags {
	fs := pflag.NewFlagSet("porchlight "+name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &Flags{FlagSet: fs, name: name, out: out, errOut: errOut}
	f.lang = fs.String("lang", "", f.flagWords().t("cli.flag.lang"))
	return f
}

// flagWords are the words of the language the environment asks for, for
// the help of options (before --lang is parsed).
func (f *Flags) flagWords() *words { return wordsFor(language(os.Getenv)) }

// Parse parses args, which must hold at least min arguments besides the
// options and at most max (max < 0: any number). A wrong call is said in
// one line on errOut and returned as ErrUsage; -h or --help prints the
// command's help on out and returns errHelp.
func (f *Flags) Parse(args []string, min, max int) error {
	f.words = wordsFor(argsLanguage(append([]string{f.name}, args...)))
	err := f.FlagSet.Parse(args)
	if err == nil && *f.lang != "" && *f.lang != "en" && *f.lang != "de" {
		return f.fail(f.words.t("cli.error.lang", "Lang", *f.lang))
	}
	if err == nil {
		f.words = wordsFor(f.Lang())
	}
	switch {
	case errors.Is(err, pflag.ErrHelp):
		f.PrintHelp()
		return errHelp
	case err != nil:
		return f.fail(f.parseError(err))
	case f.NArg() < min:
		return f.fail(f.words.t("cli.error.missing", "Usage", f.words.t("cli.usage."+f.name)))
	case max >= 0 && f.NArg() > max:
		return f.fail(f.words.t("cli.error.extra", "Arg", f.Arg(max)))
	}
	return nil
}

// Lang is the language the command speaks: --lang, else the environment's.
func (f *Flags) Lang() string { return cmp.Or(*f.lang, language(os.Getenv)) }

// fail says msg on one line, naming the command and its help, and returns ErrUsage.
func (f *Flags) fail(msg string) error {
	fmt.Fprintf(f.errOut, "porchlight %s: %s %s\n", f.name, msg, f.words.t("cli.error.seehelp", "Command", f.name))
	return ErrUsage
}

// Usagef says a wrong call in one line (see Parse) and returns ErrUsage.
func (f *Flags) Usagef(key string, kv ...any) error {
	return f.fail(f.words.t(key, kv...))
}

// parseError says what pflag found wrong, naming the closest option to an
// unknown one.
func (f *Flags) parseError(err error) string {
	var names []string
	f.VisitAll(func(fl *pflag.Flag) { names = append(names, "--"+fl.Name) })
	names = append(names, "--help")
	var notExist *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var badValue *pflag.InvalidValueError
	switch {
	case errors.As(err, &notExist):
		given := "--" + notExist.GetSpecifiedName()
		if s := notExist.GetSpecifiedShortnames(); s != "" {
			given = "-" + s
		}
		return f.words.t("cli.error.option", "Option", given, "Closest", closest(strings.TrimLeft(given, "-"), names))
	case errors.As(err, &needsValue):
		return f.words.t("cli.error.value", "Option", "--"+needsValue.GetFlag().Name)
	case errors.As(err, &badValue):
		return f.words.t("cli.error.badvalue", "Option", "--"+badValue.GetFlag().Name, "Value", badValue.GetValue())
	}
	return err.Error()
}

// PrintHelp prints the command's usage, what it does and its options.
func (f *Flags) PrintHelp() {
	w := f.words
	fmt.Fprintln(f.out, w.t("cli.usage."+f.name))
	fmt.Fprintln(f.out, w.t("cli.about."+f.name))
	fmt.Fprintln(f.out)
	fmt.Fprintln(f.out, w.t("cli.options"))
	fmt.Fprint(f.out, f.FlagUsages())
}

// DataDir adds --data-dir.
func (f *Flags) DataDir() *string {
	return f.String("data-dir", "", f.flagWords().t("cli.flag.datadir", "Env", app.DataDirEnv))
}

// Interface adds --interface.
func (f *Flags) Interface() *string {
	return f.String("interface", "", f.flagWords().t("cli.flag.interface"))
}

// JSON adds --json.
func (f *Flags) JSON() *bool {
	return f.Bool("json", false, f.flagWords().t("cli.flag.json"))
}

// argsLanguage is the language a command line asks for before its options
// are parsed (for the errors parsing finds): --lang's value, else the
// environment's.
func argsLanguage(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return v
		}
		if a == "--lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return language(os.Getenv)
}

// language is the language the environment asks for, as POSIX orders it:
// LC_ALL, then LC_MESSAGES, then LANG; German when that names German, else
// English.
func language(getenv func(string) string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(v); l != "" {
			if strings.HasPrefix(strings.ToLower(l), "de") {
				return "de"
			}
			return "en"
		}
	}
	return "en"
}

// closest is the candidate nearest to s (fewest letters to add, remove or
// change), for "did you mean".
func closest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if d := distance(s, strings.TrimLeft(c, "-")); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, by bytes (the
// names compared are ASCII), capped at 64 bytes each.
func distance(a, b string) int {
	a, b = a[:min(len(a), 64)], b[:min(len(b), 64)]
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
