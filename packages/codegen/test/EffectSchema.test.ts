// The Effect Schema flavour generated for the real spec.
import { assert, describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as JSONSchema from "effect/JSONSchema"
import * as ParseResult from "effect/ParseResult"
import * as Pretty from "effect/Pretty"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { inspect } from "node:util"
import * as Plain from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorizationSchema.js"

// Header-like strings: well-formed ones, near misses (unquoted, unterminated, other schemes) and noise.
const headerish = fc.oneof(
  fc.string(),
  fc.stringMatching(/^(MediaBrowser|Emby|mediabrowser|Bearer)? ?[A-Za-z"=, %+\\\t]{0,40}$/),
  Arbitrary.make(Auth.Params).map((p) => Either.getOrElse(Schema.encodeEither(Auth.HeaderCompat)(p), () => ""))
)

describe("MediaBrowserAuthorizationSchema", () => {
  it.effect("decodes a header to params with the Token redacted", () =>
    Effect.gen(function*() {
      const params = yield* Schema.decode(Auth.HeaderCompat)("MediaBrowser Token=\"s3cr3t\", Client=\"Android+TV\"")
      expect(params.Client).toBe("Android TV")
      assert(params.Token !== undefined && Redacted.isRedacted(params.Token))
      expect(Redacted.value(params.Token)).toBe("s3cr3t")
      expect(String(params.Token)).not.toContain("s3cr3t")
      expect(Auth.toPlain(params)).toEqual({ Token: "s3cr3t", Client: "Android TV" })
    }))

  it.effect("encodes in the canonical style", () =>
    Effect.gen(function*() {
      const header = yield* Schema.encode(Auth.HeaderStrict)({ Client: "Jellyfin Web", Token: Redacted.make("t") })
      expect(header).toBe("MediaBrowser Token=\"t\", Client=\"Jellyfin%20Web\"")
      const sdk = yield* Schema.encode(Auth.makeHeader({ style: "jellyfin-sdk" }))(Auth.fromPlain({ Client: "c", Token: "t" }))
      expect(sdk).toBe("MediaBrowser Client=\"c\", Device=\"\", DeviceId=\"\", Version=\"\", Token=\"t\"")
    }))

  it("fails strict decoding with the code and offset, and never shows the header", () => {
    const result = Schema.decodeEither(Auth.HeaderStrict)("MediaBrowser Token=s3cr3t")
    assert(Either.isLeft(result))
    const message = ParseResult.TreeFormatter.formatErrorSync(result.left)
    expect(message).toContain("UnquotedValue at offset 19")
    expect(message).not.toContain("s3cr3t")
    expect(Either.isRight(Schema.decodeEither(Auth.HeaderCompat)("MediaBrowser Token=s3cr3t"))).toBe(true)
  })

  it("honours the legacy switch", () => {
    expect(Either.isLeft(Schema.decodeEither(Auth.makeHeader({ legacy: false }))("Emby Token=\"t\""))).toBe(true)
    expect(Either.isRight(Schema.decodeEither(Auth.HeaderCompat)("Emby Token=\"t\""))).toBe(true)
  })

  it("fails encoding a lone surrogate instead of throwing", () => {
    const result = Schema.encodeEither(Auth.HeaderCompat)({ Device: "\ud800" })
    assert(Either.isLeft(result))
    expect(ParseResult.TreeFormatter.formatErrorSync(result.left)).toContain("UnencodableValue")
  })

  it.prop("decode(encode(p)) = p for arbitrary params", [Arbitrary.make(Auth.Params)], ([p]) => {
    const header = Schema.encodeEither(Auth.HeaderStrict)(p)
    if (Either.isLeft(header)) return true // a lone surrogate: covered above
    const back = Schema.decodeEither(Auth.HeaderStrict)(header.right)
    assert(Either.isRight(back))
    expect(Auth.toPlain(back.right)).toEqual(Auth.toPlain(p))
    return true
  })

  describe("decoding failures", () => {
    it("carry the code and offset, show the header only as a Redacted", () => {
      const header = "MediaBrowser Client=\"app\", Token=\"s3cr3t"
      const result = Schema.decodeEither(Auth.HeaderStrict)(header)
      assert(Either.isLeft(result))
      const lines = ParseResult.TreeFormatter.formatErrorSync(result.left).split("\n")
      expect(lines.slice(0, 2)).toEqual(["MediaBrowserAuthorization.Header", "└─ Transformation process failure"])
      expect(lines[2]).toMatch(/^ {3}└─ UnterminatedQuote at offset 33: \S/)
      expect(JSON.stringify(ParseResult.ArrayFormatter.formatErrorSync(result.left))).not.toContain("s3cr3t")
      const issue = result.left.issue
      assert(issue._tag === "Transformation" && issue.issue._tag === "Type" && Redacted.isRedacted(issue.issue.actual))
      expect(Redacted.value(issue.issue.actual)).toBe(header)
      // The error as a program logs or prints it. (The outer issue's `actual` is the input, as in
      // every Schema transformation.)
      expect(inspect(result.left, { depth: Infinity })).not.toContain("s3cr3t")
      expect(String(result.left)).not.toContain("s3cr3t")
      expect(JSON.stringify(result.left)).not.toContain("s3cr3t")
    })

    it.prop("happen exactly where the plain parse fails", [headerish], ([header]) => {
      for (const mode of ["compat", "strict"] as const) {
        const decoded = Schema.decodeEither(mode === "strict" ? Auth.HeaderStrict : Auth.HeaderCompat)(header)
        const parsed = Plain.parse(header, { mode })
        expect(Either.isRight(decoded) ? { ok: Auth.toPlain(decoded.right) } : "failed").toEqual(
          parsed._tag === "Ok" ? { ok: parsed.value.params } : "failed"
        )
      }
    })

    it("leave input that is not a string to Schema.String", () => {
      for (const input of [42, null, undefined, { Token: "t" }]) {
        const result = Schema.decodeUnknownEither(Auth.HeaderCompat)(input)
        assert(Either.isLeft(result))
        expect(ParseResult.TreeFormatter.formatErrorSync(result.left)).toContain("Expected string")
      }
    })

    it("keeps its path and message inside a struct", () => {
      const Request = Schema.Struct({ authorization: Auth.HeaderCompat })
      const ok = Schema.decodeUnknownEither(Request)({ authorization: "MediaBrowser Token=\"t\", Client=\"a%20b\"" })
      assert(Either.isRight(ok) && ok.right.authorization.Token !== undefined)
      expect(ok.right.authorization.Client).toBe("a b")
      expect(Redacted.value(ok.right.authorization.Token)).toBe("t")
      const failed = Schema.decodeUnknownEither(Request)({ authorization: "Bearer s3cr3t" })
      assert(Either.isLeft(failed))
      expect(ParseResult.ArrayFormatter.formatErrorSync(failed.left)).toEqual([{
        _tag: "Transformation",
        path: ["authorization"],
        message: "UnknownScheme at offset 0: the scheme (the 6 characters before the first space) is not one of: MediaBrowser, Emby"
      }])
    })
  })

  describe("Schema tooling sees the transformation", () => {
    const params = Auth.fromPlain({ Token: "s3cr3t", Client: "c" })

    it("is, typeSchema and encodedSchema check Params and strings", () => {
      expect(Schema.is(Auth.HeaderCompat)(params)).toBe(true)
      expect(Schema.is(Auth.HeaderCompat)({ Token: "s3cr3t" })).toBe(false)
      expect(Schema.is(Auth.HeaderCompat)("MediaBrowser Client=\"c\"")).toBe(false)
      expect(Either.isRight(Schema.validateEither(Schema.typeSchema(Auth.HeaderCompat))(params))).toBe(true)
      expect(Schema.is(Schema.encodedSchema(Auth.HeaderCompat))("anything")).toBe(true)
      expect(Schema.is(Schema.encodedSchema(Auth.HeaderCompat))(params)).toBe(false)
      expect(Schema.encodedSchema(Auth.HeaderCompat).ast).toBe(Schema.String.ast)
      expect(String(Auth.HeaderCompat)).toBe("MediaBrowserAuthorization.Header")
    })

    it("JSONSchema.make gives the header as a string", () => {
      expect(JSONSchema.make(Auth.HeaderCompat)).toEqual({
        $schema: "http://json-schema.org/draft-07/schema#",
        $defs: { "MediaBrowserAuthorization.Header": { type: "string" } },
        $ref: "#/$defs/MediaBrowserAuthorization.Header"
      })
    })

    it("Pretty and equivalence work on Params, and Pretty never shows the token", () => {
      const pretty = Pretty.make(Auth.HeaderCompat)(params)
      expect(pretty).toBe("{ \"Token\": Redacted(<redacted>), \"Client\": \"c\" }")
      const equivalence = Schema.equivalence(Auth.HeaderCompat)
      expect(equivalence(params, Auth.fromPlain({ Token: "s3cr3t", Client: "c" }))).toBe(true)
      expect(equivalence(params, Auth.fromPlain({ Token: "other", Client: "c" }))).toBe(false)
    })

    it.prop("Arbitrary.make gives Params that encode and decode back", [Arbitrary.make(Auth.HeaderStrict)], ([p]) => {
      expect(Schema.is(Auth.HeaderStrict)(p)).toBe(true)
      const header = Schema.encodeEither(Auth.HeaderStrict)(p)
      if (Either.isLeft(header)) return // a lone surrogate: covered above
      expect(Auth.toPlain(Either.getOrThrow(Schema.decodeEither(Auth.HeaderStrict)(header.right)))).toEqual(Auth.toPlain(p))
    })
  })
})
