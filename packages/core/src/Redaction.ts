/**
 * Keeping secrets out of what is shown: logs, spans, errors, excerpts and echoed input.
 *
 * The names come from the spec's tables: every header transport (`Authorization`,
 * `X-Emby-Authorization`, `X-Emby-Token`, `X-MediaBrowser-Token`) carries a credential, and so do
 * the query transports (`ApiKey`, `api_key`) and the token headers' names used as query parameters
 * (Emby 4.x reads them there too). Emby Connect adds its user-token header, Jellyfin's Quick Connect
 * its `secret` query parameter.
 *
 * Two ways to hide a value: replaced by {@link placeholder} (errors, logs, URLs), or masked with
 * `*` character for character ({@link maskHeader}, {@link maskText}) where a caret must still point
 * at the same place.
 *
 * @example
 * ```ts
 * import * as Redaction from "@mbauth/core/Redaction"
 *
 * Redaction.redactUrl("/socket?ApiKey=abc&x=1") // "/socket?ApiKey=<redacted>&x=1"
 * Redaction.maskHeader('MediaBrowser Client="app", Token="abc"') // 'MediaBrowser Client="app", Token="***"'
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/redaction.js"

/**
 * What stands in for a hidden value wherever a string must: `"<redacted>"`, as `Redacted` renders.
 *
 * @since 0.1.0
 * @category constants
 */
export const placeholder: string = internal.placeholder

/**
 * The header names that carry secrets, lower-case: the spec's header transports and Emby
 * Connect's token headers.
 *
 * @since 0.1.0
 * @category names
 */
export const secretHeaderNames: ReadonlyArray<string> = internal.secretHeaderNames

/**
 * Whether a header carries a secret (any case).
 *
 * @since 0.1.0
 * @category names
 */
export const isSecretHeaderName: (name: string) => boolean = internal.isSecretHeaderName

/**
 * The query parameter names whose values are secrets (compared case-insensitively, as the servers
 * read them): the token parameters and Quick Connect's `secret`.
 *
 * @since 0.1.0
 * @category names
 */
export const secretQueryNames: ReadonlyArray<string> = internal.secretQueryNames

/**
 * Whether a query parameter's value is a secret (any case).
 *
 * @since 0.1.0
 * @category names
 */
export const isSecretQueryName: (name: string) => boolean = internal.isSecretQueryName

/**
 * Whether a query parameter carries the MediaBrowser token (any case): a subset of
 * {@link isSecretQueryName}, the parameters signing replaces.
 *
 * @since 0.1.0
 * @category names
 */
export const isTokenQueryName: (name: string) => boolean = internal.isTokenQueryName

/**
 * Whether an authorization header parameter's value is shown: only the client identity (`Client`,
 * `Version`, `Device`, `DeviceId`, `UserId`, any case). Every other key — `Token`, a misspelt or
 * quoted key, the empty key — may hold a token.
 *
 * @since 0.1.0
 * @category names
 */
export const isShownParameter: (key: string) => boolean = internal.isShownParameter

/**
 * Whether a field of a payload, form or log line looks like it holds a secret (`AccessToken`,
 * `AccessKey`, `Password`, `Pw`, `api_key`, …).
 *
 * @since 0.1.0
 * @category names
 */
export const isSecretFieldName: (name: string) => boolean = internal.isSecretFieldName

/**
 * Runs an effect with {@link secretHeaderNames} added to @effect/platform's
 * `Headers.currentRedactedNames`, so headers logged or traced inside it hide them.
 *
 * @since 0.1.0
 * @category headers
 */
export const withRedactedHeaderNames: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> =
  internal.withRedactedHeaderNames

/**
 * A layer adding {@link secretHeaderNames} to `Headers.currentRedactedNames` for everything it is
 * provided to: a whole program, or an HTTP server layer.
 *
 * @since 0.1.0
 * @category headers
 */
export const layerRedactedHeaderNames: Layer.Layer<never> = internal.layerRedactedHeaderNames

/**
 * `url` (absolute or relative) with the values of secret query parameters replaced by
 * {@link placeholder}; the rest is kept byte for byte.
 *
 * @since 0.1.0
 * @category urls
 */
export const redactUrl: (url: string) => string = internal.redactUrl

/**
 * Whether a client request carries a secret query parameter (in its URL parameters or its URL),
 * e.g. to keep it out of the platform's spans (`HttpClient.withTracerDisabledWhen`).
 *
 * @since 0.1.0
 * @category urls
 */
export const hasSecretQuery: (request: HttpClientRequest.HttpClientRequest) => boolean = internal.hasSecretQuery

/**
 * Masks secrets the platform's HTTP server tracer has already recorded on the spans enclosing the
 * current fiber (secret query parameters in `url.full`/`url.query`, secret headers recorded before
 * their names were registered). Run it first in a handler; exporters read spans when they end.
 *
 * @since 0.1.0
 * @category spans
 */
export const scrubEnclosingSpans: Effect.Effect<void> = internal.scrubEnclosingSpans

/**
 * Text that may be JSON, truncated JSON, a form or free text with the values of secret-looking
 * fields replaced by {@link placeholder}, then every occurrence of `secrets` (raw, JSON-escaped
 * or URL-encoded) too.
 *
 * @since 0.1.0
 * @category text
 */
export const redactText: (text: string, secrets?: ReadonlyArray<string>) => string = internal.redactText

/**
 * A short, single-line, secret-free excerpt of a response body, for an error message.
 *
 * @since 0.1.0
 * @category text
 */
export const excerpt: (body: string, secrets?: ReadonlyArray<string>) => string = internal.excerpt

/**
 * The address of a request as errors show it: scheme, host, port and path (user info, query and
 * fragment dropped).
 *
 * @since 0.1.0
 * @category urls
 */
export const safeAddress: (url: URL | string) => string = internal.safeAddress

/**
 * An authorization header value with everything that may be a secret masked with `*`, keeping its
 * length: structure, known parameter names and the client identity stay; after another scheme
 * (`Bearer`, `Basic`) everything is masked, and a value without a space is masked whole unless it
 * is a scheme name.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskHeader: (value: string) => string = internal.maskHeader

/**
 * A header's parameter list (what follows the scheme) masked as {@link maskHeader} masks it.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskParameters: (parameters: string) => string = internal.maskParameters

/**
 * Free text with the values of secret-looking fields and every occurrence of the `known` secrets
 * (of four characters or more) masked with `*`, keeping its length.
 *
 * @since 0.1.0
 * @category masking
 */
export const maskText: (text: string, known?: Iterable<string>) => string = internal.maskText

/**
 * {@link maskText} for many texts that share the same `known` secrets: the forms each secret can
 * take in a text (raw, JSON-escaped, URL-encoded) are worked out once.
 *
 * @example
 * ```ts
 * import * as Redaction from "@mbauth/core/Redaction"
 *
 * const mask = Redaction.textMask(["4f1c6b0c1e9d"])
 * mask("device of 4f1c6b0c1e9d") // "device of ************"
 * ```
 *
 * @since 0.1.0
 * @category masking
 */
export const textMask: (known?: Iterable<string>) => (text: string) => string = internal.textMask
