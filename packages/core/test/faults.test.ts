/**
 * Fault injection against the sandbox over real sockets: every fault ends in its documented typed
 * error after a bounded, observed number of attempts; nothing hangs; no secret leaks into errors
 * or logs; interrupting a call while it retries stops it at once.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ClientError from "@mbauth/core/ClientError"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import {
  Fault,
  type FakeEmbyConnectService,
  makeFakeEmbyConnect,
  makeFaults,
  refusedUrl,
  serve
} from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import type * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { assertNoSecrets, CANARY, connectTo, fastPolicy, sandbox, seed, TEST_APP } from "./utils/connect.js"
import { faultCases as cases, faultPolicy, RETRIES } from "./utils/faults.js"

/** Collects every log line (all levels) of an effect. */
const withCapturedLogs = <A, E, R>(lines: Array<string>, effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ annotations, cause, message }) => {
        lines.push(
          Inspectable.format(message),
          Cause.pretty(cause),
          JSON.stringify(HashMap.toEntries(annotations).map(([k, v]) => [k, Inspectable.format(v)]))
        )
      })
    )),
    Logger.withMinimumLogLevel(LogLevel.All)
  )

const secretsOf = (fake: FakeEmbyConnectService) =>
  Effect.map(fake.tokens, (tokens) => [CANARY.password, CANARY.accessKey, CANARY.guestKey, ...tokens])

const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["fetch", FetchHttpClient.layer]
]

for (const [clientName, clientLayer] of clients) {
  layer(clientLayer, { excludeTestServices: true })(`faults with the ${clientName} HttpClient`, (it) => {
    const policy = faultPolicy

    for (const c of cases.filter((c) => clientName === "undici" || c.once !== true)) {
      it.scoped(`${c.name}: ${c.error} after ${c.transient ? RETRIES + 1 : 1} attempt(s) for an idempotent call`, () =>
        Effect.gen(function*() {
          const { connect, fake } = yield* sandbox(seed, { policy })
          const session = yield* connect.authenticate({ nameOrEmail: "alice", password: Redacted.make(CANARY.password) })
          yield* fake.faults.set({ fault: c.fault, path: "/service/servers" })
          const logs: Array<string> = []
          const error = yield* withCapturedLogs(logs, Effect.flip(connect.servers(session)))
          assert.strictEqual(error._tag, c.error, error.message)
          if (c.status !== undefined) assert.strictEqual((error as ClientError.UnexpectedResponse).status, c.status)
          assert.strictEqual(yield* fake.requests.count({ path: "/service/servers" }), c.transient ? RETRIES + 1 : 1)
          const secrets = yield* secretsOf(fake)
          assertNoSecrets(error, secrets)
          for (const line of logs) for (const secret of secrets) assert.notInclude(line, secret)
        }))

      it.scoped(`${c.name}: never retried for a non-idempotent call (PIN exchange)`, () =>
        Effect.gen(function*() {
          const { connect, fake } = yield* sandbox(seed, { policy })
          const pin = yield* connect.createPin("dev")
          yield* fake.confirmPin(pin.pin, "alice")
          yield* fake.faults.set({ fault: c.fault, path: "/service/pin/authenticate" })
          const error = yield* Effect.flip(connect.exchangePin(pin))
          assert.strictEqual(error._tag, c.error, error.message)
          assert.strictEqual(yield* fake.requests.count({ path: "/service/pin/authenticate" }), 1)
          assertNoSecrets(error, yield* secretsOf(fake))
        }))
    }

    it.scoped("malformed JSON around a fresh token: the excerpt never shows it", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox(seed, { policy })
        for (const fault of [Fault.MalformedJson(), Fault.TruncatedJson()]) {
          yield* fake.faults.set(fault)
          const error = yield* Effect.flip(
            connect.authenticate({ nameOrEmail: "alice", password: Redacted.make(CANARY.password) })
          )
          assert.strictEqual(error._tag, "UnexpectedResponse")
          assert.include(error.message, "alice", "the excerpt is there, only secrets are gone")
          assertNoSecrets(error, yield* secretsOf(fake))
        }
      }))

    it.scoped("a 503 burst that ends: the call succeeds after exactly the failed attempts + 1", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox(seed, { policy })
        const session = yield* connect.authenticate({ nameOrEmail: "alice", password: Redacted.make(CANARY.password) })
        yield* fake.faults.set({ fault: Fault.Status({ status: 503 }), times: 2 })
        const servers = yield* connect.servers(session)
        assert.strictEqual(servers.length, 2)
        assert.strictEqual(yield* fake.requests.count({ path: "/service/servers" }), 3)
      }))

    it.scoped("latency under the timeout is just slow", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox(seed, { policy })
        yield* fake.faults.set(Fault.Latency({ delay: "30 millis" }))
        yield* connect.authenticate({ nameOrEmail: "alice", password: Redacted.make(CANARY.password) })
        assert.strictEqual(yield* fake.requests.count(), 1)
      }))

    it.scoped("connection refused: ServerUnreachable after the bounded retries", () =>
      Effect.gen(function*() {
        let attempts = 0
        const url = yield* refusedUrl
        const connect = yield* EmbyConnect.make({ ...TEST_APP, baseUrl: `${url}/service/` }).pipe(
          Effect.provide(fastPolicy(policy)),
          Effect.provideServiceEffect(
            HttpClient.HttpClient,
            Effect.map(HttpClient.HttpClient, HttpClient.tapRequest(() => Effect.sync(() => attempts++)))
          )
        )
        const error = yield* Effect.flip(connect.createPin("dev"))
        assert.strictEqual(error._tag, "ServerUnreachable")
        assert.include(error.message, url)
        assert.strictEqual(attempts, RETRIES + 1)
      }))

    it.scoped("interrupting a call while it retries stops it at once; no attempt follows", () =>
      Effect.gen(function*() {
        const { connect, fake } = yield* sandbox(seed, { policy: { retries: 10, backoff: "100 millis", maxBackoff: "100 millis" } })
        yield* fake.faults.set(Fault.Status({ status: 503 }))
        const fiber = yield* Effect.fork(connect.createPin("dev"))
        while ((yield* fake.requests.count()) < 2) yield* Effect.sleep("5 millis")
        const exit = yield* Fiber.interrupt(fiber)
        assert.isTrue(Exit.isInterrupted(exit))
        const seen = yield* fake.requests.count()
        yield* Effect.sleep("250 millis")
        assert.strictEqual(yield* fake.requests.count(), seen)
      }))
  })
}

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("fault rules and fake servers", (it) => {
  const hello = Effect.succeed(HttpServerResponse.unsafeJson({ hello: "world" }))
  const get = (url: string) =>
    Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(HttpClientRequest.get(url))).pipe(
      Effect.flatMap((response) => Effect.map(response.text, (text) => [response.status, text] as const))
    )

  it.scoped("rules match by method and path, count down and disappear; latency combines with a fault", () =>
    Effect.gen(function*() {
      const server = yield* serve(hello)
      yield* server.faults.set(
        { fault: Fault.Status({ status: 418, body: "teapot" }), path: "/a", times: 2 },
        { fault: Fault.Status({ status: 500 }), method: "POST" },
        { fault: Fault.Latency({ delay: "1 millis" }), path: /^\/b/ }
      )
      assert.deepStrictEqual(yield* get(`${server.url}/A`), [418, "teapot"])
      assert.strictEqual((yield* server.faults.rules).length, 3)
      assert.deepStrictEqual(yield* get(`${server.url}/a`), [418, "teapot"])
      assert.deepStrictEqual(yield* get(`${server.url}/a`), [200, "{\"hello\":\"world\"}"])
      assert.strictEqual((yield* server.faults.rules).length, 2)
      assert.deepStrictEqual(yield* get(`${server.url}/b/c`), [200, "{\"hello\":\"world\"}"])
      yield* server.faults.add(Fault.RateLimit({ retryAfter: "7" }))
      const limited = yield* Effect.flatMap(HttpClient.HttpClient, (c) => c.get(`${server.url}/x`))
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(limited.headers["retry-after"], "7")
      yield* server.faults.clear
      assert.deepStrictEqual(yield* get(`${server.url}/x`), [200, "{\"hello\":\"world\"}"])
      assert.strictEqual(yield* server.requests.count(), 6)
      assert.strictEqual(yield* server.requests.count({ path: "/a" }), 3)
    }))

  it.scoped("two servers can share one fault list", () =>
    Effect.gen(function*() {
      const faults = yield* makeFaults
      const one = yield* serve(hello, { faults })
      const two = yield* serve(hello, { faults })
      yield* faults.set(Fault.Status({ status: 503 }))
      assert.strictEqual((yield* get(one.url))[0], 503)
      assert.strictEqual((yield* get(two.url))[0], 503)
    }))

  it.scoped("a chosen port is used", () =>
    Effect.gen(function*() {
      const port = Number(new URL(yield* refusedUrl).port)
      const server = yield* serve(hello, { port })
      assert.strictEqual(server.port, port)
      assert.strictEqual(server.url, `http://127.0.0.1:${port}`)
    }))

  it.effect("closing the scope stops a server even with a hung request; the client sees the drop", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const fake = yield* makeFakeEmbyConnect(seed).pipe(Scope.extend(scope))
      const connect = yield* connectTo(fake, { policy: { retries: 0, timeout: "30 seconds" } })
      yield* fake.faults.set(Fault.Hang())
      const fiber = yield* Effect.fork(connect.createPin("dev"))
      while ((yield* fake.requests.count()) < 1) yield* Effect.sleep("5 millis")
      yield* Scope.close(scope, Exit.void)
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "ServerUnreachable")
    }))
})
