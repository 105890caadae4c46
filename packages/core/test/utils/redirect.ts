/**
 * An HttpClient that sends every request to a fake server's host and port, whatever host the
 * client under test believes it talks to: how the tests reach "media.example.com" over real sockets.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** The HttpClient in context, redirected to `target` (e.g. a fake's `url`). */
export const redirectedTo = (target: string): Effect.Effect<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) =>
    HttpClient.mapRequest(client, (request) => {
      const url = new URL(request.url)
      const to = new URL(target)
      url.protocol = to.protocol
      url.host = to.host
      return HttpClientRequest.setUrl(request, url.toString())
    }))

/** {@link redirectedTo} as a layer replacing the HttpClient. */
export const layerRedirectedTo = (target: string): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, redirectedTo(target))
