"""The algorithm behind every module the python target generates.

Two scanners (the server's and the documented grammar's), value decoding and encoding, and
`Runtime`, which binds them to a spec's tables and gives `parse`, `scan`, `format`, `validate` and
`extract`. Standard library only; nothing runs at import time but definitions, and no function
raises on any input string: failures are returned as values.

Offsets are UTF-16 code units (what the TypeScript runtime and the vectors report): a character
outside the Basic Multilingual Plane counts two.
"""
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Callable, Dict, Final, Generic, List, Literal, Mapping, Optional, Protocol, Sequence, Set, Tuple
from typing import TypeVar, Union, cast
from urllib.parse import quote, unquote

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grammar:
    """The grammar rules that vary between specs."""

    scheme_matching: Literal["case-insensitive", "case-sensitive"]
    value_decoding: Literal["form-urlencoded", "percent", "none"]
    duplicate_keys: Literal["last", "first"]
    key_trimming: Literal["dotnet", "ecmascript", "none"]
    empty_segment: Literal["keep-pending-key", "reset-key"]
    repeated_value_separator: str


@dataclass(frozen=True)
class Scheme:
    name: str
    legacy: bool
    description: str


@dataclass(frozen=True)
class Operation:
    name: str
    description: str


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    secret: bool
    required_for: Tuple[str, ...]
    non_empty: bool


@dataclass(frozen=True)
class Transport:
    name: str
    kind: Literal["header", "query"]
    key: str
    carries: Literal["scheme", "token"]
    deprecated: bool
    discouraged: bool
    description: str
    replacement: Optional[str] = None


@dataclass(frozen=True)
class Source:
    """One step of a profile's order: a transport, read only while legacy is on when `gated_by_legacy`."""

    transport: str
    gated_by_legacy: bool = False


@dataclass(frozen=True)
class SeparateValue:
    """A parameter that can also travel outside the scheme header, in a header or query parameter of its own."""

    parameter: str
    header_encoding: Literal["percent", "none"]
    """`percent`: a header value is percent-encoded, and decoded as the grammar's `value_decoding`."""
    description: str
    header: Optional[str] = None
    query: Optional[str] = None


@dataclass(frozen=True)
class SeparateValueReading:
    """How a profile reads the separate values: where it looks, in order, and which wins, per
    parameter, when the scheme header it read says otherwise."""

    read: Tuple[Literal["header", "query"], ...]
    precedence: Literal["scheme-header", "separate-values"]


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    legacy_default: Optional[bool]
    warn_deprecated: bool
    scheme_header_order: Tuple[Source, ...]
    token_order: Tuple[Source, ...]
    separate_values: Optional[SeparateValueReading] = None
    """None: the profile never reads separate values."""


@dataclass(frozen=True)
class FormatStyle:
    name: str
    description: str
    order: Tuple[str, ...]
    absent: Literal["omit", "empty"]
    separator: str


@dataclass(frozen=True)
class Tables:
    """The tables a generated module declares, as the algorithm reads them."""

    schemes: Tuple[Scheme, ...]
    grammar: Grammar
    operations: Tuple[Operation, ...]
    parameters: Tuple[Parameter, ...]
    token_parameter: str
    transports: Tuple[Transport, ...]
    profiles: Tuple[Profile, ...]
    format_styles: Tuple[FormatStyle, ...]
    separate_values: Tuple[SeparateValue, ...] = ()
    """Empty: no parameter travels outside the scheme header."""


# ---------------------------------------------------------------------------------------------
# Results, typed by the names a generated module declares
# ---------------------------------------------------------------------------------------------

S = TypeVar("S", bound=str)
"""A scheme name."""
P = TypeVar("P")
"""The known parameters (a generated module's `Params`)."""
T = TypeVar("T", bound=str)
"""A transport name."""
R = TypeVar("R", bound=str)
"""A server profile name."""
Op = TypeVar("Op", bound=str)
"""An operation name."""
F = TypeVar("F", bound=str)
"""A format style name."""

ParseMode = Literal["strict", "compat"]
"""`strict` accepts exactly the documented grammar and reports the first deviation; `compat` reads
the dictionary the server builds, quirks included, and only fails where the server reads no
dictionary at all (no space, unknown or disabled scheme)."""

ParseErrorCode = Literal[
    "MissingScheme",
    "UnknownScheme",
    "LegacySchemeDisabled",
    "InvalidKey",
    "KeyCase",
    "ExpectedEquals",
    "UnquotedValue",
    "InvalidCharacter",
    "InvalidPercentEncoding",
    "InvalidUtf8",
    "UnterminatedQuote",
    "ExpectedComma",
    "TrailingComma",
    "DuplicateKey",
]


@dataclass(frozen=True)
class ParseError:
    """A parse failure. Messages never quote the input's values: a header carries a token."""

    code: ParseErrorCode
    message: str
    offset: int
    """UTF-16 offset into the parsed string."""


@dataclass(frozen=True)
class ParsedHeader(Generic[S, P]):
    """What `parse` reads."""

    scheme: S
    """The canonical name of the scheme that matched."""
    params: P
    """The known parameters, read with their exact-case keys."""
    dictionary: Mapping[str, str]
    """Every key and decoded value, in first-seen order (compat: unknown keys and the "" key too)."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class KeyPart:
    """An `=` outside quotes set the pending key (`start`/`end`: the key once trimmed)."""

    start: int
    end: int
    equals: int


@dataclass(frozen=True)
class ValuePart:
    """A segment was stored under the pending key (`start`/`end`: the raw value, quotes included;
    `key`: the key's range, None for a segment stored under "")."""

    key: Optional[Span]
    start: int
    end: int


@dataclass(frozen=True)
class EmptySegment:
    """A comma closed a segment with nothing in it; nothing was stored."""

    comma: int


Part = Union[KeyPart, ValuePart, EmptySegment]
"""One step of a scan, with UTF-16 offsets into the scanned string."""


@dataclass(frozen=True)
class Scan(Generic[S]):
    """What a scan found after the scheme."""

    scheme: S
    parts: Tuple[Part, ...]
    unterminated_quote: Optional[int]
    """Where a quote that is never closed opens (compat only: strict reports it as an error)."""


FormatErrorCode = Literal["UnencodableValue", "UnknownScheme", "UnknownStyle"]


@dataclass(frozen=True)
class FormatError:
    """A format failure."""

    code: FormatErrorCode
    parameter: str
    """The parameter at fault, or "scheme" / "style"."""
    message: str


ValidationIssueCode = Literal[
    "MissingParameter",
    "EmptyValue",
    "WhiteSpaceToken",
    "UnknownParameter",
    "InvalidKey",
    "UnencodableValue",
    "UnknownOperation",
]


@dataclass(frozen=True)
class ValidationIssue:
    """What `validate` finds."""

    code: ValidationIssueCode
    message: str
    parameter: Optional[str] = None


HeaderValue = Union[str, Sequence[str], None]
"""A header or query value; a sequence for one sent several times."""

WarningCode = Literal[
    "DeprecatedTransport",
    "TokenInQuery",
    "MultipleTokens",
    "WhiteSpaceToken",
    "SchemeHeaderHidden",
    "UnreadableSchemeHeader",
    "LegacyDisabled",
    "RepeatedValues",
    "ExtraSchemeHeaderValues",
    "NoLegacySwitch",
    "UnknownProfile",
    "SeparateValuesNotRead",
    "ConflictingValues",
]

IgnoredReason = Literal["LegacyDisabled", "NotReadByProfile", "Shadowed"]
"""Why a token-carrying value was not the one validated: the legacy switch is off, the profile
never reads that transport, or a value earlier in the order (or the header read instead of this
one) won."""


@dataclass(frozen=True)
class ExtractionWarning(Generic[T]):
    code: WarningCode
    message: str
    transport: Optional[T] = None


@dataclass(frozen=True)
class Token(Generic[T]):
    value: str
    transport: T


@dataclass(frozen=True)
class Authorization(Generic[S, P, T]):
    """The scheme header that supplied the client info, and what it said."""

    transport: T
    header: ParsedHeader[S, P]


@dataclass(frozen=True)
class Candidate(Generic[T]):
    transport: T
    value: str
    ignored: Optional[IgnoredReason] = None


@dataclass(frozen=True)
class ParameterValue:
    """A value of a parameter other than the token, and where it travels: inside the scheme header
    the profile read (`via` "scheme", `name` is that header's transport), or on its own (`via`
    "header" or "query", `name` is the header or query name). `ignored` is None for the value the
    server takes."""

    parameter: str
    value: str
    via: Literal["scheme", "header", "query"]
    name: str
    ignored: Optional[Literal["NotReadByProfile", "Shadowed"]] = None


@dataclass(frozen=True)
class Extraction(Generic[S, P, T]):
    """What the server would do with a request."""

    token: Optional[Token[T]]
    """The token the server would validate (first non-empty in the profile's order), or None."""
    has_token: bool
    """False when there is no token or it is white space only (the server treats the request as anonymous)."""
    authorization: Optional[Authorization[S, P, T]]
    """Which scheme header supplied the client info, and what it said; None when none was read."""
    candidates: Tuple[Candidate[T], ...]
    """Every token-carrying value present, in the profile's order, with whether the profile read it."""
    warnings: Tuple[ExtractionWarning[T], ...]
    parameters: P
    """The parameters other than the token as the server takes them: from the scheme header it read
    and, where the profile reads them, the separate values, by the profile's precedence (per
    parameter, the first non-empty value)."""
    parameter_values: Tuple[ParameterValue, ...]
    """Every value behind `parameters`, in declared parameter order, with where it travels and whether it was taken."""


# ---------------------------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------------------------

DOTNET_WHITE_SPACE: Final = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
""".NET `char.IsWhiteSpace` (what .NET's `Trim()` removes): includes U+0085, excludes U+FEFF."""

# What ECMAScript's String.prototype.trim removes.
_ECMA_WHITE_SPACE: Final = DOTNET_WHITE_SPACE.replace("\x85", "") + "\ufeff"

_ASCII_LOWER: Final = {c: c + 32 for c in range(65, 91)}


def _ascii_lower(text: str) -> str:
    """ASCII letters in lower case, every other character as it is (an ordinal ignore-case comparison
    never maps a non-ASCII character onto an ASCII one). `str.lower` where it means the same: it is
    much faster than `translate`."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


# Characters outside the Basic Multilingual Plane: two UTF-16 code units each.
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


def _is_white_space_only(value: str) -> bool:
    return value.strip(DOTNET_WHITE_SPACE) == ""


def _run_end(pattern: "re.Pattern[str]", text: str, at: int) -> int:
    """Where the run of `pattern` (which matches the empty string too) from `at` ends."""
    match = pattern.match(text, at)
    return at if match is None else match.end()


def _utf16(text: str) -> Callable[[int], int]:
    """Converts indices into `text` to UTF-16 offsets."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda i: i
    return lambda i: i + bisect_left(astral, i)


def _utf16_unit(char: str) -> int:
    """The (first) UTF-16 code unit of a character."""
    code = ord(char)
    return code if code < 0x10000 else 0xD800 + ((code - 0x10000) >> 10)


# ---------------------------------------------------------------------------------------------
# Decoding and encoding
# ---------------------------------------------------------------------------------------------

def decode(value: str, plus_is_space: bool, fatal: bool = False) -> Optional[str]:
    """Percent-decoding as `System.Net.WebUtility.UrlDecode` does it.

    `%XY` is a byte, a `%` without two hex digits after it stays, `+` is a space when
    `plus_is_space`. Bytes decode as UTF-8 (with U+FFFD for each maximal invalid subpart);
    characters at or above U+0080 are copied through. With `fatal`, invalid UTF-8 gives None.
    `urllib.parse.unquote` reads a string exactly so: each run of ASCII characters is a run of
    bytes, and any other character ends a UTF-8 sequence.
    """
    if "%" not in value:
        return value.replace("+", " ") if plus_is_space else value
    if plus_is_space:
        value = value.replace("+", " ")
    try:
        return unquote(value, errors="strict" if fatal else "replace")
    except UnicodeDecodeError:
        return None


# encodeURIComponent's unreserved characters, besides letters, digits and `-_.~` (quote's own).
_UNRESERVED_MARKS: Final = "!*'()"


def encode(value: str) -> Optional[str]:
    """`encodeURIComponent` without its exception: a lone surrogate gives None.

    Surrogates that pair up are read as the character they spell, as in a UTF-16 string.
    """
    try:
        return quote(value, safe=_UNRESERVED_MARKS)
    except UnicodeEncodeError:
        try:
            paired = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            return None
        return quote(paired, safe=_UNRESERVED_MARKS)


# ---------------------------------------------------------------------------------------------
# Scanners
# ---------------------------------------------------------------------------------------------


class ScanSink(Protocol):
    """What a scanner reports, in order (indices into the scanned string)."""

    def key(self, start: int, end: int, equals: int) -> None: ...

    def value(self, key: Optional[str], key_start: int, key_end: int, raw: str, start: int, end: int) -> None:
        """The segment `raw` (at `start`:`end`) is stored under the pending `key` (at `key_start`:`key_end`);
        `key` is None, and `key_start` -1, for a segment stored under "" (no pending key)."""

    def empty_segment(self, comma: int) -> None: ...


# One step of the server's scan: the text up to the next `,` or `=` outside quotes (a quote that
# is never closed runs to the end), and that delimiter ("" at the end).
_STEP: Final = re.compile(r'((?:[^",=]+|"[^"]*"?)*)([,=]|\Z)')


def walk_compat(text: str, start: int, trim: str, reset_on_empty: bool, sink: ScanSink) -> int:
    """The server's scan (Jellyfin's `GetParts`) of `text` from `start`.

    One pass with three pieces of state (inside quotes, segment start, pending key). A `"`
    toggles the quotes; outside them, `=` sets the pending key to the text before it, trimmed of
    `trim`, and `,` stores the segment before it under the pending key. It never fails: an
    unterminated quote runs to the end, and its index is returned (-1: none).
    """
    key: Optional[str] = None
    key_start = key_end = -1
    for piece, delimiter in _STEP.findall(text, start):
        end = start + len(piece)
        if delimiter == "=":
            unindented = piece.lstrip(trim)
            key = unindented.rstrip(trim)
            key_start = end - len(unindented)
            key_end = key_start + len(key)
            sink.key(key_start, key_end, end)
        elif delimiter == ",":
            if piece:
                sink.value(key, key_start, key_end, piece, start, end)
                key, key_start, key_end = None, -1, -1
            else:
                sink.empty_segment(end)
                if reset_on_empty:
                    key, key_start, key_end = None, -1, -1
        else:
            if piece:
                sink.value(key, key_start, key_end, piece, start, end)
            # Quotes pair up in order: an odd count leaves the last one open.
            return _unterminated_quote(text, start) if piece.count('"') % 2 else -1
        start = end + 1
    return -1


def _unterminated_quote(text: str, start: int) -> int:
    """Where, in the last segment, a quote opens that is never closed (-1: none)."""
    quote_at = text.find('"', start)
    while quote_at >= 0:
        close = text.find('"', quote_at + 1)
        if close < 0:
            return quote_at
        quote_at = text.find('"', close + 1)
    return -1


_KEY_RUN: Final = re.compile("[A-Za-z0-9]*")
_OWS_RUN: Final = re.compile("[ \t]*")
# A run of value characters that need no check: unreserved ones and `+`.
_PLAIN_VALUE_RUN: Final = re.compile(r"[-A-Za-z0-9_.!~*'()+]*")
_HEX: Final = frozenset("0123456789ABCDEFabcdef")


def walk_strict(
    text: str, start: int, known: Sequence[str], plus_is_space: bool, sink: ScanSink
) -> Optional[ParseError]:
    """The documented grammar, from `start`.

    `OWS [ key "=" DQUOTE value DQUOTE *( "," OWS key "=" DQUOTE value DQUOTE ) ] OWS`, keys of
    ASCII letters and digits, each key once, values of unreserved characters, `+` and `%XX`
    escapes of UTF-8. Reports the steps `walk_compat` would report for the same input, and
    returns the first deviation, if any. `known` are the parameter names, so that a key differing
    from one only in case is reported.
    """
    n = len(text)
    seen: Set[str] = set()

    def fail(code: ParseErrorCode, at: int, message: str) -> ParseError:
        return ParseError(code, message, _utf16(text)(at))

    def ows(at: int) -> int:
        return _run_end(_OWS_RUN, text, at)

    i = ows(start)
    if i == n:
        return None
    while True:
        key_start = i
        i = _run_end(_KEY_RUN, text, i)
        if i == key_start:
            return fail("InvalidKey", i, "expected a key made of ASCII letters and digits")
        if i == n or text[i] != "=":
            if i < n and text[i] not in " \t,":
                return fail("InvalidKey", i, "keys may only contain ASCII letters and digits")
            return fail("ExpectedEquals", i, 'expected "=" directly after the key')
        key_end = i
        key = text[key_start:key_end]
        if key in seen:
            return fail("DuplicateKey", key_start, f"the key {key} appears more than once")
        seen.add(key)
        if key not in known:
            same_name = next((name for name in known if name.lower() == key.lower()), None)
            if same_name is not None:
                return fail("KeyCase", key_start, f"keys are case-sensitive: the server reads {same_name}, not {key}")
        sink.key(key_start, key_end, key_end)
        i += 1  # "="
        if i == n or text[i] != '"':
            return fail("UnquotedValue", i, f"the value of {key} must be wrapped in double quotes")
        quote_at = i
        i += 1
        escapes = False
        while i < n and text[i] != '"':
            i = _run_end(_PLAIN_VALUE_RUN, text, i)
            if i == n or text[i] == '"':
                break
            if text[i] != "%":
                unit = f"{_utf16_unit(text[i]):04X}"
                return fail("InvalidCharacter", i, f"the value of {key} holds U+{unit}, which must be percent-encoded")
            if i + 2 >= n or text[i + 1] not in _HEX or text[i + 2] not in _HEX:
                return fail("InvalidPercentEncoding", i, '"%" must be followed by two hexadecimal digits')
            escapes = True
            i += 3
        if i == n:
            return fail("UnterminatedQuote", quote_at, f"the value of {key} has no closing quote")
        if escapes and decode(text[quote_at + 1 : i], plus_is_space, True) is None:
            return fail("InvalidUtf8", quote_at + 1, f"the percent-encoded bytes of {key} are not valid UTF-8")
        i += 1  # closing quote
        sink.value(key, key_start, key_end, text[quote_at:i], quote_at, i)
        after_quote = i
        i = ows(i)
        if i == n:
            return None
        if text[i] != ",":
            return fail("ExpectedComma", i, 'expected "," between parameters')
        # The server keeps `" ` before a comma in the value (`Token="abc" ,` reads `abc" `). At the
        # very end it is harmless: HTTP servers trim it.
        if i > after_quote:
            return fail(
                "ExpectedComma",
                after_quote,
                'expected "," directly after the closing quote: the server keeps white space before the comma in the value',
            )
        comma = i
        i = ows(i + 1)
        if i == n:
            return fail("TrailingComma", comma, 'the parameter list must not end with ","')


class _Dictionary:
    """Builds the server's dictionary from a scan: each value without its leading and trailing
    quotes, decoded."""

    def __init__(self, decodes: bool, plus_is_space: bool, keep_first: bool) -> None:
        self.decodes = decodes
        self.plus_is_space = plus_is_space
        self.keep_first = keep_first
        self.entries: Dict[str, str] = {}

    def key(self, start: int, end: int, equals: int) -> None:
        pass

    def value(self, key: Optional[str], key_start: int, key_end: int, raw: str, start: int, end: int) -> None:
        if key is None:
            key = ""
        if self.keep_first and key in self.entries:
            return
        value = raw.strip('"')
        # Most values hold neither, and decode to themselves.
        if self.decodes and ("%" in value or (self.plus_is_space and "+" in value)):
            decoded = decode(value, self.plus_is_space)
            if decoded is not None:
                value = decoded
        self.entries[key] = value

    def empty_segment(self, comma: int) -> None:
        pass


class _Parts:
    """Collects a scan's steps as parts, with UTF-16 offsets."""

    def __init__(self, text: str) -> None:
        self.at = _utf16(text)
        self.parts: List[Part] = []

    def key(self, start: int, end: int, equals: int) -> None:
        self.parts.append(KeyPart(self.at(start), self.at(end), self.at(equals)))

    def value(self, key: Optional[str], key_start: int, key_end: int, raw: str, start: int, end: int) -> None:
        span = None if key is None else Span(self.at(key_start), self.at(key_end))
        self.parts.append(ValuePart(span, self.at(start), self.at(end)))

    def empty_segment(self, comma: int) -> None:
        self.parts.append(EmptySegment(self.at(comma)))


# ---------------------------------------------------------------------------------------------
# The algorithm bound to a spec's tables
# ---------------------------------------------------------------------------------------------

_ALPHANUMERIC: Final = re.compile("[A-Za-z0-9]+")


class Runtime(Generic[S, P, T, R, Op, F]):
    """The algorithm bound to a spec's tables, typed by the names the spec declares.

    A generated module makes one and exports its methods as the module's functions.
    """

    def __init__(self, tables: Tables) -> None:
        grammar = tables.grammar
        self._tables = tables
        self._plus_is_space = grammar.value_decoding == "form-urlencoded"
        self._decodes = grammar.value_decoding != "none"
        self._keep_first = grammar.duplicate_keys == "first"
        self._reset_on_empty = grammar.empty_segment == "reset-key"
        self._trim = {"dotnet": DOTNET_WHITE_SPACE, "ecmascript": _ECMA_WHITE_SPACE, "none": ""}[grammar.key_trimming]
        self._fold = grammar.scheme_matching == "case-insensitive"
        self._schemes = {self._scheme_key(s.name): s for s in tables.schemes}
        self._parameter_names = tuple(p.name for p in tables.parameters)
        default = next((s for s in tables.schemes if not s.legacy), tables.schemes[0] if tables.schemes else None)
        self._default_scheme = "" if default is None else default.name
        self._styles = {s.name: s for s in tables.format_styles}
        self._reading = _Reading(tables)

    def _scheme_key(self, head: str) -> str:
        return _ascii_lower(head) if self._fold else head

    def _match_scheme(self, value: str, legacy: bool) -> Union[Scheme, ParseError]:
        space = value.find(" ")
        if space < 0:
            return ParseError(
                "MissingScheme", "there is no space after the scheme, so no parameters are read", _utf16(value)(len(value))
            )
        if space == 0:
            return ParseError("MissingScheme", "the value starts with a space, so the scheme is empty", 0)
        scheme = self._schemes.get(self._scheme_key(value[:space]))
        if scheme is None:
            names = ", ".join(s.name for s in self._tables.schemes)
            count = _utf16(value)(space)
            return ParseError(
                "UnknownScheme", f"the scheme (the {count} characters before the first space) is not one of: {names}", 0
            )
        if scheme.legacy and not legacy:
            return ParseError(
                "LegacySchemeDisabled", f"the {scheme.name} scheme is only accepted while legacy authorization is enabled", 0
            )
        return scheme

    def _walk(self, value: str, mode: ParseMode, sink: ScanSink) -> Union[int, ParseError]:
        start = value.find(" ") + 1
        if mode == "strict":
            error = walk_strict(value, start, self._parameter_names, self._plus_is_space, sink)
            return -1 if error is None else error
        return walk_compat(value, start, self._trim, self._reset_on_empty, sink)

    def parse(self, value: str, *, mode: ParseMode = "compat", legacy: bool = True) -> Union[ParsedHeader[S, P], ParseError]:
        """Parses a header value (`<scheme> <parameters>`).

        `strict` follows the documented grammar and reports the first deviation; `compat` (the default) reads what the
        server reads. `legacy=False` refuses the legacy schemes. Failures are returned, never raised.
        """
        scheme = self._match_scheme(value, legacy)
        if isinstance(scheme, ParseError):
            return scheme
        dictionary = _Dictionary(self._decodes, self._plus_is_space, self._keep_first)
        walked = self._walk(value, mode, dictionary)
        if isinstance(walked, ParseError):
            return walked
        entries = dictionary.entries
        params = {name: entries[name] for name in self._parameter_names if name in entries}
        return ParsedHeader(cast(S, scheme.name), cast(P, params), MappingProxyType(entries))

    def scan(self, value: str, *, mode: ParseMode = "compat", legacy: bool = True) -> Union[Scan[S], ParseError]:
        """The scan behind `parse`: every key and raw value with its UTF-16 offsets."""
        scheme = self._match_scheme(value, legacy)
        if isinstance(scheme, ParseError):
            return scheme
        parts = _Parts(value)
        walked = self._walk(value, mode, parts)
        if isinstance(walked, ParseError):
            return walked
        quote_at = None if walked < 0 else parts.at(walked)
        return Scan(cast(S, scheme.name), tuple(parts.parts), quote_at)

    def format(self, params: P, *, style: Optional[F] = None, scheme: Optional[S] = None) -> Union[str, FormatError]:
        """Writes a header value in a format style (default `canonical`: declared order, quoted, percent-encoded).

        A value that cannot be encoded (a lone surrogate) gives a `FormatError`, never an exception.
        """
        chosen = self._styles.get("canonical" if style is None else style)
        if chosen is None:
            return FormatError("UnknownStyle", "style", "unknown format style")
        name = self._default_scheme if scheme is None else scheme
        if not any(s.name == name for s in self._tables.schemes):
            names = ", ".join(s.name for s in self._tables.schemes)
            return FormatError("UnknownScheme", "scheme", f"the scheme must be one of: {names}")
        values = cast(Mapping[str, str], params)
        header = [name, " "]
        separator = ""
        for parameter in chosen.order:
            raw = values.get(parameter)
            if raw is None and chosen.absent == "omit":
                continue
            encoded = "" if raw is None else encode(raw)
            if encoded is None:
                message = f"the value of {parameter} contains a lone UTF-16 surrogate, which has no UTF-8 encoding"
                return FormatError("UnencodableValue", parameter, message)
            header.append(f'{separator}{parameter}="{encoded}"')
            separator = chosen.separator
        return "".join(header)

    def validate(self, params: P, operation: Op) -> Tuple[ValidationIssue, ...]:
        """What the server would object to for this operation."""
        tables = self._tables
        values = cast(Mapping[str, str], params)
        issues: List[ValidationIssue] = []
        if not any(o.name == operation for o in tables.operations):
            issues.append(ValidationIssue("UnknownOperation", f"unknown operation {operation}"))
        for p in tables.parameters:
            v = values.get(p.name)
            if operation in p.required_for and (v is None or v == ""):
                issues.append(ValidationIssue("MissingParameter", f"{p.name} is required for {operation}", p.name))
            elif v == "" and p.non_empty:
                issues.append(ValidationIssue("EmptyValue", f"{p.name} must not be empty", p.name))
            if p.name == tables.token_parameter and v is not None and v != "" and _is_white_space_only(v):
                message = f"a white-space-only {p.name} blocks every other token source yet counts as no token"
                issues.append(ValidationIssue("WhiteSpaceToken", message, p.name))
            if v is not None and encode(v) is None:
                message = f"the value of {p.name} contains a lone UTF-16 surrogate"
                issues.append(ValidationIssue("UnencodableValue", message, p.name))
        for key in values:
            if key in self._parameter_names:
                continue
            if _ALPHANUMERIC.fullmatch(key):
                issues.append(ValidationIssue("UnknownParameter", f"the server does not read {key}", key))
            else:
                issues.append(ValidationIssue("InvalidKey", "keys may only contain ASCII letters and digits", key))
        return tuple(issues)

    def extract(
        self,
        headers: Mapping[str, HeaderValue],
        query: Optional[Mapping[str, HeaderValue]] = None,
        *,
        profile: R,
        legacy: Optional[bool] = None,
    ) -> Extraction[S, P, T]:
        """Which token the server would validate and from where, which header gives the client info, which client values
        the server takes (from that header and, where the profile reads them, the separate values), and what looks wrong.

        Header and query names are matched ignoring ASCII case; a value sent several times is given as a list.
        `legacy` is the profile's legacy switch (default: the profile's default).
        """
        return _extract(self, headers, query, profile, legacy)


# ---------------------------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    profile: Profile
    scheme_order: Tuple[Tuple[Transport, bool], ...]
    token_order: Tuple[Tuple[Transport, bool], ...]
    unread: Tuple[Transport, ...]


class _Reading:
    """The tables as `extract` reads them: transports by kind, and each profile's orders resolved
    to transports (a transport the token order names twice is read once)."""

    def __init__(self, tables: Tables) -> None:
        self.transports = {t.name: t for t in tables.transports}
        self.headers = tuple((_ascii_lower(t.key), t) for t in tables.transports if t.kind == "header")
        self.queries = tuple((_ascii_lower(t.key), t) for t in tables.transports if t.kind == "query")
        self.separate_values: Dict[str, SeparateValue] = {}
        for v in tables.separate_values:
            self.separate_values.setdefault(v.parameter, v)
        self.profiles: Dict[str, _Compiled] = {}
        for profile in tables.profiles:
            token_order: List[Tuple[Transport, bool]] = []
            for transport, gated in self._sources(profile.token_order):
                if all(t.name != transport.name for t, _ in token_order):
                    token_order.append((transport, gated))
            unread = tuple(t for t in tables.transports if all(t.name != x.name for x, _ in token_order))
            scheme_order = self._sources(profile.scheme_header_order)
            self.profiles[profile.name] = _Compiled(profile, scheme_order, tuple(token_order), unread)

    def _sources(self, order: Tuple[Source, ...]) -> Tuple[Tuple[Transport, bool], ...]:
        return tuple((self.transports[s.transport], s.gated_by_legacy) for s in order if s.transport in self.transports)


def _collect(
    into: Dict[str, List[str]],
    record: Optional[Mapping[str, HeaderValue]],
    transports: Tuple[Tuple[str, Transport], ...],
) -> None:
    """What a request carries for each transport (the server's StringValues): every value under a
    name equal to the transport's key ignoring ASCII case, in the record's order."""
    if record is None:
        return
    for name, value in record.items():
        if value is None:
            continue
        folded = _ascii_lower(name)
        for key, t in transports:
            if folded != key:
                continue
            values = into.setdefault(t.name, [])
            if isinstance(value, str):
                values.append(value)
            else:
                values.extend(value)


def _extract(
    runtime: "Runtime[S, P, T, R, Op, F]",
    headers: Mapping[str, HeaderValue],
    query: Optional[Mapping[str, HeaderValue]],
    profile_name: str,
    legacy_switch: Optional[bool],
) -> Extraction[S, P, T]:
    tables = runtime._tables
    reading = runtime._reading
    separator = tables.grammar.repeated_value_separator
    warnings: List[ExtractionWarning[T]] = []

    def warn(code: WarningCode, message: str, transport: Optional[str] = None) -> None:
        warnings.append(ExtractionWarning(code, message, cast(Optional[T], transport)))

    compiled = reading.profiles.get(profile_name)
    if compiled is None:
        warn("UnknownProfile", "unknown profile: nothing is read")
        return Extraction(None, False, None, (), tuple(warnings), cast(P, {}), ())
    profile = compiled.profile
    if profile.legacy_default is None and legacy_switch is not None:
        warn("NoLegacySwitch", f"{profile.name} has no legacy switch; every transport it knows is read")
    if profile.legacy_default is None:
        legacy = True
    else:
        legacy = profile.legacy_default if legacy_switch is None else legacy_switch

    values: Dict[str, List[str]] = {}
    _collect(values, headers, reading.headers)
    _collect(values, query, reading.queries)

    def values_for(t: Transport) -> List[str]:
        return values.get(t.name, [])

    def joined(t: Transport) -> Optional[str]:
        v = values_for(t)
        return separator.join(v) if v else None

    # Each scheme header's first value, parsed as if it were read (with legacy on), once.
    parsed: Dict[str, Union[ParsedHeader[S, P], ParseError]] = {}

    def parsed_at(t: Transport) -> Optional[Union[ParsedHeader[S, P], ParseError]]:
        first = values_for(t)
        if t.carries != "scheme" or not first:
            return None
        if t.name not in parsed:
            parsed[t.name] = runtime.parse(first[0], mode="compat", legacy=True)
        return parsed[t.name]

    def token_in(t: Transport) -> Optional[str]:
        if t.carries == "token":
            return joined(t)
        p = parsed_at(t)
        return cast(Mapping[str, str], p.params).get(tables.token_parameter) if isinstance(p, ParsedHeader) else None

    def deprecated(t: Transport) -> None:
        instead = "" if t.replacement is None else f"; use {t.replacement}"
        warn("DeprecatedTransport", f"{t.name} is deprecated{instead}", t.name)

    # 1. The scheme header: the first in order, falling back to the next only while the joined
    #    value is absent or empty. Gated headers are skipped while legacy is off. Only the first
    #    value of the chosen header is parsed.
    order = compiled.scheme_order
    chosen_at = -1
    for k, (transport, gated) in enumerate(order):
        if gated and not legacy:
            if any(v != "" for v in values_for(transport)):
                message = f"{transport.name} is ignored while legacy authorization is disabled: no client info or token is read from it"
                warn("LegacyDisabled", message, transport.name)
            continue
        chosen_at = k
        v = joined(transport)
        if v is not None and v != "":
            break
    chosen = None if chosen_at < 0 else order[chosen_at][0]
    authorization: Optional[Authorization[S, P, T]] = None
    if chosen is not None and values_for(chosen):
        first = values_for(chosen)[0]
        count = len(values_for(chosen))
        if count > 1:
            warn("ExtraSchemeHeaderValues", f"{chosen.name} was sent {count} times; only the first is read", chosen.name)
        result = parsed_at(chosen) if legacy else runtime.parse(first, mode="compat", legacy=False)
        if isinstance(result, ParsedHeader):
            if chosen.carries == "scheme":
                authorization = Authorization(cast(T, chosen.name), result)
        elif result is not None and first != "":
            code: WarningCode = "LegacyDisabled" if result.code == "LegacySchemeDisabled" else "UnreadableSchemeHeader"
            warn(code, f"{chosen.name} gives no client info and no token: {result.message}", chosen.name)
            # A foreign credential (a proxy's Basic, a wrong scheme) hides a usable later header.
            for transport, gated in order[chosen_at + 1 :]:
                if (gated and not legacy) or not isinstance(parsed_at(transport), ParsedHeader):
                    continue
                message = f"{chosen.name} is not empty, so {transport.name} is never read although it holds a usable header"
                warn("SchemeHeaderHidden", message, transport.name)

    # 2. The token: the first non-empty value in the profile's order ("" falls through).
    candidates: List[Candidate[T]] = []
    token: Optional[Token[T]] = None
    chosen_name = None if chosen is None else chosen.name
    for transport, gated in compiled.token_order:
        value = token_in(transport)
        if value is None:
            continue
        ignored: Optional[IgnoredReason] = None
        if gated and not legacy:
            ignored = "LegacyDisabled"
        elif transport.carries == "scheme" and (authorization is None or transport.name != chosen_name):
            # Not the header that was read: hidden by it, or read but refused for its legacy scheme.
            ignored = "LegacyDisabled" if transport.name == chosen_name and not legacy else "Shadowed"
        elif token is not None:
            ignored = "Shadowed"
        if ignored is None and value != "":
            token = Token(value, cast(T, transport.name))
        candidates.append(Candidate(cast(T, transport.name), value, ignored))
        count = len(values_for(transport))
        if transport.carries == "token" and count > 1:
            message = f'{transport.name} was sent {count} times; the server joins the values with "{separator}" into one token'
            warn("RepeatedValues", message, transport.name)
    for transport in compiled.unread:
        value = token_in(transport)
        if value is not None:
            candidates.append(Candidate(cast(T, transport.name), value, "NotReadByProfile"))

    # 3. Warnings about the transports in use.
    if authorization is not None and chosen is not None and profile.warn_deprecated and chosen.deprecated:
        deprecated(chosen)
    for candidate in candidates:
        t = reading.transports[candidate.transport]
        if candidate.ignored == "LegacyDisabled" and t.carries == "token":
            warn("LegacyDisabled", f"{t.name} is ignored while legacy authorization is disabled", t.name)
        if candidate.ignored is not None or t.carries == "scheme":
            continue
        if t.deprecated and profile.warn_deprecated:
            deprecated(t)
        if t.kind == "query" and candidate.value != "":
            instead = "" if t.replacement is None else f"; prefer {t.replacement}"
            warn("TokenInQuery", f"a token in the {t.name} query parameter leaks into logs and history{instead}", t.name)
    sent = [c for c in candidates if c.value != ""]
    if len(sent) > 1:
        distinct = len({c.value for c in sent})
        equal = "all equal" if distinct == 1 else f"{distinct} different values"
        validated = "none of them" if token is None else f"only the one from {token.transport}"
        warn("MultipleTokens", f"{len(sent)} tokens were sent ({equal}); the server validates {validated}")
    has_token = token is not None and not _is_white_space_only(token.value)
    if token is not None and not has_token:
        message = f"the token from {token.transport} is white space only: it blocks every later source, yet the request is anonymous"
        warn("WhiteSpaceToken", message, token.transport)
    # 4. The client values: from the scheme header and, where the profile reads them, the separate values.
    parameters, parameter_values = _parameters_of(runtime, profile, headers, query, authorization, warn)
    return Extraction(token, has_token, authorization, tuple(candidates), tuple(warnings), parameters, parameter_values)


def _value_of(record: Optional[Mapping[str, HeaderValue]], key: str, separator: str) -> Optional[str]:
    """Every value of a request's header or query parameter `key` (ASCII case ignored), joined as
    the server joins repeated values; None when absent."""
    if record is None:
        return None
    folded = _ascii_lower(key)
    values: List[str] = []
    for name, value in record.items():
        if value is None or _ascii_lower(name) != folded:
            continue
        if isinstance(value, str):
            values.append(value)
        else:
            values.extend(value)
    return separator.join(values) if values else None


def _describe(v: ParameterValue) -> str:
    if v.via == "scheme":
        return f"{v.name}'s {v.parameter}"
    return f"the {v.name} {'header' if v.via == 'header' else 'query parameter'}"


def _parameters_of(
    runtime: "Runtime[S, P, T, R, Op, F]",
    profile: Profile,
    headers: Mapping[str, HeaderValue],
    query: Optional[Mapping[str, HeaderValue]],
    authorization: Optional[Authorization[S, P, T]],
    warn: Callable[[WarningCode, str], None],
) -> Tuple[P, Tuple[ParameterValue, ...]]:
    """The parameters other than the token: per parameter, the scheme header's value and the
    separate values in the profile's precedence, the first non-empty one taken."""
    tables = runtime._tables
    grammar = tables.grammar
    reading = profile.separate_values
    kinds: Tuple[Literal["header", "query"], ...] = ("header", "query") if reading is None else reading.read
    in_scheme = {} if authorization is None else cast(Mapping[str, str], authorization.header.params)
    parameters: Dict[str, str] = {}
    parameter_values: List[ParameterValue] = []
    unread: List[str] = []
    for parameter in runtime._parameter_names:
        if parameter == tables.token_parameter:
            continue
        scheme: List[ParameterValue] = []
        if authorization is not None and parameter in in_scheme:
            scheme.append(ParameterValue(parameter, in_scheme[parameter], "scheme", authorization.transport))
        separate: List[ParameterValue] = []
        table = runtime._reading.separate_values.get(parameter)
        for via in kinds:
            name = None if table is None else table.header if via == "header" else table.query
            raw = None if name is None else _value_of(headers if via == "header" else query, name, grammar.repeated_value_separator)
            if table is None or name is None or raw is None:
                continue
            value = raw
            if via == "header" and table.header_encoding == "percent" and grammar.value_decoding != "none":
                decoded = decode(raw, grammar.value_decoding == "form-urlencoded")
                value = raw if decoded is None else decoded
            separate.append(ParameterValue(parameter, value, via, name))
        if reading is None:
            read = scheme
        else:
            read = scheme + separate if reading.precedence == "scheme-header" else separate + scheme
        taken = next((v for v in read if v.value != ""), read[0] if read else None)
        if taken is not None:
            parameters[parameter] = taken.value
        for v in read:
            parameter_values.append(v if v is taken else replace(v, ignored="Shadowed"))
            if v is not taken and taken is not None and v.value != "" and v.value != taken.value:
                message = f"{_describe(v)} differs from {_describe(taken)}; the server takes {_describe(taken)}"
                warn("ConflictingValues", message)
        if reading is None:
            for v in separate:
                parameter_values.append(replace(v, ignored="NotReadByProfile"))
                unread.append(v.name)
    if unread:
        message = f"{profile.name} does not read {', '.join(unread)}: send these values inside the scheme header"
        warn("SeparateValuesNotRead", message)
    return cast(P, parameters), tuple(parameter_values)
