/**
 * The clients follow Jellyfin 12.0 (docs/jellyfin-12-and-emby-4.9.md): no `/emby` prefix towards
 * Jellyfin, Quick Connect initiated by POST, the four client fields checked before anything is sent,
 * and a warning when one DeviceId signs two users in to one server.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeSandboxPersonas, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as DeviceId from "../src/DeviceId.js"
import * as MediaServer from "../src/MediaServer.js"
import * as Capture from "./utils/capture.js"
import { CLIENT, harness } from "./utils/manager.js"

const jellyfin12 = Effect.map(makeSandboxPersonas({ personas: ["jellyfin-12.0"] }), (r) => r.servers[0]!.server)

const bob = { username: SANDBOX_DEMO.users.bob.name, password: Redacted.make(SANDBOX_DEMO.users.bob.password) }
const alice = { username: SANDBOX_DEMO.users.alice.name, password: Redacted.make(SANDBOX_DEMO.users.alice.password) }

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("clients against jellyfin-12.0", (it) => {
  it.scoped("probe, sign-in, Quick Connect, current user and sign-out: no /emby path, initiate by POST", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const info = yield* MediaServer.probe(server.url)
      const client = yield* MediaServer.make({ address: server.url, profile: "jellyfin-12", clientInfo: CLIENT })
      assert.strictEqual(client.baseUrl, `${server.url}/`)
      const signIn = yield* client.authenticateByName(bob)
      assert.strictEqual((yield* client.currentUser(signIn)).name, "bob")
      const request = yield* client.initiateQuickConnect
      assert.match(request.code, /^\d{6}$/)
      yield* client.logout(signIn)
      assert.strictEqual(info.version, "12.0.0")
      const requests = yield* server.requests.all
      assert.deepStrictEqual(requests.filter((r) => /^\/(emby|mediabrowser)\//i.test(r.path)), [])
      assert.deepStrictEqual(
        requests.filter((r) => /quickconnect\/initiate/i.test(r.path)).map((r) => r.method),
        ["POST"]
      )
      // Every sign-in carried all four client fields in the Authorization header.
      const [login] = yield* server.requests.filter({ path: "/Users/AuthenticateByName" })
      for (const field of ["Client=", "Device=", "DeviceId=", "Version="]) assert.include(login!.headers.authorization, field)
    }))

  it.scoped("a missing client field is a typed error and nothing reaches the server", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const error = yield* Effect.flip(
        MediaServer.make({ address: server.url, profile: "jellyfin-12", clientInfo: { ...CLIENT, version: "" } })
      )
      assert.strictEqual(error._tag, "InvalidClientInfo")
      assert.strictEqual(yield* server.requests.count(), 0)
    }))

  it.scoped("one DeviceId for two users of one server: a warning names both; per-user DeviceIds: none", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const capture = Capture.makeCapture()
      const shared = yield* harness()
      yield* shared.manager.connectToAddress(server.url)
      yield* shared.manager.signIn(server.id, bob)
      yield* shared.manager.signIn(server.id, alice).pipe(Effect.provide(Capture.layer(capture)))
      const warning = capture.logs.find((line) => line.includes("DeviceId manager-device-1 now signs alice in"))
      assert.isDefined(warning)
      assert.include(warning, "where bob signed in with it too")

      const separate = Capture.makeCapture()
      const perUser = yield* harness({ manager: { installId: yield* DeviceId.generateInstallId } })
      yield* perUser.manager.connectToAddress(server.url)
      yield* perUser.manager.signIn(server.id, bob)
      yield* perUser.manager.signIn(server.id, alice).pipe(Effect.provide(Capture.layer(separate)))
      assert.isFalse(separate.logs.some((line) => line.includes("now signs")))
    }))
})
