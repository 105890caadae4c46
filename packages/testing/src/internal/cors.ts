/**
 * CORS as Jellyfin answers it out of the box, so a web page on another origin can use the fakes the
 * way it uses a real server. Jellyfin's `CorsHosts` defaults to `["*"]`
 * (jellyfin/jellyfin `MediaBrowser.Model/Configuration/ServerConfiguration.cs` at 746280af0bd0), and
 * with that default its policy allows any origin, any method and any header, without credentials
 * (`Jellyfin.Server/Models/ServerCorsPolicy.cs` at 3c0484cc9730). ASP.NET Core then answers a
 * preflight with 204 and echoes the requested method and headers, and marks every other response
 * of a cross-origin request `Access-Control-Allow-Origin: *`.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"

export const anyOrigin = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.headers["origin"] === undefined) return yield* app
    const method = request.headers["access-control-request-method"]
    if (request.method === "OPTIONS" && method !== undefined) {
      const headers = request.headers["access-control-request-headers"]
      return HttpServerResponse.empty({
        status: 204,
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": method,
          ...(headers === undefined ? {} : { "access-control-allow-headers": headers })
        }
      })
    }
    return HttpServerResponse.setHeader(yield* app, "access-control-allow-origin", "*")
  })
