/**
 * The algorithm behind every generated authorization module: two scanners (the server's and the
 * documented grammar's), value decoding and encoding, and `make`, which binds them to a spec's
 * tables and gives typed `parse`, `format`, `validate`, `extract` and `scan`.
 *
 * It imports nothing and runs nothing at import time. Generated modules import it as
 * `@mbauth/runtime`, or, generated with `--standalone`, from a copy of this file next to them.
 *
 * @since 0.1.0
 */

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/**
 * The grammar rules that vary between specs.
 *
 * @since 0.1.0
 * @category tables
 */
export interface Grammar {
  readonly schemeMatching: "case-insensitive" | "case-sensitive"
  readonly valueDecoding: "form-urlencoded" | "percent" | "none"
  readonly duplicateKeys: "last" | "first"
  readonly keyTrimming: "dotnet" | "ecmascript" | "none"
  readonly emptySegment: "keep-pending-key" | "reset-key"
  readonly repeatedValueSeparator: string
}

/**
 * @since 0.1.0
 * @category tables
 */
export interface TransportTable {
  readonly name: string
  readonly kind: "header" | "query"
  readonly key: string
  readonly carries: "scheme" | "token"
  readonly deprecated: boolean
  readonly discouraged: boolean
  readonly replacement?: string
}

/**
 * @since 0.1.0
 * @category tables
 */
export interface SourceTable {
  readonly transport: string
  readonly gatedByLegacy: boolean
}

/**
 * A parameter that can also travel outside the scheme header, in a header or query parameter of
 * its own.
 *
 * @since 0.1.0
 * @category tables
 */
export interface SeparateValueTable {
  readonly parameter: string
  readonly header?: string
  readonly query?: string
  /** `percent`: a header value is percent-encoded, and decoded as the grammar's `valueDecoding`. */
  readonly headerEncoding: "percent" | "none"
}

/**
 * How a profile reads the separate values: where it looks, in order, and which wins, per
 * parameter, when the scheme header it read says otherwise.
 *
 * @since 0.1.0
 * @category tables
 */
export interface SeparateValueReading {
  readonly read: ReadonlyArray<"header" | "query">
  readonly precedence: "scheme-header" | "separate-values"
}

/**
 * The tables a generated module declares, as the algorithm reads them.
 *
 * @since 0.1.0
 * @category tables
 */
export interface Tables {
  readonly schemes: ReadonlyArray<{ readonly name: string; readonly legacy: boolean }>
  readonly grammar: Grammar
  readonly operations: ReadonlyArray<{ readonly name: string }>
  readonly parameters: ReadonlyArray<{
    readonly name: string
    readonly secret: boolean
    readonly requiredFor: ReadonlyArray<string>
    readonly nonEmpty: boolean
  }>
  readonly tokenParameter: string
  readonly transports: ReadonlyArray<TransportTable>
  /** Absent: no parameter travels outside the scheme header. */
  readonly separateValues?: ReadonlyArray<SeparateValueTable>
  readonly profiles: ReadonlyArray<{
    readonly name: string
    readonly legacyDefault: boolean | null
    readonly warnDeprecated: boolean
    readonly schemeHeaderOrder: ReadonlyArray<SourceTable>
    readonly tokenOrder: ReadonlyArray<SourceTable>
    /** Absent: the profile never reads separate values. */
    readonly separateValues?: SeparateValueReading
  }>
  readonly formatStyles: ReadonlyArray<{
    readonly name: string
    readonly order: ReadonlyArray<string>
    readonly absent: "omit" | "empty"
    readonly separator: string
  }>
}

// ---------------------------------------------------------------------------------------------
// Names and results, typed by the tables
// ---------------------------------------------------------------------------------------------

/** @since 0.1.0 @category names */
export type SchemeName<T extends Tables> = T["schemes"][number]["name"]
/** @since 0.1.0 @category names */
export type ParameterName<T extends Tables> = T["parameters"][number]["name"]
/** @since 0.1.0 @category names */
export type TransportName<T extends Tables> = T["transports"][number]["name"]
/** @since 0.1.0 @category names */
export type SchemeHeaderName<T extends Tables> = Extract<T["transports"][number], { readonly carries: "scheme" }>["name"]
/** @since 0.1.0 @category names */
export type ProfileName<T extends Tables> = T["profiles"][number]["name"]
/** @since 0.1.0 @category names */
export type OperationName<T extends Tables> = T["operations"][number]["name"]
/** @since 0.1.0 @category names */
export type FormatStyleName<T extends Tables> = T["formatStyles"][number]["name"]

/**
 * The known parameters: absent is undefined, values are decoded.
 *
 * @since 0.1.0
 * @category models
 */
export type Params<T extends Tables> = { readonly [K in ParameterName<T>]?: string }

/**
 * The result of every fallible function here: nothing in this module throws.
 *
 * @since 0.1.0
 * @category models
 */
export type Result<A, E> = { readonly _tag: "Ok"; readonly value: A } | { readonly _tag: "Err"; readonly error: E }

const ok = <A>(value: A): Result<A, never> => ({ _tag: "Ok", value })
const err = <E>(error: E): Result<never, E> => ({ _tag: "Err", error })

/**
 * `strict` accepts exactly the documented grammar and reports the first deviation; `compat`
 * reads the dictionary the server builds, quirks included, and only fails where the server reads
 * no dictionary at all (no space, unknown or disabled scheme).
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
  /** Accept legacy schemes. Default true. */
  readonly legacy?: boolean
}

/**
 * @since 0.1.0
 * @category parsing
 */
export interface ParsedHeader<T extends Tables> {
  /** The canonical name of the scheme that matched. */
  readonly scheme: SchemeName<T>
  /** The known parameters, read with their exact-case keys. */
  readonly params: Params<T>
  /** Every key and decoded value, in first-seen order (compat: unknown keys and the "" key too). */
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
 * One step of a scan, with UTF-16 offsets into the scanned string.
 *
 * - `Key`: an `=` outside quotes set the pending key (`start`/`end`: the key once trimmed).
 * - `Value`: a segment was stored under the pending key (`start`/`end`: the raw value, quotes
 *   included; `key`: the key's range, absent for a segment stored under "").
 * - `EmptySegment`: a comma closed a segment with nothing in it; nothing was stored.
 *
 * @since 0.1.0
 * @category scanning
 */
export type Part =
  | { readonly _tag: "Key"; readonly start: number; readonly end: number; readonly equals: number }
  | {
    readonly _tag: "Value"
    readonly key: { readonly start: number; readonly end: number } | undefined
    readonly start: number
    readonly end: number
  }
  | { readonly _tag: "EmptySegment"; readonly comma: number }

/**
 * What a scan found after the scheme.
 *
 * @since 0.1.0
 * @category scanning
 */
export interface Scan<T extends Tables> {
  readonly scheme: SchemeName<T>
  readonly parts: ReadonlyArray<Part>
  /** Where a quote that is never closed opens (compat only: strict reports it as an error). */
  readonly unterminatedQuote: number | undefined
}

/**
 * @since 0.1.0
 * @category formatting
 */
export interface FormatOptions<T extends Tables> {
  /** Default "canonical". */
  readonly style?: FormatStyleName<T>
  /** Default: the first non-legacy scheme. Anything but a scheme name gives an UnknownScheme error. */
  readonly scheme?: string
}

/**
 * @since 0.1.0
 * @category formatting
 */
export interface FormatError {
  readonly code: "UnencodableValue" | "UnknownScheme" | "UnknownStyle"
  /** The parameter at fault, or "scheme" / "style". */
  readonly parameter: string
  readonly message: string
}

/**
 * @since 0.1.0
 * @category validation
 */
export interface ValidationIssue {
  readonly code:
    | "MissingParameter"
    | "EmptyValue"
    | "WhiteSpaceToken"
    | "UnknownParameter"
    | "InvalidKey"
    | "UnencodableValue"
    | "UnknownOperation"
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
export interface ExtractOptions<T extends Tables> {
  readonly profile: ProfileName<T>
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
  | "SeparateValuesNotRead"
  | "ConflictingValues"

/**
 * @since 0.1.0
 * @category extraction
 */
export interface Warning<T extends Tables> {
  readonly code: WarningCode
  readonly message: string
  readonly transport?: TransportName<T>
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
export interface Candidate<T extends Tables> {
  readonly transport: TransportName<T>
  readonly value: string
  readonly ignored?: IgnoredReason
}

/**
 * A value of a parameter other than the token, and where it travels: inside the scheme header the
 * profile read (`via: "scheme"`, `name` is that header's transport), or on its own (`via:
 * "header"` or `"query"`, `name` is the header or query name). `ignored` is absent for the value
 * the server takes.
 *
 * @since 0.1.0
 * @category extraction
 */
export interface ParameterValue<T extends Tables> {
  readonly parameter: ParameterName<T>
  readonly value: string
  readonly via: "scheme" | "header" | "query"
  readonly name: string
  readonly ignored?: "NotReadByProfile" | "Shadowed"
}

/**
 * @since 0.1.0
 * @category extraction
 */
export interface Extraction<T extends Tables> {
  /** The token the server would validate (first non-empty in the profile's order), or undefined. */
  readonly token: { readonly value: string; readonly transport: TransportName<T> } | undefined
  /** False when there is no token or it is white space only (the server treats the request as anonymous). */
  readonly hasToken: boolean
  /** Which scheme header supplied the client info, and what it said; undefined when none was read. */
  readonly authorization:
    | { readonly transport: SchemeHeaderName<T>; readonly header: ParsedHeader<T> }
    | undefined
  /** Every token-carrying value present, in the profile's order, with whether the profile read it. */
  readonly candidates: ReadonlyArray<Candidate<T>>
  readonly warnings: ReadonlyArray<Warning<T>>
  /**
   * The parameters other than the token as the server takes them: from the scheme header it read
   * and, where the profile reads them, the separate values, by the profile's precedence (per
   * parameter, the first non-empty value).
   */
  readonly parameters: Params<T>
  /** Every value behind `parameters`, in declared parameter order, with where it travels and whether it was taken. */
  readonly parameterValues: ReadonlyArray<ParameterValue<T>>
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

/**
 * .NET `char.IsWhiteSpace` (what .NET's `Trim()` removes): unlike `String.prototype.trim`, it
 * includes U+0085 and excludes U+FEFF.
 *
 * @since 0.1.0
 * @category characters
 */
export const isDotnetWhiteSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f ||
  c === 0x3000

// What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator).
const isEcmaWhiteSpace = (c: number): boolean => isDotnetWhiteSpace(c) && c !== 0x85 || c === 0xfeff

const isOws = (c: number): boolean => c === 32 || c === 9

const isAlphanumeric = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1

const isWhiteSpaceOnly = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (!isDotnetWhiteSpace(s.charCodeAt(i))) return false
  return true
}

// ASCII case folding: an ordinal ignore-case comparison never maps a non-ASCII character onto an
// ASCII one, and every name in the tables is ASCII.
const startsWithIgnoreAsciiCase = (s: string, prefix: string): boolean => {
  if (s.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) {
    if (asciiLower(s.charCodeAt(i)) !== asciiLower(prefix.charCodeAt(i))) return false
  }
  return true
}
const equalsIgnoreAsciiCase = (a: string, b: string): boolean => a.length === b.length && startsWithIgnoreAsciiCase(a, b)
const asciiLower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c)

// ---------------------------------------------------------------------------------------------
// Decoding and encoding
// ---------------------------------------------------------------------------------------------

/**
 * Percent-decoding as `System.Net.WebUtility.UrlDecode` does it: `%XY` is a byte, a `%` without
 * two hex digits after it stays, `+` is a space when `plusIsSpace`. Bytes decode as UTF-8 (with
 * U+FFFD for each invalid sequence); characters at or above U+0080 are copied through. With
 * `fatal`, invalid UTF-8 gives undefined instead.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (value: string, plusIsSpace: boolean, fatal = false): string | undefined => {
  let i = value.indexOf("%")
  if (plusIsSpace) {
    const plus = value.indexOf("+")
    if (plus >= 0 && (i < 0 || plus < i)) i = plus
  }
  if (i < 0) return value
  let out = ""
  let literal = 0 // where the literal text not yet copied starts
  let pending: Array<number> | undefined // decoded bytes >= 0x80 not yet decoded as UTF-8
  // Any character but such a byte ends a UTF-8 sequence (as invalid if incomplete), so the
  // pending bytes are decoded before it is appended.
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i)
    let byte = -1
    if (c === 43 && plusIsSpace) byte = 32
    else if (c === 37 && i < value.length - 2) {
      const high = hexValue(value.charCodeAt(i + 1))
      const low = hexValue(value.charCodeAt(i + 2))
      if (high >= 0 && low >= 0) byte = high * 16 + low
    }
    if (byte < 0) continue // a literal character
    if (literal < i || byte < 0x80) {
      const text = utf8(pending, fatal)
      if (text === undefined) return undefined
      out += text + value.slice(literal, i)
      pending = undefined
    }
    if (byte < 0x80) out += String.fromCharCode(byte)
    else (pending ??= []).push(byte)
    if (c === 37) i += 2
    literal = i + 1
  }
  if (literal === 0) return value
  const text = utf8(pending, fatal)
  return text === undefined ? undefined : out + text + value.slice(literal)
}

const utf8 = (bytes: ReadonlyArray<number> | undefined, fatal: boolean): string | undefined => {
  if (bytes === undefined) return ""
  try {
    // ignoreBOM: .NET keeps a decoded byte order mark.
    return new TextDecoder("utf-8", { fatal, ignoreBOM: true }).decode(new Uint8Array(bytes))
  } catch {
    return undefined
  }
}

// A character `encodeURIComponent` changes.
const ENCODED = /[^A-Za-z0-9\-_.!~*'()]/

/**
 * `encodeURIComponent` without its exception: a lone surrogate gives undefined.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (value: string): string | undefined => {
  if (!ENCODED.test(value)) return value // nothing to encode
  try {
    return encodeURIComponent(value)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Scanners
// ---------------------------------------------------------------------------------------------

/**
 * What a scanner reports, in order: the steps a `Part` describes. `parse` builds the dictionary
 * from these calls directly; `scan` collects them as parts.
 *
 * @since 0.1.0
 * @category scanning
 */
export interface ScanSink {
  readonly key: (start: number, end: number, equals: number) => void
  /** `keyStart` is -1 for a segment stored under "" (no pending key). */
  readonly value: (keyStart: number, keyEnd: number, start: number, end: number) => void
  readonly emptySegment: (comma: number) => void
}

const ignore = (): void => {}

const partsSink = (parts: Array<Part>): ScanSink => ({
  key: (start, end, equals) => parts.push({ _tag: "Key", start, end, equals }),
  value: (keyStart, keyEnd, start, end) =>
    parts.push({ _tag: "Value", key: keyStart < 0 ? undefined : { start: keyStart, end: keyEnd }, start, end }),
  emptySegment: (comma) => parts.push({ _tag: "EmptySegment", comma })
})

/**
 * The server's scan (Jellyfin's `GetParts`) of `input` from `from`: one pass with three pieces of
 * state (inside quotes, segment start, pending key). A `"` toggles the quotes; outside them, `=`
 * sets the pending key to the trimmed text before it, and `,` stores the segment before it under
 * the pending key. It never fails: an unterminated quote runs to the end, and its offset is
 * returned (-1: none).
 *
 * @since 0.1.0
 * @category scanning
 */
export const walkCompat = (
  input: string,
  from: number,
  grammar: Pick<Grammar, "keyTrimming" | "emptySegment">,
  sink: ScanSink
): number => {
  const isKeySpace = grammar.keyTrimming === "dotnet"
    ? isDotnetWhiteSpace
    : grammar.keyTrimming === "ecmascript"
    ? isEcmaWhiteSpace
    : () => false
  let start = from
  let keyStart = -1 // the pending key, or -1
  let keyEnd = -1
  for (let i = from; i < input.length; i++) {
    const c = input.charCodeAt(i)
    if (c === 34) {
      // Inside quotes only the closing quote matters.
      const close = input.indexOf("\"", i + 1)
      if (close < 0) {
        if (start < input.length) sink.value(keyStart, keyEnd, start, input.length)
        return i
      }
      i = close
    } else if (c === 44) {
      if (start < i) {
        sink.value(keyStart, keyEnd, start, i)
        keyStart = keyEnd = -1
      } else {
        sink.emptySegment(i)
        if (grammar.emptySegment === "reset-key") keyStart = keyEnd = -1
      }
      start = i + 1
    } else if (c === 61) {
      keyStart = start
      keyEnd = i
      while (keyStart < keyEnd && isKeySpace(input.charCodeAt(keyStart))) keyStart++
      while (keyEnd > keyStart && isKeySpace(input.charCodeAt(keyEnd - 1))) keyEnd--
      sink.key(keyStart, keyEnd, i)
      start = i + 1
    }
  }
  if (start < input.length) sink.value(keyStart, keyEnd, start, input.length)
  return -1
}

/**
 * `walkCompat`'s steps as parts.
 *
 * @since 0.1.0
 * @category scanning
 */
export const scanCompat = (
  input: string,
  from: number,
  grammar: Pick<Grammar, "keyTrimming" | "emptySegment">
): { readonly parts: ReadonlyArray<Part>; readonly unterminatedQuote: number | undefined } => {
  const parts: Array<Part> = []
  const quote = walkCompat(input, from, grammar, partsSink(parts))
  return { parts, unterminatedQuote: quote < 0 ? undefined : quote }
}

// A run of value characters that need no further check: unreserved ones, `+`, and escapes of
// ASCII bytes (only bytes from 0x80 up can make the value invalid UTF-8).
const VALUE_RUN = /[-A-Za-z0-9_.!~*'()+]*(?:%[0-7][0-9A-Fa-f][-A-Za-z0-9_.!~*'()+]*)*/y

const fail = (code: ParseErrorCode, offset: number, message: string): ParseError => ({ code, offset, message })

/**
 * The documented grammar, from `from`: `OWS [ key "=" DQUOTE value DQUOTE *( "," OWS key "="
 * DQUOTE value DQUOTE ) ] OWS`, keys of ASCII letters and digits, each key once, values of
 * unreserved characters, `+` and `%XX` escapes of UTF-8. Reports the steps `walkCompat` would
 * report for the same input, and returns the first deviation, if any. `known` are the parameter
 * names, so that a key differing from one only in case is reported.
 *
 * @since 0.1.0
 * @category scanning
 */
export const walkStrict = (
  input: string,
  from: number,
  known: ReadonlyArray<string>,
  plusIsSpace: boolean,
  sink: ScanSink
): ParseError | undefined => {
  const n = input.length
  // A Set, not an array: a header may hold thousands of unknown keys (bench rows 5b and 5j).
  const seen = new Set<string>()
  let i = from
  while (i < n && isOws(input.charCodeAt(i))) i++
  if (i === n) return undefined
  for (;;) {
    const keyStart = i
    while (i < n && isAlphanumeric(input.charCodeAt(i))) i++
    if (i === keyStart) return fail("InvalidKey", i, "expected a key made of ASCII letters and digits")
    if (i === n || input.charCodeAt(i) !== 61) {
      return i < n && !isOws(input.charCodeAt(i)) && input.charCodeAt(i) !== 44
        ? fail("InvalidKey", i, "keys may only contain ASCII letters and digits")
        : fail("ExpectedEquals", i, "expected \"=\" directly after the key")
    }
    const keyEnd = i
    const key = input.slice(keyStart, keyEnd)
    if (seen.has(key)) return fail("DuplicateKey", keyStart, `the key ${key} appears more than once`)
    seen.add(key)
    const sameName = known.includes(key) ? undefined : known.find((name) => name.toLowerCase() === key.toLowerCase())
    if (sameName !== undefined) {
      return fail("KeyCase", keyStart, `keys are case-sensitive: the server reads ${sameName}, not ${key}`)
    }
    sink.key(keyStart, keyEnd, keyEnd)
    i++ // "="
    if (i === n || input.charCodeAt(i) !== 34) {
      return fail("UnquotedValue", i, `the value of ${key} must be wrapped in double quotes`)
    }
    const quote = i++
    let highBytes = false // escapes of bytes from 0x80 up, which must form valid UTF-8
    for (;;) {
      VALUE_RUN.lastIndex = i
      VALUE_RUN.test(input)
      i = VALUE_RUN.lastIndex
      const c = input.charCodeAt(i)
      if (i === n || c === 34) break
      if (c !== 37) {
        const hex = c.toString(16).toUpperCase().padStart(4, "0")
        return fail("InvalidCharacter", i, `the value of ${key} holds U+${hex}, which must be percent-encoded`)
      }
      if (i + 2 >= n || hexValue(input.charCodeAt(i + 1)) < 0 || hexValue(input.charCodeAt(i + 2)) < 0) {
        return fail("InvalidPercentEncoding", i, "\"%\" must be followed by two hexadecimal digits")
      }
      highBytes = true
      i += 3
    }
    if (i === n) return fail("UnterminatedQuote", quote, `the value of ${key} has no closing quote`)
    if (highBytes && decode(input.slice(quote + 1, i), plusIsSpace, true) === undefined) {
      return fail("InvalidUtf8", quote + 1, `the percent-encoded bytes of ${key} are not valid UTF-8`)
    }
    i++ // closing quote
    sink.value(keyStart, keyEnd, quote, i)
    const afterQuote = i
    while (i < n && isOws(input.charCodeAt(i))) i++
    if (i === n) return undefined
    if (input.charCodeAt(i) !== 44) return fail("ExpectedComma", i, "expected \",\" between parameters")
    // The server keeps `" ` before a comma in the value (`Token="abc" ,` reads `abc" `). At the
    // very end it is harmless: HTTP servers trim it.
    if (i > afterQuote) {
      return fail(
        "ExpectedComma",
        afterQuote,
        "expected \",\" directly after the closing quote: the server keeps white space before the comma in the value"
      )
    }
    const comma = i++
    while (i < n && isOws(input.charCodeAt(i))) i++
    if (i === n) return fail("TrailingComma", comma, "the parameter list must not end with \",\"")
  }
}

// ---------------------------------------------------------------------------------------------
// The algorithm bound to a spec's tables
// ---------------------------------------------------------------------------------------------

/**
 * What `make` gives: the algorithm, typed by the tables' names. A generated module exports these
 * five functions as they are (`export const { parse, scan, format, validate, extract } =
 * Runtime.make(tables)`), so their documentation lives here, once.
 *
 * @since 0.1.0
 * @category models
 */
export interface Runtime<T extends Tables> {
  /**
   * Parses a header value (`<scheme> <parameters>`): `strict` follows the documented grammar,
   * `compat` (the default) reads what the server reads.
   */
  readonly parse: (value: string, options?: ParseOptions) => Result<ParsedHeader<T>, ParseError>
  /** The scan behind `parse`: every key and raw value with its offsets. */
  readonly scan: (value: string, options?: ParseOptions) => Result<Scan<T>, ParseError>
  /**
   * Writes a header value in a format style (default `canonical`: declared order, quoted,
   * percent-encoded).
   */
  readonly format: (params: Params<T>, options?: FormatOptions<T>) => Result<string, FormatError>
  /** What the server would object to for this operation. */
  readonly validate: (params: Params<T>, operation: OperationName<T>) => ReadonlyArray<ValidationIssue>
  /**
   * Which token the server would validate and from where, which header gives the client info,
   * and what looks wrong.
   */
  readonly extract: (request: RequestLike, options: ExtractOptions<T>) => Extraction<T>
}

/**
 * Binds the algorithm to a spec's tables.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const T extends Tables>(tables: T): Runtime<T> => {
  type Scheme = SchemeName<T>
  const { grammar, parameters, schemes } = tables
  const plusIsSpace = grammar.valueDecoding === "form-urlencoded"
  const parameterNames: ReadonlyArray<ParameterName<T>> = parameters.map((p) => p.name)
  const defaultScheme = (schemes.find((s) => !s.legacy) ?? schemes[0])?.name ?? ""

  // Where `char` next stands at or after `from`, or the input's length when it never does again.
  const nextIndex = (input: string, char: string, from: number): number => {
    const at = input.indexOf(char, from)
    return at < 0 ? input.length : at
  }

  // The scanner of a mode over s[from, …]; returns the first deviation (strict only).
  const walk = (value: string, from: number, mode: ParseMode | undefined, sink: ScanSink): number | ParseError =>
    mode === "strict" ? walkStrict(value, from, parameterNames, plusIsSpace, sink) ?? -1 : walkCompat(value, from, grammar, sink)

  // The scheme `value` starts with (the name as the tables spell it), or why none is read.
  const schemeOf = (value: string, legacy: boolean): Scheme | ParseError => {
    const space = value.indexOf(" ")
    if (space < 0) {
      return { code: "MissingScheme", offset: value.length, message: "there is no space after the scheme, so no parameters are read" }
    }
    if (space === 0) return { code: "MissingScheme", offset: 0, message: "the value starts with a space, so the scheme is empty" }
    const scheme = schemes.find((s) =>
      s.name.length === space &&
      (value.startsWith(s.name) || (grammar.schemeMatching === "case-insensitive" && startsWithIgnoreAsciiCase(value, s.name)))
    )
    if (scheme === undefined) {
      const names = schemes.map((s) => s.name).join(", ")
      return {
        code: "UnknownScheme",
        offset: 0,
        message: `the scheme (the ${space} characters before the first space) is not one of: ${names}`
      }
    }
    if (scheme.legacy && !legacy) {
      return {
        code: "LegacySchemeDisabled",
        offset: 0,
        message: `the ${scheme.name} scheme is only accepted while legacy authorization is enabled`
      }
    }
    return scheme.name
  }

  const scan = (value: string, options?: ParseOptions): Result<Scan<T>, ParseError> => {
    const scheme = schemeOf(value, options?.legacy ?? true)
    if (typeof scheme !== "string") return err(scheme)
    const parts: Array<Part> = []
    // The scheme's name is as long as the text before the space.
    const walked = walk(value, scheme.length + 1, options?.mode, partsSink(parts))
    if (typeof walked !== "number") return err(walked)
    return ok({ scheme, parts, unterminatedQuote: walked < 0 ? undefined : walked })
  }

  const parse = (value: string, options?: ParseOptions): Result<ParsedHeader<T>, ParseError> => {
    const scheme = schemeOf(value, options?.legacy ?? true)
    if (typeof scheme !== "string") return err(scheme)
    const dictionary = new Map<string, string>()
    // Where the next "%" and the next "+" (when it reads as a space) are: each is searched again
    // only once a value starts after it, so the whole header costs one pass for each character,
    // however many values hold neither.
    const decodes = grammar.valueDecoding !== "none"
    let percent = decodes ? -1 : value.length
    let plus = decodes && plusIsSpace ? -1 : value.length
    const walked = walk(value, scheme.length + 1, options?.mode, {
      key: ignore,
      value: (keyStart, keyEnd, start, end) => {
        const key = keyStart < 0 ? "" : value.slice(keyStart, keyEnd)
        if (grammar.duplicateKeys === "first" && dictionary.has(key)) return
        // The value without its leading and trailing quotes, decoded.
        while (start < end && value.charCodeAt(start) === 34) start++
        while (end > start && value.charCodeAt(end - 1) === 34) end--
        if (percent < start) percent = nextIndex(value, "%", start)
        if (plus < start) plus = nextIndex(value, "+", start)
        const raw = value.slice(start, end)
        dictionary.set(key, percent < end || plus < end ? decode(raw, plusIsSpace) ?? raw : raw)
      },
      emptySegment: ignore
    })
    if (typeof walked !== "number") return err(walked)
    const params: { -readonly [K in ParameterName<T>]?: string } = {}
    for (const name of parameterNames) {
      const v = dictionary.get(name)
      if (v !== undefined) params[name] = v
    }
    return ok({ scheme, params, dictionary })
  }

  // Each style's parameters with the text written before their value: `name="` for the first one
  // written, `"<separator>name="` (the previous value's closing quote included) for the others.
  const styles = new Map(tables.formatStyles.map((style) => [style.name, {
    absent: style.absent,
    fields: style.order.map((name) => ({ name, first: `${name}="`, next: `"${style.separator}${name}="` }))
  }]))
  const schemeNames: ReadonlyArray<string> = schemes.map((s) => s.name)

  const format = (params: Params<T>, options?: FormatOptions<T>): Result<string, FormatError> => {
    const style = styles.get(options?.style ?? "canonical")
    if (style === undefined) return err({ code: "UnknownStyle", parameter: "style", message: "unknown format style" })
    const scheme = options?.scheme ?? defaultScheme
    if (!schemeNames.includes(scheme)) {
      return err({ code: "UnknownScheme", parameter: "scheme", message: `the scheme must be one of: ${schemeNames.join(", ")}` })
    }
    const values: Readonly<Record<string, string | undefined>> = params
    let header = ""
    for (const { first, name, next } of style.fields) {
      const raw = values[name]
      if (raw === undefined && style.absent === "omit") continue
      const encoded = raw === undefined ? "" : encode(raw)
      if (encoded === undefined) {
        return err({
          code: "UnencodableValue",
          parameter: name,
          message: `the value of ${name} contains a lone UTF-16 surrogate, which has no UTF-8 encoding`
        })
      }
      header += (header === "" ? first : next) + encoded
    }
    return ok(header === "" ? `${scheme} ` : `${scheme} ${header}"`)
  }

  const validate = (params: Params<T>, operation: OperationName<T>): ReadonlyArray<ValidationIssue> => {
    const values: Readonly<Record<string, string | undefined>> = params
    const issues: Array<ValidationIssue> = []
    if (!tables.operations.some((o) => o.name === operation)) {
      issues.push({ code: "UnknownOperation", message: `unknown operation ${operation}` })
    }
    for (const p of parameters) {
      const v = values[p.name]
      if (p.requiredFor.includes(operation) && (v === undefined || v === "")) {
        issues.push({ code: "MissingParameter", parameter: p.name, message: `${p.name} is required for ${operation}` })
      } else if (v === "" && p.nonEmpty) {
        issues.push({ code: "EmptyValue", parameter: p.name, message: `${p.name} must not be empty` })
      }
      if (p.name === tables.tokenParameter && v !== undefined && v !== "" && isWhiteSpaceOnly(v)) {
        issues.push({
          code: "WhiteSpaceToken",
          parameter: p.name,
          message: `a white-space-only ${p.name} blocks every other token source yet counts as no token`
        })
      }
      if (v !== undefined && encode(v) === undefined) {
        issues.push({ code: "UnencodableValue", parameter: p.name, message: `the value of ${p.name} contains a lone UTF-16 surrogate` })
      }
    }
    for (const key of Object.keys(values)) {
      if (parameterNames.includes(key)) continue
      issues.push(
        /^[A-Za-z0-9]+$/.test(key)
          ? { code: "UnknownParameter", parameter: key, message: `the server does not read ${key}` }
          : { code: "InvalidKey", parameter: key, message: "keys may only contain ASCII letters and digits" }
      )
    }
    return issues
  }

  const reading = readingOf(tables)
  const extract = (request: RequestLike, options: ExtractOptions<T>): Extraction<T> =>
    extractWith(tables, reading, parse, request, options)

  return { parse, scan, format, validate, extract }
}

// ---------------------------------------------------------------------------------------------
// extract
// ---------------------------------------------------------------------------------------------

// Nothing: what `collect` finds in an absent part of a request.
const none: ReadonlyMap<string, ReadonlyArray<string>> = new Map()

// What a request carries under each name `extract` looks for (the server's StringValues): every
// value under a name equal to it ignoring ASCII case, in the record's order, by the name as the
// tables spell it. One pass over the record; a name is compared only with the wanted names of its
// length.
const collect = (
  record: Readonly<Record<string, HeaderValue>> | undefined,
  wanted: ReadonlyMap<number, ReadonlyArray<string>>
): ReadonlyMap<string, ReadonlyArray<string>> => {
  if (record === undefined) return none
  let into: Map<string, Array<string>> | undefined
  for (const name of Object.keys(record)) {
    const value = record[name]
    const sameLength = wanted.get(name.length)
    // An empty list of values is no value (a name the request does not carry).
    if (value === undefined || (typeof value !== "string" && value.length === 0) || sameLength === undefined) continue
    for (const key of sameLength) {
      if (!equalsIgnoreAsciiCase(name, key)) continue
      into ??= new Map()
      const values = into.get(key) ?? []
      if (typeof value === "string") values.push(value)
      else values.push(...value)
      into.set(key, values)
    }
  }
  return into ?? none
}

// Every name of a header or query parameter that the tables read, once, by length.
const namesOf = (tables: Tables, kind: "header" | "query"): ReadonlyMap<number, ReadonlyArray<string>> => {
  const names = new Set([
    ...tables.transports.filter((t) => t.kind === kind).map((t) => t.key),
    ...(tables.separateValues ?? []).flatMap((v) => v[kind] ?? [])
  ])
  const byLength = new Map<number, Array<string>>()
  for (const name of names) byLength.set(name.length, [...byLength.get(name.length) ?? [], name])
  return byLength
}

// The tables as `extract` reads them: the names to look for in each part of a request, each
// profile's orders resolved to transports (a transport the token order names twice is read once),
// and, per parameter other than the token, where its separate values travel, in the order the
// profile reads them (every kind, for a profile that reads none, to report them unread).
const readingOf = <T extends Tables>(tables: T) => {
  type Transport = T["transports"][number]
  const named = (name: string): ReadonlyArray<Transport> => tables.transports.filter((t) => t.name === name)
  const sources = (order: ReadonlyArray<SourceTable>) =>
    order.flatMap((source) => named(source.transport).map((transport) => ({ transport, gated: source.gatedByLegacy })))
  const parameters: ReadonlyArray<ParameterName<T>> = tables.parameters.map((p) => p.name).filter((name) =>
    name !== tables.tokenParameter
  )
  return {
    wanted: { header: namesOf(tables, "header"), query: namesOf(tables, "query") },
    profiles: new Map(tables.profiles.map((profile) => {
      const tokenOrder = sources(profile.tokenOrder).filter((s, i, all) => all.findIndex((x) => x.transport === s.transport) === i)
      return [profile.name, {
        profile,
        schemeOrder: sources(profile.schemeHeaderOrder),
        tokenOrder,
        unread: tables.transports.filter((t) => !tokenOrder.some((s) => s.transport === t)),
        parameters: parameters.map((parameter) => {
          const table = tables.separateValues?.find((v) => v.parameter === parameter)
          const sources = (profile.separateValues?.read ?? ["header", "query"]).flatMap((via) => {
            const name = table?.[via]
            // A header value is percent-encoded where the table says so.
            const decodes = via === "header" && table?.headerEncoding === "percent" && tables.grammar.valueDecoding !== "none"
            return name === undefined ? [] : [{ via, name, decodes }]
          })
          return { parameter, sources }
        })
      }]
    }))
  }
}

type ProfileReading<T extends Tables> = NonNullable<ReturnType<ReturnType<typeof readingOf<T>>["profiles"]["get"]>>

const extractWith = <T extends Tables>(
  tables: T,
  reading: ReturnType<typeof readingOf<T>>,
  parse: (value: string, options?: ParseOptions) => Result<ParsedHeader<T>, ParseError>,
  request: RequestLike,
  options: ExtractOptions<T>
): Extraction<T> => {
  type Transport = T["transports"][number]
  const { grammar, tokenParameter, transports } = tables
  const warnings: Array<Warning<T>> = []
  const compiled = reading.profiles.get(options.profile)
  if (compiled === undefined) {
    warnings.push({ code: "UnknownProfile", message: "unknown profile: nothing is read" })
    return { token: undefined, hasToken: false, authorization: undefined, candidates: [], warnings, parameters: {}, parameterValues: [] }
  }
  const { profile } = compiled
  if (profile.legacyDefault === null && options.legacy !== undefined) {
    warnings.push({ code: "NoLegacySwitch", message: `${profile.name} has no legacy switch; every transport it knows is read` })
  }
  const legacy = profile.legacyDefault === null ? true : options.legacy ?? profile.legacyDefault

  const values = { header: collect(request.headers, reading.wanted.header), query: collect(request.query, reading.wanted.query) }
  const valuesFor = (t: Transport): ReadonlyArray<string> => (t.kind === "header" ? values.header : values.query).get(t.key) ?? []
  const joined = (t: Transport): string | undefined => {
    const v = valuesFor(t)
    return v.length === 0 ? undefined : v.join(grammar.repeatedValueSeparator)
  }
  // Each scheme header's first value, parsed as if it were read (with legacy on), once.
  const parsed = new Map<Transport, Result<ParsedHeader<T>, ParseError>>()
  const parsedAt = (t: Transport): Result<ParsedHeader<T>, ParseError> | undefined => {
    const first = t.carries === "scheme" ? valuesFor(t)[0] : undefined
    if (first === undefined) return undefined
    const result = parsed.get(t) ?? parse(first, { mode: "compat", legacy: true })
    parsed.set(t, result)
    return result
  }
  const tokenIn = (t: Transport): string | undefined => {
    if (t.carries === "token") return joined(t)
    const p = parsedAt(t)
    const params: Readonly<Record<string, string | undefined>> | undefined = p?._tag === "Ok" ? p.value.params : undefined
    return params?.[tokenParameter]
  }
  const deprecated = (t: Transport): Warning<T> => ({
    code: "DeprecatedTransport",
    message: `${t.name} is deprecated${t.replacement === undefined ? "" : `; use ${t.replacement}`}`,
    transport: t.name
  })

  // 1. The scheme header: the first in order, falling back to the next only while the joined
  //    value is absent or empty. Gated headers are skipped while legacy is off. Only the first
  //    value of the chosen header is parsed.
  const order = compiled.schemeOrder
  let chosenAt = -1
  for (let k = 0; k < order.length; k++) {
    const { gated, transport } = order[k]!
    if (gated && !legacy) {
      if (valuesFor(transport).some((v) => v !== "")) {
        warnings.push({
          code: "LegacyDisabled",
          message: `${transport.name} is ignored while legacy authorization is disabled: no client info or token is read from it`,
          transport: transport.name
        })
      }
      continue
    }
    chosenAt = k
    const v = joined(transport)
    if (v !== undefined && v !== "") break
  }
  const chosen = chosenAt < 0 ? undefined : order[chosenAt]!.transport
  let authorization: Extraction<T>["authorization"] = undefined
  const first = chosen === undefined ? undefined : valuesFor(chosen)[0]
  if (chosen !== undefined && first !== undefined) {
    const count = valuesFor(chosen).length
    if (count > 1) {
      warnings.push({
        code: "ExtraSchemeHeaderValues",
        message: `${chosen.name} was sent ${count} times; only the first is read`,
        transport: chosen.name
      })
    }
    const result = legacy ? parsedAt(chosen)! : parse(first, { mode: "compat", legacy: false })
    if (result._tag === "Ok") authorization = schemeHeader(chosen, result.value)
    else if (first !== "") {
      warnings.push({
        code: result.error.code === "LegacySchemeDisabled" ? "LegacyDisabled" : "UnreadableSchemeHeader",
        message: `${chosen.name} gives no client info and no token: ${result.error.message}`,
        transport: chosen.name
      })
      // A foreign credential (a proxy's Basic, a wrong scheme) hides a usable later header.
      for (const { gated, transport } of order.slice(chosenAt + 1)) {
        if ((gated && !legacy) || parsedAt(transport)?._tag !== "Ok") continue
        warnings.push({
          code: "SchemeHeaderHidden",
          message: `${chosen.name} is not empty, so ${transport.name} is never read although it holds a usable header`,
          transport: transport.name
        })
      }
    }
  }

  // 2. The token: the first non-empty value in the profile's order ("" falls through).
  const candidates: Array<Candidate<T>> = []
  let token: Extraction<T>["token"] = undefined
  for (const { gated, transport: t } of compiled.tokenOrder) {
    const value = tokenIn(t)
    if (value === undefined) continue
    let ignored: IgnoredReason | undefined
    if (gated && !legacy) ignored = "LegacyDisabled"
    else if (t.carries === "scheme" && (authorization === undefined || t !== chosen)) {
      // Not the header that was read: hidden by it, or read but refused for its legacy scheme.
      ignored = t === chosen && !legacy ? "LegacyDisabled" : "Shadowed"
    } else if (token !== undefined) ignored = "Shadowed"
    if (ignored === undefined && value !== "") token = { value, transport: t.name }
    candidates.push(ignored === undefined ? { transport: t.name, value } : { transport: t.name, value, ignored })
    const count = valuesFor(t).length
    if (t.carries === "token" && count > 1) {
      warnings.push({
        code: "RepeatedValues",
        message: `${t.name} was sent ${count} times; the server joins the values with "${grammar.repeatedValueSeparator}" into one token`,
        transport: t.name
      })
    }
  }
  for (const t of compiled.unread) {
    const value = tokenIn(t)
    if (value !== undefined) candidates.push({ transport: t.name, value, ignored: "NotReadByProfile" })
  }

  // 3. Warnings about the transports in use.
  if (authorization !== undefined && chosen !== undefined && profile.warnDeprecated && chosen.deprecated) {
    warnings.push(deprecated(chosen))
  }
  for (const candidate of candidates) {
    const t = transports.find((x) => x.name === candidate.transport)!
    if (candidate.ignored === "LegacyDisabled" && t.carries === "token") {
      warnings.push({ code: "LegacyDisabled", message: `${t.name} is ignored while legacy authorization is disabled`, transport: t.name })
    }
    if (candidate.ignored !== undefined || t.carries === "scheme") continue
    if (t.deprecated && profile.warnDeprecated) warnings.push(deprecated(t))
    if (t.kind === "query" && candidate.value !== "") {
      const instead = t.replacement === undefined ? "" : `; prefer ${t.replacement}`
      warnings.push({
        code: "TokenInQuery",
        message: `a token in the ${t.name} query parameter leaks into logs and history${instead}`,
        transport: t.name
      })
    }
  }
  const sent = candidates.filter((c) => c.value !== "")
  if (sent.length > 1) {
    const distinct = new Set(sent.map((c) => c.value)).size
    warnings.push({
      code: "MultipleTokens",
      message: `${sent.length} tokens were sent (${distinct === 1 ? "all equal" : `${distinct} different values`}); ` +
        `the server validates ${token === undefined ? "none of them" : `only the one from ${token.transport}`}`
    })
  }
  const hasToken = token !== undefined && !isWhiteSpaceOnly(token.value)
  if (token !== undefined && !hasToken) {
    warnings.push({
      code: "WhiteSpaceToken",
      message: `the token from ${token.transport} is white space only: it blocks every later source, yet the request is anonymous`,
      transport: token.transport
    })
  }
  const { parameterValues, parameters } = parametersOf(tables, compiled, values, authorization, warnings)
  return { token, hasToken, authorization, candidates, warnings, parameters, parameterValues }
}

const describeValue = (v: { readonly parameter: string; readonly via: string; readonly name: string }): string =>
  v.via === "scheme" ? `${v.name}'s ${v.parameter}` : `the ${v.name} ${v.via === "header" ? "header" : "query parameter"}`

// 4. The parameters other than the token: per parameter, the scheme header's value and the separate
//    values in the profile's precedence, the first non-empty one taken.
const parametersOf = <T extends Tables>(
  tables: T,
  compiled: ProfileReading<T>,
  values: { readonly header: ReadonlyMap<string, ReadonlyArray<string>>; readonly query: ReadonlyMap<string, ReadonlyArray<string>> },
  authorization: Extraction<T>["authorization"],
  warnings: Array<Warning<T>>
): Pick<Extraction<T>, "parameters" | "parameterValues"> => {
  type Value = Omit<ParameterValue<T>, "ignored">
  const { grammar } = tables
  const { profile } = compiled
  const reading = profile.separateValues
  const inScheme: Readonly<Record<string, string | undefined>> = authorization?.header.params ?? {}
  const parameters: { -readonly [K in ParameterName<T>]?: string } = {}
  const parameterValues: Array<ParameterValue<T>> = []
  const unread: Array<string> = []
  for (const { parameter, sources } of compiled.parameters) {
    const inHeader = inScheme[parameter]
    const read: Array<Value> = authorization === undefined || inHeader === undefined
      ? []
      : [{ parameter, value: inHeader, via: "scheme", name: authorization.transport }]
    const separate: Array<Value> = []
    for (const { decodes, name, via } of sources) {
      const sent = (via === "header" ? values.header : values.query).get(name)
      if (sent === undefined) continue
      const raw = sent.join(grammar.repeatedValueSeparator)
      const value = decodes ? decode(raw, grammar.valueDecoding === "form-urlencoded") ?? raw : raw
      separate.push({ parameter, value, via, name })
    }
    if (reading?.precedence === "scheme-header") read.push(...separate)
    else if (reading?.precedence === "separate-values") read.unshift(...separate)
    const taken = read.find((v) => v.value !== "") ?? read[0]
    if (taken !== undefined) parameters[parameter] = taken.value
    for (const v of read) {
      parameterValues.push(v === taken ? v : { ...v, ignored: "Shadowed" })
      if (v !== taken && taken !== undefined && v.value !== "" && v.value !== taken.value) {
        warnings.push({
          code: "ConflictingValues",
          message: `${describeValue(v)} differs from ${describeValue(taken)}; the server takes ${describeValue(taken)}`
        })
      }
    }
    if (reading === undefined) {
      for (const v of separate) {
        parameterValues.push({ ...v, ignored: "NotReadByProfile" })
        unread.push(v.name)
      }
    }
  }
  if (unread.length > 0) {
    warnings.push({
      code: "SeparateValuesNotRead",
      message: `${profile.name} does not read ${unread.join(", ")}: send these values inside the scheme header`
    })
  }
  return { parameters, parameterValues }
}

// A transport that carries the scheme, with its parse: `carries` narrows the transport's name.
const schemeHeader = <T extends Tables>(
  transport: T["transports"][number],
  header: ParsedHeader<T>
): Extraction<T>["authorization"] =>
  transport.carries === "scheme" ? { transport: transport.name, header } : undefined
