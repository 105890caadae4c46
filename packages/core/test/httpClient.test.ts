import * as ClientError from "@mbauth/core/ClientError"
import * as ClientPolicy from "@mbauth/core/ClientPolicy"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Http from "../src/internal/httpClient.js"
import { assertNoSecrets } from "./utils/connect.js"
import { type Answer, type Call, mockHttp, tick, waitForSleepUntil, waitUntil } from "./utils/mockHttp.js"

const settings = (overrides: ClientPolicy.Overrides = {}) =>
  ClientPolicy.merge(ClientPolicy.defaults, { jitter: false, backoff: "100 millis", timeout: "1 hour", ...overrides })

const build = (script: (call: Call, n: number) => Answer, overrides: ClientPolicy.Overrides = {}, baseUrl = "http://h/base") => {
  const mock = mockHttp(script)
  const client = Http.make(mock.client, {
    service: "Test service",
    baseUrl,
    settings: settings(overrides),
    headers: { "X-Application": "app/1" }
  })
  return { ...mock, client }
}

const ok = (body = "{}"): Answer => ({ status: 200, body, headers: { "content-type": "application/json" } })

describe("internal/httpClient: requests", () => {
  it.effect("resolves paths under the base URL, adds default headers and unwraps secrets only on the wire", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ok())
      yield* client.send({
        method: "POST",
        path: "/Users/AuthenticateByName",
        query: { a: "1", token: Redacted.make("q-secret") },
        headers: { "X-Emby-Token": Redacted.make("h-secret") },
        form: { Username: "alice", Pw: Redacted.make("p w&=") }
      })
      const call = calls[0]!
      assert.strictEqual(call.url.origin + call.url.pathname, "http://h/base/Users/AuthenticateByName")
      assert.strictEqual(call.url.searchParams.get("token"), "q-secret")
      assert.strictEqual(call.request.headers["x-application"], "app/1")
      assert.strictEqual(call.request.headers["x-emby-token"], "h-secret")
      assert.strictEqual(call.request.headers["accept"], "application/json")
      assert.strictEqual(call.body, "Username=alice&Pw=p+w%26%3D")
      assert.strictEqual(
        call.request.body._tag === "Uint8Array" ? call.request.body.contentType : "",
        "application/x-www-form-urlencoded; charset=UTF-8"
      )
    }))

  it.effect("JSON bodies unwrap nested secrets", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ok())
      yield* client.send({ method: "POST", path: "x", json: { Username: "a", Pw: Redacted.make("s3"), list: [Redacted.make("s4")] } })
      assert.deepStrictEqual(JSON.parse(calls[0]!.body), { Username: "a", Pw: "s3", list: ["s4"] })
    }))

  it.effect("registers the MediaBrowser token headers as redacted while a call runs", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ok())
      yield* client.send({ method: "GET", path: "x" })
      for (const name of ["x-emby-token", "x-mediabrowser-token", "x-connect-usertoken", "x-emby-authorization"]) {
        assert.include(calls[0]!.redactedNames, name)
      }
    }))

  it.effect("a header value with a line break is never sent", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ok())
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x", headers: { "X-Emby-Token": Redacted.make("a\r\nb") } }))
      assert.strictEqual(error._tag, "ServerUnreachable")
      assert.include(error.message, "X-Emby-Token header value")
      assert.strictEqual(calls.length, 0)
    }))

  it.effect("an unusable base URL fails every call without sending", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ok(), {}, "ftp://h/")
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x" }))
      assert.strictEqual(error._tag, "ServerUnreachable")
      assert.include(error.message, "unsupported scheme")
      assert.strictEqual(calls.length, 0)
    }))
})

describe("internal/httpClient: status mapping", () => {
  it.effect("401/403 become Unauthorized with recovery advice and are never retried", () =>
    Effect.gen(function*() {
      for (const status of [401, 403]) {
        const { calls, client } = build(() => ({ status }))
        const error = yield* Effect.flip(client.send({ method: "GET", path: "x", recovery: "Do X." }))
        assert.strictEqual(error._tag, "Unauthorized")
        assert.include(error.message, "Do X.")
        assert.strictEqual(calls.length, 1)
      }
      const { client } = build(() => ({ status: 401 }))
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x" }))
      assert.include(error.message, Http.DEFAULT_RECOVERY)
    }))

  it.effect("other 4xx are UnexpectedResponse, not retried; statusError can map them", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 404, body: "nope" }))
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x" }))
      assert.deepInclude(error, { _tag: "UnexpectedResponse", status: 404, excerpt: "nope" })
      assert.strictEqual(calls.length, 1)
      const mapped = yield* Effect.flip(client.send({
        method: "GET",
        path: "x",
        statusError: ({ address, service, status }) =>
          status === 404 ? new ClientError.InvalidCredentials({ service, address, status }) : undefined
      }))
      assert.deepInclude(mapped, { _tag: "InvalidCredentials", status: 404, address: "http://h/base/x" })
    }))

  it.effect("acceptStatus turns a status into a normal answer", () =>
    Effect.gen(function*() {
      const { client } = build(() => ({ status: 401, body: "" }))
      const response = yield* client.send({ method: "POST", path: "x", acceptStatus: [401] })
      assert.strictEqual(response.status, 401)
    }))

  it.effect("secrets the server echoes are scrubbed from excerpts", () =>
    Effect.gen(function*() {
      const { client } = build(() => ({ status: 400, body: "bad request: Pw=hunter2-canary name=alice echo hunter2-canary" }))
      const error = yield* Effect.flip(client.send({ method: "POST", path: "x", form: { Pw: Redacted.make("hunter2-canary") } }))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      assertNoSecrets(error, ["hunter2-canary"])
      assert.include(error.message, "name=alice")
    }))
})

describe("internal/httpClient: decoding", () => {
  const Shape = Schema.Struct({ AccessToken: Schema.Redacted(Schema.String), User: Schema.Struct({ Id: Schema.String }) })

  it.effect("decodes JSON with the schema, ignoring extra fields", () =>
    Effect.gen(function*() {
      const { client } = build(() => ok(JSON.stringify({ AccessToken: "t", User: { Id: "1", Extra: true }, More: 1 })))
      const result = yield* client.json({ method: "GET", path: "x" }, Shape)
      assert.strictEqual(result.User.Id, "1")
      assert.strictEqual(Redacted.value(result.AccessToken), "t")
    }))

  it.effect("shape errors name the path but never the offending value", () =>
    Effect.gen(function*() {
      const { client } = build(() => ok(JSON.stringify({ AccessToken: 987654321, User: { Id: 777777777 } })))
      const error = yield* Effect.flip(client.json({ method: "GET", path: "x" }, Shape))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag !== "UnexpectedResponse") return
      assert.include(error.issue, "AccessToken")
      assert.include(error.issue, "User.Id")
      assertNoSecrets(error, ["987654321"])
    }))

  it.effect("non-JSON, truncated and empty bodies are UnexpectedResponse without quoting the body in the issue", () =>
    Effect.gen(function*() {
      for (const [body, issue] of [
        ["AccessToken=zzzsecretzzz&x=1", "not valid JSON"],
        ["<html>AccessToken=zzzsecretzzz</html>", "a web page (HTML) answered instead of the API"],
        ["{\"AccessToken\":\"zzzsecretzzz", "ends too early"],
        ["", "empty"]
      ] as const) {
        const { calls, client } = build(() => ok(body))
        const error = yield* Effect.flip(client.json({ method: "GET", path: "x" }, Shape))
        assert.strictEqual(error._tag, "UnexpectedResponse")
        if (error._tag === "UnexpectedResponse") assert.include(error.issue, issue)
        assertNoSecrets(error, ["zzzsecretzzz"])
        assert.strictEqual(calls.length, 1, "decode failures are not retried")
      }
    }))

  it.effect("bodies over the limit are refused, announced or not", () =>
    Effect.gen(function*() {
      const big = "x".repeat(5000)
      const { client } = build(() => ok(big), { maxResponseBytes: 2048 })
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x" }))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      assert.include(error.message, "larger than the 2048-byte limit")
    }))
})

describe("internal/httpClient: retries (TestClock)", () => {
  it.effect("transient statuses back off exponentially, then fail with the last error", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 503 }), { retries: 3, backoff: "100 millis" })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      let now = 0
      for (const [n, delay] of [[1, 100], [2, 200], [3, 400]] as const) {
        yield* waitUntil(() => calls.length === n)
        yield* waitForSleepUntil(now + delay)
        yield* TestClock.adjust(Duration.millis(delay - 1))
        yield* tick
        assert.strictEqual(calls.length, n, `no attempt before ${delay} ms`)
        yield* TestClock.adjust(Duration.millis(1))
        now += delay
      }
      const exit = yield* Fiber.await(fiber)
      assert.strictEqual(calls.length, 4)
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.deepInclude(error, { _tag: "UnexpectedResponse", status: 503 })
    }))

  it.effect("backoff is capped by maxBackoff", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 500 }), { retries: 3, backoff: "100 millis", maxBackoff: "150 millis" })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* TestClock.adjust("100 millis")
      yield* waitUntil(() => calls.length === 2)
      yield* waitForSleepUntil(250)
      yield* TestClock.adjust("150 millis")
      yield* waitUntil(() => calls.length === 3)
      yield* waitForSleepUntil(400)
      yield* TestClock.adjust("150 millis")
      yield* Fiber.await(fiber)
      assert.strictEqual(calls.length, 4)
    }))

  it.effect("succeeds as soon as an attempt succeeds", () =>
    Effect.gen(function*() {
      const { calls, client } = build((_, n) => n < 3 ? { status: 502 } : ok(), { retries: 5 })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* TestClock.adjust("100 millis")
      yield* waitUntil(() => calls.length === 2)
      yield* TestClock.adjust("200 millis")
      const response = yield* Fiber.join(fiber)
      assert.strictEqual(response.status, 200)
      assert.strictEqual(calls.length, 3)
    }))

  /** The first answer asks to retry after `ms` (the test clock starts at 0): no attempt before, one at `ms`. */
  const retriesExactlyAfter = (first: Answer, ms: number) =>
    Effect.gen(function*() {
      const { calls, client } = build((_, n) => n === 1 ? first : ok())
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* waitForSleepUntil(ms)
      yield* TestClock.adjust(Duration.millis(ms - 1))
      yield* tick
      assert.strictEqual(calls.length, 1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      assert.strictEqual(calls.length, 2)
    })

  it.effect("429 waits for Retry-After (seconds) instead of the shorter backoff", () =>
    retriesExactlyAfter({ status: 429, headers: { "retry-after": "5" } }, 5000))

  it.effect("Retry-After as an HTTP date is honoured too, on 503", () =>
    retriesExactlyAfter({ status: 503, headers: { "retry-after": new Date(10_000).toUTCString() } }, 10_000))

  it.effect("a Retry-After beyond maxRetryAfter fails at once with RateLimited", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 429, headers: { "retry-after": "120" } }))
      const error = yield* Effect.flip(client.send({ method: "GET", path: "x" }))
      assert.strictEqual(error._tag, "RateLimited")
      if (error._tag === "RateLimited") assert.isTrue(Duration.equals(error.retryAfter!, Duration.seconds(120)))
      assert.strictEqual(calls.length, 1)
    }))

  it.effect("non-idempotent calls are never retried, unless marked safe", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 503 }))
      yield* Effect.flip(client.send({ method: "POST", path: "x" }))
      assert.strictEqual(calls.length, 1)
      const limited = build(() => ({ status: 429, headers: { "retry-after": "1" } }))
      const error = yield* Effect.flip(limited.client.send({ method: "POST", path: "x" }))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(limited.calls.length, 1)

      const safe = build((_, n) => n === 1 ? { status: 503 } : ok())
      const fiber = yield* Effect.fork(safe.client.send({ method: "POST", path: "x", idempotent: true }))
      yield* waitUntil(() => safe.calls.length === 1)
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(fiber)
      assert.strictEqual(safe.calls.length, 2)
    }))

  it.effect("connection errors are retried and reported as ServerUnreachable with the cause", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => "refuse", { retries: 1 })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* TestClock.adjust("100 millis")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(calls.length, 2)
      assert.strictEqual(error._tag, "ServerUnreachable")
      assert.include(error.message, "ECONNREFUSED")
      assert.include(error.message, "http://h/base/x")
    }))

  it.effect("each attempt times out, aborting the request; timeouts are retried", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => "hang", { timeout: "1 second", retries: 1 })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* TestClock.adjust("1 second")
      yield* waitUntil(() => calls[0]!.signal.aborted)
      yield* TestClock.adjust("100 millis")
      yield* waitUntil(() => calls.length === 2)
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(error._tag, "Timeout")
      assert.include(error.message, "within 1s")
      assert.strictEqual(calls.length, 2)
    }))

  it.effect("interrupting a call during its backoff stops it: no further attempt", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => ({ status: 503 }), { retries: 5 })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* waitForSleepUntil(100)
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("1 minute")
      yield* tick
      assert.strictEqual(calls.length, 1)
    }))

  it.effect("interrupting a call in flight aborts the request", () =>
    Effect.gen(function*() {
      const { calls, client } = build(() => "hang")
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.isTrue(calls[0]!.signal.aborted)
    }))

  it.effect("with jitter, delays stay within ±20 % of the backoff", () =>
    Effect.gen(function*() {
      const { calls, client } = build((_, n) => n === 1 ? { status: 503 } : ok(), { jitter: true, backoff: "1 second" })
      const fiber = yield* Effect.fork(client.send({ method: "GET", path: "x" }))
      yield* waitUntil(() => calls.length === 1)
      yield* waitForSleepUntil(1200)
      yield* TestClock.adjust("799 millis")
      yield* tick
      assert.strictEqual(calls.length, 1)
      yield* TestClock.adjust("401 millis")
      yield* Fiber.join(fiber)
      assert.strictEqual(calls.length, 2)
    }))
})

describe("internal/httpClient: helpers", () => {
  it("parseRetryAfter reads seconds and dates, rejects junk", () => {
    assert.isTrue(Duration.equals(Http.parseRetryAfter("7", 0)!, Duration.seconds(7)))
    assert.isTrue(Duration.equals(Http.parseRetryAfter(new Date(3000).toUTCString(), 1000)!, Duration.seconds(2)))
    assert.isTrue(Duration.equals(Http.parseRetryAfter(new Date(0).toUTCString(), 5000)!, Duration.zero))
    assert.isUndefined(Http.parseRetryAfter("soon-ish", 0))
    assert.isUndefined(Http.parseRetryAfter("-1", 0))
    assert.isUndefined(Http.parseRetryAfter(undefined, 0))
  })

  it("describeCause walks the cause chain, strips URL queries and secrets", () => {
    const inner = Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" })
    const outer = new Error("fetch failed http://u:p@h/x?api_key=SECRET", { cause: inner })
    const text = Http.describeCause(outer, [Redacted.make("nothing")])
    assert.include(text, "ECONNRESET")
    assert.include(text, "fetch failed")
    assert.notInclude(text, "SECRET")
    assert.notInclude(text, "u:p@")
  })
})
