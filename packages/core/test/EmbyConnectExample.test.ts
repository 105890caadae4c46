/**
 * The examples of docs/emby-connect.md, compiled and run against the sandbox. The first test
 * checks that every code block of the document appears here verbatim, so the two stay in step.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import { assertBlocksIn } from "./utils/docs.js"

// --- docs: imports ---------------------------------------------------------------------------
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import { Fault, makeFakeEmbyConnect } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

// --- docs: set up ----------------------------------------------------------------------------
// X-Application: my-app/1.0.0 on every call; the real service at https://connect.emby.media/service/.
export const ConnectLive = EmbyConnect.layer({ appName: "my-app", appVersion: "1.0.0" }).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

// --- docs: sign in, list servers, sign out --------------------------------------------------
const listMyServers = (nameOrEmail: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const connect = yield* EmbyConnect.EmbyConnect
    const session = yield* connect.authenticate({ nameOrEmail, password })
    // session: { userId, accessToken: Redacted, user: { id, name, displayName?, email?, … } }
    const servers = yield* connect.servers(session)
    yield* connect.logout(session) // revokes the token at the service
    return servers.map((server) => ({
      serverId: server.serverId, // the server's own Id: the ServerId to keep in context
      name: server.name,
      address: server.remoteAddress ?? server.localAddress,
      guest: server.userType === "Guest"
    }))
  })

// --- docs: PIN sign-in -----------------------------------------------------------------------
// Shows the PIN, waits for the user to enter it at https://emby.media/pin, returns the credentials.
const signInOnTv = (deviceId: string, show: (pin: string, url: string) => Effect.Effect<void>) =>
  Effect.flatMap(EmbyConnect.EmbyConnect, (connect) =>
    connect.signInWithPin({ deviceId }).pipe(
      Stream.tap((event) => event._tag === "PinCreated" ? show(event.pin, event.url) : Effect.void),
      Stream.filterMap((event) => event._tag === "SignedIn" ? Option.some(event.credentials) : Option.none()),
      Stream.runHead,
      Effect.flatten
    ))

// --- docs: policy ----------------------------------------------------------------------------
// 5 s per attempt everywhere, and Emby Connect calls never retried.
export const PolicyLive = ClientPolicy.layer({ timeout: "5 seconds", clients: { EmbyConnect: { retries: 0 } } })

// --- docs: sandbox ---------------------------------------------------------------------------
const sandboxDemo = Effect.gen(function*() {
  const fake = yield* makeFakeEmbyConnect({
    users: [{ name: "alice", email: "alice@example.com", password: "correct horse" }],
    servers: [{ name: "Home", url: "https://home.example.com", users: [{ user: "alice" }] }]
  })
  const connect = yield* EmbyConnect.make({ appName: "my-app", appVersion: "1.0.0", baseUrl: fake.serviceUrl })
  // The next two calls to the service answer 503: the client retries and succeeds.
  yield* fake.faults.set({ fault: Fault.Status({ status: 503 }), times: 2 })
  const session = yield* connect.authenticate({ nameOrEmail: "alice", password: Redacted.make("correct horse") })
  const attempts = yield* fake.requests.count({ path: "/service/user/authenticate" })
  // The user's step on the website, done programmatically (also: POST /service/pin/confirm?pin=&userId=).
  const events = yield* connect.signInWithPin({ deviceId: "tv-1", interval: "20 millis" }).pipe(
    Stream.tap((event) => event._tag === "PinCreated" ? fake.confirmPin(event.pin, "alice") : Effect.void),
    Stream.runCollect
  )
  return { attempts, servers: yield* connect.servers(session), events }
}).pipe(Effect.scoped, Effect.provide(ClientPolicy.layer({ backoff: "10 millis" })))

// --- end of docs -----------------------------------------------------------------------------

describe("docs/emby-connect.md", () => {
  it("every code block of the document is in this file", () => {
    assertBlocksIn(new URL("../docs/emby-connect.md", import.meta.url), new URL(import.meta.url), 5)
  })

  it.scopedLive("the examples run against the sandbox", () =>
    Effect.gen(function*() {
      const demo = yield* sandboxDemo
      assert.strictEqual(demo.attempts, 3)
      assert.strictEqual(demo.servers.length, 1)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(demo.events).map((e) => e._tag),
        ["PinCreated", "Confirmed", "SignedIn"] // confirmed before the first poll
      )

      const fake = yield* makeFakeEmbyConnect({
        users: [{ name: "alice", email: "alice@example.com", password: "pw" }],
        servers: [
          { name: "Home", url: "https://home.example.com", users: [{ user: "alice" }] },
          { name: "Lake", localAddress: "http://10.0.0.2:8096", users: [{ user: "alice", userType: "Guest" }] }
        ]
      })
      const client = EmbyConnect.layer({ appName: "my-app", appVersion: "1.0.0", baseUrl: fake.serviceUrl, pinPollInterval: "20 millis" })
      const servers = yield* listMyServers("alice", Redacted.make("pw")).pipe(Effect.provide(client))
      assert.deepStrictEqual(servers.map((s) => [s.name, s.address, s.guest]), [
        ["Home", "https://home.example.com", false],
        ["Lake", "http://10.0.0.2:8096", true]
      ])
      assert.strictEqual(servers[0]!.serverId.length, 32)

      const shown: Array<string> = []
      const credentials = yield* signInOnTv("tv-2", (pin, url) =>
        Effect.zipRight(Effect.sync(() => shown.push(`${url} ${pin}`)), fake.confirmPin(pin, "alice").pipe(Effect.orDie))
      ).pipe(Effect.provide(client))
      assert.match(shown[0]!, /^https:\/\/emby\.media\/pin \d{5}$/)
      assert.isTrue(Option.isSome(yield* fake.tokenOwner(Redacted.value(credentials.accessToken))))

      const policy = yield* Effect.provide(ClientPolicy.ClientPolicy, PolicyLive)
      assert.strictEqual(policy.forClient("EmbyConnect").retries, 0)
      assert.strictEqual((yield* Effect.provide(EmbyConnect.EmbyConnect, ConnectLive)).baseUrl, EmbyConnect.DEFAULT_BASE_URL)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
