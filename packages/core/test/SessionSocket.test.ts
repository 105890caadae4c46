/**
 * SessionSocket against the fake Jellyfin's `/socket` (authenticating as the persona does, legacy
 * off): messages as a stream, keep-alive answered, reconnects after the server drops the socket,
 * a rejected token ends the stream, and an address that never opens ends it after `maxAttempts`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Socket from "@effect/platform/Socket"
import { makeFakeEmby, makeFakeJellyfin, refusedUrl } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as SessionSocket from "../src/SessionSocket.js"
import * as Capture from "./utils/capture.js"

const Env = Layer.merge(NodeSocket.layerWebSocketConstructor, NodeHttpClient.layerUndici)

const jellyfin12 = makeFakeJellyfin({
  profile: "jellyfin-12",
  users: [{ name: "bob", password: "bob-password" }],
  socketLostTimeout: 1
})

const emby = makeFakeEmby({ users: [{ name: "bob", password: "bob-password" }] })

/** Runs the stream into a queue in a fiber that the scope interrupts when it closes. */
const collect = (
  stream: Stream.Stream<SessionSocket.Event, SessionSocket.SessionSocketError, Socket.WebSocketConstructor | HttpClient.HttpClient>
) =>
  Effect.gen(function*() {
    const events = yield* Queue.unbounded<SessionSocket.Event>()
    const fiber = yield* stream.pipe(Stream.runForEach((e) => Queue.offer(events, e)), Effect.forkScoped)
    return { events, fiber }
  })

/** Waits (polling) until `check` holds; the test's own timeout bounds it. */
const eventually = (check: Effect.Effect<boolean>) =>
  Effect.repeat(check, { until: (ok) => ok, schedule: Schedule.spaced("20 millis") })

// it.live: keep-alive, backoff and the polling below run on the real clock.
describe("SessionSocket", () => {
  it.live("messages arrive as a stream; keep-alive is answered and kept up; ?ApiKey= works with legacy off", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      assert.isFalse(yield* server.legacy)
      const token = yield* Effect.orDie(server.signIn("bob"))
      const { events } = yield* collect(SessionSocket.messages({ address: server.url, profile: "jellyfin-12", token: Redacted.make(token) }))
      assert.deepStrictEqual(yield* Queue.take(events), SessionSocket.Event.Connected({ attempt: 1 }))
      yield* eventually(Effect.map(server.sockets.open, (n) => n === 1))
      yield* server.sockets.broadcast({ MessageType: "UserDataChanged", Data: { UserId: "bob" } })
      const message = yield* Queue.take(events)
      assert.strictEqual(message._tag, "Message")
      if (message._tag === "Message") {
        assert.strictEqual(message.messageType, "UserDataChanged")
        assert.deepStrictEqual(message.data, { UserId: "bob" })
      }
      // ForceKeepAlive(1 s): one KeepAlive at once, then one every half second.
      yield* eventually(Effect.map(server.sockets.keepAlives, (n) => n >= 3))
      const requests = yield* server.requests.filter({ path: "/socket" })
      assert.isTrue(requests.every((r) => r.query.ApiKey === token && r.query.api_key === undefined))
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("the server drops the socket: reconnected (Connected, attempt 2), messages flow again", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const token = yield* Effect.orDie(server.signIn("bob"))
      const { events } = yield* collect(
        SessionSocket.messages({ address: server.url, profile: "jellyfin-12", token: Redacted.make(token), initialDelay: "10 millis" })
      )
      assert.strictEqual((yield* Queue.take(events))._tag, "Connected")
      yield* eventually(Effect.map(server.sockets.open, (n) => n === 1))
      yield* server.sockets.closeAll
      assert.deepStrictEqual(yield* Queue.take(events), SessionSocket.Event.Connected({ attempt: 2 }))
      yield* eventually(Effect.map(server.sockets.open, (n) => n === 1))
      yield* server.sockets.broadcast({ MessageType: "LibraryChanged" })
      const message = yield* Queue.take(events)
      assert.isTrue(message._tag === "Message" && message.messageType === "LibraryChanged")
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("a revoked token ends the stream with TokenRejected, once, without the token in it", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const token = yield* Effect.orDie(server.signIn("bob"))
      yield* server.revoke(token)
      const capture = Capture.makeCapture()
      const error = yield* SessionSocket.messages({ address: server.url, profile: "jellyfin-12", token: Redacted.make(token) }).pipe(
        Stream.runDrain,
        Effect.flip,
        Effect.provide(Capture.layer(capture))
      )
      assert.strictEqual(error.reason, "TokenRejected")
      assert.include(error.message, "Sign in again")
      assert.strictEqual(yield* server.requests.count({ path: "/socket" }), 1)
      assert.notInclude(error.message + Capture.dump(capture), token)
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("nothing listening: Unreachable after maxAttempts opens, with backoff between them", () =>
    Effect.gen(function*() {
      const address = yield* refusedUrl
      const error = yield* SessionSocket.messages({
        address,
        profile: "jellyfin-12",
        token: Redacted.make("0123456789abcdef0123456789abcdef"),
        initialDelay: "5 millis",
        maxDelay: "20 millis",
        maxAttempts: 3
      }).pipe(Stream.runDrain, Effect.flip)
      assert.deepInclude(error, { reason: "Unreachable", attempts: 3 })
      assert.notInclude(error.message, "0123456789abcdef")
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("interrupting the stream closes the socket", () =>
    Effect.gen(function*() {
      const server = yield* jellyfin12
      const token = yield* Effect.orDie(server.signIn("bob"))
      const { events, fiber } = yield* collect(SessionSocket.messages({ address: server.url, profile: "jellyfin-12", token: Redacted.make(token) }))
      yield* Queue.take(events)
      yield* eventually(Effect.map(server.sockets.open, (n) => n === 1))
      yield* Fiber.interrupt(fiber)
      yield* eventually(Effect.map(server.sockets.open, (n) => n === 0))
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("closing a scope that holds the server and a running consumer ends both (no hang)", () =>
    Effect.gen(function*() {
      let sockets: Effect.Effect<number> = Effect.succeed(-1)
      // The server, then the consumer, in one scope, as a test or an app wires them; the scope
      // closes with the socket open, the keep-alive rhythm running and messages in flight.
      const closed = yield* Effect.gen(function*() {
        const server = yield* jellyfin12
        sockets = server.sockets.open
        const token = yield* Effect.orDie(server.signIn("bob"))
        const { events } = yield* collect(SessionSocket.messages({ address: server.url, profile: "jellyfin-12", token: Redacted.make(token) }))
        yield* Queue.take(events)
        yield* eventually(Effect.map(server.sockets.keepAlives, (n) => n >= 2))
        yield* server.sockets.broadcast({ MessageType: "UserDataChanged" })
      }).pipe(
        Effect.scoped,
        // Closing a scope cannot be interrupted: disconnected, so that a hang fails here.
        Effect.disconnect,
        Effect.timeout("5 seconds"),
        Effect.option
      )
      assert.isTrue(Option.isSome(closed), "closing the scope hung")
      assert.strictEqual(yield* sockets, 0)
    }).pipe(Effect.provide(Env)))

  it.live("Emby: /embywebsocket at the root with ?api_key= and &deviceId=, from the server's or the /emby address", () =>
    Effect.gen(function*() {
      const server = yield* emby
      const token = yield* Effect.orDie(server.signIn("bob"))
      for (const address of [server.url, server.apiUrl]) {
        const { events, fiber } = yield* collect(
          SessionSocket.messages({ address, profile: "emby", token: Redacted.make(token), deviceId: "emby-device" })
        )
        assert.deepStrictEqual(yield* Queue.take(events), SessionSocket.Event.Connected({ attempt: 1 }))
        yield* eventually(Effect.map(server.sockets.open, (n) => n === 1))
        yield* server.sockets.broadcast({ MessageType: "LibraryChanged", Data: { ItemsAdded: ["1"] } })
        const message = yield* Queue.take(events)
        assert.isTrue(message._tag === "Message" && message.messageType === "LibraryChanged")
        yield* Fiber.interrupt(fiber)
        yield* eventually(Effect.map(server.sockets.open, (n) => n === 0))
      }
      const requests = yield* server.requests.filter({ path: "/embywebsocket" })
      assert.strictEqual(requests.length, 2)
      assert.isTrue(requests.every((r) => r.query.api_key === token && r.query.deviceId === "emby-device" && r.query.ApiKey === undefined))
      // Emby sends no ForceKeepAlive, so the client sends no KeepAlive.
      assert.strictEqual(yield* server.sockets.keepAlives, 0)
    }).pipe(Effect.scoped, Effect.provide(Env)))

  it.live("Emby: a revoked token ends the stream with TokenRejected (checked at /emby/System/Info)", () =>
    Effect.gen(function*() {
      const server = yield* emby
      const token = yield* Effect.orDie(server.signIn("bob"))
      yield* server.revoke(token)
      const error = yield* SessionSocket.messages({ address: server.url, profile: "emby", token: Redacted.make(token) }).pipe(
        Stream.runDrain,
        Effect.flip
      )
      assert.strictEqual(error.reason, "TokenRejected")
      assert.match(error.address, /\/embywebsocket\?api_key=/)
      assert.notInclude(error.message, token)
      assert.strictEqual(yield* server.requests.count({ path: "/emby/system/info" }), 1)
    }).pipe(Effect.scoped, Effect.provide(Env)))
})
