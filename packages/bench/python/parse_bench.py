"""Row 12: the generated Python package's compat parse against the one-liner a Python client writes
today (re.findall of key="value" pairs, each value through urllib.parse.unquote), timed in Python.

Usage: parse_bench.py <header> <samples> <batch ms>, with the generated `media_browser_authorization`
on the import path. Checks that both read the header's values alike, then takes paired samples:
each times a batch of ours and a batch of the peer back to back, alternating which goes first.
Prints {"ours": [...], "peer": [...]}: nanoseconds per parse, one entry per sample.
"""
import gc
import json
import re
import sys
from time import perf_counter_ns
from typing import Callable, Dict, List
from urllib.parse import unquote

import media_browser_authorization as auth

PAIR = re.compile(r'(\w+)="([^"]*)"')


def one_liner(header: str) -> Dict[str, str]:
    return {k: unquote(v) for k, v in PAIR.findall(header)}


def ours(header: str) -> object:
    return auth.parse(header)


def batch(fn: Callable[[str], object], header: str, n: int) -> float:
    start = perf_counter_ns()
    for _ in range(n):
        fn(header)
    return (perf_counter_ns() - start) / n


def main() -> None:
    header, samples, batch_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    parsed = auth.parse(header)
    assert not isinstance(parsed, auth.ParseError), parsed
    assert dict(parsed.params) == one_liner(header), (parsed.params, one_liner(header))
    # Calls per batch: enough for batch_ms of the slower side (at least one).
    per_call = max(batch(ours, header, 50), batch(one_liner, header, 50))
    n = max(1, int(batch_ms * 1e6 / per_call))
    o: List[float] = []
    p: List[float] = []
    for s in range(samples):
        gc.collect()
        if s % 2 == 0:
            o.append(batch(ours, header, n))
            p.append(batch(one_liner, header, n))
        else:
            p.append(batch(one_liner, header, n))
            o.append(batch(ours, header, n))
    print(json.dumps({"ours": o, "peer": p, "callsPerBatch": n}))


main()
