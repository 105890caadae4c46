/**
 * Requests made by the real @jellyfin/sdk (its axios instance, over a real socket) against a small
 * fake built on ServerAuthentication and Credentials: the sign-in reads the client info the SDK
 * sends with an empty token, the authenticated call is accepted, and the parsed ClientInfo equals
 * what the SDK was configured with.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as ClientInfo from "../src/ClientInfo.js"
import * as Credentials from "../src/Credentials.js"
import * as ServerAuthentication from "../src/ServerAuthentication.js"
import { authenticateUserByName, getCurrentUser, Jellyfin } from "./utils/jellyfinSdk.js"
import { baseUrl, layerServing } from "./utils/server.js"

const profile = "jellyfin-12" as const
const accessToken = "5f0c4a3e9d2b4e7f8a1c6b0d3e2f1a9b"

const LoginBody = Schema.Struct({ Username: Schema.String, Pw: Schema.String })

const router = HttpRouter.empty.pipe(
  HttpRouter.post(
    "/Users/AuthenticateByName",
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      // An anonymous endpoint: no token is needed, but the client info is (the server rejects a
      // sign-in without Client, Device, DeviceId and Version).
      const inspection = Credentials.inspect(request, { profile })
      if (ClientInfo.validate(inspection.clientInfo).length > 0) {
        return HttpServerResponse.text("missing client info", { status: 400 })
      }
      const body = yield* HttpServerRequest.schemaBodyJson(LoginBody)
      if (body.Username !== "alice" || body.Pw !== "wonderland") return HttpServerResponse.empty({ status: 401 })
      return yield* HttpServerResponse.json({
        AccessToken: accessToken,
        ServerId: "server-1",
        User: { Id: "alice-id", Name: "alice" },
        SessionInfo: { ...inspection.clientInfo, hadToken: inspection.hasToken, tokenTransport: inspection.token?.transport }
      })
    }).pipe(Effect.catchTag("ParseError", () => HttpServerResponse.text("bad body", { status: 400 })))
  ),
  HttpRouter.get(
    "/Users/Me",
    Effect.gen(function*() {
      const { credentials, principal } = yield* ServerAuthentication.Authenticated
      return yield* HttpServerResponse.json({
        Id: principal._tag === "User" ? principal.userId : "",
        Name: principal._tag === "User" ? principal.userName : "",
        // Echoes what the server parsed, so the test can compare it with the SDK's configuration.
        Configuration: { ...credentials.clientInfo, transport: credentials.transport }
      })
    }).pipe(ServerAuthentication.middleware({ profile }))
  )
)

const TestLayer = layerServing(router).pipe(
  Layer.provide(
    ServerAuthentication.layerTokenValidatorFromEntries([
      [accessToken, ServerAuthentication.Principal.User({ userId: "alice-id", userName: "alice" })]
    ])
  )
)

layer(TestLayer, { excludeTestServices: true })("@jellyfin/sdk against ServerAuthentication", (it) => {
  // Spaces, a comma, quotes, non-ASCII: what the SDK percent-encodes and the server decodes.
  const clientInfo = { name: "Jellyfin Web (β)", version: "10.11.0" }
  const deviceInfo = { name: "Firefox, \"Nightly\" 125", id: "TW96aWxsYS81LjA=" }
  const expected: ClientInfo.ClientInfo = {
    client: clientInfo.name,
    version: clientInfo.version,
    device: deviceInfo.name,
    deviceId: deviceInfo.id
  }

  it.effect("the SDK signs in (empty Token, client info read) and its signed requests authenticate", () =>
    Effect.gen(function*() {
      const jellyfin = new Jellyfin({ clientInfo, deviceInfo })
      const api = jellyfin.createApi(yield* baseUrl)

      const login = yield* Effect.promise(() => authenticateUserByName(api, "alice", "wonderland"))
      assert.strictEqual(login.status, 200)
      const session = login.data.SessionInfo
      // The SDK sends Token="" before signing in: no token, and the client info exactly as configured.
      assert.deepStrictEqual(session, { ...expected, hadToken: false })

      api.update({ accessToken: login.data.AccessToken! })
      const me = yield* Effect.promise(() => getCurrentUser(api))
      assert.strictEqual(me.status, 200)
      assert.strictEqual(me.data.Id, "alice-id")
      assert.deepStrictEqual(me.data.Configuration, { ...expected, transport: "Authorization" })
    }))

  it.effect("an SDK api with a wrong token gets 401 with the MediaBrowser challenge", () =>
    Effect.gen(function*() {
      const api = new Jellyfin({ clientInfo, deviceInfo }).createApi(yield* baseUrl, "00000000000000000000000000000000")
      const status = yield* Effect.promise(() =>
        getCurrentUser(api).then(
          () => ({ status: 200, challenge: undefined }),
          (error: { response: { status: number; headers: Record<string, string> } }) => ({
            status: error.response.status,
            challenge: error.response.headers["www-authenticate"]
          })
        )
      )
      assert.deepStrictEqual(status, { status: 401, challenge: "MediaBrowser" })
    }))
})
