import * as ClientError from "@mbauth/core/ClientError"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { excerpt, redactText, safeAddress, scrubValues } from "../src/internal/redaction.js"
import { assertNoSecrets } from "./utils/connect.js"

const service = "Emby Connect"
const address = "https://connect.emby.media/service/user/authenticate"

const samples: ReadonlyArray<ClientError.ClientError> = [
  new ClientError.InvalidCredentials({ service, address, status: 401 }),
  new ClientError.Unauthorized({ service, address, status: 401, recovery: "Sign in again." }),
  new ClientError.PinExpired({ pin: "01234", reason: "ExpiredAtService" }),
  new ClientError.PinExpired({ pin: "01234", reason: "DeadlineReached" }),
  new ClientError.ServerUnreachable({ service, address, cause: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9" }),
  new ClientError.UnexpectedResponse({ service, address, status: 500, issue: "HTTP 500", excerpt: "oops" }),
  new ClientError.RateLimited({ service, address, retryAfter: Duration.seconds(30) }),
  new ClientError.RateLimited({ service, address }),
  new ClientError.Timeout({ service, address, timeout: Duration.seconds(15) })
]

describe("ClientError", () => {
  it("messages say what happened, where, and what to do", () => {
    const [invalid, unauthorized, expired, deadline, unreachable, unexpected, limited, limitedNoWait, timeout] = samples
    assert.include(invalid!.message, "HTTP 401")
    assert.include(invalid!.message, address)
    assert.include(invalid!.message, "Check them")
    assert.include(unauthorized!.message, "revoked or is unknown")
    assert.include(unauthorized!.message, "Sign in again.")
    assert.include(expired!.message, "PIN 01234 expired")
    assert.include(deadline!.message, "was not confirmed in time")
    assert.include(unreachable!.message, "ECONNREFUSED")
    assert.include(unexpected!.message, "Body: oops")
    assert.include(limited!.message, "Try again in 30s")
    assert.include(limitedNoWait!.message, "Try again in a while")
    assert.include(timeout!.message, "within 15s")
  })

  it("round-trips through the union schema, keeping the class", () => {
    for (const error of samples) {
      const encoded = Schema.encodeSync(ClientError.ClientError)(error)
      const decoded = Schema.decodeUnknownSync(ClientError.ClientError)(JSON.parse(JSON.stringify(encoded)))
      assert.strictEqual(decoded._tag, error._tag)
      assert.strictEqual(decoded.message, error.message)
      assert.isTrue(ClientError.isClientError(decoded))
    }
  })

  it("isClientError rejects look-alikes", () => {
    assert.isFalse(ClientError.isClientError({ _tag: "Timeout" }))
    assert.isFalse(ClientError.isClientError(new Error("Timeout")))
    assert.isFalse(ClientError.isClientError(null))
  })

  it.effect("errors are yieldable and caught by tag", () =>
    Effect.gen(function*() {
      const result = yield* new ClientError.PinExpired({ pin: "1", reason: "ExpiredAtService" }).pipe(
        Effect.catchTag("PinExpired", (e) => Effect.succeed(e.pin))
      )
      assert.strictEqual(result, "1")
    }))
})

describe("redaction", () => {
  it("redacts secret-named JSON fields, keeps the rest", () => {
    const body = JSON.stringify({
      AccessToken: "tok-123456",
      User: { Id: "79718", Name: "alice", Password: "pw-9999" },
      Servers: [{ AccessKey: "key-42424242", Name: "Home", SupporterKey: "" }]
    })
    const out = redactText(body)
    for (const secret of ["tok-123456", "pw-9999", "key-42424242"]) assert.notInclude(out, secret)
    assert.include(out, "alice")
    assert.include(out, "Home")
    assert.include(out, "\"SupporterKey\":\"\"")
  })

  it("redacts truncated JSON, forms and MediaBrowser headers", () => {
    assert.notInclude(redactText("{\"User\":{\"Id\":\"1\"},\"AccessToken\":\"abcdef0123"), "abcdef0123")
    assert.notInclude(redactText("nameOrEmail=alice&rawpw=hunter2hunter2"), "hunter2hunter2")
    assert.notInclude(redactText("MediaBrowser Client=\"x\", Token=\"deadbeefcafe\""), "deadbeefcafe")
    assert.include(redactText("nameOrEmail=alice&rawpw=hunter2hunter2"), "nameOrEmail=alice")
  })

  it("scrubs known secret values in raw, JSON-escaped and URL-encoded form", () => {
    const secret = "p@ss \"word\"/ü"
    const text = `a ${secret} b ${JSON.stringify(secret)} c ${encodeURIComponent(secret)}`
    const out = scrubValues(text, [secret])
    assert.notInclude(out, "word")
  })

  it("excerpts are single-line, bounded and control-free", () => {
    const out = excerpt(`line1\nline2\u0007${"x".repeat(1000)}`)
    assert.notInclude(out, "\n")
    assert.notInclude(out, "\u0007")
    assert.isAtMost(out.length, 241)
  })

  it("addresses lose user info, query and fragment", () => {
    assert.strictEqual(
      safeAddress("https://user:pw@host:8920/emby/Users?api_key=SECRET#frag"),
      "https://host:8920/emby/Users"
    )
    assert.notInclude(safeAddress("not a url?api_key=SECRET"), "SECRET")
  })

  it.prop(
    "a secret value given to the excerpt never survives, wherever it sits in the body",
    [
      FastCheck.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6),
      FastCheck.string({ maxLength: 200 }),
      FastCheck.string({ maxLength: 200 })
    ],
    ([secret, before, after]) => {
      const out = excerpt(before + secret + after, [secret])
      return !out.includes(secret)
    }
  )

  it.prop(
    "values of secret-named JSON fields never survive",
    [
      FastCheck.constantFrom("AccessToken", "AccessKey", "Pw", "rawpw", "Password", "ExchangeToken", "api_key"),
      FastCheck.string({ minLength: 8, maxLength: 40 }).filter((s) => /^[\x21-\x7e]+$/.test(s) && !/[<>"\\]/.test(s)),
      FastCheck.boolean()
    ],
    ([name, value, truncate]) => {
      const body = JSON.stringify({ Name: "x", [name]: value, Other: 1 })
      const text = truncate ? body.slice(0, body.indexOf(value) + value.length) : body
      return !redactText(text).includes(value)
    }
  )

  it("no sample error renders a secret it was never given", () => {
    for (const error of samples) assertNoSecrets(error, ["hunter2"])
  })
})
