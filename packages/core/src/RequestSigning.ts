/**
 * Client side: sign every request of an `HttpClient` the way a given server profile reads it.
 *
 * - By default the token and the client information go in one `Authorization: MediaBrowser …`
 *   header — what every Jellyfin version reads, legacy switch on or off. For the `emby` profile the
 *   header is `X-Emby-Authorization`, which is what Emby reads.
 * - The token goes in another transport only when asked (`transport: "ApiKey"` for the query
 *   parameter, `"X-Emby-Token"` …); the scheme header then carries the client information only.
 *   A signed request never carries two tokens: any token transport already on the request is removed.
 * - `clientInfoIn: "separate-headers"` signs the way Emby's own JavaScript client signs for Emby
 *   4.4.0.21 and later: `X-Emby-Client`, `X-Emby-Device-Name` (percent-encoded),
 *   `X-Emby-Device-Id` and `X-Emby-Client-Version` headers and the token in `X-Emby-Token`, no
 *   scheme header. Only for profiles that read separate values (`emby`); the scheme header stays
 *   the default because every Emby version reads it.
 * - `webSocketUrl` puts the token in the query, for WebSocket URLs where browsers cannot set headers.
 *
 * A token in the query string is logged as a warning (once per signer, and for each WebSocket URL;
 * never the token itself): URLs end up in server logs and browser history.
 *
 * Secrets stay out of logs, errors and spans: the header names are added to @effect/platform's
 * `Headers.currentRedactedNames`, errors and responses carry a copy of the request with the secret
 * headers and token query parameters replaced by `<redacted>`, and a request with a query token is
 * traced with the token masked in `url.full` and `url.query`.
 *
 * @example
 * ```ts
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 * import * as Redacted from "effect/Redacted"
 * import * as RequestSigning from "@mbauth/core/RequestSigning"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, {
 *     profile: "jellyfin-10.11",
 *     clientInfo: { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "abc" },
 *     token: Redacted.make("0123456789abcdef0123456789abcdef")
 *   })
 *   return yield* client.get("http://127.0.0.1:8096/Users/Me")
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import { encode } from "@mbauth/runtime"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { FormatStyle, SchemeHeader } from "./AuthorizationHeader.js"
import * as AuthorizationHeader from "./AuthorizationHeader.js"
import * as ClientInfo from "./ClientInfo.js"
import type { ProfileName, TransportName } from "./Credentials.js"
import * as Generated from "./generated/MediaBrowserAuthorization.js"
import * as internal from "./internal/redaction.js"
import { reads, readsSeparateValues, resolveLegacy, transport as transportOf } from "./internal/profiles.js"
import * as TransportSafety from "./TransportSafety.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The server to sign for. */
  readonly profile: ProfileName
  /** The identity sent with every request. */
  readonly clientInfo: ClientInfo.ClientInfo
  /** The access token or API key; absent before signing in. */
  readonly token?: Redacted.Redacted<string> | undefined
  /**
   * The server's `EnableLegacyAuthorization`, as far as the client knows. Default: the profile's
   * default. A transport the server would ignore is refused with a {@link SigningError}.
   */
  readonly legacy?: boolean | undefined
  /**
   * Where the token goes. Default: inside the scheme header. `"ApiKey"`/`"api_key"` put it in the
   * query, `"X-Emby-Token"`/`"X-MediaBrowser-Token"` in a header of its own.
   */
  readonly transport?: TransportName | undefined
  /** The header carrying the scheme and client information. Default `Authorization` (`X-Emby-Authorization` for `emby`). */
  readonly schemeHeader?: SchemeHeader | undefined
  /** The header format. Default `"canonical"`. */
  readonly style?: FormatStyle | undefined
  /** Emby's optional `UserId` parameter. */
  readonly userId?: string | undefined
  /**
   * Where the client information goes. `"scheme-header"` (default): inside the scheme header.
   * `"separate-headers"`: in headers of their own (`X-Emby-Client`, `X-Emby-Device-Name`,
   * `X-Emby-Device-Id`, `X-Emby-Client-Version`), with the token in `X-Emby-Token` unless
   * `transport` says otherwise and no scheme header, as Emby's JavaScript client sends them; only
   * for profiles that read them (`emby`).
   */
  readonly clientInfoIn?: "scheme-header" | "separate-headers" | undefined
}

/**
 * The options cannot produce a request the server reads: a transport the profile ignores, or a
 * value that cannot be written in the header.
 *
 * @since 0.1.0
 * @category errors
 */
export class SigningError extends Schema.TaggedError<SigningError>("@mbauth/core/RequestSigning/SigningError")(
  "SigningError",
  {
    reason: Schema.Literal("TransportNotRead", "InvalidOptions", "UnencodableValue", "InvalidUrl"),
    profile: Schema.String,
    description: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `Cannot sign requests for ${this.profile}: ${this.description}`
  }
}

/**
 * A validated signing configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Signer {
  readonly profile: ProfileName
  /** The legacy switch assumed. */
  readonly legacy: boolean
  /** The header carrying scheme and client information; undefined when they go in separate headers. */
  readonly schemeHeader: SchemeHeader | undefined
  /** Where the token goes; `undefined` without a token. */
  readonly transport: TransportName | undefined
  /** Signs one request (removing any token transport it already carries). */
  readonly signRequest: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest
  /** An `HttpClient` that signs every request, keeping secrets out of its errors, responses and spans. */
  readonly signClient: <E, R>(client: HttpClient.HttpClient.With<E, R>) => HttpClient.HttpClient.With<E, R>
  /** `url` with the token as a query parameter (`ApiKey`, or `api_key` where only that is read), for WebSockets. */
  readonly webSocketUrl: (url: string | URL) => Effect.Effect<Redacted.Redacted<string>, SigningError>
}

const schemeHeaderTransports: ReadonlySet<TransportName> = new Set(["Authorization", "X-Emby-Authorization"])
const tokenHeaderKeys = Generated.TRANSPORTS.filter((t) => t.kind === "header" && t.carries === "token").map((t) =>
  t.key.toLowerCase()
)
const queryTransports: ReadonlyArray<TransportName> = ["ApiKey", "api_key"]
const separateHeaderNames = Generated.SEPARATE_VALUES.map((v) => v.header.toLowerCase())

// The separate client headers for `info`, encoded as the spec says (Emby's client percent-encodes
// the device name and sends the other values as they are, so they must already be header-safe).
const separateHeadersOf = (info: ClientInfo.ClientInfo): Either.Either<ReadonlyArray<readonly [string, string]>, string> => {
  const params = ClientInfo.toParams(info)
  const headers: Array<readonly [string, string]> = []
  for (const v of Generated.SEPARATE_VALUES) {
    const raw = params[v.parameter]
    const value = v.headerEncoding === "percent" ? encode(raw) : raw
    if (value === undefined || !/^[\x20-\x7e]*$/.test(value)) {
      return Either.left(`${v.header} cannot carry this ${v.parameter} (only printable ASCII is sent as it is)`)
    }
    headers.push([v.header, value])
  }
  return Either.right(headers)
}

const describeNotRead = (profile: ProfileName, name: TransportName, legacy: boolean): string =>
  reads(profile, name, true) && !legacy
    ? `${name} is ignored while the server's EnableLegacyAuthorization is off`
    : `a ${profile} server does not read ${name}`

/**
 * Validates `options` and prepares the header (formatted once).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Signer, SigningError> = Effect.fn("RequestSigning.make")(
  function*(options) {
    const profile = options.profile
    const legacy = resolveLegacy(profile, options.legacy)
    const fail = (reason: SigningError["reason"], description: string) =>
      new SigningError({ reason, profile, description })
    const requested = options.transport
    const separate = options.clientInfoIn === "separate-headers"
    if (separate) {
      if (!readsSeparateValues(profile, "header")) {
        const names = Generated.SEPARATE_VALUES.map((v) => v.header).join(", ")
        return yield* fail("TransportNotRead", `a ${profile} server does not read the client information in separate headers (${names})`)
      }
      const conflict = options.schemeHeader ?? (requested !== undefined && schemeHeaderTransports.has(requested) ? requested : undefined)
      if (conflict !== undefined) {
        return yield* fail("InvalidOptions", `with the client information in separate headers no scheme header is sent, so nothing can go in ${conflict}`)
      }
      if (options.userId !== undefined) {
        return yield* fail("InvalidOptions", "UserId has no separate header: send it in the scheme header (clientInfoIn: \"scheme-header\")")
      }
    }
    const schemeHeader: SchemeHeader = options.schemeHeader ??
      (requested !== undefined && schemeHeaderTransports.has(requested)
        ? requested as SchemeHeader
        : profile === "emby"
        ? "X-Emby-Authorization"
        : "Authorization")
    const transport = options.token === undefined ? undefined : requested ?? (separate ? "X-Emby-Token" : schemeHeader)
    if (transport !== undefined && schemeHeaderTransports.has(transport) && transport !== schemeHeader) {
      return yield* fail("InvalidOptions", `the token cannot go in ${transport} while ${schemeHeader} carries the scheme`)
    }
    if (!separate && !reads(profile, schemeHeader, legacy)) {
      return yield* fail("TransportNotRead", describeNotRead(profile, schemeHeader, legacy))
    }
    if (transport !== undefined && !reads(profile, transport, legacy)) {
      return yield* fail("TransportNotRead", describeNotRead(profile, transport, legacy))
    }
    const tokenInHeader = !separate && transport === schemeHeader
    const separateHeaders = separate ? separateHeadersOf(options.clientInfo) : Either.right([])
    if (Either.isLeft(separateHeaders)) return yield* fail("UnencodableValue", separateHeaders.left)
    const header = yield* AuthorizationHeader.format(
      {
        ...(tokenInHeader && options.token !== undefined ? { Token: options.token } : {}),
        ...ClientInfo.toParams(options.clientInfo),
        ...(options.userId === undefined ? {} : { UserId: options.userId })
      },
      options.style === undefined ? undefined : { style: options.style }
    ).pipe(Effect.mapError((error) => fail("UnencodableValue", error.description)))

    const token = options.token
    const tokenTransport = transport === undefined || tokenInHeader ? undefined : transportOf(transport)
    // A bare token header carries the token as is: it must be a valid header value.
    if (tokenTransport?.kind === "header" && token !== undefined && !/^[\x21-\x7e]+$/.test(Redacted.value(token))) {
      return yield* fail("UnencodableValue", `the token cannot be sent in ${tokenTransport.name} (not visible ASCII)`)
    }
    const queryToken = tokenTransport?.kind === "query"
    // Once per signer, not per request: the choice is made here.
    if (queryToken && token !== undefined) yield* TransportSafety.warnTokenInQuery({ parameter: tokenTransport.key })

    const signRequest = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
      // One token per request: drop every token transport the caller may have set, then add ours.
      let headers = Headers.remove(request.headers, ["authorization", "x-emby-authorization", ...tokenHeaderKeys, ...separateHeaderNames])
      // The header string (with the token) is revealed only here, where it is put on the wire.
      if (separate) headers = Headers.setAll(headers, separateHeaders.right)
      else headers = Headers.set(headers, schemeHeader, Redacted.value(header))
      let urlParams: UrlParams.UrlParams = request.urlParams.filter(([name]) => !internal.isTokenQueryName(name))
      if (tokenTransport !== undefined && token !== undefined) {
        if (tokenTransport.kind === "query") urlParams = UrlParams.append(urlParams, tokenTransport.key, Redacted.value(token))
        else headers = Headers.set(headers, tokenTransport.key, Redacted.value(token))
      }
      return internal.withParts(request, { url: internal.stripTokenQuery(request.url), urlParams, headers })
    }

    const signClient = <E, R>(client: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
      HttpClient.makeWith(
        (requestEffect: Effect.Effect<HttpClientRequest.HttpClientRequest, E, R>) =>
          Effect.flatMap(requestEffect, (request) => send(client, request)),
        Effect.succeed
      )

    const send = <E, R>(
      client: HttpClient.HttpClient.With<E, R>,
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> => {
      const signed = signRequest(request)
      const safe = internal.scrubRequest(signed)
      const execute = (r: HttpClientRequest.HttpClientRequest) =>
        client.execute(r).pipe(
          Effect.map((response) => internal.scrubResponse(response, safe)),
          Effect.mapError(internal.scrubError)
        )
      return internal.withRedactedHeaderNames(queryToken ? tracedWithoutQuery(signed, safe, execute) : execute(signed))
    }

    const webSocketUrl = (url: string | URL): Effect.Effect<Redacted.Redacted<string>, SigningError> => {
      // URL.canParse is Node ≥ 19.9; the package needs ≥ 20.19.
      if (!URL.canParse(url.toString())) return Effect.fail(fail("InvalidUrl", "the WebSocket URL is not an absolute URL"))
      const parsed = new URL(url.toString())
      for (const name of Array.from(parsed.searchParams.keys())) {
        if (internal.isTokenQueryName(name)) parsed.searchParams.delete(name)
      }
      if (token === undefined) return Effect.succeed(Redacted.make(parsed.toString()))
      const name = tokenTransport?.kind === "query"
        ? tokenTransport.name
        : queryTransports.find((candidate) => reads(profile, candidate, legacy))
      if (name === undefined) {
        return Effect.fail(fail("TransportNotRead", `a ${profile} server reads no query token`))
      }
      const parameter = transportOf(name).key
      parsed.searchParams.set(parameter, Redacted.value(token))
      return Effect.as(TransportSafety.warnTokenInQuery({ parameter, url: parsed }), Redacted.make(parsed.toString()))
    }

    return {
      profile,
      legacy,
      schemeHeader: separate ? undefined : schemeHeader,
      transport,
      signRequest,
      signClient,
      webSocketUrl
    } satisfies Signer
  }
)

/**
 * Runs a request whose URL carries a token with the platform's own client span turned off (it would
 * record the full URL) and records an equivalent span with the token masked instead.
 */
const tracedWithoutQuery = <A extends HttpClientResponse.HttpClientResponse, E, R>(
  signed: HttpClientRequest.HttpClientRequest,
  safe: HttpClientRequest.HttpClientRequest,
  execute: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const disabledWhen = yield* FiberRef.get(HttpClient.currentTracerDisabledWhen)
    const tracerEnabled = yield* FiberRef.get(FiberRef.currentTracerEnabled)
    // Decided by content, not identity: the wrapped client may map the request (prependUrl …) first.
    const withoutInnerSpan = <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) =>
      Effect.locally(effect, HttpClient.currentTracerDisabledWhen, (r) => internal.hasSecretQuery(r) || disabledWhen(r))
    if (!tracerEnabled || disabledWhen(signed)) return yield* withoutInnerSpan(execute(signed))
    const url = UrlParams.makeUrl(signed.url, signed.urlParams, signed.hash)
    const nameOf = yield* HttpClient.SpanNameGenerator
    const propagate = yield* FiberRef.get(HttpClient.currentTracerPropagation)
    const redactedNames = yield* FiberRef.get(Headers.currentRedactedNames)
    return yield* Effect.useSpan(nameOf(safe), { kind: "client", captureStackTrace: false }, (span) => {
      // The attributes the platform's client span has, with the token masked.
      span.attribute("http.request.method", signed.method)
      if (url._tag === "Right") {
        span.attribute("server.address", url.right.origin)
        if (url.right.port !== "") span.attribute("server.port", +url.right.port)
        span.attribute("url.full", internal.redactUrl(url.right.toString()))
        span.attribute("url.path", url.right.pathname)
        span.attribute("url.scheme", url.right.protocol.slice(0, -1))
        if (url.right.search !== "") span.attribute("url.query", internal.redactUrl(url.right.search).slice(1))
      }
      const headers = Headers.redact(signed.headers, redactedNames)
      for (const name in headers) span.attribute(`http.request.header.${name}`, String(headers[name]))
      const traced = propagate ? HttpClientRequest.setHeaders(signed, HttpTraceContext.toHeaders(span)) : signed
      return withoutInnerSpan(execute(traced)).pipe(
        Effect.withParentSpan(span),
        Effect.tap((response) => {
          span.attribute("http.response.status_code", response.status)
          const headers = Headers.redact(response.headers, redactedNames)
          for (const name in headers) span.attribute(`http.response.header.${name}`, String(headers[name]))
        })
      )
    })
  })

/**
 * Signs every request of `client` (see {@link make}).
 *
 * @example
 * ```ts
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 * import * as RequestSigning from "@mbauth/core/RequestSigning"
 *
 * const signed = Effect.flatMap(HttpClient.HttpClient, RequestSigning.signClient({
 *   profile: "emby",
 *   clientInfo: { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "abc" }
 * }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const signClient: {
  (options: Options): <E, R>(client: HttpClient.HttpClient.With<E, R>) => Effect.Effect<HttpClient.HttpClient.With<E, R>, SigningError>
  <E, R>(client: HttpClient.HttpClient.With<E, R>, options: Options): Effect.Effect<HttpClient.HttpClient.With<E, R>, SigningError>
} = dual(
  2,
  <E, R>(client: HttpClient.HttpClient.With<E, R>, options: Options) =>
    Effect.map(make(options), (signer) => signer.signClient(client))
)

/**
 * A layer replacing the `HttpClient` with one that signs every request, and registering
 * `Redaction.secretHeaderNames`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<HttpClient.HttpClient, SigningError, HttpClient.HttpClient> =>
  Layer.merge(
    Layer.effect(HttpClient.HttpClient, Effect.flatMap(HttpClient.HttpClient, signClient(options))),
    internal.layerRedactedHeaderNames
  )
