import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as UrlParams from "@effect/platform/UrlParams"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"

/** What a masked value is replaced with wherever a string (not a `Redacted`) must stand in for it. */
export const placeholder = "<redacted>"

/**
 * Header names that carry MediaBrowser secrets, lower-case as `Headers` stores them. `authorization`
 * is in @effect/platform's default list already; it is repeated so the list is complete on its own.
 */
export const secretHeaderNames: ReadonlyArray<string> = [
  "authorization",
  "x-emby-authorization",
  "x-emby-token",
  "x-mediabrowser-token",
  "x-connect-usertoken"
]

/**
 * Query parameter names (compared case-insensitively, as the servers read them) that carry tokens:
 * Jellyfin's `ApiKey`/`api_key`, and the `X-Emby-Token`/`X-MediaBrowser-Token` query forms Emby 4.x
 * accepts.
 */
const secretQueryNames: ReadonlySet<string> = new Set(["apikey", "api_key", "x-emby-token", "x-mediabrowser-token"])

export const isSecretQueryName = (name: string): boolean => secretQueryNames.has(name.toLowerCase())

const appendNames = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  Arr.appendAll(names, secretHeaderNames.filter((name) => !names.includes(name)))

/** Runs `effect` with the MediaBrowser header names added to `Headers.currentRedactedNames`. */
export const withRedactedNames = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, appendNames)

/** A layer that adds the MediaBrowser header names to `Headers.currentRedactedNames` for whatever it is provided to. */
export const layerRedactedNames: Layer.Layer<never> = Layer.scopedDiscard(
  Effect.locallyScopedWith(Headers.currentRedactedNames, appendNames)
)

/** Masks the values of token query parameters in a URL string (absolute or relative); the rest is kept byte for byte. */
export const redactUrl = (url: string, isSecret: (name: string) => boolean = isSecretQueryName): string =>
  mapQuery(url, (rawName) => `${rawName}=${placeholder}`, isSecret)

/** Removes token query parameters from a URL string (absolute or relative). */
export const stripSecretQuery = (url: string): string => mapQuery(url, () => undefined, isSecretQueryName)

const mapQuery = (
  url: string,
  onSecret: (rawName: string, pair: string) => string | undefined,
  isSecret: (name: string) => boolean
): string => {
  const query = url.indexOf("?")
  if (query < 0) return url
  const hash = url.indexOf("#", query)
  const end = hash < 0 ? url.length : hash
  const pairs: Array<string> = []
  let changed = false
  for (const pair of url.slice(query + 1, end).split("&")) {
    const eq = pair.indexOf("=")
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    let name = rawName
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "))
    } catch {
      // A malformed escape cannot name a token parameter we know; keep the raw name.
    }
    const replaced = isSecret(name) ? onSecret(rawName, pair) : pair
    if (replaced !== pair) changed = true
    if (replaced !== undefined) pairs.push(replaced)
  }
  if (!changed) return url
  return url.slice(0, pairs.length > 0 ? query + 1 : query) + pairs.join("&") + url.slice(end)
}

/** Whether `request` carries a token query parameter (in its URL parameters or its URL string). */
export const hasSecretQuery = (request: HttpClientRequest.HttpClientRequest): boolean =>
  request.urlParams.some(([name]) => isSecretQueryName(name)) || stripSecretQuery(request.url) !== request.url

/** A copy of `request` with some of its parts replaced (the platform has no "remove header"). */
export const withParts = (
  request: HttpClientRequest.HttpClientRequest,
  parts: {
    readonly url?: string
    readonly urlParams?: UrlParams.UrlParams
    readonly headers?: Headers.Headers
  }
): HttpClientRequest.HttpClientRequest =>
  // The request is a plain prototype-based record: copying it keeps its prototype (toJSON, pipe, …).
  Object.assign(Object.create(Object.getPrototypeOf(request)), request, parts)

/** Masks token query parameters in `UrlParams`. */
export const redactUrlParams = (params: UrlParams.UrlParams): UrlParams.UrlParams =>
  params.some(([name]) => isSecretQueryName(name))
    ? params.map(([name, value]) => (isSecretQueryName(name) ? [name, placeholder] as const : [name, value] as const))
    : params

/**
 * A copy of `request` that is safe to keep in an error: secret headers and token query parameters
 * are replaced by a placeholder. Errors outlive the fiber whose `currentRedactedNames` would have hidden
 * the headers (e.g. `JSON.stringify(error)` after `runPromise`), so the values must not be there at all.
 */
export const scrubRequest = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
  let headers = request.headers
  for (const name of secretHeaderNames) {
    if (headers[name] !== undefined) headers = Headers.set(headers, name, placeholder)
  }
  return withParts(request, { url: redactUrl(request.url), urlParams: redactUrlParams(request.urlParams), headers })
}

/** A view of `response` whose `request` is `request` (a scrubbed copy). */
export const scrubResponse = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest
): HttpClientResponse.HttpClientResponse =>
{
  // A view of the same response whose `request` is the scrubbed one; everything else (body, status,
  // headers) is read through the prototype chain from the original. The platform's own `toJSON`
  // reaches the original request through a wrapper, so the view renders itself.
  const toJSON = () => ({ _id: "@effect/platform/HttpClientResponse", request: request.toJSON(), status: response.status })
  // Reading the body fails with errors built by the platform's response wrapper, which carry the
  // original request (token header, token query, trace headers): scrub them too.
  const body = <A>(read: () => Effect.Effect<A, HttpClientError.ResponseError>) => ({
    get: () => Effect.mapError(read(), scrubError)
  })
  return Object.create(response, {
    request: { value: request, enumerable: true },
    json: body(() => response.json),
    text: body(() => response.text),
    arrayBuffer: body(() => response.arrayBuffer),
    formData: body(() => response.formData),
    urlParamsBody: body(() => response.urlParamsBody),
    stream: { get: () => Stream.mapError(response.stream, scrubError) },
    toJSON: { value: toJSON },
    toString: { value: () => Inspectable.format(toJSON()) },
    [Inspectable.NodeInspectSymbol]: { value: toJSON }
  })
}

/** Rebuilds an `HttpClientError` around a scrubbed request (and response view). */
export const scrubError = <E>(error: E): E => {
  if (!HttpClientError.isHttpClientError(error)) return error
  const request = scrubRequest(error.request)
  const props = { ...error }
  if (error._tag === "RequestError") {
    return new HttpClientError.RequestError({
      ...props as HttpClientError.RequestError,
      request,
      cause: scrubCause(error.cause)
    }) as E
  }
  return new HttpClientError.ResponseError({
    ...props as HttpClientError.ResponseError,
    request,
    response: scrubResponse(error.response, request),
    cause: scrubCause(error.cause)
  }) as E
}

// A transport error's cause is usually a platform error whose message may quote the URL.
const scrubCause = (cause: unknown): unknown => {
  if (cause instanceof Error) {
    const message = redactUrl(cause.message)
    if (message === cause.message) return cause
    const copy = new Error(message)
    copy.name = cause.name
    return copy
  }
  return cause
}

const secretHeaderAttributes = new Set(secretHeaderNames.map((name) => `http.request.header.${name}`))

/**
 * Masks secrets the platform's HTTP server tracer has already recorded on the spans enclosing the
 * current fiber: token query parameters in `url.full`/`url.query`, and the values of secret headers
 * that were not in `Headers.currentRedactedNames` when the span started. Spans are still open, so
 * exporters (which read them when they end) see the masked values only.
 */
export const scrubEnclosingSpans: Effect.Effect<void> = Effect.suspend(() => scrubEnclosingSpansWith(isSecretQueryName))

/** {@link scrubEnclosingSpans} with another notion of a secret query parameter. */
export const scrubEnclosingSpansWith = (
  isSecret: (name: string) => boolean
): Effect.Effect<void> => Effect.map(Effect.option(Effect.currentSpan), (current) => {
  let span: Option.Option<Tracer.AnySpan> = current
  while (Option.isSome(span) && span.value._tag === "Span") {
    const value = span.value
    for (const [key, attribute] of value.attributes) {
      if (typeof attribute !== "string") continue
      if (key === "url.full") {
        const masked = redactUrl(attribute, isSecret)
        if (masked !== attribute) value.attribute(key, masked)
      } else if (key === "url.query") {
        const masked = redactUrl(`?${attribute}`, isSecret).slice(1)
        if (masked !== attribute) value.attribute(key, masked)
      } else if (secretHeaderAttributes.has(key) && attribute !== placeholder) {
        // The platform writes a redacted header as `String(redacted)`, which is this same placeholder.
        value.attribute(key, placeholder)
      }
    }
    span = value.parent
  }
})
