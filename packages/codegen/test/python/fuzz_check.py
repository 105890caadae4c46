"""The python target's fuzz checks, on the generated MediaBrowser package.

Usage: fuzz_check.py <corpus.json> <examples>, with the package's folder on the import path.

1. The seed corpus (made by the TypeScript test with utils/fuzz.ts's generators and a fixed seed)
   holds inputs and the TypeScript module's results: every Python result must equal it, error
   and warning messages, UTF-16 offsets and extract's client values included.
2. Hypothesis: no operation raises on any string (lone surrogates, non-BMP characters, the
   grammar's characters), compat parse always reads a dictionary once the scheme matches, and
   extract's `parameters` are exactly the client values it reports taken.

Prints one JSON object: the corpus size, the mismatches (at most 20) and how many there were,
and how many examples Hypothesis ran.
"""
import json
import sys
from typing import Any, Dict, List, Optional

from hypothesis import given, settings
from hypothesis import strategies as st

import media_browser_authorization as auth
from check_vectors import extract_result


def parse_result(value: str, mode: str, legacy: bool) -> Any:
    r = auth.parse(value, mode=mode, legacy=legacy)  # type: ignore[arg-type]
    if isinstance(r, auth.ParseError):
        return {"error": {"code": r.code, "message": r.message, "offset": r.offset}}
    return {"ok": {"scheme": r.scheme, "dictionary": [list(e) for e in r.dictionary.items()], "params": r.params}}


def part(p: auth.Part) -> Any:
    if isinstance(p, auth.KeyPart):
        return {"_tag": "Key", "start": p.start, "end": p.end, "equals": p.equals}
    if isinstance(p, auth.ValuePart):
        key = None if p.key is None else {"start": p.key.start, "end": p.key.end}
        return {"_tag": "Value", "key": key, "start": p.start, "end": p.end}
    return {"_tag": "EmptySegment", "comma": p.comma}


def scan_result(value: str, mode: str, legacy: bool) -> Any:
    r = auth.scan(value, mode=mode, legacy=legacy)  # type: ignore[arg-type]
    if isinstance(r, auth.ParseError):
        return {"error": {"code": r.code, "message": r.message, "offset": r.offset}}
    return {"ok": {"scheme": r.scheme, "parts": [part(p) for p in r.parts], "unterminatedQuote": r.unterminated_quote}}


def format_result(params: Dict[str, str], style: str, scheme: str) -> Any:
    r = auth.format(params, style=style, scheme=scheme)  # type: ignore[arg-type, typeddict-item]
    if isinstance(r, auth.FormatError):
        return {"error": {"code": r.code, "parameter": r.parameter, "message": r.message}}
    return {"ok": r}


def check_corpus(corpus: Dict[str, Any], mismatches: List[Any]) -> int:
    count = 0

    def check(given: Any, expected: Any, actual: Any) -> None:
        nonlocal count
        if actual != expected:
            count += 1
            if len(mismatches) < 20:
                mismatches.append({"given": given, "expected": expected, "actual": actual})

    for case in corpus["parse"]:
        o = case["options"]
        check(case, case["parse"], parse_result(case["input"], o["mode"], o["legacy"]))
        check(case, case["scan"], scan_result(case["input"], o["mode"], o["legacy"]))
    for case in corpus["format"]:
        check(case, case["result"], format_result(case["params"], case["style"], case["scheme"]))
    for case in corpus["extract"]:
        check(case, case["result"], extract_result(auth, case["request"], case["options"], messages=True))
    return count


grammar = st.sampled_from(['"', ",", "=", "%", "+", " ", "\t", "\\", "%C3", "%E2%82", "%F0%9F%93%BA", "%zz", "\x85", "\xa0", "\ufeff"])
# Any code point, lone surrogates included (Hypothesis leaves them out of text() by default).
anything = st.characters(blacklist_categories=())
wild = st.lists(st.one_of(grammar, anything, st.sampled_from(["Token", "Client", "MediaBrowser ", "Emby ", "\U0001f4fa"])), max_size=40).map("".join)
header = st.one_of(wild, wild.map(lambda s: "MediaBrowser " + s), wild.map(lambda s: "Emby " + s))


def taken_values(x: Any) -> List[Any]:
    return [v for v in x.parameter_values if v.ignored is None]


def never_raises(examples: int) -> int:
    ran = 0

    @settings(max_examples=examples, deadline=None, database=None)
    @given(header, st.sampled_from(["compat", "strict"]), st.booleans(), wild, st.sampled_from([p.name for p in auth.PROFILES]), st.sampled_from([None, True, False]))
    def operations(value: str, mode: str, legacy: bool, other: str, profile: str, switch: Optional[bool]) -> None:
        nonlocal ran
        ran += 1
        parsed = auth.parse(value, mode=mode, legacy=legacy)  # type: ignore[arg-type]
        if isinstance(parsed, auth.ParseError):
            assert 0 <= parsed.offset <= len(value.encode("utf-16-le", "surrogatepass")) // 2
        elif mode == "compat":
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.dictionary.items())
        auth.scan(value, mode=mode, legacy=legacy)  # type: ignore[arg-type]
        params = {"Token": value, "Client": other, "Device": other[::-1]}
        for style in ("canonical", "jellyfin-sdk"):
            written = auth.format(params, style=style)  # type: ignore[arg-type]
            if isinstance(written, str) and not any("\ud800" <= c <= "\udfff" for c in value):
                # What format writes, compat reads back (surrogates that pair up come back paired).
                back = auth.parse(written)
                assert not isinstance(back, auth.ParseError) and back.params.get("Token") == value
        auth.validate({**params, other: value}, "request")  # type: ignore[misc]
        headers = {
            "authorization": value,
            "X-Emby-Authorization": [other, value],
            "x-emby-token": other,
            "X-MEDIABROWSER-TOKEN": [],
            "X-Emby-Client": other,
            "x-emby-device-name": [value, other],
        }
        query = {"apikey": [value, other], "API_KEY": value, "X-Emby-Device-Name": other, "x-emby-client": value}
        x = auth.extract(headers, query, profile=profile, legacy=switch)  # type: ignore[arg-type]
        assert x.token is None or x.token.value != ""
        # `parameters` holds exactly the values reported taken, one per parameter, never the token.
        taken = {v.parameter: v.value for v in x.parameter_values if v.ignored is None}
        assert len(taken) == len([v for v in x.parameter_values if v.ignored is None])
        assert x.parameters == taken and auth.TOKEN_PARAMETER not in taken
        reads = next(p.separate_values for p in auth.PROFILES if p.name == profile) is not None
        unread = [v for v in x.parameter_values if v.ignored == "NotReadByProfile"]
        assert all(v.via != "scheme" for v in unread) and (reads or all(v.via == "scheme" for v in taken_values(x)))
        assert any(w.code == "SeparateValuesNotRead" for w in x.warnings) == (not reads and len(unread) > 0)

    operations()
    return ran


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        corpus = json.load(f)
    mismatches: List[Any] = []
    mismatched = check_corpus(corpus, mismatches)
    examples = never_raises(int(sys.argv[2]))
    size = {kind: len(corpus[kind]) for kind in ("parse", "format", "extract")}
    print(json.dumps({"corpus": size, "mismatched": mismatched, "mismatches": mismatches, "examples": examples}))


main()
