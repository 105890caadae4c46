// The Effect Schema flavour generated for the real spec.
import { assert, describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorizationSchema.js"

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
})
