/**
 * The examples of docs/connection-manager.md, compiled and run against the sandbox. The first test
 * checks that every code block of the document appears here verbatim, so the two stay in step.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"

// --- docs: imports ---------------------------------------------------------------------------
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ClientInfo from "@mbauth/core/ClientInfo"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
import { makeSandbox, SANDBOX_DEMO } from "@mbauth/testing"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

// --- docs: set up ----------------------------------------------------------------------------
// Credentials in ~/.config/mbauth/credentials.json, Emby Connect and LAN discovery on.
export const ManagerLive = ConnectionManager.layer().pipe(
  Layer.provide(Layer.mergeAll(
    CredentialStore.layerFileConfig(),
    ClientInfo.layer({ client: "My App", version: "1.0.0", device: "Laptop", deviceId: "my-app-laptop-1" }),
    EmbyConnect.layer({ appName: "My App", appVersion: "1.0.0" }), // optional
    ServerDiscovery.layer() // optional
  )),
  Layer.provide(Layer.merge(NodeHttpClient.layerUndici, NodeContext.layer))
)

// --- docs: start -----------------------------------------------------------------------------
const start = Effect.gen(function*() {
  const manager = yield* ConnectionManager.ConnectionManager
  const state = yield* manager.connect()
  return ConnectionManager.ConnectionState.$match(state, {
    SignedIn: ({ connection, user }) => `Welcome back ${user.name} (${connection.serverName})`,
    ServerSignIn: ({ connection, users }) => `Sign in to ${connection.serverName} (${users.length} known users)`,
    ConnectSignIn: () => "Sign in to Emby Connect, or enter a server address",
    ServerSelection: ({ servers }) => `Pick a server: ${servers.map((s) => s.name ?? s.id).join(", ")}`,
    Unavailable: ({ attempts }) => `Not reachable (${attempts.map((a) => a.address).join(", ")})`,
    ServerUpdateNeeded: ({ error }) => error.message
  })
})

// --- docs: add a server ----------------------------------------------------------------------
const addServer = (typed: string, username: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const manager = yield* ConnectionManager.ConnectionManager
    // "media.lan" → https://media.lan, https://media.lan:8096, …, http://media.lan:8096, raced
    const state = yield* manager.connectToAddress(typed)
    if (state._tag !== "ServerSignIn" && state._tag !== "SignedIn") return state
    return yield* manager.signIn(state.connection.serverId, { username, password })
  })

// --- docs: multi-server ----------------------------------------------------------------------
const Me = Schema.Struct({ Name: Schema.String })

const multiServer = Effect.gen(function*() {
  const sandbox = yield* makeSandbox() // fake Connect, Jellyfin 10.10, 10.11 and 12.0, Emby 4.9, a discovery responder
  const manager = yield* ConnectionManager.make().pipe(Effect.provide(Layer.mergeAll(
    CredentialStore.layerMemory(),
    ClientInfo.layer({ client: "My App", version: "1.0.0", device: "Laptop", deviceId: "my-app-laptop-1" }),
    EmbyConnect.layer({ appName: "My App", appVersion: "1.0.0", baseUrl: sandbox.connect.serviceUrl }),
    ServerDiscovery.layer({ port: sandbox.discovery!.port, targets: ["127.0.0.1"] })
  )))
  const { serverIds } = SANDBOX_DEMO

  // 1. Emby Connect: saves the Emby server linked to alice, with its AccessKey.
  yield* manager.connectSignIn({ nameOrEmail: "alice", password: Redacted.make("alice-connect-password") })

  // 2. Connect's list + LAN discovery, then the first server: Emby, signed in by the AccessKey exchange.
  const first = yield* manager.connect()

  // 3. Three more sign-ins at once: alice on both Jellyfin servers, bob on Jellyfin 10.11 as well.
  const alice = { username: "alice", password: Redacted.make("alice-password") }
  const bob = { username: "bob", password: Redacted.make("bob-password") }
  const signedIn = yield* Effect.all([
    manager.signIn(serverIds.jellyfin, alice),
    manager.signIn(serverIds.jellyfin12, alice),
    manager.signIn(serverIds.jellyfin, bob)
  ], { concurrency: "unbounded" })

  // 4. One signed HttpClient per (server, user); relative URLs go to that server's API.
  const whoAmI = (serverId: string, userId?: string) =>
    Effect.gen(function*() {
      const client = yield* manager.client(serverId, userId)
      const me = yield* Effect.flatMap(client.get("Users/Me"), HttpClientResponse.schemaBodyJson(Me))
      return me.Name
    })
  const users = yield* Effect.all([
    whoAmI(serverIds.emby),
    whoAmI(serverIds.jellyfin, signedIn[0].user.id),
    whoAmI(serverIds.jellyfin, signedIn[2].user.id),
    whoAmI(serverIds.jellyfin12)
  ])

  // 5. Bob signs out of Jellyfin 10.11: revoked there, forgotten here; everyone else stays signed in.
  const signOut = yield* manager.signOut(serverIds.jellyfin, signedIn[2].user.id)
  return { first: first._tag, users, revoked: signOut.revoked, servers: (yield* manager.availableServers()).length }
}).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
// → { first: "SignedIn", users: ["alice", "alice", "bob", "alice"], revoked: true, servers: 4 }

// --- docs: strategy --------------------------------------------------------------------------
export const Sequential = ConnectionManager.layer({
  strategy: ConnectionManager.Strategy.Sequential(), // one address after another (the old clients)
  probeTimeout: "8 seconds"
})
export const Racing = ConnectionManager.layer({
  strategy: ConnectionManager.Strategy.Race({ stagger: "100 millis" }), // the default
  secureOnly: true // never use http: addresses
})

// --- docs: health ----------------------------------------------------------------------------
const recommend = (typed: string) =>
  Effect.gen(function*() {
    const reports = yield* ConnectionManager.checkHealth(typed, { slowAfter: "3 seconds" })
    for (const report of reports) {
      // report: { address, responseTime, score: "Great" | "Good" | "Ok" | "Bad", issues, info, profile }
      yield* Effect.log(`${report.address}: ${report.score} ${report.issues.map((i) => i._tag).join(" ")}`)
    }
    return ConnectionManager.bestServer(reports)?.address
  })

// --- end of docs -----------------------------------------------------------------------------

const normalise = (code: string) => code.replace(/\s+/g, " ").trim()

describe("docs/connection-manager.md", () => {
  it("every code block of the document is in this file", () => {
    const doc = fs.readFileSync(new URL("../docs/connection-manager.md", import.meta.url), "utf8")
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    assert.isAtLeast(blocks.length, 7)
    const source = normalise(fs.readFileSync(new URL(import.meta.url), "utf8"))
    for (const block of blocks) assert.include(source, normalise(block))
  })

  it.live("the multi-server example runs against the sandbox", () =>
    Effect.gen(function*() {
      const result = yield* multiServer
      assert.deepStrictEqual(result, { first: "SignedIn", users: ["alice", "alice", "bob", "alice"], revoked: true, servers: 4 })
    }))

  it.scopedLive("the other examples run against the sandbox", () =>
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ discovery: false })
      const layers = Layer.mergeAll(
        CredentialStore.layerMemory(),
        ClientInfo.layer({ client: "My App", version: "1.0.0", device: "Laptop", deviceId: "my-app-laptop-1" })
      )
      const manager = ConnectionManager.layer().pipe(Layer.provide(layers))
      const program = Effect.gen(function*() {
        assert.strictEqual(yield* start, "Pick a server: ")
        const added = yield* addServer(sandbox.jellyfin12.url, "bob", Redacted.make("bob-password"))
        assert.strictEqual(added._tag, "SignedIn")
        assert.strictEqual(yield* start, "Welcome back bob (Sandbox Jellyfin 12)")
        assert.strictEqual(yield* recommend(sandbox.jellyfin.url), sandbox.jellyfin.url)
      })
      yield* program.pipe(Effect.provide(manager))
      // The layers build (the set-up one is only built, not run: it would use the home directory).
      assert.isDefined(ManagerLive)
      yield* Effect.provide(ConnectionManager.ConnectionManager, Sequential.pipe(Layer.provide(layers)))
      yield* Effect.provide(ConnectionManager.ConnectionManager, Racing.pipe(Layer.provide(layers)))
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
