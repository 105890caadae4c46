/**
 * The Redaction module: its names come from the spec's tables, and each way of hiding a value
 * (placeholder, `*` masks that keep offsets) behaves the same for every caller.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as Generated from "../src/generated/MediaBrowserAuthorization.js"
import * as Redaction from "../src/Redaction.js"

describe("Redaction", () => {
  it("its placeholder is what Redacted renders", () => {
    assert.strictEqual(Redaction.placeholder, String(Redacted.make("x")))
    assert.strictEqual(Redaction.placeholder, JSON.parse(JSON.stringify(Redacted.make("x"))))
  })

  it("secret header and query names come from the spec's transports", () => {
    for (const transport of Generated.TRANSPORTS) {
      if (transport.kind === "header") {
        assert.include(Redaction.secretHeaderNames, transport.key.toLowerCase())
        assert.isTrue(Redaction.isSecretHeaderName(transport.key.toUpperCase()))
      } else {
        assert.include(Redaction.secretQueryNames, transport.key)
        assert.isTrue(Redaction.isTokenQueryName(transport.key.toUpperCase()))
      }
    }
    assert.include(Redaction.secretHeaderNames, "x-connect-usertoken")
    assert.isFalse(Redaction.isSecretHeaderName("content-type"))
    // Quick Connect's secret is hidden in URLs but is not a token signing replaces.
    assert.isTrue(Redaction.isSecretQueryName("Secret"))
    assert.isFalse(Redaction.isTokenQueryName("secret"))
    for (const parameter of Generated.PARAMETERS) {
      assert.strictEqual(Redaction.isShownParameter(parameter.name), !parameter.secret, parameter.name)
    }
    for (const key of ["", "\"Token\"", "token", "X", "Tok en"]) assert.isFalse(Redaction.isShownParameter(key), key)
    for (const key of ["client", " Client ", "DEVICEID", "Deviceid"]) assert.isTrue(Redaction.isShownParameter(key), key)
  })

  it("redactUrl masks secret query parameters in any case and keeps the rest byte for byte", () => {
    assert.strictEqual(
      Redaction.redactUrl("http://h/x?a=1&APIKEY=s3cret&api_key=s3cret&X-Emby-Token=s3cret&secret=q#f"),
      "http://h/x?a=1&APIKEY=<redacted>&api_key=<redacted>&X-Emby-Token=<redacted>&secret=<redacted>#f"
    )
    assert.strictEqual(Redaction.redactUrl("/x?b=2&c"), "/x?b=2&c")
  })

  it("maskText masks secret-looking values and known secrets, keeping the length", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["MediaBrowser Token=\"abcd\", Client=\"x\"", "MediaBrowser Token=\"****\", Client=\"x\""],
      ["token=abcd, x=1", "token=****, x=1"],
      ["X-Emby-Token: abcd", "X-Emby-Token: ****"],
      ["/socket?api_key=abcd&x=1", "/socket?api_key=****&x=1"],
      ["ApiKey=abcd", "ApiKey=****"],
      ["Token=\"abc", "Token=\"***"],
      ["password = hunter2", "password = *******"],
      ["{\"AccessToken\":\"abc\"}", "{\"AccessToken\":\"***\"}"],
      ["Client=abc", "Client=abc"]
    ]
    for (const [input, output] of cases) {
      assert.strictEqual(Redaction.maskText(input), output)
      assert.strictEqual(Redaction.maskText(input).length, input.length)
    }
    assert.strictEqual(Redaction.maskText("Client=\"a secret1 b\"", ["secret1"]), "Client=\"a ******* b\"")
    assert.strictEqual(Redaction.maskText("a b c", [" ", "a"]), "a b c")
  })

  it("textMask masks every text as maskText does with the same known secrets, in each of their forms", () => {
    const known = ["se\"cr et1", "abcd"]
    const mask = Redaction.textMask(known)
    const texts = [
      "Client=\"a se\"cr et1 b\"",
      "{\"Name\":\"se\\\"cr et1\"}",
      "/x?name=se%22cr%20et1",
      "token=wxyz, Device=abcd",
      "Jellyfin Web",
      "no separator abcd here"
    ]
    for (const text of texts) assert.strictEqual(mask(text), Redaction.maskText(text, known))
    assert.strictEqual(mask("{\"Name\":\"se\\\"cr et1\"}"), "{\"Name\":\"**********\"}")
    assert.strictEqual(mask("/x?name=se%22cr%20et1"), "/x?name=*************")
    assert.strictEqual(mask("no separator abcd here"), "no separator **** here")
  })

  it("textMask hides a secret in its raw, JSON-escaped and URL-encoded forms, whatever printable character it holds", () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const secret = `ab${String.fromCharCode(code)}cd`
      const mask = Redaction.textMask([secret])
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
        assert.strictEqual(mask(`<${form}>`), `<${"*".repeat(form.length)}>`, `${JSON.stringify(secret)} as ${form}`)
      }
    }
  })

  it("maskHeader shows structure, parameter names and the client identity; everything else may be a token", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["MediaBrowser Client=\"app\", Token=\"abc\"", "MediaBrowser Client=\"app\", Token=\"***\""],
      ["MediaBrowser Token==SECRET", "MediaBrowser Token==******"],
      ["=SECRET", "*******"],
      ["MediaBrowser \"Token\"=\"SECRET\"", "MediaBrowser \"Token\"=\"******\""],
      ["MediaBrowser =SECRET", "MediaBrowser =******"],
      // Quotes swallowed the Token into Client's value: the whole value is hidden.
      ["MediaBrowser Client=\"a \\\"b\", Token=\"t\"", "MediaBrowser Client=\"* *\"*\"* ******\"*\""],
      ["Bearer abc.def", "Bearer *******"],
      ["abcdef", "******"],
      ["Emby", "Emby"]
    ]
    for (const [input, output] of cases) {
      assert.strictEqual(Redaction.maskHeader(input), output, input)
      assert.strictEqual(Redaction.maskHeader(input).length, input.length)
    }
  })

  it("excerpt: one line, secret fields and given secrets replaced, bounded", () => {
    assert.strictEqual(
      Redaction.excerpt("{\"AccessToken\":\"abc\",\"Name\":\"x s3cr3t\"}", ["s3cr3t"]),
      "{\"AccessToken\":\"<redacted>\",\"Name\":\"x <redacted>\"}"
    )
    assert.strictEqual(Redaction.excerpt("a\n\n b"), "a b")
    assert.isAtMost(Redaction.excerpt("x".repeat(10_000)).length, 241)
  })
})
