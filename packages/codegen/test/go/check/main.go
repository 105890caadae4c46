// Command check replays a spec's vectors against the Go module generated for it (package auth),
// and reads headers for the tests that compare it with the TypeScript runtime.
//
//	check vectors FILE   every vector of FILE (a .vectors.json); prints the counts and mismatches
//	check parse FILE     FILE is [{input, mode, legacy}]; prints the results in the vectors' shape
//	check extract FILE   FILE is [{request, options}]; prints the results in the vectors' shape, with
//	                     each warning's message
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"

	auth "mbauthcheck/auth"
)

func main() {
	if len(os.Args) != 3 {
		fail(errors.New("usage: check vectors|parse|extract FILE"))
	}
	text, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err)
	}
	data, err := readJSON(string(text))
	if err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "vectors":
		print(checkVectors(data.(*object)))
	case "parse":
		var results []any
		for _, item := range data.([]any) {
			o := item.(*object)
			results = append(results, parseResult(o.get("input").(string), o))
		}
		print(results)
	case "extract":
		results := []any{}
		for _, item := range data.([]any) {
			o := item.(*object)
			results = append(results, extractResult(o.get("request").(*object), o.get("options").(*object), true))
		}
		print(results)
	default:
		fail(fmt.Errorf("unknown command %s", os.Args[1]))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "check:", err)
	os.Exit(2)
}

func print(v any) {
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	if err := out.Encode(v); err != nil {
		fail(err)
	}
}

type mismatch struct {
	Kind     string `json:"kind"`
	Index    int    `json:"index"`
	Expected any    `json:"expected"`
	Actual   any    `json:"actual"`
}

func checkVectors(vectors *object) map[string]any {
	mismatches := []mismatch{}
	counts := map[string]any{}
	check := func(kind string, run func(v *object) (expected, actual any)) {
		list := vectors.get(kind).([]any)
		counts[kind] = len(list)
		for i, item := range list {
			expected, actual := run(item.(*object))
			if !reflect.DeepEqual(plain(expected), actual) {
				mismatches = append(mismatches, mismatch{kind, i, plain(expected), actual})
			}
		}
	}
	check("parse", func(v *object) (any, any) {
		return v.get("result"), parseResult(v.get("input").(string), v.get("options").(*object))
	})
	check("format", func(v *object) (any, any) {
		style, _ := v.get("options").(*object).get("style").(string)
		header, err := auth.Format(params(v.get("params")), auth.FormatOptions{Style: auth.StyleName(style)})
		var failure *auth.FormatError
		if errors.As(err, &failure) {
			return v.get("result"), map[string]any{"error": map[string]any{"code": string(failure.Code), "parameter": failure.Parameter}}
		}
		return v.get("result"), map[string]any{"ok": header}
	})
	check("validate", func(v *object) (any, any) {
		issues := []any{}
		for _, i := range auth.Validate(params(v.get("params")), auth.OperationName(v.get("operation").(string))) {
			issue := map[string]any{"code": string(i.Code)}
			if i.Parameter != "" {
				issue["parameter"] = i.Parameter
			}
			issues = append(issues, issue)
		}
		return v.get("issues"), issues
	})
	check("extract", func(v *object) (any, any) {
		return v.get("result"), extractResult(v.get("request").(*object), v.get("options").(*object), false)
	})
	counts["mismatches"] = mismatches
	return counts
}

func parseResult(input string, options *object) any {
	mode, _ := options.get("mode").(string)
	legacy, given := options.get("legacy").(bool)
	header, err := auth.Parse(input, auth.ParseOptions{Mode: auth.ParseMode(mode), NoLegacy: given && !legacy})
	var failure *auth.ParseError
	if errors.As(err, &failure) {
		return map[string]any{"error": map[string]any{"code": string(failure.Code), "offset": float64(failure.Offset)}}
	}
	return map[string]any{"ok": map[string]any{
		"scheme":     string(header.Scheme),
		"dictionary": dictionary(header.Dictionary),
		"params":     paramsOut(header.Params),
	}}
}

func dictionary(d auth.Dictionary) []any {
	out := []any{}
	for _, e := range d {
		out = append(out, []any{e.Key, e.Value})
	}
	return out
}

func paramsOut(p auth.Params) map[string]any {
	out := map[string]any{}
	for k, v := range p {
		out[string(k)] = v
	}
	return out
}

func params(v any) auth.Params {
	out := auth.Params{}
	o := v.(*object)
	for _, k := range o.keys {
		out[auth.ParameterName(k)] = o.values[k].(string)
	}
	return out
}

func values(v any) map[string][]string {
	out := map[string][]string{}
	o, _ := v.(*object)
	if o == nil {
		return nil
	}
	for _, k := range o.keys {
		switch x := o.values[k].(type) {
		case string:
			out[k] = []string{x}
		case []any:
			for _, s := range x {
				out[k] = append(out[k], s.(string))
			}
		}
	}
	return out
}

func extractResult(request, options *object, messages bool) any {
	opts := auth.ExtractOptions{Profile: auth.ProfileName(options.get("profile").(string))}
	if legacy, given := options.get("legacy").(bool); given {
		opts.Legacy = &legacy
	}
	x := auth.Extract(auth.Request{Header: values(request.get("headers")), Query: values(request.get("query"))}, opts)
	var token any
	if x.Token != nil {
		token = map[string]any{"value": x.Token.Value, "transport": string(x.Token.Transport)}
	}
	var authorization any
	if x.Authorization != nil {
		authorization = map[string]any{
			"transport":  string(x.Authorization.Transport),
			"scheme":     string(x.Authorization.Header.Scheme),
			"dictionary": dictionary(x.Authorization.Header.Dictionary),
		}
	}
	candidates := []any{}
	for _, c := range x.Candidates {
		candidate := map[string]any{"transport": string(c.Transport), "value": c.Value}
		if c.Ignored != auth.Read {
			candidate["ignored"] = string(c.Ignored)
		}
		candidates = append(candidates, candidate)
	}
	warnings := []any{}
	for _, w := range x.Warnings {
		warning := map[string]any{"code": string(w.Code)}
		if w.Transport != "" {
			warning["transport"] = string(w.Transport)
		}
		if messages {
			warning["message"] = w.Message
		}
		warnings = append(warnings, warning)
	}
	parameterValues := []any{}
	for _, v := range x.ParameterValues {
		value := map[string]any{"parameter": string(v.Parameter), "value": v.Value, "via": string(v.Via), "name": v.Name}
		if v.Ignored != auth.Read {
			value["ignored"] = string(v.Ignored)
		}
		parameterValues = append(parameterValues, value)
	}
	return map[string]any{
		"token": token, "hasToken": x.HasToken, "authorization": authorization, "candidates": candidates, "warnings": warnings,
		"parameters": paramsOut(x.Parameters), "parameterValues": parameterValues,
	}
}

// plain turns the reader's ordered objects into maps, to compare with what the module gave.
func plain(v any) any {
	switch x := v.(type) {
	case *object:
		out := map[string]any{}
		for k, e := range x.values {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
