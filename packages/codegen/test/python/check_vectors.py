"""Replays every vector of a spec's `.vectors.json` against the generated Python package.

Usage: check_vectors.py <package> <vectors.json>, with the package's folder on the import path.
Prints one JSON object: how many vectors of each kind ran, and every mismatch (at most 20), each
with the input, what the vector expects and what Python gave.
"""
import importlib
import json
import sys
from typing import Any, Dict, List


def parse_result(m: Any, value: str, options: Dict[str, Any]) -> Any:
    r = m.parse(value, **options)
    if isinstance(r, m.ParseError):
        return {"error": {"code": r.code, "offset": r.offset}}
    return {"ok": {"scheme": r.scheme, "dictionary": [list(e) for e in r.dictionary.items()], "params": r.params}}


def format_result(m: Any, params: Dict[str, str], options: Dict[str, Any]) -> Any:
    r = m.format(params, **options)
    if isinstance(r, m.FormatError):
        return {"error": {"code": r.code, "parameter": r.parameter}}
    return {"ok": r}


def validate_result(m: Any, params: Dict[str, str], operation: str) -> Any:
    return [
        {"code": i.code} if i.parameter is None else {"code": i.code, "parameter": i.parameter}
        for i in m.validate(params, operation)
    ]


def extract_result(m: Any, request: Dict[str, Any], options: Dict[str, Any], messages: bool = False) -> Any:
    """An extraction as the vectors write it (`messages`: with each warning's message too)."""
    x = m.extract(request["headers"], request.get("query"), **options)
    authorization = None
    if x.authorization is not None:
        header = x.authorization.header
        authorization = {
            "transport": x.authorization.transport,
            "scheme": header.scheme,
            "dictionary": [list(e) for e in header.dictionary.items()],
        }
    return {
        "token": None if x.token is None else {"value": x.token.value, "transport": x.token.transport},
        "hasToken": x.has_token,
        "authorization": authorization,
        "candidates": [
            {"transport": c.transport, "value": c.value}
            if c.ignored is None
            else {"transport": c.transport, "value": c.value, "ignored": c.ignored}
            for c in x.candidates
        ],
        "warnings": [warning(w, messages) for w in x.warnings],
        "parameters": x.parameters,
        "parameterValues": [parameter_value(v) for v in x.parameter_values],
    }


def warning(w: Any, messages: bool) -> Any:
    out = {"code": w.code, "message": w.message} if messages else {"code": w.code}
    return out if w.transport is None else {**out, "transport": w.transport}


def parameter_value(v: Any) -> Any:
    value = {"parameter": v.parameter, "value": v.value, "via": v.via, "name": v.name}
    return value if v.ignored is None else {**value, "ignored": v.ignored}


def main() -> None:
    m = importlib.import_module(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        vectors = json.load(f)
    mismatches: List[Dict[str, Any]] = []
    mismatched = 0

    def check(kind: str, given: Any, expected: Any, actual: Any) -> None:
        nonlocal mismatched
        if actual == expected:
            return
        mismatched += 1
        if len(mismatches) < 20:
            mismatches.append({"kind": kind, "given": given, "expected": expected, "actual": actual})

    for v in vectors["parse"]:
        check("parse", [v["input"], v["options"]], v["result"], parse_result(m, v["input"], v["options"]))
    for v in vectors["format"]:
        check("format", [v["params"], v["options"]], v["result"], format_result(m, v["params"], v["options"]))
    for v in vectors["validate"]:
        check("validate", [v["params"], v["operation"]], v["issues"], validate_result(m, v["params"], v["operation"]))
    for v in vectors["extract"]:
        check("extract", [v["request"], v["options"]], v["result"], extract_result(m, v["request"], v["options"]))
    counts = {kind: len(vectors[kind]) for kind in ("parse", "format", "validate", "extract")}
    print(json.dumps({"counts": counts, "mismatches": mismatches, "mismatched": mismatched}, ensure_ascii=True))


if __name__ == "__main__":
    main()
