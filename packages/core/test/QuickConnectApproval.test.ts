/**
 * Quick Connect approval from a signed-in client (`POST /QuickConnect/Authorize?code=`) against the
 * sandbox's Jellyfin personas: the code signs the new device in as the approving user; unknown,
 * expired and used codes, Quick Connect turned off and a revoked token are told apart.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeSandboxPersonas, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as MediaServer from "../src/MediaServer.js"
import { CLIENT } from "./utils/manager.js"

const alice = { username: SANDBOX_DEMO.users.alice.name, password: Redacted.make(SANDBOX_DEMO.users.alice.password) }

const setup = (persona: "jellyfin-10.11" | "jellyfin-12.0" | "emby-4.9") =>
  Effect.gen(function*() {
    const running = yield* makeSandboxPersonas({ personas: [persona] })
    const server = running.servers[0]!.server
    const profile = persona === "emby-4.9" ? "emby" as const : persona === "jellyfin-12.0" ? "jellyfin-12" as const : "jellyfin-10.11" as const
    const phone = yield* MediaServer.make({ address: server.url, profile, clientInfo: { ...CLIENT, deviceId: "phone" } })
    const tv = yield* MediaServer.make({ address: server.url, profile, clientInfo: { ...CLIENT, deviceId: "tv" } })
    const signedIn = yield* phone.authenticateByName(alice)
    return { server, phone, tv, signedIn }
  })

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("Quick Connect approval", (it) => {
  for (const persona of ["jellyfin-10.11", "jellyfin-12.0"] as const) {
    it.scoped(`${persona}: the approved code signs the TV in as alice; approving it again is not retried`, () =>
      Effect.gen(function*() {
        const { phone, server, signedIn, tv } = yield* setup(persona)
        const request = yield* tv.initiateQuickConnect
        yield* phone.authorizeQuickConnect(signedIn, request.code)
        const session = yield* tv.authenticateWithQuickConnect(request)
        assert.strictEqual(session.user.name, "alice")
        const before = yield* server.requests.count({ path: "/QuickConnect/Authorize" })
        const used = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, request.code))
        assert.strictEqual(used._tag, "QuickConnectCodeUnknown")
        assert.strictEqual((yield* server.requests.count({ path: "/QuickConnect/Authorize" })) - before, 1)
      }))
  }

  it.scoped("a code approved twice before it is used: the server's 500, sent once", () =>
    Effect.gen(function*() {
      const { phone, server, signedIn, tv } = yield* setup("jellyfin-12.0")
      const request = yield* tv.initiateQuickConnect
      yield* phone.authorizeQuickConnect(signedIn, request.code)
      const again = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, request.code))
      assert.deepInclude(again, { _tag: "UnexpectedResponse", status: 500 })
      assert.strictEqual(yield* server.requests.count({ path: "/QuickConnect/Authorize" }), 2)
    }))

  it.scoped("unknown and expired codes: QuickConnectCodeUnknown with what to do", () =>
    Effect.gen(function*() {
      const { phone, server, signedIn, tv } = yield* setup("jellyfin-12.0")
      const unknown = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, "000000"))
      assert.strictEqual(unknown._tag, "QuickConnectCodeUnknown")
      assert.include(unknown.message, "Start Quick Connect again on the new device")
      const request = yield* tv.initiateQuickConnect
      yield* Effect.orDie((server as typeof server & { expireQuickConnect: (c: string) => Effect.Effect<void, unknown> }).expireQuickConnect(request.code))
      assert.strictEqual((yield* Effect.flip(phone.authorizeQuickConnect(signedIn, request.code)))._tag, "QuickConnectCodeUnknown")
    }))

  it.scoped("Quick Connect off: OperationUnavailable(Disabled); a revoked token: Unauthorized", () =>
    Effect.gen(function*() {
      const { phone, server, signedIn } = yield* setup("jellyfin-12.0")
      const jellyfin = server as typeof server & { setQuickConnectEnabled: (on: boolean) => Effect.Effect<void> }
      yield* jellyfin.setQuickConnectEnabled(false)
      const disabled = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, "123456"))
      assert.deepInclude(disabled, { _tag: "OperationUnavailable", reason: "Disabled" })
      yield* jellyfin.setQuickConnectEnabled(true)
      yield* server.revoke(Redacted.value(signedIn.accessToken))
      const revoked = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, "123456"))
      assert.strictEqual(revoked._tag, "Unauthorized")
    }))

  it.scoped("Emby has no Quick Connect", () =>
    Effect.gen(function*() {
      const { phone, signedIn } = yield* setup("emby-4.9")
      const error = yield* Effect.flip(phone.authorizeQuickConnect(signedIn, "123456"))
      assert.deepInclude(error, { _tag: "OperationUnavailable", reason: "NotSupported" })
    }))
})
