/**
 * What a request carries: the token (`Redacted`), the transport it came in, and the client
 * information — read the way a chosen server profile reads it.
 *
 * Jellyfin looks for the token in several places (the `Authorization` header's `Token`, legacy
 * headers, the `ApiKey`/`api_key` query), in an order that depends on the version and on the
 * `EnableLegacyAuthorization` switch, and silently ignores what it does not read. {@link inspect}
 * gives that whole picture (never fails); {@link extract} gives the credentials the server would
 * validate or a typed reason why there are none. Both work on an @effect/platform
 * `HttpServerRequest` and on a plain `{ headers, query }`.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import * as Credentials from "@mbauth/core/Credentials"
 *
 * const request = {
 *   headers: { authorization: 'MediaBrowser Client="app", Version="1", DeviceId="d1", Device="pc"' },
 *   query: { ApiKey: "0123456789abcdef0123456789abcdef" }
 * }
 * const program = Effect.gen(function*() {
 *   const credentials = yield* Credentials.extract(request, { profile: "jellyfin-12" })
 *   return [credentials.transport, credentials.clientInfo.client] // ["ApiKey", "app"]
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { ParsedHeader, SchemeHeader } from "./AuthorizationHeader.js"
import * as ClientInfo from "./ClientInfo.js"
import * as Generated from "./generated/MediaBrowserAuthorization.js"
import { resolveLegacy } from "./internal/profiles.js"
import * as redaction from "./internal/redaction.js"

/**
 * A server profile: which server (and version) to read requests like.
 *
 * @since 0.1.0
 * @category models
 */
export type ProfileName = Generated.ProfileName

/**
 * A place a credential travels: a header (`Authorization`, `X-Emby-Authorization`, `X-Emby-Token`,
 * `X-MediaBrowser-Token`) or a query parameter (`ApiKey`, `api_key`).
 *
 * @since 0.1.0
 * @category models
 */
export type TransportName = Generated.TransportName

/**
 * A note the spec attaches to a request (deprecated transport, shadowed token, …). Never contains a
 * secret.
 *
 * @since 0.1.0
 * @category models
 */
export const Warning = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  transport: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "CredentialsWarning" })

/**
 * @since 0.1.0
 * @category models
 */
export type Warning = typeof Warning.Type

/**
 * The credentials a request carries, as the server reads them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  /** The token the server validates. Never empty or whitespace-only. */
  readonly token: Redacted.Redacted<string>
  /** Where the token came from. */
  readonly transport: TransportName
  /** The client information from the scheme header (fields the request did not send are absent). */
  readonly clientInfo: ClientInfo.Partial
  /** The header the client information came from, if any. */
  readonly schemeHeader: SchemeHeader | undefined
  /** What the spec notes about the request (deprecated transports, shadowed tokens …). */
  readonly warnings: ReadonlyArray<Warning>
}

/**
 * The credentials of the current request; `ServerAuthentication.middleware` provides it to handlers.
 *
 * @since 0.1.0
 * @category tags
 */
export const Credentials: Context.Tag<Credentials, Credentials> = Context.GenericTag<Credentials>(
  "@mbauth/core/Credentials"
)

/**
 * A request as plain data. Header and query names are matched case-insensitively (as the servers
 * do); a repeated header or parameter may be given as an array (the server joins the values with
 * `","`, except for the scheme header, where only the first counts).
 *
 * @since 0.1.0
 * @category models
 */
export type RequestLike = Generated.RequestLike

/**
 * What {@link inspect} and {@link extract} accept.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestInput = HttpServerRequest.HttpServerRequest | RequestLike

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The server to read the request like. */
  readonly profile: ProfileName
  /**
   * The server's `EnableLegacyAuthorization`. Default: the profile's default (`true` for
   * Jellyfin 10.11 and Emby, `false` for Jellyfin 12; Jellyfin 10.10 has no switch and reads every
   * legacy transport).
   */
  readonly legacy?: boolean | undefined
}

/**
 * Everything the server would see, including what it ignores. Token values are `Redacted`.
 *
 * An inspection is worked out as it is read: `profile`, `hasToken` and `warnings` are its own
 * properties, the other fields are getters that compute their value on first read and return
 * the same object on every read after. Read fields by name (or destructure them): spreading it,
 * `Object.keys`, `structuredClone` and deep-equality helpers (`assert.deepStrictEqual`, `toEqual`)
 * see only the three own properties. `JSON.stringify` and `util.inspect` show every field, with
 * secrets as `<redacted>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Inspection {
  readonly profile: ProfileName
  /** The legacy switch in effect. */
  readonly legacy: boolean
  /** The token the server would validate (the first non-empty one in the profile's order). */
  readonly token: { readonly value: Redacted.Redacted<string>; readonly transport: TransportName } | undefined
  /** `false` when there is no token or it is whitespace-only: the server treats the request as anonymous. */
  readonly hasToken: boolean
  /** The client information (from the scheme header the profile read). */
  readonly clientInfo: ClientInfo.Partial
  /** The scheme header the client information came from, and what it said. */
  readonly authorization: { readonly header: SchemeHeader; readonly parsed: ParsedHeader } | undefined
  /** Every token-carrying value present, in the profile's order, with why the server did not use it. */
  readonly candidates: ReadonlyArray<{
    readonly transport: TransportName
    readonly value: Redacted.Redacted<string>
    readonly ignored?: "LegacyDisabled" | "NotReadByProfile" | "Shadowed"
  }>
  readonly warnings: ReadonlyArray<Warning>
}

const toRequestLike = (input: RequestInput): RequestLike => {
  if (!(HttpServerRequest.TypeId in input)) return input
  const query: Record<string, string | Array<string>> = {}
  const mark = input.url.indexOf("?")
  if (mark >= 0) {
    const hash = input.url.indexOf("#", mark)
    for (const [name, value] of new URLSearchParams(input.url.slice(mark + 1, hash < 0 ? undefined : hash))) {
      const previous = query[name]
      query[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]
    }
  }
  return { headers: input.headers, query }
}

// ---------------------------------------------------------------------------------------------
// inspect builds its secrets lazily. `Redacted.make` registers the value in a WeakMap, about
// 0.3 µs a call on the benchmark machine, and an inspection holds the token several times (the
// token, its candidate, the parsed header's params and dictionary): wrapping them all up front cost
// three times the parse itself (bench row 4b). Each secret is wrapped on first read instead, once
// per inspection (every field holding the same value shares one `Redacted`), and the parsed
// header's `params` and `dictionary` are built on first read. The raw values sit in private
// fields, which no rendering shows (`JSON.stringify`, `util.inspect`, Effect's `Inspectable`);
// the renderings show the `Redacted` values, as the plain objects did.
// ---------------------------------------------------------------------------------------------

const NodeInspect = Symbol.for("nodejs.util.inspect.custom")

type IgnoredReason = "LegacyDisabled" | "NotReadByProfile" | "Shadowed"

// A token-carrying value of an inspection (a candidate, and the token, which is the candidate it
// came from: the same transport and value), its `Redacted` made on first read.
class InspectedValue {
  readonly transport: TransportName
  // Absent, not undefined, when the value was used (as in the plain object it replaces).
  declare readonly ignored?: IgnoredReason
  readonly #raw: string
  #redacted: Redacted.Redacted<string> | undefined
  constructor(transport: TransportName, raw: string, ignored: IgnoredReason | undefined) {
    this.transport = transport
    this.#raw = raw
    if (ignored !== undefined) (this as { ignored?: IgnoredReason }).ignored = ignored
  }
  get value(): Redacted.Redacted<string> {
    return this.#redacted ??= Redacted.make(this.#raw)
  }
  // Whether this is the value `raw` (then it shares its `Redacted`).
  holds(raw: string): boolean {
    return raw === this.#raw
  }
  toJSON(): unknown {
    return this.ignored === undefined
      ? { transport: this.transport, value: this.value }
      : { transport: this.transport, value: this.value, ignored: this.ignored }
  }
  [NodeInspect](): unknown {
    return this.toJSON()
  }
}

const tokenKey: string = Generated.TOKEN_PARAMETER

// The generated parse result with the token and every dictionary value `Redacted`, built on read.
class InspectedHeader implements ParsedHeader {
  readonly scheme: ParsedHeader["scheme"]
  readonly #header: Generated.ParsedHeader
  readonly #token: InspectedValue | undefined
  #params: ParsedHeader["params"] | undefined
  #dictionary: ParsedHeader["dictionary"] | undefined
  constructor(header: Generated.ParsedHeader, token: InspectedValue | undefined) {
    this.scheme = header.scheme
    this.#header = header
    this.#token = token
  }
  #secret(raw: string): Redacted.Redacted<string> {
    return this.#token !== undefined && this.#token.holds(raw) ? this.#token.value : Redacted.make(raw)
  }
  get params(): ParsedHeader["params"] {
    if (this.#params === undefined) {
      const params: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(this.#header.params)) {
        params[key] = key === tokenKey && value !== undefined ? this.#secret(value) : value
      }
      this.#params = params as ParsedHeader["params"]
    }
    return this.#params
  }
  get dictionary(): ParsedHeader["dictionary"] {
    if (this.#dictionary === undefined) {
      const dictionary = new Map<string, Redacted.Redacted<string>>()
      for (const [key, value] of this.#header.dictionary) dictionary.set(key, this.#secret(value))
      this.#dictionary = dictionary
    }
    return this.#dictionary
  }
  toJSON(): unknown {
    return { scheme: this.scheme, params: this.params, dictionary: this.dictionary }
  }
  [NodeInspect](): unknown {
    return this.toJSON()
  }
}

// The inspection. Only `profile`, `hasToken` and `warnings` are set when it is made (values the
// extraction already holds); the legacy switch, the token, the client information, the parsed
// header and the candidates are worked out from the generated extraction on first read, and the
// objects among them made once (the token is the same object on every read, and it is the
// candidate it came from). An inspection then costs one object instead of six until a field is
// read (bench row 4b: inspect cost 0.1–0.19× a parse more than `extract`, now 0.02–0.05×).
class LazyInspection implements Inspection {
  readonly profile: ProfileName
  readonly hasToken: boolean
  readonly warnings: ReadonlyArray<Warning>
  readonly #extraction: Generated.Extraction
  readonly #legacy: boolean | undefined
  // `null`: not worked out yet (`undefined` is a value of these fields).
  #token: InspectedValue | undefined | null = null
  #authorization: Inspection["authorization"] | null = null
  #clientInfo: ClientInfo.Partial | undefined
  #candidates: ReadonlyArray<InspectedValue> | undefined
  constructor(options: Options, extraction: Generated.Extraction) {
    this.profile = options.profile
    this.hasToken = extraction.hasToken
    // The generated warnings have exactly the fields of `Warning`.
    this.warnings = extraction.warnings
    this.#extraction = extraction
    this.#legacy = options.legacy
  }
  get legacy(): boolean {
    return resolveLegacy(this.profile, this.#legacy)
  }
  get token(): InspectedValue | undefined {
    if (this.#token === null) {
      const from = this.#extraction.token
      this.#token = from === undefined ? undefined : new InspectedValue(from.transport, from.value, undefined)
    }
    return this.#token
  }
  get clientInfo(): ClientInfo.Partial {
    const authorization = this.#extraction.authorization
    return this.#clientInfo ??= authorization === undefined ? {} : ClientInfo.fromParams(authorization.header.params)
  }
  get authorization(): Inspection["authorization"] {
    if (this.#authorization === null) {
      const authorization = this.#extraction.authorization
      this.#authorization = authorization === undefined
        ? undefined
        : { header: authorization.transport, parsed: new InspectedHeader(authorization.header, this.token) }
    }
    return this.#authorization
  }
  get candidates(): Inspection["candidates"] {
    if (this.#candidates === undefined) {
      const from = this.#extraction.candidates
      const token = this.token
      let shared = token === undefined
      const candidates = new Array<InspectedValue>(from.length)
      for (let i = 0; i < from.length; i++) {
        const c = from[i]!
        // The token is the first candidate read from its transport with its value: one object.
        if (!shared && c.ignored === undefined && c.transport === token!.transport && token!.holds(c.value)) {
          shared = true
          candidates[i] = token!
        } else {
          candidates[i] = new InspectedValue(c.transport, c.value, c.ignored)
        }
      }
      this.#candidates = candidates
    }
    return this.#candidates
  }
  toJSON(): unknown {
    return {
      profile: this.profile,
      legacy: this.legacy,
      token: this.token,
      hasToken: this.hasToken,
      clientInfo: this.clientInfo,
      authorization: this.authorization,
      candidates: this.candidates,
      warnings: this.warnings
    }
  }
  [NodeInspect](): unknown {
    return this.toJSON()
  }
}

// V8 reaches the hidden class of each of these objects through transitions it holds weakly: after
// a full GC that finds none alive, the classes die and every function specialised to them
// (inspect, and the getters) is deoptimised and later re-optimised. One instance of each shape,
// kept for the module's life, keeps them (the generated module does the same for its results).
const hiddenClasses: Array<unknown> = []
{
  const value = new InspectedValue("Authorization", "", undefined)
  const parsed = Generated.parse("MediaBrowser ")
  const extraction = Generated.extract({ headers: {} }, { profile: Generated.PROFILES[0]!.name })
  hiddenClasses.push(
    value,
    new InspectedValue("Authorization", "", "Shadowed"),
    parsed._tag === "Ok" ? new InspectedHeader(parsed.value, value) : undefined,
    new LazyInspection({ profile: Generated.PROFILES[0]!.name }, extraction),
    ClientInfo.fromParams({ Client: "", Version: "", DeviceId: "", Device: "" })
  )
}

/**
 * How the chosen profile reads `request`. Pure and total: any input gives an answer.
 *
 * Every field but `profile`, `hasToken` and `warnings` is a getter, worked out when first read, and
 * every object it returns is the same on each read. Read fields by name: spreading an inspection
 * copies only those three. `JSON.stringify` and `util.inspect` show every field, secrets as
 * `<redacted>`.
 *
 * @since 0.1.0
 * @category inspecting
 */
export const inspect = (request: RequestInput, options: Options): Inspection =>
  // The caller's switch as given: the generator warns when a profile without the switch is given one
  // (it reads `legacy: undefined` as no switch, so the options go through as they are).
  new LazyInspection(options, Generated.extract(toRequestLike(request), options as Generated.ExtractOptions))

const commonFields = {
  profile: Schema.String,
  legacy: Schema.Boolean,
  /** The client information the request did carry (useful for anonymous endpoints such as sign-in). */
  clientInfo: ClientInfo.PartialSchema,
  warnings: Schema.Array(Warning)
}

/**
 * The request carries no token the profile reads: nothing at all, or only empty values. The server
 * treats it as anonymous.
 *
 * @since 0.1.0
 * @category errors
 */
export class NoCredentials extends Schema.TaggedError<NoCredentials>("@mbauth/core/Credentials/NoCredentials")(
  "NoCredentials",
  commonFields
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The request carries no token that a ${this.profile} server reads`
  }
}

/**
 * The token the profile would use is whitespace-only: it blocks every fallback, yet the server
 * treats the request as anonymous.
 *
 * @since 0.1.0
 * @category errors
 */
export class WhitespaceToken extends Schema.TaggedError<WhitespaceToken>("@mbauth/core/Credentials/WhitespaceToken")(
  "WhitespaceToken",
  { ...commonFields, transport: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The token in ${this.transport} is whitespace only; a ${this.profile} server treats the request as anonymous ` +
      `and does not look at the other transports`
  }
}

/**
 * The request carries tokens only in transports the server ignores while its legacy switch is off
 * (`X-Emby-Authorization`, `X-Emby-Token`, `X-MediaBrowser-Token`, `api_key`, the `Emby` scheme).
 * The server ignores them silently; this names them.
 *
 * @since 0.1.0
 * @category errors
 */
export class LegacyTransportDisabled extends Schema.TaggedError<LegacyTransportDisabled>(
  "@mbauth/core/Credentials/LegacyTransportDisabled"
)("LegacyTransportDisabled", { ...commonFields, transports: Schema.Array(Schema.String) }) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The request's token travels in ${this.transports.join(", ")}, which a ${this.profile} server ignores ` +
      `while EnableLegacyAuthorization is off; send it in the Authorization header (MediaBrowser scheme) instead`
  }
}

/**
 * The request carries different tokens in several transports the profile reads; the server would
 * silently pick `transport` (only reported when {@link ExtractOptions.ambiguous} is `"fail"`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AmbiguousCredentials extends Schema.TaggedError<AmbiguousCredentials>(
  "@mbauth/core/Credentials/AmbiguousCredentials"
)("AmbiguousCredentials", { ...commonFields, transport: Schema.String, others: Schema.Array(Schema.String) }) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `The request carries different tokens in ${[this.transport, ...this.others].join(", ")}; ` +
      `a ${this.profile} server uses the one in ${this.transport}`
  }
}

/**
 * Why a request has no usable credentials.
 *
 * @since 0.1.0
 * @category errors
 */
export type ExtractError = NoCredentials | WhitespaceToken | LegacyTransportDisabled | AmbiguousCredentials

/**
 * @since 0.1.0
 * @category models
 */
export interface ExtractOptions extends Options {
  /**
   * What to do when the request carries different tokens in several transports the profile reads:
   * `"first"` (default) uses the one the server would use, `"fail"` fails with
   * {@link AmbiguousCredentials}.
   */
  readonly ambiguous?: "first" | "fail" | undefined
}

/**
 * The credentials the profile's server would validate, or why there are none.
 *
 * @since 0.1.0
 * @category extracting
 */
export const extract: (request: RequestInput, options: ExtractOptions) => Effect.Effect<Credentials, ExtractError> = Effect
  .fn("Credentials.extract")(function*(request, options) {
    return yield* fromInspection(inspect(request, options), options.ambiguous ?? "first")
  })

/**
 * The credentials of an {@link Inspection} (see {@link extract}).
 *
 * @since 0.1.0
 * @category extracting
 */
export const fromInspection = (
  inspection: Inspection,
  ambiguous: "first" | "fail" = "first"
): Effect.Effect<Credentials, ExtractError> => {
  const common = {
    profile: inspection.profile,
    legacy: inspection.legacy,
    clientInfo: inspection.clientInfo,
    warnings: inspection.warnings
  }
  const token = inspection.token
  if (token === undefined) {
    const disabled = inspection.candidates.filter((c) => c.ignored === "LegacyDisabled" && Redacted.value(c.value) !== "")
    return disabled.length > 0
      ? Effect.fail(
        new LegacyTransportDisabled({ ...common, transports: dedupe(disabled.map((c) => c.transport)) })
      )
      : Effect.fail(new NoCredentials(common))
  }
  if (!inspection.hasToken) return Effect.fail(new WhitespaceToken({ ...common, transport: token.transport }))
  if (ambiguous === "fail") {
    const chosen = Redacted.value(token.value)
    const others = inspection.candidates.filter((c) =>
      c.ignored === "Shadowed" && Redacted.value(c.value) !== "" && Redacted.value(c.value) !== chosen
    )
    if (others.length > 0) {
      return Effect.fail(
        new AmbiguousCredentials({ ...common, transport: token.transport, others: dedupe(others.map((c) => c.transport)) })
      )
    }
  }
  return Effect.succeed({
    token: token.value,
    transport: token.transport,
    clientInfo: inspection.clientInfo,
    schemeHeader: inspection.authorization?.header,
    warnings: inspection.warnings
  })
}

const dedupe = <A>(values: ReadonlyArray<A>): Array<A> => Array.from(new Set(values))

/**
 * {@link extract} on the current `HttpServerRequest`.
 *
 * @since 0.1.0
 * @category extracting
 */
export const fromRequest = (
  options: ExtractOptions
): Effect.Effect<Credentials, ExtractError, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => extract(request, options))

/**
 * The header names that carry MediaBrowser secrets, lower-case: `authorization`,
 * `x-emby-authorization`, `x-emby-token`, `x-mediabrowser-token`, `x-connect-usertoken`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactedHeaderNames: ReadonlyArray<string> = redaction.secretHeaderNames

/**
 * Runs an effect with {@link redactedHeaderNames} added to @effect/platform's
 * `Headers.currentRedactedNames`, so headers logged or traced inside it hide them.
 *
 * @since 0.1.0
 * @category redaction
 */
export const withRedactedHeaderNames: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> =
  redaction.withRedactedNames

/**
 * A layer adding {@link redactedHeaderNames} to `Headers.currentRedactedNames` for everything it is
 * provided to: provide it to a whole program, or to an HTTP server layer.
 *
 * @since 0.1.0
 * @category redaction
 */
export const layerRedactedHeaderNames: Layer.Layer<never> = redaction.layerRedactedNames

/**
 * `url` with the values of token query parameters (`ApiKey`, `api_key`, `X-Emby-Token`,
 * `X-MediaBrowser-Token`, any case) replaced by `<redacted>`, e.g. before logging a URL.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl: (url: string) => string = redaction.redactUrl
