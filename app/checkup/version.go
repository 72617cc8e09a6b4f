package checkup

import (
	"cmp"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// version is a firmware version: its release numbers (1.14.0 → [1 14 0])
// and, for a pre-release, its stage and number (beta 2 → [2 2]; see
// preStages).
type version struct {
	release []int
	pre     []int
}

// preStages rank the pre-release words makers use, earliest first: ESPHome
// builds "-dev" before its betas ("2024.6.0b1"), WLED numbers betas and
// release candidates ("0.15.0-b2", "0.15.0-rc1"), Shelly spells them out
// ("1.0.7-beta2").
var preStages = map[string]int{"dev": 0, "a": 1, "alpha": 1, "b": 2, "beta": 2, "pre": 3, "rc": 3}

// parseVersion finds the version in what a device reports: after the last
// "/", from the first digit, up to eight numbers joined by dots, then
// optionally a pre-release ("-beta2", "b1", "-rc1", "-dev", ".dev3"), then
// optionally a build mark that does not change the order ("-gcb84623", the
// git commit Shelly adds; "-52294", a build number; "+meta"), and then the
// end or a new word ("13.2.0(tasmota)", "1.0.3 (build 200)", "ESPHome
// 2024.6.1, project 1.2"). Anything else after the numbers is a scheme
// Porchlight does not know, and it reports false, as it does without a
// number: such a version is never said to be older or newer than another.
func parseVersion(s string) (version, bool) {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	start := strings.IndexFunc(s, isDigit)
	if start < 0 {
		return version{}, false
	}
	s = s[start:]
	var v version
	for {
		n := countDigits(s)
		num, err := strconv.Atoi(s[:n])
		if err != nil || len(v.release) == 8 {
			return version{}, false
		}
		v.release = append(v.release, num)
		s = s[n:]
		if len(s) < 2 || s[0] != '.' || !isDigit(rune(s[1])) {
			break
		}
		s = s[1:]
	}
	s, v.pre = parsePre(s)
	if v.pre != nil && len(v.release) > 3 {
		return version{}, false
	}
	s = skipBuild(s)
	if !endsWord(s) {
		return version{}, false
	}
	return v, true
}

// parsePre reads a pre-release at the start of s: an optional "-" or ".",
// a word of preStages, then optionally "." and a number. It returns the
// rest of s and the pre-release as [stage] or [stage number]; nil when s
// does not start with one.
func parsePre(s string) (string, []int) {
	rest := s
	if len(rest) > 0 && (rest[0] == '-' || rest[0] == '.') {
		rest = rest[1:]
	}
	w := 0
	for w < len(rest) && rest[w] >= 'a' && rest[w] <= 'z' {
		w++
	}
	stage, ok := preStages[rest[:w]]
	if !ok {
		return s, nil
	}
	rest = rest[w:]
	if len(rest) >= 2 && rest[0] == '.' && isDigit(rune(rest[1])) {
		rest = rest[1:]
	}
	n := countDigits(rest)
	if n == 0 {
		return rest, []int{stage}
	}
	num, err := strconv.Atoi(rest[:n])
	if err != nil {
		return s, nil
	}
	return rest[n:], []int{stage, num}
}

// skipBuild skips a build mark at the start of s: "-g" and at least four
// hex digits (git describe), "-" and digits (a build number), or "+" and
// semantic-versioning build metadata.
func skipBuild(s string) string {
	switch {
	case strings.HasPrefix(s, "-g"):
		n := 2
		for n < len(s) && strings.IndexByte("0123456789abcdef", s[n]) >= 0 {
			n++
		}
		if n >= 6 {
			return s[n:]
		}
	case strings.HasPrefix(s, "-") && countDigits(s[1:]) > 0:
		return s[1+countDigits(s[1:]):]
	case strings.HasPrefix(s, "+"):
		n := 1
		for n < len(s) && (isAlnum(s[n]) || s[n] == '.' || s[n] == '-') {
			n++
		}
		if n > 1 {
			return s[n:]
		}
	}
	return s
}

// endsWord reports whether s, what follows a version, starts a new word:
// nothing, a space, punctuation, or a bracket (Tasmota's "(tasmota)").
// A dot ends it only at the end of a sentence.
func endsWord(s string) bool {
	if s == "" {
		return true
	}
	switch s[0] {
	case ' ', '\t', ',', ';', ':', '(', ')', '[', ']':
		return true
	case '.':
		return len(s) == 1 || s[1] == ' '
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// countDigits is the number of digits s starts with.
func countDigits(s string) int {
	n := 0
	for n < len(s) && isDigit(rune(s[n])) {
		n++
	}
	return n
}

// semver writes the version's first three numbers and its pre-release as
// a semantic version for golang.org/x/mod/semver: missing numbers are 0
// (1.14 = 1.14.0) and the pre-release is numeric ("-2.2" for beta 2), so
// stages and their numbers order as numbers (b9 before b10), a stage
// without a number before its first number (b before b1), and every
// pre-release before its release (Semantic Versioning 2.0.0 §11).
func (v version) semver() string {
	var b strings.Builder
	b.WriteByte('v')
	for i := range 3 {
		if i > 0 {
			b.WriteByte('.')
		}
		n := 0
		if i < len(v.release) {
			n = v.release[i]
		}
		b.WriteString(strconv.Itoa(n))
	}
	for i, p := range v.pre {
		if i == 0 {
			b.WriteByte('-')
		} else {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(p))
	}
	return b.String()
}

// compare returns -1, 0 or 1 as v is older than, the same as, or newer
// than w. The first three numbers and the pre-release compare as semantic
// versions; numbers beyond three (Tasmota's development builds, 8.1.0.2)
// break a tie, missing ones counting as 0.
func (v version) compare(w version) int {
	if c := semver.Compare(v.semver(), w.semver()); c != 0 {
		return c
	}
	for i := 3; i < max(len(v.release), len(w.release)); i++ {
		a, b := 0, 0
		if i < len(v.release) {
			a = v.release[i]
		}
		if i < len(w.release) {
			b = w.release[i]
		}
		if a != b {
			return cmp.Compare(a, b)
		}
	}
	return 0
}
