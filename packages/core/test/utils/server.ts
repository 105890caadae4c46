import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import * as Credentials from "../../src/Credentials.js"
import * as ServerAuthentication from "../../src/ServerAuthentication.js"

/** A real HTTP server on 127.0.0.1, random port. */
export const NodeServer = NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })

/** Serves `app` on a fresh 127.0.0.1 server; also provides a fetch-based HttpClient. */
export const layerServing = <E, R>(app: HttpApp.Default<E, R>) =>
  HttpServer.serve(app).pipe(
    Layer.provideMerge(NodeServer),
    Layer.merge(FetchHttpClient.layer)
  )

/** The server's base URL, e.g. `http://127.0.0.1:43210`. */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(
  HttpServer.HttpServer,
  (server) => server.address._tag === "TcpAddress" ? `http://127.0.0.1:${server.address.port}` : "http://invalid"
)

/**
 * The server configurations under test: a route prefix, the profile, and the legacy switch given
 * (undefined = the profile's default).
 */
export const configs = [
  { path: "jellyfin-10.10", profile: "jellyfin-10.10", legacy: undefined },
  { path: "jellyfin-10.11", profile: "jellyfin-10.11", legacy: undefined },
  { path: "jellyfin-10.11-off", profile: "jellyfin-10.11", legacy: false },
  { path: "jellyfin-12", profile: "jellyfin-12", legacy: undefined },
  { path: "jellyfin-12-on", profile: "jellyfin-12", legacy: true },
  { path: "emby", profile: "emby", legacy: undefined }
] as const

export type ConfigPath = (typeof configs)[number]["path"]

/** What a protected route answers: who authenticated, through which transport, with what client info. */
export interface Answer {
  readonly userId: string
  readonly transport: string
  readonly clientInfo: Record<string, string>
  readonly schemeHeader: string | null
}

const answer = Effect.gen(function*() {
  const { credentials, principal } = yield* ServerAuthentication.Authenticated
  const fromTag = yield* Credentials.Credentials
  return yield* HttpServerResponse.json({
    userId: principal._tag === "User" ? principal.userId : `apikey:${principal.name}`,
    transport: credentials.transport,
    clientInfo: credentials.clientInfo,
    schemeHeader: credentials.schemeHeader ?? null,
    sameCredentials: fromTag === credentials
  })
})

/** One protected route per configuration: `GET /<config>/auth`. */
export const matrixRouter = configs.reduce<HttpRouter.HttpRouter<HttpBody.HttpBodyError, ServerAuthentication.TokenValidator>>(
  (router, config) =>
    HttpRouter.get(
      router,
      `/${config.path}/auth`,
      answer.pipe(ServerAuthentication.middleware({ profile: config.profile, legacy: config.legacy }))
    ),
  HttpRouter.empty
)

/** A token per transport, each belonging to a user named after the transport. */
export const tokenFor = (transport: string): string => `tok-${transport.toLowerCase()}`

export const Tokens = ServerAuthentication.layerTokenValidatorFromEntries([
  ...["Authorization", "X-Emby-Authorization", "X-Emby-Token", "X-MediaBrowser-Token", "ApiKey", "api_key"].map(
    (transport) => [tokenFor(transport), ServerAuthentication.Principal.User({ userId: transport })] as const
  ),
  [Redacted.make("api-key-0001"), ServerAuthentication.Principal.ApiKey({ name: "automation" })] as const
])
