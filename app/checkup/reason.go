package checkup

import (
	"fmt"
	"strconv"
	"strings"
)

// Languages are the languages the checkup's sentences are written in.
var Languages = []string{English, German}

// Reason is one sentence of the checkup, or a part of one, as data: the key
// of a sentence in the catalogue and its arguments. The checkup writes no
// prose; whoever shows a Reason renders it with In, in the person's
// language at that moment, so a change of language needs no new checkup.
type Reason struct {
	// Key names the sentence; empty for a literal.
	Key string `json:"key,omitempty"`
	// Text is a literal (a version, an address, a name the device reported)
	// when Key is empty. It is shown as it is, in every language.
	Text string `json:"text,omitempty"`
	// Args fill the sentence's indexed places, in order; with no Key,
	// they are a list, shown separated by commas.
	Args []Reason `json:"args,omitempty"`
}

// reason builds a Reason: strings and numbers become literals, Reasons
// nest (a sentence inside a sentence, rendered in the same language).
func reason(key string, args ...any) Reason {
	r := Reason{Key: key}
	for _, a := range args {
		r.Args = append(r.Args, literalOf(a))
	}
	return r
}

func literalOf(a any) Reason {
	switch v := a.(type) {
	case Reason:
		return v
	case string:
		return Reason{Text: v}
	case int:
		return Reason{Text: strconv.Itoa(v)}
	}
	panic(fmt.Sprintf("checkup: a reason's argument of type %T", a))
}

// In renders the reason in lang ("en" when lang is not one of Languages).
func (r Reason) In(lang string) string {
	if r.Key == "" && len(r.Args) > 0 {
		return Reasons(r.Args).join(lang, ", ")
	}
	if r.Key == "" {
		return r.Text
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a.In(lang)
	}
	return text(lang, r.Key, args...)
}

// Reasons are sentences said one after another.
type Reasons []Reason

// In renders the sentences in lang, separated by spaces.
func (rs Reasons) In(lang string) string { return rs.join(lang, " ") }

func (rs Reasons) join(lang, sep string) string {
	return strings.Join(rs.Each(lang), sep)
}

// Each renders every reason in lang on its own.
func (rs Reasons) Each(lang string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.In(lang)
	}
	return out
}

// Steps are a person's numbered steps in each language the catalog has
// them in; they are the maker's facts, not the checkup's prose.
type Steps map[string][]string

// In returns the steps in lang, else in English.
func (s Steps) In(lang string) []string {
	if st, ok := s[lang]; ok {
		return st
	}
	return s[English]
}

// stepsOf collects steps in every language.
func stepsOf(in func(lang string) []string) Steps {
	s := Steps{}
	for _, l := range Languages {
		if st := in(l); len(st) > 0 {
			s[l] = st
		}
	}
	if len(s) == 0 {
		return nil
	}
	return s
}

// says is what a line says in one sentence.
func says(key string, args ...any) Reasons { return Reasons{reason(key, args...)} }

// list is a comma-separated list of reasons (port names, say), each
// rendered in the same language.
func list(items []Reason) Reason { return Reason{Args: items} }
