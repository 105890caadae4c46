// The fixed algorithm behind every generated authorization module.
//
// @mbauth/codegen copies this file into its output verbatim, except for the region between the
// two `@codegen-tables` markers, which it replaces with tables and types built from the spec.
// The sample tables below only exist so that this template is a real module: it is typechecked
// and unit-tested as it stands. Everything outside the tables must therefore be generic: it may
// only rely on the table *shapes* (ParameterSpec, TransportSpec, ...), never on a particular name.
//
// Rules for this file (it becomes generated code): no imports, erasable TypeScript only (no enum,
// namespace or parameter properties), no throw, and only linear regular expressions (character
// class runs, no nested quantifier that could backtrack more than once over a character).
// @codegen-template-preamble-end
// @codegen-tables-begin
/**
 * The schemes, in declared order. The first non-legacy scheme is the one `format` writes.
 *
 * @since 0.1.0
 * @category tables
 */
export const SCHEMES = [
  { name: "Sample", legacy: false, description: "The sample scheme." },
  { name: "OldSample", legacy: true, description: "The legacy sample scheme." }
] as const

/**
 * How the scheme name is compared and how the parameter list is read.
 *
 * @since 0.1.0
 * @category tables
 */
export const GRAMMAR = {
  schemeMatching: "case-insensitive",
  quoting: { strict: "required", compat: "optional" },
  escapeCharacter: null,
  quoteTrimming: "all",
  valueDecoding: "form-urlencoded",
  invalidUtf8: "replace",
  duplicateKeys: "last",
  keyTrimming: "dotnet",
  keyCase: "sensitive",
  emptySegment: "keep-pending-key",
  segmentWithoutKey: "empty-key",
  unterminatedQuote: "accept",
  strictKeys: "alphanumeric",
  repeatedValueSeparator: ","
} as const

/**
 * The operations a client performs, used by `validate`.
 *
 * @since 0.1.0
 * @category tables
 */
export const OPERATIONS = [
  { name: "login", description: "Sign in." },
  { name: "request", description: "An authenticated request." }
] as const

/**
 * The known parameters, in canonical order.
 *
 * @since 0.1.0
 * @category tables
 */
export const PARAMETERS = [
  { name: "Token", description: "The token.", secret: true, requiredFor: ["request"], nonEmpty: false },
  { name: "Name", description: "The client name.", secret: false, requiredFor: ["login"], nonEmpty: true }
] as const

/**
 * The parameter that carries the credential.
 *
 * @since 0.1.0
 * @category tables
 */
export const TOKEN_PARAMETER = "Token"

/**
 * Every place a request can carry the scheme or a token.
 *
 * @since 0.1.0
 * @category tables
 */
export const TRANSPORTS = [
  {
    name: "Authorization",
    kind: "header",
    key: "Authorization",
    carries: "scheme",
    deprecated: false,
    discouraged: false,
    description: "The standard header."
  },
  {
    name: "X-Sample-Authorization",
    kind: "header",
    key: "X-Sample-Authorization",
    carries: "scheme",
    deprecated: true,
    discouraged: false,
    replacement: "Authorization",
    description: "The legacy header."
  },
  {
    name: "key",
    kind: "query",
    key: "key",
    carries: "token",
    deprecated: false,
    discouraged: true,
    replacement: "Authorization",
    description: "A query parameter."
  }
] as const

/**
 * How each server version chooses the scheme header and the token.
 *
 * @since 0.1.0
 * @category tables
 */
export const PROFILES = [
  {
    name: "sample-1",
    description: "The sample server.",
    legacyDefault: true,
    warnDeprecated: true,
    schemeHeaderOrder: [
      { transport: "Authorization", gatedByLegacy: false },
      { transport: "X-Sample-Authorization", gatedByLegacy: true }
    ],
    tokenOrder: [
      { transport: "Authorization", gatedByLegacy: false },
      { transport: "X-Sample-Authorization", gatedByLegacy: true },
      { transport: "key", gatedByLegacy: false }
    ]
  },
  {
    name: "sample-0",
    description: "The old sample server.",
    legacyDefault: null,
    warnDeprecated: false,
    schemeHeaderOrder: [
      { transport: "X-Sample-Authorization", gatedByLegacy: false },
      { transport: "Authorization", gatedByLegacy: false }
    ],
    tokenOrder: [
      { transport: "X-Sample-Authorization", gatedByLegacy: false },
      { transport: "Authorization", gatedByLegacy: false }
    ]
  }
] as const

/**
 * The output styles of `format`.
 *
 * @since 0.1.0
 * @category tables
 */
export const FORMAT_STYLES = [
  { name: "canonical", order: ["Token", "Name"], absent: "omit", separator: ", " },
  { name: "sample-sdk", order: ["Name", "Token"], absent: "empty", separator: ", " }
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type SchemeName = "Sample" | "OldSample"

/**
 * @since 0.1.0
 * @category models
 */
export type ParameterName = "Token" | "Name"

/**
 * @since 0.1.0
 * @category models
 */
export type TransportName = "Authorization" | "X-Sample-Authorization" | "key"

/**
 * @since 0.1.0
 * @category models
 */
export type ProfileName = "sample-1" | "sample-0"

/**
 * @since 0.1.0
 * @category models
 */
export type Operation = "login" | "request"

/**
 * @since 0.1.0
 * @category models
 */
export type FormatStyle = "canonical" | "sample-sdk"

/**
 * The scheme headers (transports that carry the scheme).
 *
 * @since 0.1.0
 * @category models
 */
export type SchemeHeaderName = "Authorization" | "X-Sample-Authorization"

/**
 * The known parameters. Absent = undefined. Values are the decoded strings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Params {
  /** The token. */
  readonly Token?: string
  /** The client name. */
  readonly Name?: string
}
// @codegen-tables-end

// ---------------------------------------------------------------------------------------------
// Table shapes. The tables above are `as const`; the algorithm reads them through these wider
// types, so it is the same code whatever the spec says.
// ---------------------------------------------------------------------------------------------

/**
 * The shape of the tables the algorithm runs on.
 *
 * @since 0.1.0
 * @category internals
 */
export interface Tables {
  readonly schemes: ReadonlyArray<{ readonly name: string; readonly legacy: boolean }>
  readonly grammar: {
    readonly schemeMatching: "case-insensitive" | "case-sensitive"
    readonly valueDecoding: "form-urlencoded" | "percent" | "none"
    readonly duplicateKeys: "last" | "first"
    readonly keyTrimming: "dotnet" | "ecmascript" | "none"
    readonly emptySegment: "keep-pending-key" | "reset-key"
    readonly repeatedValueSeparator: string
  }
  readonly operations: ReadonlyArray<{ readonly name: string }>
  readonly parameters: ReadonlyArray<{
    readonly name: string
    readonly secret: boolean
    readonly requiredFor: ReadonlyArray<string>
    readonly nonEmpty: boolean
  }>
  readonly tokenParameter: string
  readonly transports: ReadonlyArray<TransportSpec>
  readonly profiles: ReadonlyArray<{
    readonly name: string
    readonly legacyDefault: boolean | null
    readonly warnDeprecated: boolean
    readonly schemeHeaderOrder: ReadonlyArray<SourceSpec>
    readonly tokenOrder: ReadonlyArray<SourceSpec>
  }>
  readonly formatStyles: ReadonlyArray<{
    readonly name: string
    readonly order: ReadonlyArray<string>
    readonly absent: "omit" | "empty"
    readonly separator: string
  }>
}

interface TransportSpec {
  readonly name: string
  readonly kind: "header" | "query"
  readonly key: string
  readonly carries: "scheme" | "token"
  readonly deprecated: boolean
  readonly discouraged: boolean
  readonly replacement?: string
}

interface SourceSpec {
  readonly transport: string
  readonly gatedByLegacy: boolean
}

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/**
 * The result of every fallible function here: nothing in this module throws.
 *
 * @since 0.1.0
 * @category models
 */
export type Result<A, E> = { readonly _tag: "Ok"; readonly value: A } | { readonly _tag: "Err"; readonly error: E }

/**
 * `strict` accepts exactly the documented grammar and reports the first deviation; `compat`
 * reproduces the dictionary the server builds, quirks included, and only fails where the server
 * reads no dictionary at all (no space, unknown or disabled scheme).
 *
 * @since 0.1.0
 * @category parsing
 */
export type ParseMode = "strict" | "compat"

/**
 * @since 0.1.0
 * @category parsing
 */
export interface ParseOptions {
  /** Default "compat". */
  readonly mode?: ParseMode
  /** Accept legacy-gated schemes. Default true. */
  readonly legacy?: boolean
}

/**
 * @since 0.1.0
 * @category parsing
 */
export interface ParsedHeader {
  /** The canonical name of the scheme that matched. */
  readonly scheme: SchemeName
  /** The known parameters, read with the exact-case keys the server uses. */
  readonly params: Params
  /**
   * The whole dictionary as the server builds it (compat: unknown keys, the "" key, ...). It is
   * built on first access (a getter), so it is not an own enumerable property.
   */
  readonly dictionary: ReadonlyMap<string, string>
}

/**
 * @since 0.1.0
 * @category parsing
 */
export type ParseErrorCode =
  | "MissingScheme"
  | "UnknownScheme"
  | "LegacySchemeDisabled"
  | "InvalidKey"
  | "KeyCase"
  | "ExpectedEquals"
  | "UnquotedValue"
  | "InvalidCharacter"
  | "InvalidPercentEncoding"
  | "InvalidUtf8"
  | "UnterminatedQuote"
  | "ExpectedComma"
  | "TrailingComma"
  | "DuplicateKey"

/**
 * Messages never quote the input's values: a header carries a token.
 *
 * @since 0.1.0
 * @category parsing
 */
export interface ParseError {
  readonly code: ParseErrorCode
  readonly message: string
  /** UTF-16 offset into the parsed string. */
  readonly offset: number
}

/**
 * @since 0.1.0
 * @category formatting
 */
export interface FormatOptions {
  /** Default "canonical". */
  readonly style?: FormatStyle
  /** Default: the first non-legacy scheme. Anything but a scheme name gives an UnknownScheme error. */
  readonly scheme?: string
}

/**
 * @since 0.1.0
 * @category formatting
 */
export type FormatErrorCode = "UnencodableValue" | "UnknownScheme" | "UnknownStyle"

/**
 * @since 0.1.0
 * @category formatting
 */
export interface FormatError {
  readonly code: FormatErrorCode
  /** The parameter at fault, or "scheme" / "style". */
  readonly parameter: string
  readonly message: string
}

/**
 * @since 0.1.0
 * @category validation
 */
export type ValidationIssueCode =
  | "MissingParameter"
  | "EmptyValue"
  | "WhiteSpaceToken"
  | "UnknownParameter"
  | "InvalidKey"
  | "UnencodableValue"
  | "UnknownOperation"

/**
 * @since 0.1.0
 * @category validation
 */
export interface ValidationIssue {
  readonly code: ValidationIssueCode
  readonly parameter?: string
  readonly message: string
}

/**
 * @since 0.1.0
 * @category extraction
 */
export type HeaderValue = string | ReadonlyArray<string> | undefined

/**
 * A request as the server sees it. Header and query names are matched ignoring ASCII case;
 * repeated values are given as arrays.
 *
 * @since 0.1.0
 * @category extraction
 */
export interface RequestLike {
  readonly headers: Readonly<Record<string, HeaderValue>>
  readonly query?: Readonly<Record<string, HeaderValue>>
}

/**
 * @since 0.1.0
 * @category extraction
 */
export interface ExtractOptions {
  readonly profile: ProfileName
  /** The legacy switch. Default: the profile's default (ignored when the profile has none). */
  readonly legacy?: boolean
}

/**
 * @since 0.1.0
 * @category extraction
 */
export type WarningCode =
  | "DeprecatedTransport"
  | "TokenInQuery"
  | "MultipleTokens"
  | "WhiteSpaceToken"
  | "SchemeHeaderHidden"
  | "UnreadableSchemeHeader"
  | "LegacyDisabled"
  | "RepeatedValues"
  | "ExtraSchemeHeaderValues"
  | "NoLegacySwitch"
  | "UnknownProfile"

/**
 * @since 0.1.0
 * @category extraction
 */
export interface Warning {
  readonly code: WarningCode
  readonly message: string
  readonly transport?: TransportName
}

/**
 * Why a token-carrying value was not the one validated: the legacy switch is off, the profile
 * never reads that transport, or a value earlier in the order (or the header read instead of
 * this one) won.
 *
 * @since 0.1.0
 * @category extraction
 */
export type IgnoredReason = "LegacyDisabled" | "NotReadByProfile" | "Shadowed"

/**
 * @since 0.1.0
 * @category extraction
 */
export interface Candidate {
  readonly transport: TransportName
  readonly value: string
  readonly ignored?: IgnoredReason
}

/**
 * @since 0.1.0
 * @category extraction
 */
export interface Extraction {
  /** The token the server would validate (first non-empty in the profile's order), or undefined. */
  readonly token: { readonly value: string; readonly transport: TransportName } | undefined
  /** False when there is no token or it is white space only (the server treats the request as anonymous). */
  readonly hasToken: boolean
  /** Which scheme header supplied the client info, and what it said; undefined when none was read. */
  readonly authorization: { readonly transport: SchemeHeaderName; readonly header: ParsedHeader } | undefined
  /** Every token-carrying value present, in the profile's order, with whether the profile read it. */
  readonly candidates: ReadonlyArray<Candidate>
  readonly warnings: ReadonlyArray<Warning>
}

// ---------------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------------

/**
 * .NET `char.IsWhiteSpace`, which the server's `Trim()` and `IsNullOrWhiteSpace` use. Unlike
 * JavaScript's `trim()`, it includes U+0085 and excludes U+FEFF.
 *
 * @since 0.1.0
 * @category characters
 */
export const isDotnetWhiteSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f ||
  c === 0x3000

// ECMAScript WhiteSpace + LineTerminator: what String.prototype.trim removes.
const isEcmaWhiteSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff

const isAlphanumeric = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1

// What encodeURIComponent leaves alone: A-Z a-z 0-9 - _ . ! ~ * ' ( ), as a lookup table.
const UNRESERVED: ReadonlyArray<boolean> = Array.from(
  { length: 128 },
  (_, c) => isAlphanumeric(c) || "-_.!~*'()".includes(String.fromCharCode(c))
)

const isOws = (c: number): boolean => c === 32 || c === 9

const isWhiteSpaceOnly = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c > 32 && c < 127) || !isDotnetWhiteSpace(c)) return false
  }
  return true
}

// ASCII-only case folding. .NET's ordinal ignore-case comparison never maps a non-ASCII character
// onto an ASCII one (dotless i, long s and the Kelvin sign stay distinct), and every name in the
// tables is ASCII, so folding A-Z is exactly the server's comparison here.
const equalsIgnoreAsciiCase = (s: string, from: number, to: number, lower: string): boolean => {
  if (to - from !== lower.length) return false
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(from + i)
    if (c >= 65 && c <= 90) c += 32
    if (c !== lower.charCodeAt(i)) return false
  }
  return true
}

// ---------------------------------------------------------------------------------------------
// Decoding and encoding
// ---------------------------------------------------------------------------------------------

// Decodes bytes as UTF-8 into `out`, replacing each maximal invalid subpart with U+FFFD (the
// Unicode/WHATWG practice, which .NET's replacement fallback follows). With `strict`, returns
// false at the first invalid byte instead.
const utf8Decode = (bytes: Array<number>, out: Array<number>, strict: boolean): boolean => {
  let needed = 0
  let seen = 0
  let cp = 0
  let lower = 0x80
  let upper = 0xbf
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (needed === 0) {
      if (b <= 0x7f) out.push(b)
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1
        cp = b & 0x1f
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0
        if (b === 0xed) upper = 0x9f
        needed = 2
        cp = b & 0x0f
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90
        if (b === 0xf4) upper = 0x8f
        needed = 3
        cp = b & 0x07
      } else {
        if (strict) return false
        out.push(0xfffd)
      }
      continue
    }
    if (b < lower || b > upper) {
      if (strict) return false
      needed = seen = cp = 0
      lower = 0x80
      upper = 0xbf
      out.push(0xfffd)
      i-- // the offending byte starts a new sequence
      continue
    }
    lower = 0x80
    upper = 0xbf
    cp = (cp << 6) | (b & 0x3f)
    if (++seen === needed) {
      if (cp > 0xffff) {
        cp -= 0x10000
        out.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff))
      } else out.push(cp)
      needed = seen = cp = 0
    }
  }
  if (needed !== 0) {
    if (strict) return false
    out.push(0xfffd)
  }
  return true
}

const fromCodeUnits = (units: Array<number>): string => {
  let s = ""
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode.apply(null, units.slice(i, i + 4096))
  return s
}

const decodeBytes = (bytes: Array<number>, strict: boolean): string | undefined => {
  const units: Array<number> = []
  return utf8Decode(bytes, units, strict) ? fromCodeUnits(units) : undefined
}

// System.Net.WebUtility.UrlDecode: `+` is a space (form decoding only), `%XY` is a byte, a `%`
// without two hex digits after it stays. .NET gathers ASCII characters and decoded bytes and
// decodes them as UTF-8 together, copying characters at or above U+0080 through after flushing
// the pending bytes. An ASCII byte can only end a pending sequence (as invalid), so flushing the
// pending bytes before any literal character gives the same result; literal runs are therefore
// copied as slices, and only runs of decoded bytes go through the UTF-8 decoder.
// Undefined only when `strict` and the bytes are not valid UTF-8.
const urlDecode = (s: string, from: number, to: number, plusIsSpace: boolean, strict: boolean): string | undefined => {
  let out = ""
  let run = from // start of the literal run not yet copied
  let pending: Array<number> | undefined // decoded bytes >= 0x80 not yet decoded
  for (let pos = from; pos < to; pos++) {
    const c = s.charCodeAt(pos)
    let b = -1
    if (c === 43 && plusIsSpace) b = 32
    else if (c === 37 && pos < to - 2) {
      const h1 = hexValue(s.charCodeAt(pos + 1))
      const h2 = hexValue(s.charCodeAt(pos + 2))
      if (h1 >= 0 && h2 >= 0) b = (h1 << 4) | h2
    }
    if (b < 0) continue // a literal character: part of the run
    if (run < pos || b < 0x80) {
      if (pending !== undefined) {
        const decoded = decodeBytes(pending, strict)
        if (decoded === undefined) return undefined
        out += decoded
        pending = undefined
      }
      if (run < pos) out += s.slice(run, pos)
    }
    if (b < 0x80) out += String.fromCharCode(b)
    else if (pending === undefined) pending = [b]
    else pending.push(b)
    if (c === 37) pos += 2
    run = pos + 1
  }
  if (pending !== undefined) {
    const decoded = decodeBytes(pending, strict)
    if (decoded === undefined) return undefined
    out += decoded
  }
  return run < to ? out + s.slice(run, to) : out
}

// A character encodeURIComponent changes: anything but A-Z a-z 0-9 - _ . ! ~ * ' ( ).
const NEEDS_ENCODING = /[^-A-Za-z0-9_.!~*'()]/

// encodeURIComponent without its exception: a lone surrogate (its only URIError) gives undefined.
// Values made only of unreserved characters (the usual case) are returned as they are, after one
// native scan; catching is cheaper than scanning again for surrogates first.
const encodeValue = (v: string): string | undefined => {
  if (!NEEDS_ENCODING.test(v)) return v
  try {
    return encodeURIComponent(v)
  } catch {
    return undefined
  }
}

// The strict grammar, for a list of at least one parameter: OWS key="value" *( "," OWS key="value" )
// OWS, with alphanumeric keys and values of URI-unreserved characters, `+` and `%` (whether each
// `%` starts a valid escape is checked while decoding). Sticky, so it runs from `lastIndex`. Linear:
// a value cannot hold the quote that ends it, and every repetition starts with a comma.
const STRICT_LIST = /[ \t]*[A-Za-z0-9]+="[-A-Za-z0-9_.!~*'()+%]*"(?:,[ \t]*[A-Za-z0-9]+="[-A-Za-z0-9_.!~*'()+%]*")*[ \t]*$/y


// ---------------------------------------------------------------------------------------------
// The algorithm
// ---------------------------------------------------------------------------------------------

type Wide<A> = A extends string ? string : { readonly [K in keyof A]: Wide<A[K]> }
type AnyParams = Readonly<Record<string, string | undefined>>

const ok = <A>(value: A): Result<A, never> => ({ _tag: "Ok", value })
const err = <E>(error: E): Result<never, E> => ({ _tag: "Err", error })

/**
 * The algorithm over any tables. The generated module binds it to its own tables below; the
 * generator binds it to a spec's tables to compute the test vectors.
 *
 * @since 0.1.0
 * @category internals
 */
export const makeRuntime = (tables: Tables) => {
  const { grammar, parameters, schemes, tokenParameter, transports } = tables
  const schemesLower = schemes.map((s) => s.name.toLowerCase())
  const parameterNamesLower = parameters.map((p) => p.name.toLowerCase())
  const transportsLower = transports.map((t) => t.key.toLowerCase())
  const defaultScheme = (schemes.find((s) => !s.legacy) ?? schemes[0])?.name ?? ""
  const plusIsSpace = grammar.valueDecoding === "form-urlencoded"
  const decodes = grammar.valueDecoding !== "none"
  const keepPending = grammar.emptySegment === "keep-pending-key"
  const firstWins = grammar.duplicateKeys === "first"
  const keyWhiteSpace = grammar.keyTrimming === "dotnet"
    ? isDotnetWhiteSpace
    : grammar.keyTrimming === "ecmascript"
    ? isEcmaWhiteSpace
    : undefined


  const parameterNames = parameters.map((p) => p.name)
  // The empty list of the dense index tables below (no holes: reading a hole costs a prototype check).
  const noIndices: ReadonlyArray<number> = []
  // Objects that keep V8 hidden classes alive while this runtime lives (see `keepHiddenClasses`).
  const hiddenClasses: Array<unknown> = []

  // The start and end of a key once trimmed. Keys made of visible ASCII need no work.
  const isKeySpace = (c: number): boolean => !(c > 32 && c < 127) && keyWhiteSpace !== undefined && keyWhiteSpace(c)
  const trimStart = (s: string, from: number, to: number): number => {
    while (from < to && isKeySpace(s.charCodeAt(from))) from++
    return from
  }
  const trimEnd = (s: string, from: number, to: number): number => {
    while (to > from && isKeySpace(s.charCodeAt(to - 1))) to--
    return to
  }

  // The known parameters by name length, and each name's first character: a key is recognised
  // by its length, one character and one slice compared with `===`, never a character loop.
  const namesByLength: Array<ReadonlyArray<number> | undefined> = []
  for (let p = 0; p < parameterNames.length; p++) {
    const length = parameterNames[p]!.length
    namesByLength[length] = [...(namesByLength[length] ?? []), p]
  }
  const firstCodes = parameterNames.map((name) => name.charCodeAt(0))

  // The index of the known parameter whose name is s[from, to), or -1. A slice and `===` beat
  // `startsWith(name, from)` (not inlined) and a character loop.
  const knownKey = (s: string, from: number, to: number): number => {
    const length = to - from
    const candidates = length < namesByLength.length ? namesByLength[length] : undefined
    if (candidates === undefined) return -1
    const c = s.charCodeAt(from)
    let key: string | undefined
    for (let j = 0; j < candidates.length; j++) {
      const p = candidates[j]!
      if (firstCodes[p] === c && (key ??= s.slice(from, to)) === parameterNames[p]) return p
    }
    return -1
  }

  // A key as a string: known keys come back as the table's own strings (no allocation).
  const keyString = (s: string, from: number, to: number, known: number): string =>
    known >= 0 ? parameterNames[known]! : s.slice(from, to)

  // decode(segment): strip every leading and trailing `"` (and nothing else), then URL-decode
  // (`special`: the segment holds a `%` or a `+`), with the fast paths' decoder.
  const decodeSegment = (s: string, from: number, to: number, special: boolean): string => {
    while (from < to && s.charCodeAt(from) === 34) from++
    while (to > from && s.charCodeAt(to - 1) === 34) to--
    if (!special || !decodes) return s.slice(from, to)
    return decodeRange(s, from, to, s.indexOf("%", from), plusIsSpace ? s.indexOf("+", from) : -1, false)!
  }

  // The scheme is the text before the first U+0020; no space means no dictionary at all.
  // Returns the index of the scheme in the table, or the error.
  const matchScheme = (value: string, space: number, legacy: boolean): number | ParseError => {
    if (space < 0) {
      return {
        code: "MissingScheme",
        offset: value.length,
        message: "there is no space after the scheme, so no parameters are read"
      }
    }
    if (space === 0) return { code: "MissingScheme", offset: 0, message: "the value starts with a space, so the scheme is empty" }
    let head: string | undefined
    for (let i = 0; i < schemes.length; i++) {
      const scheme = schemes[i]!
      // The declared spelling first (what clients send): a slice and `===` (`startsWith` is not
      // inlined and cost three times as much here).
      const hit = (space === scheme.name.length && (head ??= value.slice(0, space)) === scheme.name) ||
        (grammar.schemeMatching === "case-insensitive" && equalsIgnoreAsciiCase(value, 0, space, schemesLower[i]!))
      if (!hit) continue
      if (scheme.legacy && !legacy) {
        return {
          code: "LegacySchemeDisabled",
          offset: 0,
          message: `the ${scheme.name} scheme is only accepted while legacy authorization is enabled`
        }
      }
      return i
    }
    return {
      code: "UnknownScheme",
      offset: 0,
      message: `the scheme (the ${space} characters before the first space) is not one of: ${
        schemes.map((s) => s.name).join(", ")
      }`
    }
  }

  // The known parameters, in declared order, from the values found. One store site per parameter
  // index for the first eight: a single `params[name] = v` site sees every name, and V8 makes such
  // a megamorphic keyed store cost ~20 ns each on this machine (bench row 1), a third of them.
  const [n0 = "", n1 = "", n2 = "", n3 = "", n4 = "", n5 = "", n6 = "", n7 = ""] = parameterNames
  // Params objects are constructed, not written as `{}`: an empty literal has room for four
  // properties inside the object, and a fifth moved every params object's properties out to a
  // separate array (one more allocation per parse, bench row 1). Objects of a constructor get
  // room for as many properties as V8 sees the first few of them receive (slack tracking; see
  // `keepHiddenClasses`, which builds those first), one constructor per runtime so each spec's
  // parameters size its own. The prototype is Object.prototype, so a params object cannot be
  // told apart from a literal.
  const ParamsObject = function ParamsObject() {} as unknown as new() => Record<string, string>
  ParamsObject.prototype = Object.prototype
  const paramCount = parameterNames.length
  const paramsOf = (values: ReadonlyArray<string | undefined>): AnyParams => {
    const params: Record<string, string> = new ParamsObject()
    let v: string | undefined
    if ((v = values[0]) !== undefined) params[n0] = v
    if ((v = values[1]) !== undefined) params[n1] = v
    if ((v = values[2]) !== undefined) params[n2] = v
    if ((v = values[3]) !== undefined) params[n3] = v
    if ((v = values[4]) !== undefined) params[n4] = v
    if ((v = values[5]) !== undefined) params[n5] = v
    if ((v = values[6]) !== undefined) params[n6] = v
    if ((v = values[7]) !== undefined) params[n7] = v
    for (let p = 8; p < paramCount; p++) if ((v = values[p]) !== undefined) params[parameterNames[p]!] = v
    return params
  }

  // The position of the first `ch` at or after `start`, given `pos`, the first at or after some
  // earlier point (-1: none). One search from `start`, not a loop of searches from `pos + 1`: the
  // loop cost about 1 µs per parse once TurboFan inlined it (bench row 1, codegen 1f5cd95).
  const nextAt = (s: string, ch: string, pos: number, start: number): number =>
    pos >= 0 && pos < start ? s.indexOf(ch, start) : pos

  // Whether every `%` in s[from, to) is followed by two hex digits (urlDecode keeps the others).
  const escapesValid = (s: string, from: number, to: number): boolean => {
    for (let p = s.indexOf("%", from); p >= 0 && p < to; p = s.indexOf("%", p + 3)) {
      if (p >= to - 2 || hexValue(s.charCodeAt(p + 1)) < 0 || hexValue(s.charCodeAt(p + 2)) < 0) return false
    }
    return true
  }

  // WebUtility.UrlDecode of s[from, to), given the first `%` and `+` at or after `from` (-1 or
  // >= to: none). It jumps from one to the next with indexOf and copies the text between them as
  // slices; a decoded byte >= 0x80 (a UTF-8 sequence to assemble) hands the whole value to
  // urlDecode, so the result is exactly urlDecode's. With `strict`, undefined where strict parsing
  // fails: a `%` without two hex digits after it, or bytes that are not UTF-8.
  const decodeRange = (
    s: string,
    from: number,
    to: number,
    percent: number,
    plus: number,
    strict: boolean
  ): string | undefined => {
    let out = ""
    let run = from // start of the literal text not yet copied
    for (;;) {
      const p = percent >= 0 && percent < to ? percent : to
      const q = plus >= 0 && plus < to ? plus : to
      if (q < p) {
        out += s.slice(run, q) + " "
        run = q + 1
        plus = s.indexOf("+", run)
        continue
      }
      if (p === to) break
      if (p < to - 2) {
        const h1 = hexValue(s.charCodeAt(p + 1))
        const h2 = hexValue(s.charCodeAt(p + 2))
        if (h1 >= 0 && h2 >= 0) {
          const b = (h1 << 4) | h2
          if (b >= 0x80) return strict && !escapesValid(s, p, to) ? undefined : urlDecode(s, from, to, plusIsSpace, strict)
          out += s.slice(run, p) + String.fromCharCode(b)
          run = p + 3
          percent = s.indexOf("%", run)
          continue
        }
      }
      if (strict) return undefined
      percent = s.indexOf("%", p + 1) // a `%` without two hex digits after it stays as it is
    }
    return run === from ? s.slice(from, to) : out + s.slice(run, to)
  }

  // Known names the fast path may compare directly: visible ASCII other than the characters the
  // scan acts on (`"`, `,`, `=`) and the decoder looks for (`%`, `+`), so a matching key region
  // holds nothing either would act on.
  const plainName = (name: string): boolean => {
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k)
      if (c <= 32 || c >= 127 || c === 34 || c === 37 || c === 43 || c === 44 || c === 61) return false
    }
    return name.length > 0
  }
  const fastCompat = parameterNames.every(plainName)
  // Plain names by their first character: the fast path finds a key's end without searching.
  // Dense (no holes: reading a hole costs a prototype check); characters no name starts with hold
  // an empty list.
  const namesByCode: Array<ReadonlyArray<number>> = Array.from({ length: 128 }, () => noIndices)
  for (let p = 0; p < parameterNames.length; p++) {
    const c = firstCodes[p]!
    if (c < 128) namesByCode[c] = [...namesByCode[c]!, p]
  }

  // The plain known name that starts at k and is followed by `="`, or -1. Names hold no `=`, so
  // that is the first `=` after k, and the key holds no quote or comma.
  const quotedNameAt = (s: string, k: number): number => {
    const c = s.charCodeAt(k)
    const candidates = c < 128 ? namesByCode[c]! : noIndices
    for (let j = 0; j < candidates.length; j++) {
      const p = candidates[j]!
      const eq = k + parameterNames[p]!.length
      if (s.charCodeAt(eq) === 61 && s.charCodeAt(eq + 1) === 34 && s.slice(k, eq) === parameterNames[p]) return p
    }
    return -1
  }

  // GetParts on the shape every SDK writes: `Key="value"` segments with known keys, separated by
  // a comma and spaces (the spaces belong to the next key, which is trimmed). Each segment costs
  // one native search (the closing quote) and two slices (key, value); `%` and `+` are found by one
  // forward search each over the whole header, so only values holding one are decoded. At the
  // first segment of any other shape (unknown or padded key, unquoted value, a quote inside the
  // value, white space before the comma, an empty segment …) it returns that segment's start:
  // GetParts's state there is the initial one (outside quotes, no pending key), so the general
  // scan resumes from it and the result is the general scan's. Returns s.length when done.
  const compatFast = (s: string, from: number, values: Array<string | undefined>): number => {
    if (!fastCompat) return from
    const n = s.length
    let percent = decodes ? s.indexOf("%", from) : -1
    let plus = plusIsSpace ? s.indexOf("+", from) : -1
    let i = from
    while (i < n) {
      let k = i
      if (keyWhiteSpace !== undefined) while (s.charCodeAt(k) === 32) k++
      const p = quotedNameAt(s, k)
      if (p < 0) return i
      const open = k + parameterNames[p]!.length + 2
      const close = s.indexOf("\"", open)
      if (close < 0) return i
      const after = close + 1
      if (after < n && s.charCodeAt(after) !== 44) return i
      let value: string
      const hasPercent = percent >= 0 && percent < close
      const hasPlus = plus >= 0 && plus < close
      if (hasPercent || hasPlus) {
        value = decodeRange(s, open, close, percent, plus, false)!
        if (hasPercent) percent = s.indexOf("%", after)
        if (hasPlus) plus = s.indexOf("+", after)
      } else value = s.slice(open, close)
      if (!firstWins || values[p] === undefined) values[p] = value
      i = after + 1
    }
    return n
  }

  // Jellyfin's GetParts: one left-to-right scan with three pieces of state (in quotes, segment
  // start, pending key). It never fails. Inside quotes only the closing quote matters, so the scan
  // jumps there with indexOf. The positions of `%` and `+` are found once and moved forward as
  // segments close, so values without them (nearly all) are plain slices with no decoding work.
  // Values go to `values` (known keys, by index); with a `dictionary`, every pair goes there too.
  const compatScan = (
    s: string,
    from: number,
    values: Array<string | undefined>,
    dictionary: Map<string, string> | undefined
  ): void => {
    const n = s.length
    let percent = decodes ? s.indexOf("%", from) : -1
    let plus = plusIsSpace ? s.indexOf("+", from) : -1
    let start = from
    let known = -1 // the pending key, as an index into the parameters (-1: unknown or none)
    let key = "" // the pending key, as a string (only kept for the dictionary)
    let i = from
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c > 61) {
        i++ // letters and most punctuation: nothing to do
        continue
      }
      if (c === 34) {
        const quote = s.indexOf("\"", i + 1)
        if (quote < 0) break // an unterminated quote runs to the end
        i = quote + 1
        continue
      }
      if (c === 44) {
        if (start < i) {
          // (the same as after the loop; kept inline so the scan's state stays in registers)
          if (known >= 0 || dictionary !== undefined) {
            percent = nextAt(s, "%", percent, start)
            plus = nextAt(s, "+", plus, start)
            const value = decodeSegment(s, start, i, (percent >= 0 && percent < i) || (plus >= 0 && plus < i))
            if (known >= 0 && (!firstWins || values[known] === undefined)) values[known] = value
            if (dictionary !== undefined && (!firstWins || !dictionary.has(key))) dictionary.set(key, value)
          }
          known = -1
          key = ""
        } else if (!keepPending) {
          known = -1
          key = ""
        }
        start = i + 1
      } else if (c === 61) {
        const keyFrom = trimStart(s, start, i)
        const keyTo = trimEnd(s, keyFrom, i)
        known = knownKey(s, keyFrom, keyTo)
        if (dictionary !== undefined) key = keyString(s, keyFrom, keyTo, known)
        start = i + 1
      }
      i++
    }
    if (start < n && (known >= 0 || dictionary !== undefined)) {
      const value = decodeSegment(s, start, n, nextAt(s, "%", percent, start) >= 0 || nextAt(s, "+", plus, start) >= 0)
      if (known >= 0 && (!firstWins || values[known] === undefined)) values[known] = value
      if (dictionary !== undefined && (!firstWins || !dictionary.has(key))) dictionary.set(key, value)
    }
  }

  // Strict parsing of the same shape. One linear regular expression checks the whole grammar
  // natively (about 2 ns a character here, half a JavaScript loop's cost); the walk then finds the
  // values as compatFast does. Where the expression fails, or the walk meets an unknown or repeated
  // key or a bad escape, strictScan parses from the start: it finds the first deviation and its
  // offset, and accepts what the walk leaves to it (unknown keys).
  const fastStrict = parameterNames.every((name) => {
    for (let k = 0; k < name.length; k++) if (!isAlphanumeric(name.charCodeAt(k))) return false
    return name.length > 0
  }) && paramCount <= 30
  const strictFast = (s: string, from: number, values: Array<string | undefined>): boolean => {
    if (!fastStrict) return false
    STRICT_LIST.lastIndex = from
    if (!STRICT_LIST.test(s)) return false
    let end = s.length
    while (isOws(s.charCodeAt(end - 1))) end-- // the last closing quote is at end - 1
    let percent = s.indexOf("%", from)
    let plus = plusIsSpace ? s.indexOf("+", from) : -1
    let seen = 0
    let i = from
    for (;;) {
      let k = i
      while (isOws(s.charCodeAt(k))) k++
      const p = quotedNameAt(s, k)
      if (p < 0 || (seen & (1 << p)) !== 0) return false
      seen |= 1 << p
      const open = k + parameterNames[p]!.length + 2
      const close = s.indexOf("\"", open)
      const hasPercent = percent >= 0 && percent < close
      const hasPlus = plus >= 0 && plus < close
      let value: string | undefined
      if (hasPercent || hasPlus) {
        value = decodeRange(s, open, close, percent, plus, true)
        if (value === undefined) return false
        if (hasPercent) percent = s.indexOf("%", close)
        if (hasPlus) plus = s.indexOf("+", close)
      } else value = s.slice(open, close)
      values[p] = value
      if (close + 1 >= end) return true
      i = close + 2 // the expression puts `,` after a closing quote that does not end the list
    }
  }

  const isStrictValueChar = (c: number): boolean => c < 128 && UNRESERVED[c] === true

  // The documented grammar: scheme SP OWS [ key "=" DQUOTE value DQUOTE *( "," OWS param ) ] OWS
  // with alphanumeric keys and URL-encoded values (unreserved characters, `+`, `%XX` of UTF-8).
  // Same outputs as compatScan; returns the first deviation, if any.
  const strictScan = (
    s: string,
    from: number,
    values: Array<string | undefined>,
    dictionary: Map<string, string> | undefined
  ): ParseError | undefined => {
    const n = s.length
    // A Set, not an array: `includes` made strict parsing quadratic in the number of keys.
    const seen = new Set<string>()
    let i = from
    while (i < n && isOws(s.charCodeAt(i))) i++
    if (i === n) return undefined
    for (;;) {
      const keyStart = i
      while (i < n && isAlphanumeric(s.charCodeAt(i))) i++
      if (i === keyStart) return { code: "InvalidKey", offset: i, message: "expected a key made of ASCII letters and digits" }
      if (i === n || s.charCodeAt(i) !== 61) {
        return i < n && !isOws(s.charCodeAt(i)) && s.charCodeAt(i) !== 44
          ? { code: "InvalidKey", offset: i, message: "keys may only contain ASCII letters and digits" }
          : { code: "ExpectedEquals", offset: i, message: "expected \"=\" directly after the key" }
      }
      const known = knownKey(s, keyStart, i)
      const key = keyString(s, keyStart, i, known)
      if (seen.has(key)) {
        return { code: "DuplicateKey", offset: keyStart, message: `the key ${key} appears more than once` }
      }
      seen.add(key)
      if (known < 0) {
        const lower = key.toLowerCase()
        const p = parameterNamesLower.indexOf(lower)
        if (p >= 0) {
          return {
            code: "KeyCase",
            offset: keyStart,
            message: `keys are case-sensitive: the server reads ${parameterNames[p]}, not ${key}`
          }
        }
      }
      i++ // "="
      if (i === n || s.charCodeAt(i) !== 34) {
        return { code: "UnquotedValue", offset: i, message: `the value of ${key} must be wrapped in double quotes` }
      }
      const quote = i++
      const valueStart = i
      let special = false
      for (; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c === 34) break
        if (isStrictValueChar(c)) continue
        if (c === 37) {
          if (i + 2 >= n || hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) {
            return { code: "InvalidPercentEncoding", offset: i, message: "\"%\" must be followed by two hexadecimal digits" }
          }
          special = true
          i += 2
        } else if (c === 43) special = true
        else {
          const hex = c.toString(16).toUpperCase().padStart(4, "0")
          return { code: "InvalidCharacter", offset: i, message: `the value of ${key} holds U+${hex}, which must be percent-encoded` }
        }
      }
      if (i === n) return { code: "UnterminatedQuote", offset: quote, message: `the value of ${key} has no closing quote` }
      const value = special ? urlDecode(s, valueStart, i, plusIsSpace, true) : s.slice(valueStart, i)
      if (value === undefined) {
        return { code: "InvalidUtf8", offset: valueStart, message: `the percent-encoded bytes of ${key} are not valid UTF-8` }
      }
      if (known >= 0) values[known] = value
      dictionary?.set(key, value)
      i++ // closing quote
      const afterQuote = i
      while (i < n && isOws(s.charCodeAt(i))) i++
      if (i === n) return undefined
      if (s.charCodeAt(i) !== 44) return { code: "ExpectedComma", offset: i, message: "expected \",\" between parameters" }
      // GetParts keeps `" ` before a comma in the value (`Token="abc" ,` reads `abc" `), so a header
      // with it cannot be vouched for. At the very end it is harmless: HTTP servers trim it.
      if (i > afterQuote) {
        return {
          code: "ExpectedComma",
          offset: afterQuote,
          message: "expected \",\" directly after the closing quote: the server keeps white space before the comma in the value"
        }
      }
      const comma = i++
      while (i < n && isOws(s.charCodeAt(i))) i++
      if (i === n) return { code: "TrailingComma", offset: comma, message: "the parameter list must not end with \",\"" }
    }
  }

  // A parse result. Parsing only collects the known parameters; the full dictionary is built on
  // first access by scanning the value again, because most callers only read `params`.
  class Parsed {
    readonly scheme: string
    readonly params: AnyParams
    readonly #value: string
    readonly #strict: boolean
    #dictionary: Map<string, string> | undefined

    constructor(scheme: string, params: AnyParams, value: string, strict: boolean) {
      this.scheme = scheme
      this.params = params
      this.#value = value
      this.#strict = strict
    }

    get dictionary(): ReadonlyMap<string, string> {
      return this.#dictionary ??= dictionaryOf(this.#value, this.#value.indexOf(" ") + 1, this.#strict)
    }
  }

  // Params objects are built by adding properties to a new object, and V8 gives each step a hidden
  // class ({} → {Token} → {Token, Client} …) reached through transitions it holds weakly. After a
  // full GC that finds no params object alive, those classes die and every function specialised
  // to them is deoptimised, then re-optimised a few thousand calls later (bench row 1 ran a full
  // GC before each sample and lost a third of its samples that way). Params with every
  // combination of up to eight parameters, and a parse result, built here and kept, keep those
  // classes alive. They are built by this function's own loop, not by `paramsOf`: V8 would
  // remember every class it saw at each of `paramsOf`'s stores and optimise them for every
  // combination (megamorphic stores, about 9% more instructions per parse, bench row 1), where
  // a program sees one or two. The same goes for `Parsed`, built once. The fullest combination
  // comes first: V8 sizes a constructor's objects by what its first seven receive, and counting
  // up from one parameter sized them for three.
  const keepHiddenClasses = (): void => {
    if (paramCount > 8) return
    let params: AnyParams = {}
    for (let mask = (1 << paramCount) - 1; mask >= 1; mask--) {
      const combination: Record<string, string> = new ParamsObject()
      for (let p = 0; p < paramCount; p++) if ((mask & (1 << p)) !== 0) combination[parameterNames[p]!] = ""
      hiddenClasses.push(params = combination)
    }
    hiddenClasses.push(new Parsed(defaultScheme, params, defaultScheme + " ", false))
  }

  // Builds the dictionary of a value that has already parsed successfully.
  const dictionaryOf = (value: string, from: number, strict: boolean): Map<string, string> => {
    const dictionary = new Map<string, string>()
    const values: Array<string | undefined> = []
    if (strict) strictScan(value, from, values, dictionary)
    else compatScan(value, from, values, dictionary)
    return dictionary
  }

  const parse = (value: string, options?: ParseOptions): Result<Parsed, ParseError> => {
    const space = value.indexOf(" ")
    const scheme = matchScheme(value, space, options?.legacy ?? true)
    if (typeof scheme !== "number") return err(scheme)
    // Sized up front: an array grown by out-of-order writes made building params 4× slower.
    const values = new Array<string | undefined>(paramCount)
    const strict = options?.mode === "strict"
    if (strict) {
      if (!strictFast(value, space + 1, values)) {
        values.fill(undefined)
        const error = strictScan(value, space + 1, values, undefined)
        if (error !== undefined) return err(error)
      }
    } else {
      const at = compatFast(value, space + 1, values)
      if (at < value.length) compatScan(value, at, values, undefined)
    }
    return ok(new Parsed(schemes[scheme]!.name, paramsOf(values), value, strict))
  }
  keepHiddenClasses()

  // Each style, worked out once: its parameters in order, the text before each value (first in the
  // list or after the separator), and the last value formatted at each position with its encoding.
  // Clients sign every request with the same client, device and token strings, so a value equal
  // to the last one at its position reuses its encoding; a new value is checked with one native
  // regular expression test and encoded only when that finds a character to encode. The memo holds
  // one value per position, the token included, until a different value replaces it: the module
  // keeps the last token it formatted alive (JavaScript strings cannot be wiped in any case).
  const formatPlans = tables.formatStyles.map((style) => ({
    name: style.name,
    omit: style.absent === "omit",
    names: style.order,
    // The text before a value: its key, after the previous value's closing quote and the separator.
    first: style.order.map((name) => name + "=\""),
    rest: style.order.map((name) => "\"" + style.separator + name + "=\""),
    lastRaw: style.order.map((): string | undefined => undefined),
    lastEncoded: style.order.map(() => ""),
    raw: style.order.map((): string | undefined => undefined)
  }))

  // params[names[i]] for every position, one load site per position for the first eight: a single
  // site reading every name is a megamorphic keyed load, a quarter of format's time.
  const readParams = (params: AnyParams, names: ReadonlyArray<string>, raw: Array<string | undefined>): void => {
    const n = names.length
    if (n > 0) raw[0] = params[names[0]!]
    if (n > 1) raw[1] = params[names[1]!]
    if (n > 2) raw[2] = params[names[2]!]
    if (n > 3) raw[3] = params[names[3]!]
    if (n > 4) raw[4] = params[names[4]!]
    if (n > 5) raw[5] = params[names[5]!]
    if (n > 6) raw[6] = params[names[6]!]
    if (n > 7) raw[7] = params[names[7]!]
    for (let i = 8; i < n; i++) raw[i] = params[names[i]!]
  }
  const canonicalPlan = formatPlans.find((plan) => plan.name === "canonical")
  const schemeNames = new Set(schemes.map((scheme) => scheme.name))

  const format = (params: AnyParams, options?: { readonly style?: string; readonly scheme?: string }) => {
    const styleName = options?.style
    let plan = styleName === undefined ? canonicalPlan : undefined
    for (let i = 0; plan === undefined && i < formatPlans.length; i++) {
      if (formatPlans[i]!.name === styleName) plan = formatPlans[i]
    }
    if (plan === undefined) {
      return err<FormatError>({ code: "UnknownStyle", parameter: "style", message: "unknown format style" })
    }
    const scheme = options?.scheme ?? defaultScheme
    if (scheme !== defaultScheme && !schemeNames.has(scheme)) {
      return err<FormatError>({
        code: "UnknownScheme",
        parameter: "scheme",
        message: `the scheme must be one of: ${schemes.map((s) => s.name).join(", ")}`
      })
    }
    const { first, lastEncoded, lastRaw, names, rest } = plan
    const values = plan.raw
    readParams(params, names, values)
    let out = scheme + " "
    let written = false
    for (let i = 0; i < names.length; i++) {
      const raw = values[i]
      values[i] = undefined // the scratch array keeps no value alive
      if (raw === undefined && plan.omit) continue
      let encoded: string | undefined
      if (raw === undefined || raw === "") encoded = ""
      else if (raw === lastRaw[i]) encoded = lastEncoded[i]!
      else {
        encoded = encodeValue(raw)
        if (encoded === undefined) {
          values.fill(undefined)
          return err<FormatError>({
            code: "UnencodableValue",
            parameter: names[i]!,
            message: `the value of ${names[i]} contains a lone UTF-16 surrogate, which has no UTF-8 encoding`
          })
        }
        lastRaw[i] = raw
        lastEncoded[i] = encoded
      }
      out += (written ? rest[i]! : first[i]!) + encoded
      written = true
    }
    return ok(written ? out + "\"" : out)
  }

  const validate = (params: AnyParams, operation: string): ReadonlyArray<ValidationIssue> => {
    const issues: Array<ValidationIssue> = []
    if (!tables.operations.some((o) => o.name === operation)) {
      issues.push({ code: "UnknownOperation", message: `unknown operation ${operation}` })
    }
    for (const p of parameters) {
      const v = params[p.name]
      if (p.requiredFor.includes(operation) && (v === undefined || v === "")) {
        issues.push({ code: "MissingParameter", parameter: p.name, message: `${p.name} is required for ${operation}` })
      } else if (v === "" && p.nonEmpty) {
        issues.push({ code: "EmptyValue", parameter: p.name, message: `${p.name} must not be empty` })
      }
      if (p.name === tokenParameter && v !== undefined && v !== "" && isWhiteSpaceOnly(v)) {
        issues.push({
          code: "WhiteSpaceToken",
          parameter: p.name,
          message: `a white-space-only ${p.name} blocks every other token source yet counts as no token`
        })
      }
      if (v !== undefined && encodeValue(v) === undefined) {
        issues.push({
          code: "UnencodableValue",
          parameter: p.name,
          message: `the value of ${p.name} contains a lone UTF-16 surrogate`
        })
      }
    }
    for (const key of Object.keys(params)) {
      if (parameters.some((p) => p.name === key)) continue
      let alphanumeric = key.length > 0
      for (let i = 0; i < key.length && alphanumeric; i++) alphanumeric = isAlphanumeric(key.charCodeAt(i))
      issues.push(
        alphanumeric
          ? { code: "UnknownParameter", parameter: key, message: `the server does not read ${key}` }
          : { code: "InvalidKey", parameter: key, message: "keys may only contain ASCII letters and digits" }
      )
    }
    return issues
  }

  // ---------------------------------------------------------------------------------------------
  // extract: the tables indexed once, so a call scans the request's names once and allocates
  // little beyond its result.
  // ---------------------------------------------------------------------------------------------

  // Names come from the tables (or from results built from them), so comparing them is comparing
  // pointers: a loop over the few transports beats hashing the name for a Map.
  const transportIndex = (name: string): number => {
    for (let i = 0; i < transports.length; i++) if (transports[i]!.name === name) return i
    return -1
  }

  // The transports of each kind by the length of their key: a header name of another length
  // (nearly all of them) is dismissed without comparing a character. Dense (no holes: reading a
  // hole costs a prototype check), so lengths without a transport hold an empty list.
  const byKeyLength = (kind: TransportSpec["kind"]): Array<ReadonlyArray<number>> => {
    const longest = transports.reduce((max, t) => Math.max(max, t.key.length), 0)
    const out = Array.from({ length: longest + 1 }, () => noIndices)
    transports.forEach((t, i) => {
      if (t.kind === kind) out[t.key.length] = [...out[t.key.length]!, i]
    })
    return out
  }
  const headerKeys = byKeyLength("header")
  const queryKeys = byKeyLength("query")
  // The same as bits (bit n: some key is n characters long; bit 31: some key is longer), so that
  // most names are dismissed with one test.
  const lengthBits = (keys: ReadonlyArray<ReadonlyArray<number>>): number =>
    keys.reduce((bits, list, length) => (list.length === 0 ? bits : bits | (1 << Math.min(length, 31))), 0)
  const headerLengths = lengthBits(headerKeys)
  const queryLengths = lengthBits(queryKeys)

  // A transport as a bit of a number; past 30 transports every bit, so nothing is ever skipped.
  const bitOf = (i: number): number => (transports.length <= 30 && i >= 0 ? 1 << i : -1)
  const bitsOf = (indices: ReadonlyArray<number>): number => indices.reduce((bits, i) => bits | bitOf(i), 0)

  const compiledProfiles = tables.profiles.map((p) => {
    const compile = (order: ReadonlyArray<SourceSpec>) =>
      order.map((s) => {
        const at = transportIndex(s.transport)
        return { transport: s.transport, at, bit: bitOf(at), gated: s.gatedByLegacy }
      })
    const tokenOrder = compile(p.tokenOrder)
    // The transports the profile never reads a token from, in table order.
    const unread = transports.flatMap((_, i) => (tokenOrder.some((s) => s.at === i) ? [] : [i]))
    const schemeOrder = compile(p.schemeHeaderOrder)
    return {
      name: p.name,
      legacyDefault: p.legacyDefault,
      warnDeprecated: p.warnDeprecated,
      schemeOrder,
      // Where the token order reads the first scheme header (for the usual request, below).
      firstTokenSource: schemeOrder.length === 0 ? undefined : tokenOrder.find((s) => s.at === schemeOrder[0]!.at),
      tokenOrder,
      tokenBits: bitsOf(tokenOrder.map((s) => s.at)),
      unread,
      unreadBits: bitsOf(unread)
    }
  })

  const compatLegacy: ParseOptions = { mode: "compat", legacy: true }
  const compatNoLegacy: ParseOptions = { mode: "compat", legacy: false }

  // What a request carries for one transport (the server's StringValues): nothing, one value, or
  // several (an array given by the caller, or values merged from names differing in case).
  type Slot = string | ReadonlyArray<string> | undefined
  const countOf = (slot: Slot): number => (slot === undefined ? 0 : typeof slot === "string" ? 1 : slot.length)
  const firstOf = (slot: Slot): string | undefined => (typeof slot === "string" ? slot : slot?.[0])
  // The string conversion, which joins repeated values with the separator.
  const joinedOf = (slot: Slot): string | undefined =>
    typeof slot === "string" ? slot : slot === undefined || slot.length === 0 ? undefined : slot.join(grammar.repeatedValueSeparator)
  const someNonEmpty = (slot: Slot): boolean =>
    typeof slot === "string" ? slot !== "" : slot !== undefined && slot.some((v) => v !== "")

  // Every value of `record` (names compared ignoring ASCII case) into the slot of its transport,
  // in record order. Returns the transports it filled, as bits (all bits past 30 transports).
  const collect = (
    record: Readonly<Record<string, HeaderValue>> | undefined,
    keys: ReadonlyArray<ReadonlyArray<number>>,
    lengths: number,
    slots: Array<Slot>
  ): number => {
    if (record === undefined) return 0
    let present = 0
    // for-in walks the names without copying them (Object.keys copied them for every request);
    // the own-property check Object.keys implied is only needed for the names that match.
    for (const name in record) {
      if ((lengths & (1 << Math.min(name.length, 31))) === 0) continue
      const candidates = name.length < keys.length ? keys[name.length]! : noIndices
      for (let j = 0; j < candidates.length; j++) {
        const i = candidates[j]!
        const lower = transportsLower[i]!
        if (name !== lower && !equalsIgnoreAsciiCase(name, 0, name.length, lower)) continue
        if (!Object.hasOwn(record, name)) continue
        const value = record[name]
        if (value === undefined) continue
        const slot = slots[i]
        slots[i] = slot === undefined
          ? value
          : [...(typeof slot === "string" ? [slot] : slot), ...(typeof value === "string" ? [value] : value)]
        present |= bitOf(i)
      }
    }
    return present
  }

  // Each scheme header's first value, parsed as if it were read (for candidates and warnings), on
  // first use and once: usually there is one scheme header.
  type ParseResult = Result<Parsed, ParseError>
  const parsedAt = (slots: ReadonlyArray<Slot>, parsed: Array<ParseResult | undefined>, i: number): ParseResult | undefined => {
    const first = transports[i]!.carries === "scheme" ? firstOf(slots[i]) : undefined
    return first === undefined ? undefined : parsed[i] ??= parse(first, compatLegacy)
  }
  const tokenIn = (slots: ReadonlyArray<Slot>, parsed: Array<ParseResult | undefined>, i: number): string | undefined => {
    const p = parsedAt(slots, parsed, i)
    // The token is a known parameter, so `params` has it: reading `dictionary` would build it.
    return p !== undefined && p._tag === "Ok" ? p.value.params[tokenParameter] : undefined
  }

  const deprecated = (t: TransportSpec): Wide<Warning> => ({
    code: "DeprecatedTransport",
    message: `${t.name} is deprecated${t.replacement === undefined ? "" : `; use ${t.replacement}`}`,
    transport: t.name
  })
  const whiteSpaceToken = (transport: string): Wide<Warning> => ({
    code: "WhiteSpaceToken",
    message: `the token from ${transport} is white space only: it blocks every later source, yet the request is anonymous`,
    transport
  })

  type WideExtraction = Wide<Omit<Extraction, "authorization">> & {
    readonly authorization: { readonly transport: string; readonly header: Parsed } | undefined
  }

  const extract = (request: RequestLike, options: { readonly profile: string; readonly legacy?: boolean }) => {
    const warnings: Array<Wide<Warning>> = []
    let profile: (typeof compiledProfiles)[number] | undefined
    for (let p = 0; p < compiledProfiles.length && profile === undefined; p++) {
      if (compiledProfiles[p]!.name === options.profile) profile = compiledProfiles[p]
    }
    if (profile === undefined) {
      warnings.push({ code: "UnknownProfile", message: "unknown profile: nothing is read" })
      const none: WideExtraction = { token: undefined, hasToken: false, authorization: undefined, candidates: [], warnings }
      return none
    }
    if (profile.legacyDefault === null && options.legacy !== undefined) {
      warnings.push({ code: "NoLegacySwitch", message: `${profile.name} has no legacy switch; every transport it knows is read` })
    }
    const legacy = profile.legacyDefault === null ? true : options.legacy ?? profile.legacyDefault

    // Raw values per transport, from one pass over the header names and one over the query's.
    const slots = new Array<Slot>(transports.length)
    // Bits of the transports the request carries: the loops below skip the others at once.
    const present = collect(request.headers, headerKeys, headerLengths, slots) |
      collect(request.query, queryKeys, queryLengths, slots)
    // The usual request: the only transport it carries is the scheme header the profile reads
    // first, with one value that parses, and the profile reads the token from it. Then the steps
    // below choose that header, read its token (unless it has none), and only warn about a
    // deprecated header or a white-space token: the same result, without the general bookkeeping.
    // (Tests compare this with the general steps, which the smallest extra transport forces.)
    const usual = profile.schemeOrder[0]
    const usualToken = profile.firstTokenSource
    if (
      usual !== undefined && usual.bit !== -1 && present === usual.bit && !(usual.gated && !legacy) &&
      usualToken !== undefined && !(usualToken.gated && !legacy)
    ) {
      const value = slots[usual.at]
      const result = typeof value === "string" && value !== "" ? parse(value, legacy ? compatLegacy : compatNoLegacy) : undefined
      if (result !== undefined && result._tag === "Ok") {
        const t = transports[usual.at]!
        const raw = result.value.params[tokenParameter]
        const token = raw === undefined || raw === "" ? undefined : { value: raw, transport: t.name }
        if (profile.warnDeprecated && t.deprecated) warnings.push(deprecated(t))
        const hasToken = token !== undefined && !isWhiteSpaceOnly(token.value)
        if (token !== undefined && !hasToken) warnings.push(whiteSpaceToken(t.name))
        const usualExtraction: WideExtraction = {
          token,
          hasToken,
          authorization: { transport: t.name, header: result.value },
          candidates: raw === undefined ? [] : [{ transport: t.name, value: raw }],
          warnings
        }
        return usualExtraction
      }
    }
    const parsed = new Array<Result<Parsed, ParseError> | undefined>(transports.length)

    // 1. The scheme header: the first in order, falling back to the next only while the joined
    //    value is null or empty. Gated headers are skipped while legacy is off. Only the first
    //    value of the chosen header is parsed.
    const order = profile.schemeOrder
    let chosenAt = -1
    for (let k = 0; k < order.length; k++) {
      const source = order[k]!
      if (source.gated && !legacy) {
        if (someNonEmpty(slots[source.at])) {
          warnings.push({
            code: "LegacyDisabled",
            message: `${source.transport} is ignored while legacy authorization is disabled: no client info or token is read from it`,
            transport: source.transport
          })
        }
        continue
      }
      chosenAt = k
      const v = joinedOf(slots[source.at])
      if (v !== undefined && v !== "") break
    }
    const chosen = chosenAt < 0 ? -1 : order[chosenAt]!.at
    let authorization: WideExtraction["authorization"] = undefined
    const first = chosen < 0 ? undefined : firstOf(slots[chosen])
    if (first !== undefined) {
      const name = transports[chosen]!.name
      const count = countOf(slots[chosen])
      if (count > 1) {
        warnings.push({ code: "ExtraSchemeHeaderValues", message: `${name} was sent ${count} times; only the first is read`, transport: name })
      }
      // With legacy on, this is the parse `parsedAt` keeps: the header is parsed once.
      const result = legacy ? parsedAt(slots, parsed, chosen)! : parse(first, compatNoLegacy)
      if (result._tag === "Ok") authorization = { transport: name, header: result.value }
      else if (first !== "") {
        warnings.push({
          code: result.error.code === "LegacySchemeDisabled" ? "LegacyDisabled" : "UnreadableSchemeHeader",
          message: `${name} gives no client info and no token: ${result.error.message}`,
          transport: name
        })
        // A foreign credential (a proxy's Basic, a wrong scheme) hides a usable later header.
        for (let k = chosenAt + 1; k < order.length; k++) {
          const source = order[k]!
          const p = parsedAt(slots, parsed, source.at)
          if ((source.gated && !legacy) || p === undefined || p._tag !== "Ok") continue
          warnings.push({
            code: "SchemeHeaderHidden",
            message: `${name} is not empty, so ${source.transport} is never read although it holds a usable header`,
            transport: source.transport
          })
        }
      }
    }

    // 2. The token: the first non-empty value in the profile's order ("" falls through).
    const candidates: Array<Wide<Candidate>> = []
    let token: WideExtraction["token"] = undefined
    const tokenOrder = profile.tokenOrder
    // The transports still to visit that the request carries: the loop ends when none is left.
    let left = present & profile.tokenBits
    for (let k = 0; k < tokenOrder.length && left !== 0; k++) {
      const source = tokenOrder[k]!
      if ((left & source.bit) === 0) continue
      if (source.bit !== -1) left &= ~source.bit
      const i = source.at
      const t = transports[i]!
      const value = t.carries === "scheme" ? tokenIn(slots, parsed, i) : joinedOf(slots[i])
      if (value === undefined) continue
      let ignored: IgnoredReason | undefined
      if (source.gated && !legacy) ignored = "LegacyDisabled"
      else if (t.carries === "scheme" && (authorization === undefined || i !== chosen)) {
        // Not the header that was read: hidden by it, or read but refused for its legacy scheme.
        ignored = i === chosen && !legacy ? "LegacyDisabled" : "Shadowed"
      } else if (token !== undefined) ignored = "Shadowed"
      if (ignored === undefined && value !== "") token = { value, transport: t.name }
      candidates.push(ignored === undefined ? { transport: t.name, value } : { transport: t.name, value, ignored })
      const count = countOf(slots[i])
      if (t.carries === "token" && count > 1) {
        warnings.push({
          code: "RepeatedValues",
          message: `${t.name} was sent ${count} times; the server joins the values with ` +
            `"${grammar.repeatedValueSeparator}" into one token`,
          transport: t.name
        })
      }
    }
    for (let k = 0; k < profile.unread.length && (present & profile.unreadBits) !== 0; k++) {
      const i = profile.unread[k]!
      if ((present & bitOf(i)) === 0) continue
      const t = transports[i]!
      const value = t.carries === "scheme" ? tokenIn(slots, parsed, i) : joinedOf(slots[i])
      if (value === undefined) continue
      candidates.push({ transport: t.name, value, ignored: "NotReadByProfile" })
    }

    // 3. Warnings about the transports in use.
    if (authorization !== undefined && profile.warnDeprecated && transports[chosen]!.deprecated) {
      const t = transports[chosen]!
      warnings.push(deprecated(t))
    }
    let nonEmpty = 0
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c]!
      const t = transports[transportIndex(candidate.transport)]!
      if (candidate.value !== "") nonEmpty++
      if (candidate.ignored === "LegacyDisabled" && t.carries === "token") {
        warnings.push({ code: "LegacyDisabled", message: `${t.name} is ignored while legacy authorization is disabled`, transport: t.name })
      }
      if (candidate.ignored !== undefined || t.carries === "scheme") continue
      if (t.deprecated && profile.warnDeprecated) {
        warnings.push(deprecated(t))
      }
      if (t.kind === "query" && candidate.value !== "") {
        const instead = t.replacement === undefined ? "" : `; prefer ${t.replacement}`
        warnings.push({
          code: "TokenInQuery",
          message: `a token in the ${t.name} query parameter leaks into logs and history${instead}`,
          transport: t.name
        })
      }
    }
    if (nonEmpty > 1) {
      const distinct = new Set(candidates.flatMap((c) => (c.value === "" ? [] : [c.value]))).size
      warnings.push({
        code: "MultipleTokens",
        message: `${nonEmpty} tokens were sent (${distinct === 1 ? "all equal" : `${distinct} different values`}); ` +
          `the server validates ${token === undefined ? "none of them" : `only the one from ${token.transport}`}`
      })
    }
    const hasToken = token !== undefined && !isWhiteSpaceOnly(token.value)
    if (token !== undefined && !hasToken) {
      warnings.push(whiteSpaceToken(token.transport))
    }
    const extraction: WideExtraction = { token, hasToken, authorization, candidates, warnings }
    return extraction
  }

  return { parse, format, validate, extract }
}

// ---------------------------------------------------------------------------------------------
// The algorithm bound to this module's tables
// ---------------------------------------------------------------------------------------------

const runtime = makeRuntime({
  schemes: SCHEMES,
  grammar: GRAMMAR,
  operations: OPERATIONS,
  parameters: PARAMETERS,
  tokenParameter: TOKEN_PARAMETER,
  transports: TRANSPORTS,
  profiles: PROFILES,
  formatStyles: FORMAT_STYLES
})

/**
 * Parses an authorization header value (`<scheme> <parameters>`). Never throws.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = runtime.parse as (value: string, options?: ParseOptions) => Result<ParsedHeader, ParseError>

/**
 * Writes a header value. `canonical`: declared order, quoted, percent-encoded, absent parameters
 * omitted. Other styles follow their table (order; absent parameters omitted or written as "").
 * CR, LF and NUL never appear unencoded.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = runtime.format as (params: Params, options?: FormatOptions) => Result<string, FormatError>

/**
 * What the server would object to for this operation: missing or empty required parameters, a
 * token it would treat as absent, keys it never reads, values that cannot be encoded.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = runtime.validate as (params: Params, operation: Operation) => ReadonlyArray<ValidationIssue>

/**
 * What the server would do with a request: which token it validates and from where, which header
 * gives the client info, and what looks wrong. Never throws.
 *
 * @since 0.1.0
 * @category extraction
 */
export const extract = runtime.extract as (request: RequestLike, options: ExtractOptions) => Extraction
