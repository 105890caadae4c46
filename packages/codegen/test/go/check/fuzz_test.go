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
// no dictionary, and every error offset lies inside the input; a formatted value reads back;
// Extract, with the string in every transport and every separate value, takes exactly one value
// per client parameter it reports.
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
		requests := []auth.Request{}
		for _, x := range auth.Transports {
			requests = append(requests, auth.Request{Header: map[string][]string{x.Key: {s, s}}, Query: map[string][]string{x.Key: {s}}})
		}
		// Every separate value carries s, beside each scheme header carrying s as a header.
		separate := auth.Request{Header: map[string][]string{}, Query: map[string][]string{}}
		for _, v := range auth.SeparateValues {
			if v.Header != "" {
				separate.Header[v.Header] = []string{s}
			}
			if v.Query != "" {
				separate.Query[v.Query] = []string{s, s}
			}
		}
		requests = append(requests, separate)
		for _, x := range auth.Transports {
			if x.Kind == "header" && x.Carries == "scheme" {
				request := auth.Request{Header: map[string][]string{x.Key: {s}}, Query: separate.Query}
				for name, values := range separate.Header {
					request.Header[name] = values
				}
				requests = append(requests, request)
			}
		}
		for _, request := range requests {
			for _, p := range auth.Profiles {
				legacy := false
				checkParameters(t, s, auth.Extract(request, auth.ExtractOptions{Profile: p.Name}))
				checkParameters(t, s, auth.Extract(request, auth.ExtractOptions{Profile: p.Name, Legacy: &legacy}))
			}
		}
	})
}

// checkParameters: each parameter Extract reports is the one value of it taken (not ignored) among
// the ParameterValues, which are about parameters other than the token.
func checkParameters(t *testing.T, s string, x auth.Extraction) {
	taken := map[auth.ParameterName]int{}
	for _, v := range x.ParameterValues {
		if v.Parameter == auth.TokenParameter {
			t.Fatalf("%q: a token value among the parameter values: %+v", s, v)
		}
		if v.Ignored != auth.Read {
			continue
		}
		taken[v.Parameter]++
		if x.Parameters[v.Parameter] != v.Value || taken[v.Parameter] > 1 {
			t.Fatalf("%q: %s is %q, yet the value taken is %+v", s, v.Parameter, x.Parameters[v.Parameter], v)
		}
	}
	if len(taken) != len(x.Parameters) {
		t.Fatalf("%q: parameters %v without their values %+v", s, x.Parameters, x.ParameterValues)
	}
}
