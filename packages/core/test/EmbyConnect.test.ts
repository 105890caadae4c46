import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import {
  Fault,
  FakeEmbyConnect,
  layerEmbyConnectClient,
  layerFakeEmbyConnect,
  legacyPasswordHash,
  makeFakeEmbyConnect
} from "@mbauth/testing"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as Deferred from "effect/Deferred"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { assertNoSecrets, CANARY, sandbox, seed, SYSTEM_ID, TEST_APP } from "./utils/connect.js"

const alice = { nameOrEmail: "alice", password: Redacted.make(CANARY.password) }

/** Raw HTTP against the fake, for the steps a client never does (the website's PIN confirm). */
const raw = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request))

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("EmbyConnect over real sockets", (it) => {
  describe("authenticate", () => {
    it.scoped("signs in by name or e-mail: real response shape, token redacted, form body, X-Application", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const session = yield* connect.authenticate(alice)
        assert.strictEqual(session.userId, session.user.id)
        assert.deepStrictEqual(session.user, {
          id: session.userId,
          name: "alice",
          displayName: "Alice A.",
          email: "alice@example.com",
          isActive: true // the fake sends the string "true", like the real service
        })
        assert.isTrue(Redacted.isRedacted(session.accessToken))
        assert.isTrue(Option.isSome(yield* fake.tokenOwner(Redacted.value(session.accessToken))))

        const byEmail = yield* connect.authenticate({ ...alice, nameOrEmail: "ALICE@example.com" })
        assert.strictEqual(byEmail.userId, session.userId)

        const [request] = yield* fake.requests.all
        assert.strictEqual(request!.path, "/service/user/authenticate")
        assert.strictEqual(request!.headers["x-application"], "mbauth-test/1.0.0")
        assert.strictEqual(request!.headers["content-type"], "application/x-www-form-urlencoded; charset=UTF-8")
        assert.isUndefined(request!.headers["x-connect-usertoken"])
      }))

    it.scoped("bad credentials are InvalidCredentials (401, and the 404 seen in the wild), never retried", () =>
      Effect.gen(function*() {
        for (const loginFailureStatus of [401, 404] as const) {
          const { connect, fake } = yield* sandbox({ ...seed, loginFailureStatus })
          const wrong = Redacted.make("canary-WRONG-password")
          const error = yield* Effect.flip(connect.authenticate({ nameOrEmail: "alice", password: wrong }))
          assert.deepInclude(error, { _tag: "InvalidCredentials", status: loginFailureStatus })
          assertNoSecrets(error, ["canary-WRONG-password", CANARY.password])
          const unknown = yield* Effect.flip(connect.authenticate({ nameOrEmail: "nobody", password: wrong }))
          assert.strictEqual(unknown._tag, "InvalidCredentials")
          assert.strictEqual(yield* fake.requests.count(), 2)
        }
      }))

    it.scoped("any other 4xx from login is InvalidCredentials too; 5xx is retried", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        yield* fake.faults.set({ fault: Fault.Status({ status: 400 }), times: 1 })
        const error = yield* Effect.flip(connect.authenticate(alice))
        assert.deepInclude(error, { _tag: "InvalidCredentials", status: 400 })
        yield* fake.faults.set({ fault: Fault.Status({ status: 500 }), times: 2 })
        yield* fake.requests.clear
        yield* connect.authenticate(alice)
        assert.strictEqual(yield* fake.requests.count(), 3, "sign-in is marked safe to retry")
      }))

    it.scoped("the fake, like the real service, accepts JSON bodies and the legacy MD5 password", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeEmbyConnect(seed)
        const json = yield* raw(
          HttpClientRequest.post(`${fake.serviceUrl}user/authenticate`).pipe(
            HttpClientRequest.setHeader("X-Application", "third-party/1"),
            HttpClientRequest.bodyUnsafeJson({ nameOrEmail: "bob", rawpw: "bob-password" })
          )
        )
        assert.strictEqual(json.status, 200)
        const body = (yield* json.json) as { AccessToken: string; User: { Name: string } }
        assert.strictEqual(body.User.Name, "bob")
        const legacy = yield* raw(
          HttpClientRequest.post(`${fake.serviceUrl}user/authenticate`).pipe(
            HttpClientRequest.setHeader("X-Application", "old-app/1"),
            HttpClientRequest.bodyUrlParams({ nameOrEmail: "bob", password: legacyPasswordHash("bob-password") })
          )
        )
        assert.strictEqual(legacy.status, 200)
        const noApp = yield* raw(
          HttpClientRequest.post(`${fake.serviceUrl}user/authenticate`).pipe(
            HttpClientRequest.bodyUrlParams({ nameOrEmail: "bob", rawpw: "bob-password" })
          )
        )
        assert.strictEqual(noApp.status, 400, "the fake insists on X-Application")
      }))
  })

  describe("user, servers, logout", () => {
    it.scoped("servers are mapped like the reference clients; waiting invitations are not listed", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const session = yield* connect.authenticate(alice)
        const servers = yield* connect.servers(session)
        assert.strictEqual(servers.length, 2)
        const home = servers.find((s) => s.name === "Home")!
        assert.strictEqual(home.serverId, SYSTEM_ID)
        assert.strictEqual(home.connectServerId, "5001")
        assert.strictEqual(home.remoteAddress, "https://home.example.com:8920")
        assert.strictEqual(home.localAddress, "http://192.168.1.10:8096")
        assert.strictEqual(home.userType, "LinkedUser")
        assert.strictEqual(Redacted.value(home.accessKey), CANARY.accessKey)
        const cabin = servers.find((s) => s.name === "Cabin")!
        assert.strictEqual(cabin.userType, "Guest")
        assert.isUndefined(cabin.remoteAddress, "null Url is absent, not \"null\"")
        assert.isUndefined(cabin.localAddress)

        const bob = yield* connect.authenticate({ nameOrEmail: "bob", password: Redacted.make("bob-password") })
        const bobs = yield* connect.servers(bob)
        assert.deepStrictEqual(bobs.map((s) => [s.name, s.userType]), [["Home", "Guest"]])

        const [request] = yield* fake.requests.filter({ path: "/service/servers" })
        assert.strictEqual(request!.headers["x-connect-usertoken"], Redacted.value(session.accessToken))
        assert.strictEqual(request!.query.userId, session.userId)
      }))

    it.scoped("user() reads the Connect user; an unknown id is UnexpectedResponse 404", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const session = yield* connect.authenticate(alice)
        const me = yield* connect.user(session)
        assert.deepStrictEqual(me, session.user)
        const bob = (yield* fake.users).find((u) => u.name === "bob")!
        const other = yield* connect.user(session, bob.id)
        assert.strictEqual(other.name, "bob")
        assert.isUndefined(other.displayName, "only Id and Name are required")
        const missing = yield* Effect.flip(connect.user(session, "404404"))
        assert.deepInclude(missing, { _tag: "UnexpectedResponse", status: 404 })
      }))

    it.scoped("logout revokes the token at the service; later calls are Unauthorized with recovery advice", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const session = yield* connect.authenticate(alice)
        const token = Redacted.value(session.accessToken)
        yield* connect.logout(session)
        assert.isTrue(Option.isNone(yield* fake.tokenOwner(token)))
        for (const call of [Effect.asVoid(connect.servers(session)), Effect.asVoid(connect.user(session))]) {
          const error = yield* Effect.flip(call)
          assert.deepInclude(error, { _tag: "Unauthorized", status: 401 })
          assert.include(error.message, "Sign in to Emby Connect again")
          assertNoSecrets(error, [token, CANARY.password, CANARY.accessKey])
        }
        yield* fake.requests.clear
        yield* connect.logout(session)
        assert.strictEqual(yield* fake.requests.count(), 1, "signing out twice is fine and not retried")
      }))

    it.scoped("listing another user's servers is refused (403 → Unauthorized)", () =>
      Effect.gen(function*() {
        const { connect } = yield* sandbox()
        const session = yield* connect.authenticate(alice)
        const error = yield* Effect.flip(connect.servers({ ...session, userId: "1" }))
        assert.deepInclude(error, { _tag: "Unauthorized", status: 403 })
      }))
  })

  describe("PIN sign-in", () => {
    it.scoped("createPin / pinStatus / exchangePin step by step, with the website's confirm over HTTP", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox({ ...seed, nextPin: () => "00042" })
        const pin = yield* connect.createPin("device-1")
        assert.deepStrictEqual(pin, { pin: "00042", deviceId: "device-1" }, "leading zeros are kept")
        assert.deepStrictEqual(yield* connect.pinStatus(pin), { pin: "00042", isConfirmed: false, isExpired: false })

        const early = yield* Effect.flip(connect.exchangePin(pin))
        assert.deepInclude(early, { _tag: "UnexpectedResponse", status: 400 })

        // The user signs in on the website and confirms the PIN there.
        const session = yield* connect.authenticate(alice)
        const confirm = yield* raw(
          HttpClientRequest.post(`${fake.serviceUrl}pin/confirm`).pipe(
            HttpClientRequest.setUrlParams({ pin: pin.pin, userId: session.userId }),
            HttpClientRequest.setHeader("X-Connect-UserToken", Redacted.value(session.accessToken))
          )
        )
        assert.strictEqual(confirm.status, 200)
        assert.isTrue((yield* connect.pinStatus(pin)).isConfirmed)

        const exchanged = yield* connect.exchangePin(pin)
        assert.strictEqual(exchanged.userId, session.userId)
        const servers = yield* connect.servers(exchanged)
        assert.strictEqual(servers.length, 2, "the exchanged token works")
        const again = yield* Effect.flip(connect.exchangePin(pin))
        assert.deepInclude(again, { _tag: "UnexpectedResponse", status: 400 })
      }))

    it.scoped("signInWithPin: created → waiting → confirmed → signed in, then stops polling", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const events = yield* connect.signInWithPin({ deviceId: "tv-1" }).pipe(
          Stream.tap((event) =>
            event._tag === "Waiting" && event.polls === 2 ? fake.confirmPin(event.pin, "alice") : Effect.void
          ),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        assert.deepStrictEqual(events.map((e) => e._tag), ["PinCreated", "Waiting", "Waiting", "Confirmed", "SignedIn"])
        const created = events[0]!
        assert.isTrue(created._tag === "PinCreated" && created.url === "https://emby.media/pin" && created.expires !== undefined)
        const signedIn = events[4]!
        assert.isTrue(signedIn._tag === "SignedIn")
        if (signedIn._tag !== "SignedIn") return
        const user = yield* connect.user(signedIn.credentials)
        assert.strictEqual(user.name, "alice")

        const polls = yield* fake.requests.count({ method: "GET", path: "/service/pin" })
        assert.strictEqual(polls, 3)
        yield* Effect.sleep("100 millis")
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), polls)
        const [create] = yield* fake.requests.filter({ method: "POST", path: "/service/pin" })
        assert.strictEqual(create!.headers["x-application"], "mbauth-test/1.0.0")
      }))

    it.scoped("expiry at the service fails with PinExpired and stops polling", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const error = yield* connect.signInWithPin({ deviceId: "tv-2" }).pipe(
          Stream.tap((event) => event._tag === "Waiting" ? fake.expirePin(event.pin) : Effect.void),
          Stream.runDrain,
          Effect.flip
        )
        assert.deepInclude(error, { _tag: "PinExpired", reason: "ExpiredAtService" })
        const polls = yield* fake.requests.count({ method: "GET", path: "/service/pin" })
        assert.strictEqual(polls, 2)
        yield* Effect.sleep("100 millis")
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), polls)
      }))

    it.scoped("a PIN lifetime at the fake expires the PIN on its own", () =>
      Effect.gen(function*() {
        const { connect } = yield* sandbox({ ...seed, pinLifetime: "60 millis" })
        const error = yield* Effect.flip(Stream.runDrain(connect.signInWithPin({ deviceId: "tv-3", interval: "20 millis" })))
        assert.deepInclude(error, { _tag: "PinExpired", reason: "ExpiredAtService" })
      }))

    it.scoped("the client's own deadline ends the wait with PinExpired(DeadlineReached)", () =>
      Effect.gen(function*() {
        const { connect } = yield* sandbox()
        const error = yield* Effect.flip(
          Stream.runDrain(connect.signInWithPin({ deviceId: "tv-4", interval: "20 millis", expireAfter: "70 millis" }))
        )
        assert.deepInclude(error, { _tag: "PinExpired", reason: "DeadlineReached" })
        assert.include(error.message, "was not confirmed in time")
      }))

    it.scoped("interrupting while a poll is in flight aborts it; no poll follows", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        yield* fake.faults.set({ fault: Fault.Latency({ delay: "300 millis" }), method: "GET", path: "/service/pin" })
        const fiber = yield* connect.signInWithPin({ deviceId: "tv-5", interval: "10 millis" }).pipe(
          Stream.runDrain,
          Effect.fork
        )
        while ((yield* fake.requests.count({ method: "GET", path: "/service/pin" })) < 1) yield* Effect.sleep("5 millis")
        const exit = yield* Fiber.interrupt(fiber)
        assert.isTrue(Exit.isInterrupted(exit))
        yield* Effect.sleep("400 millis")
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), 1)
      }))

    it.scoped("interrupting the stream while it waits between polls: the fake sees no poll afterwards", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        const waiting = yield* Deferred.make<number>()
        const fiber = yield* connect.signInWithPin({ deviceId: "tv-6", interval: "50 millis" }).pipe(
          Stream.runForEach((event) => event._tag === "Waiting" && event.polls === 2
            ? Deferred.succeed(waiting, event.polls)
            : Effect.void),
          Effect.fork
        )
        // The second poll has been answered: the stream now sleeps before the third.
        yield* Deferred.await(waiting)
        const exit = yield* Fiber.interrupt(fiber)
        assert.isTrue(Exit.isInterrupted(exit))
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), 2)
        yield* Effect.sleep("200 millis")
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), 2)
      }))

    it.scoped("a 404 from a status poll means 'keep polling' (as the UWP client does)", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox()
        yield* fake.faults.set({ fault: Fault.Status({ status: 404 }), method: "GET", path: "/service/pin", times: 2 })
        const events = yield* connect.signInWithPin({ deviceId: "tv-7" }).pipe(
          Stream.tap((event) => event._tag === "Waiting" && event.polls === 3 ? fake.confirmPin(event.pin, "bob") : Effect.void),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        assert.deepStrictEqual(events.map((e) => e._tag), ["PinCreated", "Waiting", "Waiting", "Waiting", "Confirmed", "SignedIn"])
      }))

    it.scoped("other poll failures end the sign-in with their typed error", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox(seed, { policy: { retries: 1 } })
        yield* fake.faults.set({ fault: Fault.Status({ status: 500 }), method: "GET", path: "/service/pin" })
        const error = yield* Effect.flip(Stream.runDrain(connect.signInWithPin({ deviceId: "tv-8" })))
        assert.deepInclude(error, { _tag: "UnexpectedResponse", status: 500 })
        assert.strictEqual(yield* fake.requests.count({ method: "GET", path: "/service/pin" }), 2)
      }))
  })

  describe("construction", () => {
    it.effect("make rejects an empty application name or a non-http base URL with a ConfigError", () =>
      Effect.gen(function*() {
        for (const options of [
          { appName: "", appVersion: "1" },
          { appName: "a", appVersion: " " },
          { appName: "a\nb", appVersion: "1" },
          { appName: "a", appVersion: "1", baseUrl: "ftp://connect" },
          { appName: "a", appVersion: "1", baseUrl: "::nonsense" }
        ]) {
          const exit = yield* Effect.exit(EmbyConnect.make(options))
          assert.isTrue(Exit.isFailure(exit), JSON.stringify(options))
        }
        const ok = yield* EmbyConnect.make(TEST_APP)
        assert.strictEqual(ok.baseUrl, EmbyConnect.DEFAULT_BASE_URL)
      }))

    it.effect("the layer registers x-connect-usertoken as a redacted header name for the program", () =>
      Effect.gen(function*() {
        yield* EmbyConnect.EmbyConnect
        const names = yield* FiberRef.get(Headers.currentRedactedNames)
        assert.include(names, "x-connect-usertoken")
      }).pipe(Effect.provide(EmbyConnect.layer(TEST_APP))))

    it.effect("layerConfig reads the options from configuration", () =>
      Effect.gen(function*() {
        const connect = yield* EmbyConnect.EmbyConnect
        assert.strictEqual(connect.baseUrl, "http://connect.test/service/")
      }).pipe(
        Effect.provide(EmbyConnect.layerConfig({
          appName: Config.string("APP_NAME"),
          appVersion: Config.string("APP_VERSION"),
          baseUrl: Config.string("CONNECT_URL")
        })),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
          ["APP_NAME", "cfg-app"],
          ["APP_VERSION", "2.0"],
          ["CONNECT_URL", "http://connect.test/service"]
        ])))
      ))
  })
})

const Shared = layerEmbyConnectClient({ pinPollInterval: "10 millis" }).pipe(
  Layer.provideMerge(Layer.mergeAll(layerFakeEmbyConnect(seed), NodeHttpClient.layerUndici)),
  Layer.provide(ClientPolicy.layer({ backoff: "1 millis", timeout: "2 seconds" }))
)

layer(Shared, { excludeTestServices: true })("the sandbox layers", (it) => {
  it.effect("layerEmbyConnectClient points a client at the shared fake", () =>
    Effect.gen(function*() {
      const connect = yield* EmbyConnect.EmbyConnect
      const fake = yield* FakeEmbyConnect
      assert.strictEqual(connect.baseUrl, fake.serviceUrl)
      const session = yield* connect.authenticate(alice)
      assert.strictEqual((yield* connect.servers(session)).length, 2)
      const grant = yield* fake.resolveAccessKey(SYSTEM_ID, CANARY.accessKey)
      assert.isTrue(Option.isSome(grant))
      if (Option.isSome(grant)) assert.strictEqual(grant.value.connectUserId, session.userId)
    }))

  it.effect("resolveAccessKey only accepts a live, active link for that server", () =>
    Effect.gen(function*() {
      const fake = yield* FakeEmbyConnect
      assert.isTrue(Option.isNone(yield* fake.resolveAccessKey(SYSTEM_ID, "wrong-key")))
      assert.isTrue(Option.isNone(yield* fake.resolveAccessKey("0".repeat(32), CANARY.accessKey)))
      const guest = yield* fake.resolveAccessKey(SYSTEM_ID, CANARY.guestKey)
      assert.isTrue(Option.isSome(guest) && guest.value.userType === "Guest")
      const server = yield* fake.addServer({ name: "New" })
      const link = yield* fake.link(server.systemId, { user: "bob", status: "Waiting" })
      assert.isTrue(Option.isNone(yield* fake.resolveAccessKey(server.systemId, link.accessKey)))
      const active = yield* fake.link(server.id, { user: "bob" })
      assert.isTrue(Option.isSome(yield* fake.resolveAccessKey(server.systemId, active.accessKey)))
    }))

  it.effect("programmatic seeding errors are typed", () =>
    Effect.gen(function*() {
      const fake = yield* FakeEmbyConnect
      const duplicate = yield* Effect.flip(fake.addUser({ name: "alice", email: "x@y", password: "p" }))
      assert.strictEqual(duplicate._tag, "FakeConnectError")
      const noPin = yield* Effect.flip(fake.confirmPin("99999", "alice"))
      assert.strictEqual(noPin._tag, "FakeConnectError")
      const noUser = yield* Effect.flip(fake.link(SYSTEM_ID, { user: "nobody" }))
      assert.strictEqual(noUser._tag, "FakeConnectError")
    }))
})

describe("the sandbox under a TestClock", () => {
  const realSleep = (ms: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

  it.scoped("fakes run on real time: latency faults and PIN lifetimes are not frozen by the test clock", () =>
    Effect.gen(function*() {
      // The lifetime leaves room for a loaded machine between createPin and the first status poll.
      const { connect, fake } = yield* sandbox({ ...seed, pinLifetime: "1 second" })
      yield* fake.faults.set({ fault: Fault.Latency({ delay: "20 millis" }), times: 1 })
      const pin = yield* connect.createPin("dev")
      assert.isFalse((yield* connect.pinStatus(pin)).isExpired)
      yield* realSleep(1_100)
      assert.isTrue((yield* connect.pinStatus(pin)).isExpired)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
