// A web page built from the installed tarballs: signs in to the sandbox's Jellyfin 12 with fetch,
// reads /Users/Me, signs out, and keeps its DeviceId in localStorage through a KeyValueStore. The
// result (or the failure) is left on `window.mbauthResult` for the test to read.
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as DeviceId from "@mbauth/core/DeviceId"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

const params = new URLSearchParams(location.search)

const program = Effect.gen(function*() {
  const deviceId = yield* DeviceId.forUser("alice")
  const server = yield* MediaServer.make({
    address: params.get("server") ?? "",
    profile: "jellyfin-12",
    clientInfo: { client: "mbauth browser test", version: "1.0.0", device: "Chromium", deviceId }
  })
  const signIn = yield* server.authenticateByName({
    username: "alice",
    password: Redacted.make(params.get("password") ?? "")
  })
  const me = yield* server.currentUser(signIn)
  yield* server.logout(signIn)
  const afterLogout = yield* Effect.either(server.currentUser(signIn))
  // A browser has no UDP: discovery says so instead of failing to load.
  const discovery = yield* Effect.flip(ServerDiscovery.make().discover({ timeout: "100 millis" }))
  return {
    deviceId,
    sessionDeviceId: signIn.session?.deviceId,
    user: me.name,
    signedOut: afterLogout._tag === "Left",
    discovery: discovery.reason,
    storage: Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key)]))
  }
}).pipe(
  Effect.provide(FetchHttpClient.layer),
  Effect.provide(KeyValueStore.layerStorage(() => localStorage))
)

Effect.runPromise(program).then(
  (result) => Object.assign(window, { mbauthResult: { ok: true, result } }),
  (error: unknown) => Object.assign(window, { mbauthResult: { ok: false, error: String(error) } })
)
