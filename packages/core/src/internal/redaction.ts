import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as UrlParams from "@effect/platform/UrlParams"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as Generated from "../generated/MediaBrowserAuthorization.js"

// -----------------------------------------------------------------------------
// Names
// -----------------------------------------------------------------------------

/** @internal */
export const placeholder = "<redacted>"

/** @internal */
export const connectUserTokenHeader = "x-connect-usertoken"

// Emby Connect's headers (docs/emby-connect.md): the user token, and the registration key
// sent with sign-up.
const connectHeaderNames = [connectUserTokenHeader, "x-connect-token"]

/** @internal */
export const secretHeaderNames: ReadonlyArray<string> = [
  ...Generated.TRANSPORTS.filter((t) => t.kind === "header").map((t) => t.key.toLowerCase()),
  ...connectHeaderNames
]

const secretHeaderSet: ReadonlySet<string> = new Set(secretHeaderNames)

/** @internal */
export const isSecretHeaderName = (name: string): boolean => secretHeaderSet.has(name.toLowerCase())

// The query parameters that carry the token: the spec's query transports, and its token headers,
// whose names Emby 4.x also reads from the query.
const tokenQueryNames: ReadonlyArray<string> = Generated.TRANSPORTS.filter((t) =>
  t.kind === "query" || t.carries === "token"
).map((t) => t.key)

const tokenQuerySet: ReadonlySet<string> = new Set(tokenQueryNames.map((name) => name.toLowerCase()))

/** @internal */
export const isTokenQueryName = (name: string): boolean => tokenQuerySet.has(name.toLowerCase())

// Jellyfin's Quick Connect `secret`, which clients must send in the query.
const quickConnectSecret = "secret"

/** @internal */
export const secretQueryNames: ReadonlyArray<string> = [...tokenQueryNames, quickConnectSecret]

/** @internal */
export const isSecretQueryName = (name: string): boolean =>
  isTokenQueryName(name) || name.toLowerCase() === quickConnectSecret

// The header parameters whose values are never secret: they identify the client. Spelled as the
// spec spells them (what nearly every header sends, looked up without making a lower-case copy)
// and in lower case.
const shownParameters: ReadonlySet<string> = new Set(
  Generated.PARAMETERS.filter((p) => !p.secret).flatMap((p) => [p.name, p.name.toLowerCase()])
)

/** @internal */
export const isShownParameter = (key: string): boolean =>
  shownParameters.has(key) || shownParameters.has(key.trim().toLowerCase())

const knownParameters: ReadonlySet<string> = new Set(Generated.PARAMETERS.map((p) => p.name.toLowerCase()))

const knownSchemes: ReadonlySet<string> = new Set(Generated.SCHEMES.map((s) => s.name.toLowerCase()))

// Field names whose values are secrets in MediaBrowser / Emby Connect payloads, forms, queries and
// log lines: AccessToken, AccessKey, ExchangeToken, ConnectAccessKey, SupporterKey, Pw, rawpw,
// Password, api_key, X-Emby-Token, …
const secretFieldName = /token|key|pass|^pw$|rawpw|secret|auth|cookie/i

/** @internal */
export const isSecretFieldName = (name: string): boolean => secretFieldName.test(name)

// -----------------------------------------------------------------------------
// Headers.currentRedactedNames
// -----------------------------------------------------------------------------

const appendNames = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  Arr.appendAll(names, secretHeaderNames.filter((name) => !names.includes(name)))

/** @internal */
export const withRedactedHeaderNames = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, appendNames)

/** @internal */
export const redactHeaderNamesScoped = Effect.locallyScopedWith(Headers.currentRedactedNames, appendNames)

/** @internal */
export const layerRedactedHeaderNames: Layer.Layer<never> = Layer.scopedDiscard(redactHeaderNamesScoped)

// -----------------------------------------------------------------------------
// URLs and requests
// -----------------------------------------------------------------------------

/** @internal */
export const redactUrl = (url: string): string => mapQuery(url, (rawName) => `${rawName}=${placeholder}`, isSecretQueryName)

/** @internal */
export const stripTokenQuery = (url: string): string => mapQuery(url, () => undefined, isTokenQueryName)

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
      // A malformed escape cannot name a parameter we know; keep the raw name.
    }
    const replaced = isSecret(name) ? onSecret(rawName, pair) : pair
    if (replaced !== pair) changed = true
    if (replaced !== undefined) pairs.push(replaced)
  }
  if (!changed) return url
  return url.slice(0, pairs.length > 0 ? query + 1 : query) + pairs.join("&") + url.slice(end)
}

/** @internal */
export const hasSecretQuery = (request: HttpClientRequest.HttpClientRequest): boolean =>
  request.urlParams.some(([name]) => isSecretQueryName(name)) || redactUrl(request.url) !== request.url

/** A copy of `request` with some of its parts replaced (the platform has no "remove header"). @internal */
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

const redactUrlParams = (params: UrlParams.UrlParams): UrlParams.UrlParams =>
  params.some(([name]) => isSecretQueryName(name))
    ? params.map(([name, value]) => (isSecretQueryName(name) ? [name, placeholder] as const : [name, value] as const))
    : params

/**
 * A copy of `request` that is safe to keep in an error. Errors outlive the fiber whose
 * `currentRedactedNames` would have hidden the headers (e.g. `JSON.stringify(error)` after
 * `runPromise`), so the values must not be there at all.
 *
 * @internal
 */
export const scrubRequest = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
  let headers = request.headers
  for (const name of secretHeaderNames) {
    if (headers[name] !== undefined) headers = Headers.set(headers, name, placeholder)
  }
  return withParts(request, { url: redactUrl(request.url), urlParams: redactUrlParams(request.urlParams), headers })
}

/**
 * A view of `response` whose `request` is `request` (a scrubbed copy); body, status and headers
 * are read from the original through the prototype chain.
 *
 * @internal
 */
export const scrubResponse = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest
): HttpClientResponse.HttpClientResponse => {
  // The platform's own `toJSON` reaches the original request through a wrapper.
  const toJSON = () => ({ _id: "@effect/platform/HttpClientResponse", request: request.toJSON(), status: response.status })
  // Reading the body fails with errors that carry the original request: scrub them too.
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

/** Rebuilds an `HttpClientError` around a scrubbed request (and response view). @internal */
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

/** Masks what the server's tracer recorded on `current` and the spans enclosing it. @internal */
export const scrubSpans = (current: Option.Option<Tracer.AnySpan>): void => {
  let span = current
  while (Option.isSome(span) && span.value._tag === "Span") {
    const value = span.value
    for (const [key, attribute] of value.attributes) {
      if (typeof attribute !== "string") continue
      if (key === "url.full") {
        const masked = redactUrl(attribute)
        if (masked !== attribute) value.attribute(key, masked)
      } else if (key === "url.query") {
        const masked = redactUrl(`?${attribute}`).slice(1)
        if (masked !== attribute) value.attribute(key, masked)
      } else if (secretHeaderAttributes.has(key) && attribute !== placeholder) {
        // The platform writes a redacted header as `String(redacted)`, which is this same placeholder.
        value.attribute(key, placeholder)
      }
    }
    span = value.parent
  }
}

/** @internal */
export const scrubEnclosingSpans: Effect.Effect<void> = Effect.map(Effect.serviceOption(Tracer.ParentSpan), scrubSpans)

// -----------------------------------------------------------------------------
// Text
// -----------------------------------------------------------------------------

// Only this much of a text is ever examined: excerpts come from the start, so the cut point
// (which could split a secret) can never reach the excerpt.
const scanLength = 64 * 1024

const excerptLength = 240

// `"AccessToken" : "value` with or without the closing quote (truncated bodies), or an unquoted
// scalar. The name group may hold escaped quotes.
const jsonPair = /("((?:[^"\\]|\\.)*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g

// `rawpw=value` in forms and queries, `Token="value"` in headers, `token: value` in log lines.
const assignment = /(\b([A-Za-z_][\w-]*)\s*[=:]\s*)("[^"]*"?|[^&\s,;"]+)/g

// Nothing to hide in an empty or null value; keeping it makes excerpts more useful.
const emptyValue = /^(""|null)$/

const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

// Characters that JSON-escaping and URL-encoding both leave as they are: a secret made of them
// only (a hex token, most keys) has one form.
const sameInEveryForm = /^[\w.!~*'()-]*$/

// The forms a secret value can take in a text: raw, JSON-escaped, URL-encoded (each once).
const variants = (secret: string): ReadonlyArray<string> => {
  if (secret.length === 0) return []
  if (sameInEveryForm.test(secret)) return [secret]
  const forms = [secret]
  const json = JSON.stringify(secret).slice(1, -1)
  if (json !== secret) forms.push(json)
  try {
    const encoded = encodeURIComponent(secret)
    if (!forms.includes(encoded)) forms.push(encoded)
  } catch {
    // lone surrogates cannot be URL-encoded; the raw form still gets replaced
  }
  return forms
}

// Every form of the given secret values, longest first (a secret that contains another is removed
// whole).
const formsOf = (secrets: Iterable<string>, keep: (secret: string) => boolean = () => true): ReadonlyArray<string> => {
  const forms: Array<string> = []
  for (const secret of secrets) if (keep(secret)) forms.push(...variants(secret))
  return forms.sort((a, b) => b.length - a.length)
}

// Replaces every occurrence of the given forms, in their order.
const replaceForms = (text: string, forms: ReadonlyArray<string>, hide: (form: string) => string): string => {
  let out = text
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(hide(form))
  return out
}

/** @internal */
export const scrubValues = (text: string, secrets: ReadonlyArray<string>): string =>
  replaceForms(text, formsOf(secrets), () => placeholder)

// Both field patterns need one of these; most texts (a client name, a version) have neither.
const fieldSeparator = /[=:]/

// The values of secret-looking fields in free text, `hide` applied to each.
const hideFields = (text: string, hide: (value: string, inJson: boolean) => string): string =>
  !fieldSeparator.test(text) ? text : text
    .replace(jsonPair, (whole, prefix: string, name: string, value: string) =>
      isSecretFieldName(name) && !emptyValue.test(value) ? prefix + hide(value, true) : whole)
    .replace(assignment, (whole, prefix: string, name: string, value: string) =>
      isSecretFieldName(name) && !emptyValue.test(value) ? prefix + hide(value, false) : whole)

const redactJsonValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactJsonValue)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretFieldName(k) && v !== null && v !== "" ? placeholder : redactJsonValue(v)
    }
    return out
  }
  return value
}

/** @internal */
export const redactText = (text: string, secrets: ReadonlyArray<string> = []): string => {
  const scanned = text.length > scanLength ? text.slice(0, scanLength) : text
  let out: string
  try {
    out = JSON.stringify(redactJsonValue(JSON.parse(scanned)))
  } catch {
    out = hideFields(scanned, (_, inJson) => inJson ? `"${placeholder}"` : placeholder)
  }
  return scrubValues(out, secrets)
}

/** @internal */
export const excerpt = (body: string, secrets: ReadonlyArray<string> = []): string => {
  const redacted = redactText(body, secrets).trim().replace(/\s+/g, " ").replace(control, "\uFFFD")
  return redacted.length > excerptLength ? `${redacted.slice(0, excerptLength)}…` : redacted
}

/** @internal */
export const safeAddress = (url: URL | string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return redactText(String(url).replace(/[?#].*$/s, "").replace(/\/\/[^/@]*@/, "//"))
  }
}

// -----------------------------------------------------------------------------
// Masking that keeps offsets: every hidden character becomes `*`
// -----------------------------------------------------------------------------

const stars = (text: string): string => text.replace(/[^"\s]/g, "*")

// Short or blank values would mask ordinary text ("a", " "); they are not secrets worth hiding.
const minimumKnownLength = 4

/**
 * `maskText` for many texts with the same known secrets: their forms are worked out once.
 *
 * @internal
 */
export const textMask = (known: Iterable<string> = []): (text: string) => string => {
  const forms = formsOf(known, (secret) => secret.trim().length >= minimumKnownLength)
  return (text) => replaceForms(hideFields(text, stars), forms, starsOf)
}

const starsOf = (form: string): string => "*".repeat(form.length)

/** @internal */
export const maskText = (text: string, known: Iterable<string> = []): string => textMask(known)(text)

/** @internal */
export const maskParameters = (parameters: string): string => {
  let out = ""
  let inQuotes = false
  let segmentStart = 0
  // Whether the text since `segmentStart` is in key position (at the start or after a comma) and
  // whether the current value belongs to a shown parameter.
  let expectingKey = true
  let showValue = false
  for (let i = 0; i < parameters.length; i++) {
    const c = parameters[i]
    if (c === "\"") {
      inQuotes = !inQuotes
    } else if (!inQuotes && (c === "=" || c === ",")) {
      const segment = parameters.slice(segmentStart, i)
      if (c === "=" && expectingKey) {
        // A quoted known name (`"Token"=`) is still shown: the name helps, its value stays hidden.
        out += knownParameters.has(segment.trim().replace(/^"(.*)"$/, "$1").toLowerCase()) ? segment : stars(segment)
        showValue = isShownParameter(segment)
        expectingKey = false
      } else {
        // A value; with "=" the server re-keys here, and the new key's value is hidden.
        out += showValue && isPlainValue(segment) ? segment : stars(segment)
        showValue = false
        expectingKey = c === ","
      }
      out += c
      segmentStart = i + 1
    }
  }
  const last = parameters.slice(segmentStart)
  return out + (showValue && isPlainValue(last) ? last : stars(last))
}

// A shown parameter's value is shown only when it holds no `,`: a segment ends at every comma outside
// quotes, so one inside it means quotes swallowed the parameters after it, Token included
// (`Device="a \"b", Token="…"`), and the whole value is masked.
const isPlainValue = (segment: string): boolean => !segment.includes(",")

// Well-known schemes of other credentials: showing the word helps ("you sent Basic"), the rest is masked.
const otherSchemes: ReadonlySet<string> = new Set(["basic", "bearer", "digest", "negotiate", "token"])

const maskAll = (text: string): string => text.replace(/\S/g, "*")

/** @internal */
export const maskHeader = (value: string): string => {
  const space = value.indexOf(" ")
  if (space < 0) return knownSchemes.has(value.toLowerCase()) ? value : maskAll(value)
  const scheme = value.slice(0, space)
  if (!knownSchemes.has(scheme.toLowerCase())) {
    return (otherSchemes.has(scheme.toLowerCase()) ? scheme : maskAll(scheme)) + maskAll(value.slice(space))
  }
  return value.slice(0, space + 1) + maskParameters(value.slice(space + 1))
}
