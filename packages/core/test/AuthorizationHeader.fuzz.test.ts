// The Effect layer over the generated parser, fuzzed with the generators of the codegen fuzz tests
// (../../codegen/test/utils/fuzz.ts): parse never dies and its errors — message, masked excerpt,
// JSON, Cause.pretty, Schema decode failures — never show the token, whatever shape the header
// has; format and RequestSigning only ever put values on the wire that Node's and fetch's header
// validation accept. `npm run fuzz` raises the number of cases.
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import { assert, describe } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Inspectable from "effect/Inspectable"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { validateHeaderName, validateHeaderValue } from "node:http"
import {
  headerWithToken,
  longHeader,
  LONE_SURROGATE,
  reportCases,
  wildString,
  property
} from "../../codegen/test/utils/fuzz.js"
import * as AuthorizationHeader from "../src/AuthorizationHeader.js"
import type * as Credentials from "../src/Credentials.js"
import * as RequestSigning from "../src/RequestSigning.js"

reportCases("core AuthorizationHeader.fuzz")

/** Every way an error reaches a user or a log. */
const renderings = (error: unknown): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error) ?? "",
  Inspectable.format(error),
  Cause.pretty(Cause.fail(error), { renderErrorCause: true }),
  error instanceof Error ? error.message : ""
]

const assertHidden = (error: unknown, secret: string, context: string) => {
  for (const text of renderings(error)) assert.notInclude(text, secret, context)
}

/** Runs an effect that must not die: a defect (a throw inside) fails the property. */
const attempt = <A, E>(effect: Effect.Effect<A, E>): Either.Either<A, E> => Effect.runSync(Effect.either(effect))

const modes = fc.constantFrom("strict" as const, "compat" as const)

describe("AuthorizationHeader (fuzz)", () => {
  property(
    "parse errors and Schema decode errors never show the token",
    [headerWithToken, modes, fc.boolean()],
    ([{ token, value }, mode, legacy]) => {
      const context = `${mode} ${JSON.stringify(value)}`
      const parsed = attempt(AuthorizationHeader.parse(value, { mode, legacy }))
      if (Either.isLeft(parsed)) {
        assert.strictEqual(parsed.left._tag, "AuthorizationParseError")
        assert.isTrue(parsed.left.offset >= 0 && parsed.left.offset <= value.length)
        assertHidden(parsed.left, token, context)
      }
      const decoded = Schema.decodeUnknownEither(AuthorizationHeader.schema({ mode, legacy }))(value)
      if (Either.isLeft(decoded)) {
        assert.notInclude(ParseResult.TreeFormatter.formatErrorSync(decoded.left), token, context)
        assertHidden(decoded.left, token, context)
      }
    },
    // A few milliseconds a case: an Effect run, a Schema decode and five renderings.
    0.1
  )

  property("parse never dies on very long input", [longHeader, modes], ([value, mode]) => {
    const parsed = attempt(AuthorizationHeader.parse(value, { mode }))
    if (Either.isLeft(parsed)) assert.isTrue(parsed.left.excerpt.length < 200, "the excerpt stays one short line")
  }, 0.002)

  property(
    "format gives a Redacted value Node accepts as a header, or a typed error without the token",
    [wildString(16), wildString(16), fc.stringMatching(/^[A-Za-z0-9]{8,16}$/), fc.constantFrom<"canonical" | "jellyfin-sdk">("canonical", "jellyfin-sdk")],
    ([device, client, secret, style]) => {
      const token = `CANARY${secret}`
      const formatted = attempt(AuthorizationHeader.format({ Device: device, Client: client, Token: Redacted.make(token) }, { style }))
      if (Either.isLeft(formatted)) {
        assert.isTrue(LONE_SURROGATE.test(device) || LONE_SURROGATE.test(client))
        assertHidden(formatted.left, token, "format error")
        return
      }
      for (const text of renderings(formatted.right)) assert.notInclude(text, token)
      validateHeaderValue("Authorization", Redacted.value(formatted.right))
    },
    0.1
  )
})

const profiles = fc.constantFrom("jellyfin-10.10" as const, "jellyfin-10.11" as const, "jellyfin-12" as const, "emby" as const)
const transports = fc.option(
  fc.constantFrom<Credentials.TransportName>("Authorization", "X-Emby-Authorization", "X-Emby-Token", "X-MediaBrowser-Token", "ApiKey", "api_key"),
  { nil: undefined }
)

describe("RequestSigning (fuzz)", () => {
  property(
    "every signed request carries only valid header values and one token; failures are typed and hide the token",
    [
      fc.record({ client: wildString(10), version: wildString(6), device: wildString(10), deviceId: wildString(10) }),
      fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `CANARY${s}`), wildString(12).map((s) => `CANARY${s}`)),
      profiles,
      transports,
      fc.option(fc.boolean(), { nil: undefined })
    ],
    ([clientInfo, token, profile, transport, legacy]) => {
      const signer = attempt(RequestSigning.make({
        profile,
        clientInfo,
        token: Redacted.make(token),
        ...(transport === undefined ? {} : { transport }),
        ...(legacy === undefined ? {} : { legacy })
      }))
      if (Either.isLeft(signer)) {
        assert.strictEqual(signer.left._tag, "SigningError")
        assertHidden(signer.left, token, "signing error")
        return
      }
      const request = signer.right.signRequest(
        HttpClientRequest.get("http://127.0.0.1:8096/Users/Me?api_key=old&x=1").pipe(
          HttpClientRequest.setHeader("X-Emby-Token", "old")
        )
      )
      for (const [name, value] of Object.entries(request.headers)) {
        validateHeaderName(name)
        validateHeaderValue(name, value)
      }
      const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      assert.isTrue(Either.isRight(url), "a valid URL")
      // The token travels exactly once, in the transport the signer reports.
      const encoded = LONE_SURROGATE.test(token) ? token : encodeURIComponent(token)
      const carriers = [
        ...Object.values(request.headers).filter((v) => v.includes(token) || v.includes(encoded)),
        ...request.urlParams.filter(([, v]) => v === token)
      ]
      assert.strictEqual(carriers.length, 1, `${profile} ${signer.right.transport}`)
      assert.isFalse(request.urlParams.some(([, v]) => v === "old") || Object.values(request.headers).includes("old"))
    },
    0.1
  )
})
