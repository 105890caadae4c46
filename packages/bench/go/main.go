// Command gobench times the generated Go module's compat Parse against what a Go client writes
// today: a regular expression over key="value" pairs and url.QueryUnescape on each value. Both
// read the same header; each sample times both sides in interleaved slices of the same number of
// calls (as the TypeScript rows do) and prints the nanoseconds per call of each, as JSON.
//
//	gobench -samples 61 -batch-ms 15 -warmup-ms 250 HEADER
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"time"

	auth "mbauthbench/auth"
)

var pair = regexp.MustCompile(`(\w+)="([^"]*)"`)

// oneLiner is the hand-written parse: every key="value" pair, its value unescaped.
func oneLiner(header string) map[string]string {
	params := map[string]string{}
	for _, m := range pair.FindAllStringSubmatch(header, -1) {
		value, err := url.QueryUnescape(m[2])
		if err != nil {
			value = m[2]
		}
		params[m[1]] = value
	}
	return params
}

func generated(header string) map[string]string {
	parsed, err := auth.Parse(header, auth.ParseOptions{})
	if err != nil {
		return nil
	}
	params := map[string]string{}
	for k, v := range parsed.Params {
		params[string(k)] = v
	}
	return params
}

// Results are kept here so that no call can be left out as unused.
var sink int

func batch(n int, header string, f func(string) int) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		sink += f(header)
	}
	return time.Since(start)
}

func main() {
	samples := flag.Int("samples", 61, "paired samples")
	batchMs := flag.Float64("batch-ms", 15, "length of one sample's calls to the slower side")
	warmupMs := flag.Float64("warmup-ms", 250, "warm-up before sampling")
	flag.Parse()
	header := flag.Arg(0)
	if !reflect.DeepEqual(generated(header), oneLiner(header)) || len(oneLiner(header)) == 0 {
		fmt.Fprintf(os.Stderr, "gobench: the two sides read the header differently: %v, %v\n", generated(header), oneLiner(header))
		os.Exit(1)
	}
	ours := func(h string) int {
		parsed, _ := auth.Parse(h, auth.ParseOptions{})
		return len(parsed.Params)
	}
	peer := func(h string) int { return len(oneLiner(h)) }
	target := time.Duration(*batchMs * float64(time.Millisecond))
	n := 1
	for n < 1<<24 {
		slowest := max(batch(n, header, ours), batch(n, header, peer))
		if slowest >= target {
			break
		}
		n *= 2
	}
	for until := time.Now().Add(time.Duration(*warmupMs * float64(time.Millisecond))); time.Now().Before(until); {
		batch(n, header, ours)
		batch(n, header, peer)
	}
	const slices = 8
	perSlice := max(1, n/slices)
	result := struct {
		Ours []float64 `json:"ours"`
		Peer []float64 `json:"peer"`
	}{}
	for s := 0; s < *samples; s++ {
		var o, p time.Duration
		for k := 0; k < slices; k++ {
			if (s+k)%2 == 0 {
				o += batch(perSlice, header, ours)
				p += batch(perSlice, header, peer)
			} else {
				p += batch(perSlice, header, peer)
				o += batch(perSlice, header, ours)
			}
		}
		calls := float64(perSlice * slices)
		result.Ours = append(result.Ours, float64(o.Nanoseconds())/calls)
		result.Peer = append(result.Peer, float64(p.Nanoseconds())/calls)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		fmt.Fprintln(os.Stderr, "gobench:", err)
		os.Exit(1)
	}
}
