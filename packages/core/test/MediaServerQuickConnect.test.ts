import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as MediaServer from "@mbauth/core/MediaServer"
import { Fault, makeFakeJellyfin } from "@mbauth/testing"
import { assert, describe, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Capture from "./utils/capture.js"
import { alice, clientFor, USERS } from "./utils/mediaServer.js"

const CONNECT_PATH = "/QuickConnect/Connect"

const setup = (options: Parameters<typeof makeFakeJellyfin>[0] = {}) =>
  Effect.gen(function*() {
    const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: USERS, ...options })
    const tv = yield* clientFor(fake, { clientInfo: { device: "Living room TV", deviceId: "tv-1" } })
    return { fake, tv }
  })

const collect = (stream: Stream.Stream<MediaServer.QuickConnectEvent, unknown>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("Jellyfin Quick Connect", (it) => {
  describe("the stream", () => {
    it.scoped("code created → waiting → authorized → signed in, then no more polls", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        const events = yield* tv.quickConnect().pipe(
          Stream.tap((event) => event._tag === "Waiting" && event.polls === 2 ? fake.authorizeQuickConnect(event.code, "alice") : Effect.void),
          collect
        )
        assert.deepStrictEqual(events.map((e) => e._tag), ["CodeCreated", "Waiting", "Waiting", "Authorized", "SignedIn"])
        const created = events[0]!
        assert.isTrue(created._tag === "CodeCreated" && /^\d{6}$/.test(created.code) && created.expires !== undefined)
        const signedIn = events[4]!
        if (signedIn._tag !== "SignedIn") return assert.fail("expected SignedIn")
        assert.strictEqual(signedIn.signIn.user.name, "alice")
        assert.deepInclude(signedIn.signIn.session, { deviceId: "tv-1", deviceName: "Living room TV" })
        assert.strictEqual((yield* tv.currentUser(signedIn.signIn)).name, "alice")

        const polls = yield* fake.requests.count({ path: CONNECT_PATH })
        assert.strictEqual(polls, 3)
        yield* Effect.sleep("100 millis")
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), polls)
        // The request is used up: the server forgot it.
        assert.strictEqual((yield* fake.quickConnectRequests).length, 0)
      }))

    it.scoped("the secret never leaves the wire: not in events, errors, or the request addresses", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        const capture = Capture.makeCapture()
        const traced = <A, E>(effect: Effect.Effect<A, E>) => Effect.provide(effect, Capture.layer(capture))
        const request = yield* traced(tv.initiateQuickConnect)
        assert.isTrue(Redacted.isRedacted(request.secret))
        const [held] = yield* fake.quickConnectRequests
        assert.strictEqual(Redacted.value(request.secret), held!.secret)
        yield* fake.authorizeQuickConnect(request.code, "alice")
        assert.isTrue(yield* traced(tv.quickConnectStatus(request)))
        const signIn = yield* traced(tv.authenticateWithQuickConnect(request))
        // Spans and logs of the whole exchange (the secret travels in the query of the status poll).
        assert.isAbove(capture.spans.length, 2)
        const recorded = Capture.dump(capture)
        assert.notInclude(recorded, held!.secret)
        assert.notInclude(recorded, Redacted.value(signIn.accessToken))
        yield* fake.faults.set({ fault: Fault.Status({ status: 400, body: `bad ${held!.secret}` }), path: CONNECT_PATH, times: 1 })
        const error = yield* Effect.flip(tv.quickConnectStatus(request))
        assert.strictEqual(error._tag, "UnexpectedResponse")
        assert.notInclude(JSON.stringify(error) + error.message, held!.secret)
      }))

    it.scoped("expiry at the server (404 for a forgotten request) fails with PinExpired and stops polling", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        const error = yield* tv.quickConnect().pipe(
          Stream.tap((event) => event._tag === "Waiting" ? fake.expireQuickConnect(event.code) : Effect.void),
          Stream.runDrain,
          Effect.flip
        )
        assert.deepInclude(error, { _tag: "PinExpired", reason: "ExpiredAtService" })
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 2)
        yield* Effect.sleep("100 millis")
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 2)
      }))

    it.scoped("the server's own lifetime expires a request; the client's deadline ends the wait", () =>
      Effect.gen(function*() {
        const short = yield* setup({ quickConnectLifetime: "60 millis" })
        const atServer = yield* Effect.flip(Stream.runDrain(short.tv.quickConnect({ interval: "20 millis" })))
        assert.deepInclude(atServer, { _tag: "PinExpired", reason: "ExpiredAtService" })

        const { tv } = yield* setup()
        const deadline = yield* Effect.flip(Stream.runDrain(tv.quickConnect({ interval: "20 millis", expireAfter: "70 millis" })))
        assert.deepInclude(deadline, { _tag: "PinExpired", reason: "DeadlineReached" })
      }))

    it.scoped("interrupting the stream between polls: the server sees no poll afterwards", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        const waiting = yield* Deferred.make<void>()
        const fiber = yield* tv.quickConnect({ interval: "50 millis" }).pipe(
          Stream.runForEach((event) => event._tag === "Waiting" && event.polls === 2 ? Deferred.succeed(waiting, undefined) : Effect.void),
          Effect.fork
        )
        yield* Deferred.await(waiting)
        assert.isTrue(Exit.isInterrupted(yield* Fiber.interrupt(fiber)))
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 2)
        yield* Effect.sleep("200 millis")
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 2)
      }))

    it.scoped("interrupting while a poll is in flight aborts it; no poll follows", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        yield* fake.faults.set({ fault: Fault.Latency({ delay: "300 millis" }), path: CONNECT_PATH })
        const fiber = yield* tv.quickConnect().pipe(Stream.runDrain, Effect.fork)
        while ((yield* fake.requests.count({ path: CONNECT_PATH })) < 1) yield* Effect.sleep("5 millis")
        assert.isTrue(Exit.isInterrupted(yield* Fiber.interrupt(fiber)))
        yield* Effect.sleep("400 millis")
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 1)
      }))

    it.scoped("Quick Connect turned off: OperationUnavailable(Disabled), no polling", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup({ quickConnect: false })
        assert.isFalse(yield* tv.quickConnectEnabled)
        const error = yield* Effect.flip(Stream.runDrain(tv.quickConnect()))
        assert.deepInclude(error, { _tag: "OperationUnavailable", reason: "Disabled" })
        assert.include(error.message, "turned off")
        assert.strictEqual(yield* fake.requests.count({ path: CONNECT_PATH }), 0)
        yield* fake.setQuickConnectEnabled(true)
        assert.isTrue(yield* tv.quickConnectEnabled)
      }))
  })

  describe("the single steps", () => {
    it.scoped("a signed-in app authorizes the code; signing in before that is Unauthorized, after it once only", () =>
      Effect.gen(function*() {
        const { fake, tv } = yield* setup()
        const phone = yield* clientFor(fake, { clientInfo: { deviceId: "phone" } })
        const aliceOnPhone = yield* phone.authenticateByName(alice)

        const request = yield* tv.initiateQuickConnect
        assert.isFalse(yield* tv.quickConnectStatus(request))
        const early = yield* Effect.flip(tv.authenticateWithQuickConnect(request))
        assert.deepInclude(early, { _tag: "Unauthorized", status: 401 })
        assert.include(early.message, "start Quick Connect again")

        yield* phone.authorizeQuickConnect(aliceOnPhone, request.code)
        assert.isTrue(yield* tv.quickConnectStatus(request))
        const signIn = yield* tv.authenticateWithQuickConnect(request)
        assert.strictEqual(signIn.user.name, "alice")
        assert.strictEqual(signIn.session?.deviceId, "tv-1")
        // The phone's session is untouched: another device.
        assert.strictEqual((yield* phone.currentUser(aliceOnPhone)).name, "alice")
        const reused = yield* Effect.flip(tv.authenticateWithQuickConnect(request))
        assert.deepInclude(reused, { _tag: "PinExpired", reason: "ExpiredAtService" })

        const unknown = yield* Effect.flip(phone.authorizeQuickConnect(aliceOnPhone, "000000"))
        assert.deepInclude(unknown, { _tag: "QuickConnectCodeUnknown", code: "000000" })
      }))
  })
})
