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
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { ParsedHeader, SchemeHeader } from "./AuthorizationHeader.js"
import * as ClientInfo from "./ClientInfo.js"
import * as Generated from "./generated/MediaBrowserAuthorization.js"
import { fromGenerated, redactSharing } from "./internal/parsedHeader.js"
import { resolveLegacy } from "./internal/profiles.js"

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
  /**
   * The client information as the server takes it: from the scheme header and, for `emby`, Emby's
   * separate `X-Emby-*` values (fields the request did not send are absent).
   */
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
 * Everything the server would see, including what it ignores: plain data, built once. Token values
 * are `Redacted`, so `JSON.stringify`, `String` and `util.inspect` show them as `<redacted>`;
 * spreading, `structuredClone` and deep equality see every field.
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
  /**
   * The client information as the server takes it: from the scheme header the profile read and,
   * where the profile reads them (`emby`), the separate `X-Emby-*` headers and query parameters.
   */
  readonly clientInfo: ClientInfo.Partial
  /** Every client value of the request, where it travels, and whether the server took it. */
  readonly clientValues: ReadonlyArray<ClientValue>
  /** The scheme header the client information came from, and what it said. */
  readonly authorization: { readonly header: SchemeHeader; readonly parsed: ParsedHeader } | undefined
  /** Every token-carrying value present, in the profile's order, with why the server did not use it. */
  readonly candidates: ReadonlyArray<Candidate>
  readonly warnings: ReadonlyArray<Warning>
}

/**
 * A token-carrying value of a request; `ignored` is absent when the server used it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Candidate {
  readonly transport: TransportName
  readonly value: Redacted.Redacted<string>
  readonly ignored?: "LegacyDisabled" | "NotReadByProfile" | "Shadowed"
}

/**
 * A client value of a request (`Client`, `Device`, `DeviceId`, `Version` or Emby's `UserId`) and
 * where it travels: inside the scheme header the profile read (`via: "scheme"`, `name` is the
 * header), or on its own (`via: "header"` or `"query"`, `name` is Emby's `X-Emby-*` name).
 * `ignored` is absent for the value the server takes; `"Shadowed"`: another value of the same
 * field won; `"NotReadByProfile"`: this server never reads separate values (Jellyfin).
 *
 * @since 0.1.0
 * @category models
 */
export type ClientValue = Generated.ParameterValue

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

const toCandidate = (
  candidate: Generated.Extraction["candidates"][number],
  redact: (value: string) => Redacted.Redacted<string>
): Candidate =>
  candidate.ignored === undefined
    ? { transport: candidate.transport, value: redact(candidate.value) }
    : { transport: candidate.transport, value: redact(candidate.value), ignored: candidate.ignored }

/**
 * How the chosen profile reads `request`. Pure and total: any input gives an answer.
 *
 * @since 0.1.0
 * @category inspecting
 */
export const inspect = (request: RequestInput, options: Options): Inspection => {
  // The caller's switch as given: the generated extraction warns when a profile without the switch
  // is given one (it reads `legacy: undefined` as no switch).
  const extraction = Generated.extract(toRequestLike(request), options as Generated.ExtractOptions)
  const authorization = extraction.authorization
  const redact = redactSharing(extraction.token?.value)
  return {
    profile: options.profile,
    legacy: resolveLegacy(options.profile, options.legacy),
    token: extraction.token === undefined
      ? undefined
      : { value: redact(extraction.token.value), transport: extraction.token.transport },
    hasToken: extraction.hasToken,
    clientInfo: ClientInfo.fromParams(extraction.parameters),
    clientValues: extraction.parameterValues,
    authorization: authorization === undefined
      ? undefined
      : { header: authorization.transport, parsed: fromGenerated(authorization.header, redact) },
    candidates: extraction.candidates.map((candidate) => toCandidate(candidate, redact)),
    // The generated warnings have exactly the fields of `Warning`.
    warnings: extraction.warnings
  }
}

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

// What deciding on a request's credentials needs, from a generated extraction or an inspection.
interface Reading {
  readonly token: { readonly transport: TransportName; readonly value: string } | undefined
  readonly hasToken: boolean
  readonly candidates: ReadonlyArray<{ readonly transport: TransportName; readonly value: string; readonly ignored?: string }>
  readonly common: {
    readonly profile: ProfileName
    readonly legacy: boolean
    readonly clientInfo: ClientInfo.Partial
    readonly warnings: ReadonlyArray<Warning>
  }
  readonly schemeHeader: SchemeHeader | undefined
}

const decide = (
  reading: Reading,
  ambiguous: "first" | "fail",
  token: () => Redacted.Redacted<string>
): Effect.Effect<Credentials, ExtractError> => {
  const { common } = reading
  if (reading.token === undefined) {
    const disabled = reading.candidates.filter((c) => c.ignored === "LegacyDisabled" && c.value !== "")
    return disabled.length > 0
      ? Effect.fail(new LegacyTransportDisabled({ ...common, transports: dedupe(disabled.map((c) => c.transport)) }))
      : Effect.fail(new NoCredentials(common))
  }
  const chosen = reading.token
  if (!reading.hasToken) return Effect.fail(new WhitespaceToken({ ...common, transport: chosen.transport }))
  if (ambiguous === "fail") {
    const others = reading.candidates.filter((c) => c.ignored === "Shadowed" && c.value !== "" && c.value !== chosen.value)
    if (others.length > 0) {
      return Effect.fail(
        new AmbiguousCredentials({ ...common, transport: chosen.transport, others: dedupe(others.map((c) => c.transport)) })
      )
    }
  }
  return Effect.succeed({
    token: token(),
    transport: chosen.transport,
    clientInfo: common.clientInfo,
    schemeHeader: reading.schemeHeader,
    warnings: common.warnings
  })
}

/**
 * The credentials the profile's server would validate, or why there are none. Only the token is
 * wrapped in `Redacted` (this runs on every request of a server).
 *
 * @since 0.1.0
 * @category extracting
 */
export const extract = (request: RequestInput, options: ExtractOptions): Effect.Effect<Credentials, ExtractError> => {
  const extraction = Generated.extract(toRequestLike(request), options as Generated.ExtractOptions)
  return decide(
    {
      token: extraction.token,
      hasToken: extraction.hasToken,
      candidates: extraction.candidates,
      common: {
        profile: options.profile,
        legacy: resolveLegacy(options.profile, options.legacy),
        clientInfo: ClientInfo.fromParams(extraction.parameters),
        warnings: extraction.warnings
      },
      schemeHeader: extraction.authorization?.transport
    },
    options.ambiguous ?? "first",
    () => Redacted.make(extraction.token!.value)
  )
}

/**
 * The credentials of an {@link Inspection} (see {@link extract}).
 *
 * @since 0.1.0
 * @category extracting
 */
export const fromInspection = (
  inspection: Inspection,
  ambiguous: "first" | "fail" = "first"
): Effect.Effect<Credentials, ExtractError> =>
  decide(
    {
      token: inspection.token === undefined
        ? undefined
        : { transport: inspection.token.transport, value: Redacted.value(inspection.token.value) },
      hasToken: inspection.hasToken,
      candidates: inspection.candidates.map((c) => ({ ...c, value: Redacted.value(c.value) })),
      common: {
        profile: inspection.profile,
        legacy: inspection.legacy,
        clientInfo: inspection.clientInfo,
        warnings: inspection.warnings
      },
      schemeHeader: inspection.authorization?.header
    },
    ambiguous,
    () => inspection.token!.value
  )

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
