/**
 * The real @jellyfin/sdk (its axios instance, over real sockets) against every Jellyfin persona of
 * the sandbox: sign-in, an authenticated call, and Quick Connect (initiate by POST, authorize on
 * the server, sign in with the secret). The SDK sends `Authorization: MediaBrowser …` only, so it
 * works with legacy authorization off.
 */
import { layerSandbox, Sandbox, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import {
  authenticateUserByName,
  authenticateWithQuickConnect,
  getCurrentUser,
  initiateQuickConnect,
  Jellyfin
} from "./utils/jellyfinSdk.js"

const sdk = new Jellyfin({
  clientInfo: { name: "SDK interop", version: "1.0.0" },
  deviceInfo: { name: "vitest", id: "sdk-interop-device" }
})

layer(layerSandbox({ discovery: false }), { excludeTestServices: true })("@jellyfin/sdk against every Jellyfin persona", (it) => {
  for (const persona of ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12.0"] as const) {
    it.effect(`${persona}: sign-in, current user, Quick Connect`, () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox
        const server = sandbox.servers.find((s) => s.persona === persona)!.server
        const api = sdk.createApi(server.url)
        const signIn = yield* Effect.promise(() =>
          authenticateUserByName(api, SANDBOX_DEMO.users.bob.name, SANDBOX_DEMO.users.bob.password)
        )
        assert.strictEqual(signIn.status, 200)
        api.update({ accessToken: signIn.data.AccessToken! })
        assert.strictEqual((yield* Effect.promise(() => getCurrentUser(api))).data.Name, "bob")

        const anonymous = sdk.createApi(server.url)
        const initiated = yield* Effect.promise(() => initiateQuickConnect(anonymous))
        assert.match(initiated.data.Code, /^\d{6}$/)
        yield* Effect.orDie((server as typeof sandbox.jellyfin).authorizeQuickConnect(initiated.data.Code, "alice"))
        const session = yield* Effect.promise(() => authenticateWithQuickConnect(anonymous, initiated.data.Secret))
        anonymous.update({ accessToken: session.data.AccessToken! })
        assert.strictEqual((yield* Effect.promise(() => getCurrentUser(anonymous))).data.Name, "alice")
      }))
  }
})
