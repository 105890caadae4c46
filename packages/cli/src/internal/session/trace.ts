/**
 * The trace of `--verbose` (or `MBAUTH_DEBUG=api`, or `--log-level debug`): every HTTP request a
 * command sends and the answer, one debug log line each on stderr, with the time it took. Retries
 * show as the repeated request they are. Only the method, the address and the status are logged,
 * never a header or a body; token query parameters (`api_key=…`) are masked.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Redaction from "@mbauth/core/Redaction"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

// The address with its query (kept apart in the request), token parameters masked by core's
// masking; the logger masks anything else that looks like a secret.
const address = (request: HttpClientRequest.HttpClientRequest): string => {
  const query = UrlParams.toString(request.urlParams)
  return Redaction.redactUrl(query === "" ? request.url : `${request.url}?${query}`)
}

/** A client that logs each request and its answer at debug level. @internal */
export const traced = <E, R>(client: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(client, (effect, request) =>
    Effect.gen(function*() {
      const line = `${request.method} ${address(request)}`
      yield* Effect.logDebug(`→ ${line}`)
      const started = Date.now()
      return yield* effect.pipe(
        Effect.tap((response) => Effect.logDebug(`← ${response.status} ${line} (${Date.now() - started} ms)`)),
        Effect.tapErrorCause(() => Effect.logDebug(`← failed ${line} (${Date.now() - started} ms)`))
      )
    }))

/** Wraps the HttpClient of a layer with {@link traced}. @internal */
export const layer = <E, R>(client: Layer.Layer<HttpClient.HttpClient, E, R>): Layer.Layer<HttpClient.HttpClient, E, R> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, traced)).pipe(Layer.provide(client))
