/**
 * The examples of docs/media-server.md, compiled and run against the sandbox. The first test
 * checks that every code block of the document appears here verbatim, so the two stay in step.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import { assertBlocksIn } from "./utils/docs.js"

// --- docs: imports ---------------------------------------------------------------------------
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ClientInfo from "@mbauth/core/ClientInfo"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import { Fault, makeSandbox, SANDBOX_DEMO } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

// --- docs: identify --------------------------------------------------------------------------
// Which server is at this address, and which profile signs its requests?
const identify = (address: string) =>
  Effect.gen(function*() {
    const info = yield* MediaServer.probe(address, { timeout: "5 seconds" })
    const profile = yield* MediaServer.detectProfile(info) // ServerUpdateNeeded if too old
    return { serverId: info.id, name: info.serverName, product: info.product, profile }
  })

// --- docs: set up ----------------------------------------------------------------------------
const me: ClientInfo.ClientInfo = { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "3f9c2a7e" }

export const HomeServerLive = MediaServer.layer({
  address: "http://192.168.1.20:8096",
  profile: "jellyfin-12",
  clientInfo: me
}).pipe(Layer.provide(NodeHttpClient.layerUndici))

// --- docs: sign in ---------------------------------------------------------------------------
const whoAmI = (username: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const server = yield* MediaServer.MediaServer
    const signIn = yield* server.authenticateByName({ username, password })
    // signIn: { user, accessToken: Redacted, serverId, session: { id, deviceId, … } }
    const user = yield* server.currentUser(signIn)
    yield* server.logout(signIn) // the server revokes the token
    return { serverId: signIn.serverId, user: user.name }
  })

// --- docs: exchange --------------------------------------------------------------------------
// Emby Connect account → the user's Emby servers → a local session on each, without server passwords.
const signInEverywhere = (email: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const connect = yield* EmbyConnect.EmbyConnect
    const account = yield* connect.authenticate({ nameOrEmail: email, password })
    const servers = yield* connect.servers(account)
    return yield* Effect.forEach(servers, (linked) =>
      Effect.gen(function*() {
        const address = linked.localAddress ?? linked.remoteAddress ?? ""
        const server = yield* MediaServer.make({ address, profile: "emby", clientInfo: me })
        const session = yield* server.exchange({ connectUserId: account.userId, accessKey: linked.accessKey })
        return { serverId: linked.serverId, userId: session.localUserId, token: session.accessToken }
      }))
  })

// --- docs: quick connect ---------------------------------------------------------------------
// Shows the code, waits for the user to authorize it in an app where they are signed in.
const quickConnect = (show: (code: string) => Effect.Effect<void>) =>
  Effect.flatMap(MediaServer.MediaServer, (server) =>
    server.quickConnect().pipe(
      Stream.tap((event) => event._tag === "CodeCreated" ? show(event.code) : Effect.void),
      Stream.filterMap((event) => event._tag === "SignedIn" ? Option.some(event.signIn) : Option.none()),
      Stream.runHead,
      Effect.flatten
    ))

// --- docs: sandbox ---------------------------------------------------------------------------
const sandboxTour = Effect.gen(function*() {
  const sandbox = yield* makeSandbox() // Connect, Jellyfin 10.11, Jellyfin 12, Emby; free ports
  const { profile } = yield* identify(sandbox.jellyfin12.url) // "jellyfin-12", legacy off
  const server = yield* MediaServer.make({ address: sandbox.jellyfin12.url, profile, clientInfo: me })
  // The next call answers 503 once: GETs are retried, sign-in is not.
  yield* sandbox.jellyfin12.faults.set({ fault: Fault.Status({ status: 503 }), path: "/Users/Me", times: 1 })
  const alice = { username: SANDBOX_DEMO.users.alice.name, password: Redacted.make(SANDBOX_DEMO.users.alice.password) }
  const signIn = yield* server.authenticateByName(alice)
  const user = yield* server.currentUser(signIn)
  // Quick Connect: the user's step in another app, done programmatically.
  const events = yield* server.quickConnect({ interval: "20 millis" }).pipe(
    Stream.tap((event) => event._tag === "CodeCreated" ? sandbox.jellyfin12.authorizeQuickConnect(event.code, "bob") : Effect.void),
    Stream.runCollect
  )
  return { user, events, description: sandbox.description }
}).pipe(Effect.scoped)

// --- end of docs -----------------------------------------------------------------------------

describe("docs/media-server.md", () => {
  it("every code block of the document is in this file", () => {
    assertBlocksIn(new URL("../docs/media-server.md", import.meta.url), new URL(import.meta.url), 7)
  })

  it.scopedLive("the examples run against the sandbox", () =>
    Effect.gen(function*() {
      const tour = yield* sandboxTour
      assert.strictEqual(tour.user.name, "alice")
      assert.deepStrictEqual(Chunk.toReadonlyArray(tour.events).map((e) => e._tag), ["CodeCreated", "Authorized", "SignedIn"])
      assert.include(tour.description, "Sandbox Jellyfin 12")

      const sandbox = yield* makeSandbox()
      const identified = yield* identify(sandbox.emby.url)
      assert.deepStrictEqual(identified, {
        serverId: SANDBOX_DEMO.serverIds.emby,
        name: "Sandbox Emby",
        product: "Emby",
        profile: "emby"
      })

      const jellyfin = MediaServer.layer({ address: sandbox.jellyfin.url, profile: "jellyfin-10.11", clientInfo: me })
      const bob = yield* whoAmI("bob", Redacted.make(SANDBOX_DEMO.users.bob.password)).pipe(Effect.provide(jellyfin))
      assert.deepStrictEqual(bob, { serverId: SANDBOX_DEMO.serverIds.jellyfin, user: "bob" })

      const connect = EmbyConnect.layer({ appName: "my-app", appVersion: "1.0.0", baseUrl: sandbox.connect.serviceUrl })
      const sessions = yield* signInEverywhere(
        SANDBOX_DEMO.connect.alice.email,
        Redacted.make(SANDBOX_DEMO.connect.alice.password)
      ).pipe(Effect.provide(connect))
      assert.deepStrictEqual(sessions.map((s) => s.serverId), [SANDBOX_DEMO.serverIds.emby])

      const shown: Array<string> = []
      const signIn = yield* quickConnect((code) =>
        Effect.zipRight(
          Effect.sync(() => shown.push(code)),
          sandbox.jellyfin.authorizeQuickConnect(code, "alice").pipe(Effect.orDie)
        )
      ).pipe(Effect.provide(MediaServer.layer({
        address: sandbox.jellyfin.url,
        profile: "jellyfin-10.11",
        clientInfo: me,
        quickConnectPollInterval: "20 millis"
      })))
      assert.match(shown[0]!, /^\d{6}$/)
      assert.strictEqual(signIn.user.name, "alice")

      const home = yield* Effect.provide(MediaServer.MediaServer, HomeServerLive)
      assert.strictEqual(home.baseUrl, "http://192.168.1.20:8096/")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
