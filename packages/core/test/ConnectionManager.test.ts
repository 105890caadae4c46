/**
 * The connection manager against several fake servers at once, over real sockets on 127.0.0.1:
 * Jellyfin 10.11 and 12 and Emby, Connect-linked and direct; several users signed in at once;
 * dead local addresses; ServerId changes; revoked tokens; Connect failures.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import * as DeviceId from "@mbauth/core/DeviceId"
import {
  Fault,
  makeFakeJellyfin,
  makeSandbox,
  refusedUrl,
  SANDBOX_DEMO as DEMO,
  type SandboxService
} from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { CLIENT, harness } from "./utils/manager.js"
import { blackHole, jellyfinInfo, servePublicInfo } from "./utils/publicInfo.js"

const password = (text: string) => Redacted.make(text)
const alice = { username: DEMO.users.alice.name, password: password(DEMO.users.alice.password) }
const bob = { username: DEMO.users.bob.name, password: password(DEMO.users.bob.password) }

const Me = Schema.Struct({ Id: Schema.String, Name: Schema.String })

/** GET Users/Me through a client from the manager. */
const whoAmI = (client: HttpClient.HttpClient) =>
  Effect.flatMap(client.get("Users/Me"), HttpClientResponse.schemaBodyJson(Me)).pipe(Effect.map((me) => me.Name))

const sandbox = makeSandbox({ discovery: false })

const tokenOf = (store: CredentialStore.Service, serverId: string, userId: string) =>
  Effect.map(store.getServer(serverId), (server) =>
    Option.flatMap(server, (s) => Option.fromNullable(Object.values(s.users).find((u) => u.id === userId)?.accessToken)))

const userIdOf = (sb: SandboxService, server: "jellyfin" | "jellyfin12" | "emby", name: string) =>
  Effect.map(sb[server].users, (users) => users.find((u) => u.name === name)!.id)

/** The sandbox with alice and bob signed in to its Jellyfin 10.11 through a fresh manager. */
const aliceAndBobOnJellyfin = Effect.gen(function*() {
  const sb = yield* sandbox
  const { manager, store } = yield* harness()
  yield* manager.connectToAddress(sb.jellyfin.url)
  const a = yield* manager.signIn(DEMO.serverIds.jellyfin, alice)
  const b = yield* manager.signIn(DEMO.serverIds.jellyfin, bob)
  return { sb, manager, store, a, b }
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager", (it) => {
  it.scoped("several servers and users at once: Jellyfin 10.11, Jellyfin 12 and Emby, each client signed for its own", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness()

      const states = yield* Effect.forEach([sb.jellyfin.url, sb.jellyfin12.url, sb.emby.url], (url) =>
        manager.connectToAddress(url), { concurrency: "unbounded" })
      assert.deepStrictEqual(states.map((s) => s._tag), ["ServerSignIn", "ServerSignIn", "ServerSignIn"])
      assert.deepStrictEqual(
        states.map((s) => s._tag === "ServerSignIn" ? [s.connection.serverId, s.connection.profile, s.reason] : []),
        [
          [DEMO.serverIds.jellyfin, "jellyfin-10.11", "NoToken"],
          [DEMO.serverIds.jellyfin12, "jellyfin-12", "NoToken"],
          [DEMO.serverIds.emby, "emby", "NoToken"]
        ]
      )

      // Four sign-ins at once, two of them on the same server.
      const signedIn = yield* Effect.all([
        manager.signIn(DEMO.serverIds.jellyfin, alice),
        manager.signIn(DEMO.serverIds.jellyfin, bob),
        manager.signIn(DEMO.serverIds.jellyfin12, bob),
        manager.signIn(DEMO.serverIds.emby, alice)
      ], { concurrency: "unbounded" })
      assert.deepStrictEqual(signedIn.map((s) => [s.connection.serverName, s.user.name, s.via]), [
        ["Sandbox Jellyfin 10.11", "alice", "Password"],
        ["Sandbox Jellyfin 10.11", "bob", "Password"],
        ["Sandbox Jellyfin 12", "bob", "Password"],
        ["Sandbox Emby", "alice", "Password"]
      ])

      const aliceJf = signedIn[0]!.user.id
      const bobJf = signedIn[1]!.user.id
      const names = yield* Effect.all([
        Effect.flatMap(manager.client(DEMO.serverIds.jellyfin, aliceJf), whoAmI),
        Effect.flatMap(manager.client(DEMO.serverIds.jellyfin, bobJf), whoAmI),
        Effect.flatMap(manager.client(DEMO.serverIds.jellyfin12), whoAmI),
        Effect.flatMap(manager.client(DEMO.serverIds.emby), whoAmI)
      ])
      assert.deepStrictEqual(names, ["alice", "bob", "bob", "alice"])

      // Every server holds exactly the tokens the store has, one per signed-in user.
      const saved = yield* store.listServers
      assert.strictEqual(saved.length, 3)
      for (const server of saved) {
        const fake = server.id === DEMO.serverIds.jellyfin ? sb.jellyfin : server.id === DEMO.serverIds.emby ? sb.emby : sb.jellyfin12
        for (const user of Object.values(server.users)) {
          const owner = yield* fake.tokenOwner(Redacted.value(user.accessToken!))
          assert.deepStrictEqual(owner, Option.some(user.id))
        }
        assert.strictEqual(server.lastConnectionMode, "Manual")
        assert.strictEqual(server.addresses.manual, fake.url)
        assert.strictEqual(server.product, fake.product)
      }

      // Reconnecting checks the saved token and reports SignedIn without a password.
      const again = yield* manager.connectToServer(DEMO.serverIds.jellyfin12)
      assert.strictEqual(again._tag, "SignedIn")
      if (again._tag === "SignedIn") assert.deepStrictEqual([again.user.name, again.via], ["bob", "Token"])
      assert.strictEqual((yield* manager.connections).length, 3)
    }))

  it.scoped("sign-out per (server, user) revokes on the server and leaves the others signed in", () =>
    Effect.gen(function*() {
      const { a, b, manager, sb, store } = yield* aliceAndBobOnJellyfin
      const bobToken = Option.getOrThrow(yield* tokenOf(store, DEMO.serverIds.jellyfin, b.user.id))

      const result = yield* manager.signOut(DEMO.serverIds.jellyfin, b.user.id)
      assert.deepStrictEqual(result, { serverId: DEMO.serverIds.jellyfin, userId: b.user.id, revoked: true, error: undefined })
      assert.isTrue(Option.isNone(yield* sb.jellyfin.tokenOwner(Redacted.value(bobToken))))
      assert.isTrue(Option.isNone(yield* tokenOf(store, DEMO.serverIds.jellyfin, b.user.id)))
      // Bob is still known (a UI can offer "sign in as bob"), alice still signed in.
      const server = Option.getOrThrow(yield* store.getServer(DEMO.serverIds.jellyfin))
      assert.sameMembers(Object.values(server.users).map((u) => u.name), ["alice", "bob"])
      assert.strictEqual(yield* Effect.flatMap(manager.client(DEMO.serverIds.jellyfin, a.user.id), whoAmI), "alice")
      const error = yield* Effect.flip(manager.client(DEMO.serverIds.jellyfin, b.user.id))
      assert.strictEqual(error._tag, "NotSignedIn")
    }))

  it.scoped("sign-out clears the token locally even when the server is unreachable", () =>
    Effect.gen(function*() {
      const { manager, store } = yield* harness()
      const signedIn = yield* Effect.scoped(Effect.gen(function*() {
        const jellyfin = yield* makeFakeJellyfin({ users: [DEMO.users.alice] })
        yield* manager.connectToAddress(jellyfin.url)
        return yield* manager.signIn(jellyfin.id, alice)
      }))
      // The server is gone now.
      const serverId = signedIn.connection.serverId
      const result = yield* manager.signOut(serverId)
      assert.isFalse(result.revoked)
      assert.strictEqual(result.error?._tag, "ServerUnreachable")
      assert.isTrue(Option.isNone(yield* tokenOf(store, serverId, signedIn.user.id)))
    }))

  it.scoped("a revoked token gives ServerSignIn and clears only that token", () =>
    Effect.gen(function*() {
      const { a, b, manager, sb, store } = yield* aliceAndBobOnJellyfin
      const aliceToken = Option.getOrThrow(yield* tokenOf(store, DEMO.serverIds.jellyfin, a.user.id))
      // Signed out from the dashboard.
      assert.isTrue(yield* sb.jellyfin.revoke(Redacted.value(aliceToken)))

      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin, { userId: a.user.id })
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") {
        assert.strictEqual(state.reason, "TokenRevoked")
        assert.strictEqual(state.error?._tag, "Unauthorized")
        assert.sameMembers(state.users.map((u) => u.name), ["alice", "bob"])
      }
      assert.isTrue(Option.isNone(yield* tokenOf(store, DEMO.serverIds.jellyfin, a.user.id)))
      assert.isTrue(Option.isSome(yield* tokenOf(store, DEMO.serverIds.jellyfin, b.user.id)))
      // Without a user asked for, the manager falls back to the one whose token still works.
      const fallback = yield* manager.connectToServer(DEMO.serverIds.jellyfin)
      assert.strictEqual(fallback._tag === "SignedIn" ? fallback.user.name : fallback._tag, "bob")
    }))

  it.scoped("a different server at the saved address is a ServerIdMismatch and the saved credentials stay", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const savedId = "99999999999999999999999999999999"
      const initial = CredentialStore.mergeServer(CredentialStore.empty, {
        id: savedId,
        name: "Old server",
        addresses: { local: sb.jellyfin.url },
        lastUserId: "u1",
        users: [{ id: "u1", name: "alice", accessToken: password("0123456789abcdef0123456789abcdef") }]
      })
      const { manager, store } = yield* harness({ initial })
      const before = yield* store.get

      const error = yield* Effect.flip(manager.connectToServer(savedId))
      assert.strictEqual(error._tag, "ServerIdMismatch")
      if (error._tag === "ServerIdMismatch") {
        assert.deepStrictEqual([error.expected, error.actual, error.address], [savedId, DEMO.serverIds.jellyfin, sb.jellyfin.url])
      }
      assert.deepStrictEqual(yield* store.get, before)
      const clientError = yield* Effect.flip(manager.client(savedId))
      assert.strictEqual(clientError._tag, "ServerIdMismatch")
      assert.deepStrictEqual(yield* store.get, before)

      // The same server reached at another address of its own is fine: the impostor is skipped.
      yield* store.upsertServer({ id: DEMO.serverIds.jellyfin12, addresses: { local: sb.jellyfin.url, remote: sb.jellyfin12.url } })
      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin12)
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") assert.strictEqual(state.connection.mode, "Remote")
    }))

  it.scoped("a server reinstalled at the same address (new ServerId) is reported, not merged", () =>
    Effect.gen(function*() {
      const { manager, store } = yield* harness()
      const port = yield* Effect.scoped(Effect.gen(function*() {
        const first = yield* makeFakeJellyfin({ users: [DEMO.users.alice] })
        yield* manager.connectToAddress(first.url)
        yield* manager.signIn(first.id, alice)
        return first.server.port
      }))
      const firstId = (yield* store.listServers)[0]!.id
      const reinstalled = yield* makeFakeJellyfin({ users: [DEMO.users.alice], port })
      assert.notStrictEqual(reinstalled.id, firstId)
      const error = yield* Effect.flip(manager.connectToServer(firstId))
      assert.strictEqual(error._tag, "ServerIdMismatch")
      const saved = yield* store.listServers
      assert.deepStrictEqual(saved.map((s) => s.id), [firstId])
      assert.isTrue(Object.values(saved[0]!.users).every((u) => u.accessToken !== undefined))
      // Typing the address adds the new server beside the old one.
      const state = yield* manager.connectToAddress(reinstalled.url)
      assert.strictEqual(state._tag, "ServerSignIn")
      assert.sameMembers((yield* store.listServers).map((s) => s.id), [firstId, reinstalled.id])
    }))

  it.scoped("a dead local address does not delay the working remote one", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const dead = yield* blackHole
      const { manager, store } = yield* harness({ manager: { probeTimeout: Duration.hours(1) } })
      yield* store.upsertServer({
        id: DEMO.serverIds.jellyfin,
        addresses: { local: dead.url, remote: sb.jellyfin.url },
        lastConnectionMode: "Local"
      })
      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin)
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") {
        assert.strictEqual(state.connection.mode, "Remote")
        assert.strictEqual(state.connection.address, sb.jellyfin.url)
      }
      assert.strictEqual(dead.accepted.count, 1)
      const saved = Option.getOrThrow(yield* store.getServer(DEMO.serverIds.jellyfin))
      assert.strictEqual(saved.lastConnectionMode, "Remote")
      // The dead local address is kept: it may work again on the home network.
      assert.strictEqual(saved.addresses.local, dead.url)
    }))

  it.scoped("the probe that lost the race is interrupted once connectToServer has its state, in the background", () =>
    Effect.gen(function*() {
      const dead = yield* blackHole
      // The remote answers only once the dead local address has the probe's request.
      const remote = yield* servePublicInfo(() => jellyfinInfo(DEMO.serverIds.jellyfin), dead.requested)
      const { manager, store } = yield* harness({ manager: { probeTimeout: Duration.hours(1) } })
      yield* store.upsertServer({ id: DEMO.serverIds.jellyfin, addresses: { local: dead.url, remote: remote.url } })
      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin)
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") assert.strictEqual(state.connection.mode, "Remote")
      // Its request is aborted all the same: the client closes the connection that carried it.
      yield* dead.requestClosed.pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "request never aborted" }))
    }))

  it.scoped("no address answering is the Unavailable state; connect() then offers ServerSelection", () =>
    Effect.gen(function*() {
      const refused = yield* refusedUrl
      const { manager, store } = yield* harness()
      yield* store.upsertServer({ id: DEMO.serverIds.jellyfin, name: "Away", addresses: { local: refused } })
      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin)
      assert.strictEqual(state._tag, "Unavailable")
      if (state._tag === "Unavailable") {
        assert.deepStrictEqual(state.attempts.map((a) => [a.address, a.mode, a.error._tag]), [[refused, "Local", "ServerUnreachable"]])
      }
      const first = yield* manager.connect()
      assert.strictEqual(first._tag, "ServerSelection")
      if (first._tag === "ServerSelection") assert.deepStrictEqual(first.servers.map((s) => s.name), ["Away"])
      const unknown = yield* Effect.flip(manager.connectToServer("nope"))
      assert.strictEqual(unknown._tag, "UnknownServer")
    }))

  it.scoped("too old a server gives ServerUpdateNeeded", () =>
    Effect.gen(function*() {
      const old = yield* makeFakeJellyfin({ profile: "jellyfin-10.10", version: "10.8.13" })
      const { manager } = yield* harness()
      const state = yield* manager.connectToAddress(old.url)
      assert.strictEqual(state._tag, "ServerUpdateNeeded")
      if (state._tag === "ServerUpdateNeeded") {
        assert.strictEqual(state.error.minimumVersion, "10.10")
        assert.strictEqual(state.serverId, old.id)
      }
    }))

  it.scoped("an invalid typed address is a typed error; a typed host tries its candidates", () =>
    Effect.gen(function*() {
      const { manager } = yield* harness()
      const error = yield* Effect.flip(manager.connectToAddress("ftp://user:pw@host"))
      assert.strictEqual(error._tag, "InvalidAddress")
      assert.notInclude(error.message, "pw@")
      // "127.0.0.1:<port>" without a scheme: https first (refused), then http.
      const sb = yield* sandbox
      const state = yield* manager.connectToAddress(sb.jellyfin.url.replace("http://", ""))
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") assert.strictEqual(state.connection.address, sb.jellyfin.url)
    }))

  it.scoped("Emby Connect: sign-in saves the linked servers, connect() exchanges the AccessKey on every connect", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness({ connect: sb.connect })
      assert.strictEqual((yield* manager.connect())._tag, "ConnectSignIn")

      const signedIn = yield* manager.connectSignIn({
        nameOrEmail: DEMO.connect.alice.email,
        password: password(DEMO.connect.alice.password)
      })
      assert.strictEqual(signedIn.serversError, undefined)
      assert.deepStrictEqual(signedIn.servers.map((s) => s.id), [DEMO.serverIds.emby])
      const saved = signedIn.servers[0]!
      assert.strictEqual(Redacted.value(saved.connect!.accessKey!), DEMO.accessKeys.alice)
      assert.strictEqual(saved.product, "Emby")

      const first = yield* manager.connect()
      assert.strictEqual(first._tag, "SignedIn")
      const aliceId = yield* userIdOf(sb, "emby", "alice")
      if (first._tag === "SignedIn") assert.deepStrictEqual([first.user.id, first.user.name, first.via], [aliceId, "alice", "ConnectExchange"])
      const firstToken = Option.getOrThrow(yield* tokenOf(store, DEMO.serverIds.emby, aliceId))
      assert.deepStrictEqual(yield* sb.emby.tokenOwner(Redacted.value(firstToken)), Option.some(aliceId))
      assert.strictEqual(yield* Effect.flatMap(manager.client(DEMO.serverIds.emby), whoAmI), "alice")

      const second = yield* manager.connect()
      assert.strictEqual(second._tag === "SignedIn" ? second.via : second._tag, "ConnectExchange")
      assert.strictEqual(yield* sb.emby.requests.count({ path: /connect\/exchange$/i }), 2)
      // The AccessKey is what persists; the exchanged token is a fresh session each time.
      const secondToken = Option.getOrThrow(yield* tokenOf(store, DEMO.serverIds.emby, aliceId))
      assert.strictEqual(Redacted.value(Option.getOrThrow(yield* store.getServer(DEMO.serverIds.emby)).connect!.accessKey!), DEMO.accessKeys.alice)
      assert.isTrue(Option.isSome(yield* sb.emby.tokenOwner(Redacted.value(secondToken))))
    }))

  it.scoped("Emby Connect: a failed exchange falls back to ServerSignIn; a failed server list never purges servers", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness({ connect: sb.connect })
      yield* manager.connectSignIn({ nameOrEmail: "alice", password: password(DEMO.connect.alice.password) })
      yield* store.upsertServer({ id: DEMO.serverIds.jellyfin, name: "Direct", addresses: { manual: sb.jellyfin.url } })

      yield* sb.emby.faults.set({ fault: Fault.Status({ status: 401 }), path: /connect\/exchange$/i })
      const state = yield* manager.connectToServer(DEMO.serverIds.emby)
      assert.strictEqual(state._tag, "ServerSignIn")
      if (state._tag === "ServerSignIn") {
        assert.strictEqual(state.reason, "ExchangeFailed")
        assert.strictEqual(state.error?._tag, "Unauthorized")
      }
      yield* sb.emby.faults.clear

      yield* sb.connect.faults.set(Fault.Status({ status: 503 }))
      const refresh = yield* Effect.flip(manager.refreshConnectServers())
      assert.strictEqual(refresh._tag, "UnexpectedResponse")
      const servers = yield* manager.availableServers()
      assert.sameMembers(servers.map((s) => s.id), [DEMO.serverIds.emby, DEMO.serverIds.jellyfin])
      assert.isDefined(Option.getOrThrow(yield* store.getServer(DEMO.serverIds.emby)).connect?.accessKey)
      yield* sb.connect.faults.clear

      // Connect sign-out forgets the identity and the AccessKeys; servers and direct users stay.
      const out = yield* manager.connectSignOut()
      assert.isTrue(out.revoked)
      const after = yield* store.get
      assert.isUndefined(after.connect)
      assert.isUndefined(Option.getOrThrow(CredentialStore.findServer(after, DEMO.serverIds.emby)).connect?.accessKey)
      assert.strictEqual(Object.keys(after.servers).length, 2)
    }))

  it.scoped("Emby Connect PIN sign-in through the manager stores the identity and the servers", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness({ connect: sb.connect })
      const events = yield* manager.connectSignInWithPin({ deviceId: "tv-1", interval: "20 millis" }).pipe(
        Stream.tap((event) => event._tag === "PinCreated" ? sb.connect.confirmPin(event.pin, "bob") : Effect.void),
        Stream.map((event) => event._tag),
        Stream.runCollect
      )
      assert.deepStrictEqual([...events], ["PinCreated", "Confirmed", "SignedIn"])
      const saved = yield* store.get
      assert.isDefined(saved.connect)
      assert.strictEqual(Redacted.value(Option.getOrThrow(CredentialStore.findServer(saved, DEMO.serverIds.emby)).connect!.accessKey!), DEMO.accessKeys.bob)
      const state = yield* manager.connectToServer(DEMO.serverIds.emby)
      assert.strictEqual(state._tag === "SignedIn" ? state.user.name : state._tag, "bob")
    }))

  it.scoped("without an Emby Connect client, Connect calls fail with ConnectUnavailable", () =>
    Effect.gen(function*() {
      const { manager } = yield* harness()
      const error = yield* Effect.flip(manager.connectSignIn({ nameOrEmail: "a", password: password("b") }))
      assert.deepStrictEqual([error._tag, error._tag === "ConnectUnavailable" ? error.reason : ""], ["ConnectUnavailable", "NoClient"])
      assert.strictEqual((yield* manager.connect())._tag, "ServerSelection")
    }))

  it.scoped("connect() finds servers on the LAN and connects to one", () =>
    Effect.gen(function*() {
      const sb = yield* makeSandbox({ ports: { discovery: 0 } })
      const { manager, store } = yield* harness({ discoveryPort: sb.discovery!.port })
      const state = yield* manager.connect()
      assert.strictEqual(state._tag, "ServerSignIn")
      const saved = yield* store.listServers
      assert.sameMembers(saved.map((s) => s.id), Object.values(DEMO.serverIds))
      for (const server of saved) {
        const fake = [sb.jellyfin10, sb.jellyfin, sb.jellyfin12, sb.emby].find((f) => f.id === server.id)!
        assert.strictEqual(server.addresses.local, fake.url)
        assert.strictEqual(server.product, fake.product)
      }
    }))

  it.scoped("Quick Connect through the manager saves the new session", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness()
      yield* manager.connectToAddress(sb.jellyfin.url)
      const events = yield* manager.signInWithQuickConnect(DEMO.serverIds.jellyfin, { interval: "20 millis" }).pipe(
        Stream.tap((event) =>
          event._tag === "CodeCreated" ? Effect.orDie(sb.jellyfin.authorizeQuickConnect(event.code, "bob")) : Effect.void
        ),
        Stream.map((event) => event._tag),
        Stream.runCollect
      )
      assert.strictEqual([...events].at(-1), "SignedIn")
      const bobId = yield* userIdOf(sb, "jellyfin", "bob")
      assert.isTrue(Option.isSome(yield* tokenOf(store, DEMO.serverIds.jellyfin, bobId)))
      assert.strictEqual(yield* Effect.flatMap(manager.client(DEMO.serverIds.jellyfin, bobId), whoAmI), "bob")
    }))

  it.scoped("per-user DeviceIds: each user signs in as its own device", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const installId = yield* DeviceId.generateInstallId
      const { manager } = yield* harness({ manager: { installId } })
      yield* manager.connectToAddress(sb.jellyfin.url)
      yield* manager.signIn(DEMO.serverIds.jellyfin, alice)
      yield* manager.signIn(DEMO.serverIds.jellyfin, bob)
      const devices = yield* sb.jellyfin.devices
      const expected = yield* Effect.all([DeviceId.derive(installId, "alice"), DeviceId.derive(installId, "bob")])
      assert.sameMembers(devices.map((d) => d.deviceId), expected)
      assert.notInclude(devices.map((d) => d.deviceId), CLIENT.deviceId)
    }))

  it.scoped("a new manager on the same store picks up where the last one stopped", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const first = yield* harness()
      yield* first.manager.connectToAddress(sb.jellyfin12.url)
      yield* first.manager.signIn(DEMO.serverIds.jellyfin12, alice)
      const second = yield* harness({ store: first.store })
      const state = yield* second.manager.connect()
      assert.strictEqual(state._tag === "SignedIn" ? `${state.connection.serverName}/${state.user.name}` : state._tag, "Sandbox Jellyfin 12/alice")
      // Health of the saved addresses, as data.
      const reports = yield* second.manager.health(DEMO.serverIds.jellyfin12)
      assert.deepStrictEqual(reports.map((r) => [r.address, r.score]), [[sb.jellyfin12.url, "Great"]])
    }))

  it.scoped("states and errors carry no secrets", () =>
    Effect.gen(function*() {
      const sb = yield* sandbox
      const { manager, store } = yield* harness({ connect: sb.connect })
      yield* manager.connectSignIn({ nameOrEmail: "alice", password: password(DEMO.connect.alice.password) })
      const states = [yield* manager.connect(), yield* manager.connectToAddress(sb.jellyfin.url)]
      states.push(yield* manager.signIn(DEMO.serverIds.jellyfin, alice))
      const bad = yield* Effect.flip(manager.signIn(DEMO.serverIds.jellyfin, { username: "alice", password: password("canary-WRONG-pw") }))
      const tokens = [...(yield* sb.emby.tokens), ...(yield* sb.jellyfin.tokens), ...(yield* sb.connect.tokens)]
      const secrets = [...tokens, DEMO.accessKeys.alice, DEMO.users.alice.password, "canary-WRONG-pw"]
      const saved = yield* store.get
      for (const text of [JSON.stringify(states), String(states.map(String)), JSON.stringify(bad), bad.message, String(saved.connect?.accessToken)]) {
        for (const secret of secrets) assert.notInclude(text, secret)
      }
    }))
})
