import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as OpenApi from "@effect/platform/OpenApi"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as ServerAuthentication from "../src/ServerAuthentication.js"
import { baseUrl, NodeServer, tokenFor, Tokens } from "./utils/server.js"

class Users extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.get("me", "/Users/Me").addSuccess(
      Schema.Struct({ userId: Schema.String, transport: Schema.String, client: Schema.optional(Schema.String) })
    )
  )
  .middleware(ServerAuthentication.HttpApiAuthentication)
{}

class Public extends HttpApiGroup.make("public").add(
  HttpApiEndpoint.get("info", "/System/Info/Public").addSuccess(Schema.Struct({ name: Schema.String }))
) {}

class Api extends HttpApi.make("fake-jellyfin").add(Users).add(Public) {}

const UsersLive = HttpApiBuilder.group(Api, "users", (handlers) =>
  handlers.handle("me", () =>
    Effect.map(ServerAuthentication.Authenticated, ({ credentials, principal }) => ({
      userId: principal._tag === "User" ? principal.userId : principal.name,
      transport: credentials.transport,
      client: credentials.clientInfo.client
    }))))

const PublicLive = HttpApiBuilder.group(Api, "public", (handlers) => handlers.handle("info", () => Effect.succeed({ name: "fake" })))

const ApiLive = HttpApiBuilder.api(Api).pipe(
  Layer.provide([UsersLive, PublicLive]),
  Layer.provide(ServerAuthentication.layerHttpApi({ profile: "jellyfin-12" })),
  Layer.provide(Tokens)
)

const TestLayer = HttpApiBuilder.serve().pipe(
  Layer.provide(ApiLive),
  Layer.provideMerge(NodeServer),
  Layer.merge(FetchHttpClient.layer)
)

layer(TestLayer, { excludeTestServices: true })("ServerAuthentication.HttpApiAuthentication", (it) => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.get(`${yield* baseUrl}${path}`).pipe(HttpClientRequest.setHeaders(headers))
      )
      return { status: response.status, challenge: response.headers["www-authenticate"], body: yield* response.json }
    })

  it.effect("authenticates the header token and provides Authenticated to the handler", () =>
    Effect.gen(function*() {
      const result = yield* get("/Users/Me", {
        Authorization: `MediaBrowser Token="${tokenFor("Authorization")}", Client="api-test"`
      })
      assert.strictEqual(result.status, 200)
      assert.deepStrictEqual(result.body, { userId: "Authorization", transport: "Authorization", client: "api-test" })
    }))

  it.effect("reads the other transports the profile reads (the ApiKey query)", () =>
    Effect.gen(function*() {
      const result = yield* get(`/Users/Me?ApiKey=${tokenFor("ApiKey")}`)
      assert.strictEqual(result.status, 200)
      assert.deepStrictEqual(result.body, { userId: "ApiKey", transport: "ApiKey" })
    }))

  it.effect("answers 401 with the MediaBrowser challenge: no token, ignored legacy token, invalid token", () =>
    Effect.gen(function*() {
      const none = yield* get("/Users/Me")
      assert.deepStrictEqual(none, { status: 401, challenge: "MediaBrowser", body: { _tag: "Unauthorized", reason: "NoToken" } })
      const legacy = yield* get("/Users/Me", { "X-Emby-Token": tokenFor("X-Emby-Token") })
      assert.deepStrictEqual(legacy, { status: 401, challenge: "MediaBrowser", body: { _tag: "Unauthorized", reason: "NoToken" } })
      const invalid = yield* get("/Users/Me", { Authorization: "MediaBrowser Token=\"nope\"" })
      assert.deepStrictEqual(invalid, {
        status: 401,
        challenge: "MediaBrowser",
        body: { _tag: "Unauthorized", reason: "InvalidToken" }
      })
    }))

  it.effect("leaves endpoints without the middleware alone", () =>
    Effect.gen(function*() {
      const result = yield* get("/System/Info/Public")
      assert.strictEqual(result.status, 200)
      assert.strictEqual(result.challenge, undefined)
      assert.deepStrictEqual(result.body, { name: "fake" })
    }))

  it.effect("declares the security scheme and the 401 in the OpenAPI document", () =>
    Effect.sync(() => {
      const spec = OpenApi.fromApi(Api)
      const scheme = spec.components.securitySchemes["mediaBrowser"]
      assert.deepInclude(scheme, { type: "apiKey", in: "header", name: "Authorization" })
      const me = spec.paths["/Users/Me"]?.get
      assert.deepStrictEqual(me?.security, [{ mediaBrowser: [] }])
      assert.property(me?.responses, "401")
    }))
})
