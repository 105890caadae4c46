import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import * as Redaction from "@mbauth/core/Redaction"
import * as ServerAuthentication from "@mbauth/core/ServerAuthentication"

// Read requests exactly as Jellyfin 12 does (legacy transports off); 401 + `WWW-Authenticate: MediaBrowser` otherwise
export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/Users/Me",
    Effect.gen(function*() {
      const { credentials, principal } = yield* ServerAuthentication.Authenticated
      return yield* HttpServerResponse.json({ principal, client: credentials.clientInfo.client })
    }).pipe(ServerAuthentication.middleware({ profile: "jellyfin-12" }))
  )
)

// The token check is yours: device tokens first, then API keys, as Jellyfin does
const sessions = new Map([["0123456789abcdef0123456789abcdef", "alice"]])
export const Tokens = ServerAuthentication.layerTokenValidator((credentials) => {
  const userId = sessions.get(Redacted.value(credentials.token))
  return userId === undefined
    ? Effect.fail(new ServerAuthentication.TokenRejected({ reason: "Invalid token." }))
    : Effect.succeed(ServerAuthentication.Principal.User({ userId }))
})

export const ServerLive = HttpServer.serve(router).pipe(
  Layer.provide(Tokens),
  Layer.provide(Redaction.layerRedactedHeaderNames),
  Layer.provide(NodeHttpServer.layer(createServer, { port: 8096 }))
)
// NodeRuntime.runMain(Layer.launch(ServerLive))
