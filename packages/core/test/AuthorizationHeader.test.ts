import * as Headers from "@effect/platform/Headers"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AuthorizationHeader from "../src/AuthorizationHeader.js"

/** Params with the token revealed, for comparisons (two `Redacted`s look alike to deepStrictEqual). */
const reveal = ({ Token, ...rest }: AuthorizationHeader.Params): Record<string, string | undefined> =>
  Token === undefined ? rest : { ...rest, Token: Redacted.value(Token) }

const full: AuthorizationHeader.Params = {
  Token: Redacted.make("0123456789abcdef"),
  Client: "Jellyfin Web",
  Version: "10.11.0",
  DeviceId: "dev-1",
  Device: "Firefox, \"Nightly\" 100%",
  UserId: "u1"
}

describe("AuthorizationHeader", () => {
  it.effect("formats the canonical header (spec order, quoted, percent-encoded) as a Redacted", () =>
    Effect.gen(function*() {
      const header = yield* AuthorizationHeader.format(full)
      assert.strictEqual(String(header), "<redacted>")
      assert.strictEqual(
        Redacted.value(header),
        "MediaBrowser Token=\"0123456789abcdef\", Client=\"Jellyfin%20Web\", Version=\"10.11.0\", DeviceId=\"dev-1\", " +
          "Device=\"Firefox%2C%20%22Nightly%22%20100%25\", UserId=\"u1\""
      )
      const sdk = yield* AuthorizationHeader.format({ Client: "a b", Device: "d", DeviceId: "i", Version: "1" }, { style: "jellyfin-sdk" })
      assert.strictEqual(Redacted.value(sdk), "MediaBrowser Client=\"a%20b\", Device=\"d\", DeviceId=\"i\", Version=\"1\", Token=\"\"")
    }))

  it.effect("parses what it formats, in both modes; the token comes back Redacted", () =>
    Effect.gen(function*() {
      const header = Redacted.value(yield* AuthorizationHeader.format(full))
      for (const mode of ["strict", "compat"] as const) {
        const parsed = yield* AuthorizationHeader.parse(header, { mode })
        assert.strictEqual(parsed.scheme, "MediaBrowser")
        assert.isTrue(Redacted.isRedacted(parsed.params.Token))
        assert.deepStrictEqual(reveal(parsed.params), reveal(full))
      }
    }))

  it.effect("compat reads the dictionary the server builds; every dictionary value is Redacted", () =>
    Effect.gen(function*() {
      const parsed = yield* AuthorizationHeader.parse("mediabrowser Token=a, token=\"b\", Client=x, Client=y, lonely")
      assert.strictEqual(parsed.scheme, "MediaBrowser")
      assert.deepStrictEqual(reveal(parsed.params), { Token: "a", Client: "y" })
      assert.deepStrictEqual(
        [...parsed.dictionary].map(([key, value]) => [key, Redacted.value(value)]),
        // A value keeps the space after the comma: the server trims keys, not values.
        [["Token", "a"], ["token", "b"], ["Client", "y"], ["", " lonely"]]
      )
      assert.strictEqual(String(parsed.dictionary.get("token")), "<redacted>")
    }))

  it.effect("the Emby scheme depends on the legacy switch", () =>
    Effect.gen(function*() {
      const on = yield* AuthorizationHeader.parse("Emby Token=\"t\"", { legacy: true })
      assert.strictEqual(on.scheme, "Emby")
      const off = yield* Effect.flip(AuthorizationHeader.parse("Emby Token=\"t\"", { legacy: false }))
      assert.strictEqual(off.code, "LegacySchemeDisabled")
    }))

  it.effect("a parse error shows where, with every possible secret masked", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        AuthorizationHeader.parse("MediaBrowser Client=\"app\", Token=secret123", { mode: "strict" })
      )
      assert.strictEqual(error._tag, "AuthorizationParseError")
      assert.strictEqual(error.code, "UnquotedValue")
      assert.strictEqual(error.offset, 33)
      assert.strictEqual(
        error.message,
        "Invalid MediaBrowser authorization header: the value of Token must be wrapped in double quotes " +
          "(UnquotedValue at offset 33)\n" +
          "  MediaBrowser Client=\"app\", Token=*********\n" +
          "                                   ^"
      )
      const bearer = yield* Effect.flip(AuthorizationHeader.parse("Bearer abc.def"))
      assert.strictEqual(bearer.code, "UnknownScheme")
      assert.strictEqual(bearer.excerpt, "Bearer *******")
      const bare = yield* Effect.flip(AuthorizationHeader.parse("0123456789abcdef"))
      assert.strictEqual(bare.code, "MissingScheme")
      assert.strictEqual(bare.excerpt, "****************")
    }))

  it.effect("masking hides re-keyed and unknown values but shows client fields", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        AuthorizationHeader.parse("MediaBrowser Device=\"pc\", Token=abc=def, x=\"y\", ", { mode: "strict" })
      )
      assert.strictEqual(error.excerpt, "MediaBrowser Device=\"pc\", Token=***=***, *=\"*\", ")
    }))

  it.effect("masking hides a shown value that swallowed the Token (found by the fuzz tests)", () =>
    Effect.gen(function*() {
      // An escaped or stray quote makes the client field run over the Token, as the server reads it.
      for (
        const input of [
          "MediaBrowser Device=\"a \\\"b\", Token=\"s3cr3t\", Client=\"x\"",
          "MediaBrowser Version=\",Token=\"s3cr3t\""
        ]
      ) {
        const error = yield* Effect.flip(AuthorizationHeader.parse(input, { mode: "strict" }))
        assert.notInclude(error.message, "s3cr3t")
        assert.strictEqual(error.excerpt.length, input.length, "masked character for character")
      }
    }))

  it.effect("long inputs are cut around the offset and the caret still points at it", () =>
    Effect.gen(function*() {
      const input = `MediaBrowser Client="${"a".repeat(100)}", Device="b" x`
      const error = yield* Effect.flip(AuthorizationHeader.parse(input, { mode: "strict" }))
      assert.strictEqual(error.code, "ExpectedComma")
      assert.isTrue(error.excerpt.startsWith("…"))
      assert.strictEqual(error.excerpt[error.column], input[error.offset])
    }))

  it.effect("formatting a value without a UTF-8 encoding is a typed error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(AuthorizationHeader.format({ Device: "tv \udc00" }))
      assert.strictEqual(error._tag, "AuthorizationFormatError")
      assert.strictEqual(error.parameter, "Device")
      assert.strictEqual(error.code, "UnencodableValue")
    }))

  it.effect("reads and writes Headers", () =>
    Effect.gen(function*() {
      const headers = yield* AuthorizationHeader.toHeaders(Headers.empty, { Client: "c", Token: Redacted.make("t") }, {
        header: "X-Emby-Authorization"
      })
      assert.strictEqual(headers["x-emby-authorization"], "MediaBrowser Token=\"t\", Client=\"c\"")
      const absent = yield* AuthorizationHeader.fromHeaders(headers)
      assert.isTrue(Option.isNone(absent))
      const read = yield* AuthorizationHeader.fromHeaders(headers, { header: "X-Emby-Authorization" })
      assert.deepStrictEqual(Option.getOrUndefined(Option.map(read, (h) => reveal(h.params))), { Token: "t", Client: "c" })
      const empty = yield* AuthorizationHeader.fromHeaders(Headers.fromInput({ authorization: "" }))
      assert.isTrue(Option.isNone(empty))
    }))

  it.effect("the Schema codec decodes and encodes; failures mask the input", () =>
    Effect.gen(function*() {
      const params = yield* Schema.decode(AuthorizationHeader.FromString)("MediaBrowser Client=\"a%20b\", Token=\"t\"")
      assert.deepStrictEqual(reveal(params), { Client: "a b", Token: "t" })
      assert.strictEqual(
        yield* Schema.encode(AuthorizationHeader.FromString)(params),
        "MediaBrowser Token=\"t\", Client=\"a%20b\""
      )
      const strict = AuthorizationHeader.schema({ mode: "strict" })
      const failure = Schema.decodeEither(strict)("MediaBrowser Token=s3cr3t")
      assert.isTrue(Either.isLeft(failure))
      if (Either.isLeft(failure)) {
        const text = ParseResult.TreeFormatter.formatErrorSync(failure.left)
        assert.include(text, "UnquotedValue")
        assert.notInclude(text, "s3cr3t")
      }
    }))

  it("the Schema codec decodes a request's headers; a failure names the field, code and offset, never the token", () => {
    const Request = Schema.Struct({ authorization: AuthorizationHeader.FromString })
    const decoded = Schema.decodeUnknownEither(Request)({ authorization: "Emby Token=\"t\", Client=\"a+b\"" })
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) assert.deepStrictEqual(reveal(decoded.right.authorization), { Token: "t", Client: "a b" })
    // Compat reads an unterminated quote as the server does; strict rejects it.
    const failed = Schema.decodeUnknownEither(Schema.Struct({ authorization: AuthorizationHeader.FromStringStrict }))({
      authorization: "MediaBrowser Client=\"app\", Token=\"s3cr3t"
    })
    assert.isTrue(Either.isLeft(failed))
    if (Either.isLeft(failed)) {
      const [issue] = ParseResult.ArrayFormatter.formatErrorSync(failed.left)
      assert.deepStrictEqual(issue?.path, ["authorization"])
      assert.match(issue?.message ?? "", /^UnterminatedQuote at offset 33: /)
      assert.notInclude(ParseResult.TreeFormatter.formatErrorSync(failed.left), "s3cr3t")
    }
    // `is` checks decoded params, not header strings.
    assert.isTrue(Schema.is(AuthorizationHeader.FromString)({ Client: "c", Token: Redacted.make("t") }))
    assert.isFalse(Schema.is(AuthorizationHeader.FromString)({ Token: "t" }))
    assert.isFalse(Schema.is(AuthorizationHeader.FromString)("MediaBrowser Client=\"c\""))
  })

  describe("properties", () => {
    it.prop(
      "format then parse (strict and compat) is the identity on encodable params",
      [AuthorizationHeader.ParamsSchema],
      ([params]) => {
        const encoded = Schema.encodeEither(AuthorizationHeader.FromString)(params)
        // Only values with a lone surrogate cannot be formatted; that failure is typed, not thrown.
        if (Either.isLeft(encoded)) return true
        for (const mode of ["strict", "compat"] as const) {
          const decoded = Schema.decodeEither(AuthorizationHeader.schema({ mode }))(encoded.right)
          assert.isTrue(Either.isRight(decoded))
          if (Either.isRight(decoded)) assert.deepStrictEqual(reveal(decoded.right), reveal(params))
        }
        return true
      }
    )

    // The input's character at `offset` as the excerpt shows it (control characters as `?`), or nothing past the end.
    const maskedAt = (input: string, offset: number): string => {
      const c = input[offset]
      if (c === undefined) return ""
      return /[\u0000-\u001f\u007f]/.test(c) ? "?" : c
    }

    const headerish = FastCheck.oneof(
      FastCheck.string(),
      FastCheck.stringMatching(/^(MediaBrowser|Emby|mediabrowser|Bearer)? ?[A-Za-z"=, %+\\\t]{0,40}$/)
    )

    // runSync throws on a defect, so a die or a throw inside parse/format fails the property.
    it.prop("parse never throws or dies, in any mode", [headerish, FastCheck.boolean()], ([input, legacy]) => {
      for (const mode of ["strict", "compat"] as const) {
        const result = Effect.runSync(Effect.either(AuthorizationHeader.parse(input, { mode, legacy })))
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left._tag, "AuthorizationParseError")
          assert.isTrue(result.left.offset >= 0 && result.left.offset <= input.length)
          // The caret points at the input's character there, unless it is masked.
          const shown = result.left.excerpt[result.left.column] ?? ""
          assert.include([maskedAt(input, result.left.offset), "*"], shown)
        }
      }
    })

    it.prop("format never throws or dies", [FastCheck.string(), FastCheck.string()], ([device, token]) => {
      const result = Effect.runSync(Effect.either(AuthorizationHeader.format({ Device: device, Token: Redacted.make(token) })))
      if (Either.isLeft(result)) assert.strictEqual(result.left.code, "UnencodableValue")
    })
  })
})
