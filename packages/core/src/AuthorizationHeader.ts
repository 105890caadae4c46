/**
 * The `MediaBrowser` authorization header as Effects: parse it exactly as Jellyfin does, format it
 * the way the servers and SDKs expect, read it from and write it to `Headers`, and Schema codecs.
 *
 * The parsing and formatting are the generated, spec-driven functions of
 * `generated/MediaBrowserAuthorization.ts`; this module adds typed errors, `Redacted` tokens and
 * Effect/Schema integration. Two parse modes:
 *
 * - `"compat"` (default) reads the header exactly as the server does (unquoted values, duplicate
 *   keys with the last one winning, unterminated quotes …) and fails only where the server would
 *   find no parameters at all (no scheme, unknown scheme, a legacy scheme while legacy is off).
 * - `"strict"` also rejects what a well-behaved client never sends.
 *
 * The token is `Redacted` in every result, and errors show the input with every possible secret
 * masked.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Redacted from "effect/Redacted"
 * import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
 *
 * const program = Effect.gen(function*() {
 *   const header = yield* AuthorizationHeader.format({
 *     Client: "My App", Version: "1.0.0", Device: "Laptop", DeviceId: "abc", Token: Redacted.make("secret")
 *   })
 *   // Redacted.value(header) === 'MediaBrowser Token="secret", Client="My%20App", Version="1.0.0", DeviceId="abc", Device="Laptop"'
 *   const parsed = yield* AuthorizationHeader.parse(Redacted.value(header))
 *   return parsed.params.Client // "My App"
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Generated from "./generated/MediaBrowserAuthorization.js"
import * as GeneratedSchema from "./generated/MediaBrowserAuthorizationSchema.js"
import * as internal from "./internal/parsedHeader.js"
import { maskHeader } from "./internal/redaction.js"

/**
 * The parameters of the header, as the server reads them (exact-case keys): `Token` (a `Redacted`),
 * `Client`, `Version`, `DeviceId`, `Device`, `UserId`, each optional.
 *
 * @since 0.1.0
 * @category models
 */
export type Params = GeneratedSchema.Params

/**
 * A parsed header.
 *
 * @since 0.1.0
 * @category models
 */
export interface ParsedHeader {
  /** The canonical name of the scheme that matched: `"MediaBrowser"` or `"Emby"`. */
  readonly scheme: SchemeName
  /** The known parameters. */
  readonly params: Params
  /**
   * Every key the server's dictionary holds (unknown keys, the `""` key …), with every value
   * `Redacted`: a misspelt `token=` is still a secret.
   */
  readonly dictionary: ReadonlyMap<string, Redacted.Redacted<string>>
}

/**
 * `"compat"` reads the header as the server does; `"strict"` also rejects what no well-behaved client sends.
 *
 * @since 0.1.0
 * @category models
 */
export type ParseMode = Generated.ParseMode

/**
 * @since 0.1.0
 * @category models
 */
export interface ParseOptions {
  /** Default `"compat"`. */
  readonly mode?: ParseMode | undefined
  /**
   * Whether the legacy `Emby` scheme is accepted, i.e. the server's `EnableLegacyAuthorization`.
   * Default `true` (Jellyfin ≤ 10.11 and Emby accept it; Jellyfin 12 does not by default).
   */
  readonly legacy?: boolean | undefined
}

/**
 * `"canonical"`: spec order, every value quoted and percent-encoded, absent parameters omitted.
 * `"jellyfin-sdk"`: byte-identical to `@jellyfin/sdk`'s `getAuthorizationHeader`.
 *
 * @since 0.1.0
 * @category models
 */
export type FormatStyle = Generated.FormatStyle

/**
 * @since 0.1.0
 * @category models
 */
export interface FormatOptions {
  /** Default `"canonical"`. */
  readonly style?: FormatStyle | undefined
  /** Default `"MediaBrowser"`. */
  readonly scheme?: SchemeName | undefined
}

/**
 * A scheme name: `"MediaBrowser"`, or the legacy `"Emby"`.
 *
 * @since 0.1.0
 * @category models
 */
export type SchemeName = Generated.SchemeName

/**
 * The name of a header that carries the scheme and client information.
 *
 * @since 0.1.0
 * @category models
 */
export type SchemeHeader = Generated.SchemeHeaderName

/**
 * The header could not be parsed. The message shows where, on a copy of the input whose secrets are
 * masked with `*` (so the caret still points at the right place):
 *
 * ```text
 * Invalid MediaBrowser authorization header: unknown scheme (UnknownScheme at offset 0)
 *   Bearer ******
 *   ^
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthorizationParseError extends Schema.TaggedError<AuthorizationParseError>(
  "@mbauth/core/AuthorizationHeader/AuthorizationParseError"
)("AuthorizationParseError", {
  /** The generator's error code, e.g. `"UnknownScheme"`, `"LegacySchemeDisabled"`, `"UnquotedValue"`. */
  code: Schema.String,
  /** What went wrong, in words. */
  description: Schema.String,
  /** The offset in the input (UTF-16 code units) where it went wrong. */
  offset: Schema.Number,
  /** A one-line excerpt of the input around `offset`, every possible secret masked with `*`. */
  excerpt: Schema.String,
  /** The column of `offset` in `excerpt`. */
  column: Schema.Number
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Invalid MediaBrowser authorization header: ${this.description} (${this.code} at offset ${this.offset})\n` +
      `  ${this.excerpt}\n  ${" ".repeat(this.column)}^`
  }
}

/**
 * The parameters cannot be written as a header (e.g. a value with an unpaired surrogate).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthorizationFormatError extends Schema.TaggedError<AuthorizationFormatError>(
  "@mbauth/core/AuthorizationHeader/AuthorizationFormatError"
)("AuthorizationFormatError", {
  code: Schema.String,
  /** The parameter whose value is the problem, e.g. `"Device"`. */
  parameter: Schema.String,
  description: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Cannot format the MediaBrowser authorization header: ${this.description} (${this.code}, ${this.parameter})`
  }
}

/**
 * A header from the generated parser as a {@link ParsedHeader}: the spec's secret parameters and
 * every dictionary value wrapped in `Redacted`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const fromGenerated = (header: Generated.ParsedHeader): ParsedHeader => internal.fromGenerated(header, Redacted.make)

/**
 * {@link Params} as the generated formatter takes them: the secret parameters revealed, to be
 * written into a header.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toGenerated = (params: Params): Generated.Params => {
  const plain: Record<string, string> = {}
  for (const { name } of Generated.PARAMETERS) {
    const value: string | Redacted.Redacted<string> | undefined = params[name]
    if (value !== undefined) plain[name] = Redacted.isRedacted(value) ? Redacted.value(value) : value
  }
  return plain as Generated.Params
}

// A one-line window of `text` around `offset` (at most `radius` characters each side) and the caret
// column in it.
const around = (text: string, offset: number, radius = 48): { readonly line: string; readonly column: number } => {
  const at = Math.max(0, Math.min(offset, text.length))
  const start = Math.max(0, at - radius)
  const end = Math.min(text.length, at + radius)
  const prefix = start > 0 ? "…" : ""
  const suffix = end < text.length ? "…" : ""
  // Control characters would break the caret's alignment (and the terminal).
  const body = text.slice(start, end).replace(/[\u0000-\u001f\u007f]/g, "?")
  return { line: prefix + body + suffix, column: prefix.length + (at - start) }
}

const toParseError = (input: string, error: Generated.ParseError): AuthorizationParseError => {
  const { column, line } = around(maskHeader(input), error.offset)
  return new AuthorizationParseError({
    code: error.code,
    // The generator's messages never quote the input's values.
    description: error.message,
    offset: error.offset,
    excerpt: line,
    column
  })
}

/**
 * Parses a header value as Jellyfin does.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse: (value: string, options?: ParseOptions | undefined) => Effect.Effect<
  ParsedHeader,
  AuthorizationParseError
> = Effect.fn("AuthorizationHeader.parse")(function*(value, options) {
  const result = Generated.parse(value, generatedParseOptions(options))
  return result._tag === "Ok" ? fromGenerated(result.value) : yield* toParseError(value, result.error)
})

const generatedParseOptions = (options: ParseOptions | undefined): Generated.ParseOptions => ({
  ...(options?.mode === undefined ? {} : { mode: options.mode }),
  ...(options?.legacy === undefined ? {} : { legacy: options.legacy })
})

const generatedFormatOptions = (options: FormatOptions | undefined): Generated.FormatOptions => ({
  ...(options?.style === undefined ? {} : { style: options.style }),
  ...(options?.scheme === undefined ? {} : { scheme: options.scheme })
})

const toFormatError = (error: Generated.FormatError): AuthorizationFormatError =>
  new AuthorizationFormatError({
    code: error.code,
    parameter: error.parameter,
    // The generator's messages name the parameter, never its value.
    description: error.message
  })

/**
 * Formats parameters as a header value. The result is `Redacted` because it contains the token (when
 * there is one); reveal it only where it is written to the wire.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format: (params: Params, options?: FormatOptions | undefined) => Effect.Effect<
  Redacted.Redacted<string>,
  AuthorizationFormatError
> = Effect.fn("AuthorizationHeader.format")(function*(params, options) {
  const result = Generated.format(toGenerated(params), generatedFormatOptions(options))
  return result._tag === "Ok" ? Redacted.make(result.value) : yield* toFormatError(result.error)
})

/**
 * Reads and parses the scheme header `options.header` (default `Authorization`) from `headers`;
 * `None` when the header is absent or empty.
 *
 * @since 0.1.0
 * @category headers
 */
export const fromHeaders: (
  headers: Headers.Headers,
  options?: ParseOptions & { readonly header?: SchemeHeader | undefined } | undefined
) => Effect.Effect<Option.Option<ParsedHeader>, AuthorizationParseError> = Effect.fn("AuthorizationHeader.fromHeaders")(
  function*(headers, options) {
    const value = Headers.get(headers, options?.header ?? "Authorization")
    if (Option.isNone(value) || value.value === "") return Option.none()
    return Option.some(yield* parse(value.value, options))
  }
)

/**
 * Formats `params` and sets the result as header `options.header` (default `Authorization`).
 *
 * @since 0.1.0
 * @category headers
 */
export const toHeaders: (
  headers: Headers.Headers,
  params: Params,
  options?: FormatOptions & { readonly header?: SchemeHeader | undefined } | undefined
) => Effect.Effect<Headers.Headers, AuthorizationFormatError> = Effect.fn("AuthorizationHeader.toHeaders")(
  function*(headers, params, options) {
    const value = yield* format(params, options)
    return Headers.set(headers, options?.header ?? "Authorization", Redacted.value(value))
  }
)

/**
 * Schema of {@link Params}: `Token` decodes from a string to a `Redacted` (the generated schema).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ParamsSchema: Schema.Schema<Params, Generated.Params> = GeneratedSchema.Params

/**
 * A codec between a header value and its {@link Params}: decoding parses (with `options`), encoding
 * formats. Decoding keeps only the known parameters, so encoding a decoded value gives the
 * canonical form of the header. A decoding failure carries the parse error's code, offset and
 * message, never the header. This is the generated codec: decoding a string costs the parse plus
 * wrapping the token in `Redacted`, with no second check of the parser's output (see the
 * generated `makeHeader` for how, and what `encodedSchema` gives).
 *
 * @example
 * ```ts
 * import * as Schema from "effect/Schema"
 * import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
 *
 * const Strict = AuthorizationHeader.schema({ mode: "strict" })
 * const params = Schema.decodeUnknownEither(Strict)('MediaBrowser Client="app", Version="1"')
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const schema = (options?: ParseOptions & FormatOptions | undefined): Schema.Schema<Params, string> =>
  GeneratedSchema.makeHeader({
    ...generatedParseOptions(options),
    ...generatedFormatOptions(options)
  })

/**
 * The codec with the server's (compat) parsing, legacy scheme accepted, canonical formatting.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FromString: Schema.Schema<Params, string> = GeneratedSchema.HeaderCompat

/**
 * The codec with strict parsing and canonical formatting.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FromStringStrict: Schema.Schema<Params, string> = GeneratedSchema.HeaderStrict
