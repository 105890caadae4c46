package main

import (
	"errors"
	"os"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	auth "mbauthcheck/auth"
)

// FuzzCompat: no operation panics on any string; compat parse fails only where the server reads
// no dictionary, and every error offset lies inside the input; a formatted value reads back.
// Seeds: a few headers, plus the shared corpus the TypeScript side wrote (MBAUTH_GO_SEEDS).
func FuzzCompat(f *testing.F) {
	for _, seed := range []string{"", " ", "MediaBrowser ", `MediaBrowser Token="abc"`, `Acme Key="a", App=b`, "x=\"%C3"} {
		f.Add(seed)
	}
	if file := os.Getenv("MBAUTH_GO_SEEDS"); file != "" {
		text, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		seeds, err := readJSON(string(text))
		if err != nil {
			f.Fatal(err)
		}
		for _, seed := range seeds.([]any) {
			f.Add(seed.(string))
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		units := len(utf16.Encode([]rune(s)))
		for _, options := range []auth.ParseOptions{{}, {NoLegacy: true}, {Mode: auth.Strict}, {Mode: auth.Strict, NoLegacy: true}} {
			_, err := auth.Parse(s, options)
			if err == nil {
				continue
			}
			var failure *auth.ParseError
			if !errors.As(err, &failure) {
				t.Fatalf("%q: the error is not a *ParseError: %v", s, err)
			}
			if failure.Offset < 0 || failure.Offset > units {
				t.Fatalf("%q: offset %d outside 0..%d", s, failure.Offset, units)
			}
			if options.Mode != auth.Strict && failure.Code != auth.MissingScheme && failure.Code != auth.UnknownScheme && failure.Code != auth.LegacySchemeDisabled {
				t.Fatalf("%q: compat failed with %s", s, failure.Code)
			}
		}
		header, err := auth.Format(auth.Params{auth.TokenParameter: s}, auth.FormatOptions{})
		if utf8.ValidString(s) {
			if err != nil {
				t.Fatalf("%q: format: %v", s, err)
			}
			read, err := auth.Parse(header, auth.ParseOptions{Mode: auth.Strict})
			if err != nil || read.Params[auth.TokenParameter] != s {
				t.Fatalf("%q: %s reads back as %q (%v)", s, header, read.Params[auth.TokenParameter], err)
			}
		} else if err == nil {
			t.Fatalf("%q: format wrote invalid UTF-8", s)
		}
		auth.Validate(auth.Params{auth.TokenParameter: s, auth.ParameterName(s): s}, auth.OperationName(s))
		for _, x := range auth.Transports {
			request := auth.Request{Header: map[string][]string{x.Key: {s, s}}, Query: map[string][]string{x.Key: {s}}}
			for _, p := range auth.Profiles {
				legacy := false
				auth.Extract(request, auth.ExtractOptions{Profile: p.Name})
				auth.Extract(request, auth.ExtractOptions{Profile: p.Name, Legacy: &legacy})
			}
		}
	})
}
