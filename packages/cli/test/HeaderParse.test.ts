import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { run } from "./utils/cli.js"

const token = "0123456789abcdef0123456789abcdef"
const value = `MediaBrowser Client="Jellyfin Web", Token="${token}"`

describe("header parse", () => {
  it.effect("shows strict and compat side by side, the strict error under a caret", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", value])
      assert.strictEqual(r.exitCode, 0)
      const lines = r.stdout.split("\n")
      assert.strictEqual(lines[0], "strict  error  InvalidCharacter at offset 29")
      // The echoed value, token masked with as many stars, and the caret under offset 29 (the space).
      assert.strictEqual(lines[1], `        MediaBrowser Client="Jellyfin Web", Token="${"*".repeat(32)}"`)
      assert.strictEqual(lines[2], `        ${" ".repeat(29)}^ the value of Client holds U+0020, which must be percent-encoded`)
      assert.strictEqual(lines[3], "compat  ok  scheme MediaBrowser")
      assert.strictEqual(lines[4], "        Client  \"Jellyfin Web\"")
      assert.strictEqual(lines[5], "        Token   <redacted, 32 chars>")
      assert.notInclude(r.stdout + r.stderr, token)
    }))

  it.effect("a credential under another scheme, or a bare token, is masked in the echo under the caret", () =>
    Effect.gen(function*() {
      for (const input of [`Bearer ${token}`, `Basic ${token}`, token, `MediaBrowserToken="${token}"`]) {
        const r = yield* run(["header", "parse", input])
        assert.strictEqual(r.exitCode, 1)
        assert.notInclude(r.stdout + r.stderr, token)
        assert.notInclude(r.stdout, "0123456789")
      }
      const shown = yield* run(["header", "parse", "--show-secrets", `Bearer ${token}`])
      assert.include(shown.stdout, token)
    }))

  it.effect("a line of batch input that is not JSON is reported without quoting it", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", "--stdin", "--input", "jsonl", "--json"], { stdin: `not json ${token}\n` })
      assert.strictEqual(r.exitCode, 1)
      const line = JSON.parse(r.stdout.trim())
      assert.strictEqual(line.error.code, "InvalidJson")
      assert.notInclude(r.stdout + r.stderr, "not json")
      assert.notInclude(r.stdout + r.stderr, "0123456789")
    }))

  it.effect("--mode picks one result; --show-secrets prints the token", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", "--mode", "compat", "--show-secrets", value])
      assert.strictEqual(r.stdout, `compat  ok  scheme MediaBrowser\n        Client  "Jellyfin Web"\n        Token   "${token}"\n`)
    }))

  it.effect("compat shows the server's dictionary, quirks included", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", "--mode", "compat", "MediaBrowser token=\"x\", Device=Living room, upstairs, Client=a+b"])
      assert.strictEqual(
        r.stdout,
        [
          "compat  ok  scheme MediaBrowser",
          "        token   <redacted, 1 chars>  (the server does not read this key)",
          "        Device  \"Living room\"",
          // Only the client identity is shown: a value under no key (`Token==…`) may be a token.
          "        \"\"      <redacted, 9 chars>  (no key: the server ignores it)",
          "        Client  \"a b\"",
          ""
        ].join("\n")
      )
    }))

  it.effect("--json: both results, the token as {redacted, length}, the dictionary in order", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", value, "--json"])
      assert.deepStrictEqual(JSON.parse(r.stdout), {
        ok: true,
        results: {
          strict: {
            ok: false,
            error: { code: "InvalidCharacter", message: "the value of Client holds U+0020, which must be percent-encoded", offset: 29 }
          },
          compat: {
            ok: true,
            scheme: "MediaBrowser",
            params: { Token: { redacted: true, length: 32 }, Client: "Jellyfin Web" },
            dictionary: [["Client", "Jellyfin Web"], ["Token", { redacted: true, length: 32 }]]
          }
        }
      })
    }))

  it.effect("exits 1 when no shown mode can read the value", () =>
    Effect.gen(function*() {
      const both = yield* run(["header", "parse", "Bearer abc"])
      assert.strictEqual(both.exitCode, 1)
      assert.include(both.stdout, "strict  error  UnknownScheme at offset 0")
      assert.include(both.stdout, "compat  error  UnknownScheme at offset 0")
      const strictOnly = yield* run(["header", "parse", "--mode", "strict", value])
      assert.strictEqual(strictOnly.exitCode, 1)
    }))

  it.effect("--no-legacy refuses the Emby scheme, as a server with legacy off does", () =>
    Effect.gen(function*() {
      const on = yield* run(["header", "parse", "--mode", "compat", "Emby Client=\"x\""])
      assert.strictEqual(on.exitCode, 0)
      const off = yield* run(["header", "parse", "--mode", "compat", "--no-legacy", "Emby Client=\"x\""])
      assert.strictEqual(off.exitCode, 1)
      assert.include(off.stdout, "LegacySchemeDisabled")
    }))

  it.effect("the caret sits under the offending character, and long values are windowed", () =>
    Effect.gen(function*() {
      const emoji = yield* run(["header", "parse", "--mode", "strict", "MediaBrowser Device=\"📺\", X=1"])
      const [, echoed, caret] = emoji.stdout.split("\n")
      // An unknown key and its value may be a token: masked, keeping the offsets.
      assert.strictEqual(echoed, "        MediaBrowser Device=\"📺\", *=*")
      assert.strictEqual(Array.from(echoed!)[caret!.indexOf("^")], "📺")
      const long = `MediaBrowser Client="${"a".repeat(300)}", Token=x`
      const windowed = yield* run(["header", "parse", "--mode", "strict", long])
      const [, line, under] = windowed.stdout.split("\n")
      assert.isTrue(line!.startsWith("        …"))
      assert.isAtMost(line!.length, 8 + 102)
      // The unquoted token value, masked.
      assert.strictEqual(line![under!.indexOf("^")], "*")
      assert.include(line!, "Token=*")
    }))

  it.effect("batch text: one summary line per input line, invalid lines included, exit 1", () =>
    Effect.gen(function*() {
      const input = [value, "Bearer abc", "", "MediaBrowser Client=\"x\""].join("\n")
      const r = yield* run(["header", "parse", "--stdin", "--mode", "compat"], { stdin: input })
      assert.strictEqual(r.exitCode, 1)
      assert.deepStrictEqual(r.stdout.split("\n").slice(0, -1), [
        "compat: ok MediaBrowser Client=\"Jellyfin Web\" Token=<redacted, 32 chars>",
        "compat: error UnknownScheme at 0",
        "compat: error MissingScheme at 0",
        "compat: ok MediaBrowser Client=\"x\""
      ])
      assert.include(r.stderr, "2 lines failed")
    }))

  it.effect("batch --json: {line, ok, results} per line; jsonl input takes JSON strings", () =>
    Effect.gen(function*() {
      const input = [JSON.stringify(value), "42", "{", JSON.stringify("Bearer x")].join("\n")
      const r = yield* run(["header", "parse", "--stdin", "--input", "jsonl", "--json"], { stdin: input })
      const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [2, false], [3, false], [4, false]])
      assert.strictEqual(lines[1].error.code, "InvalidInput")
      assert.strictEqual(lines[2].error.code, "InvalidJson")
      assert.strictEqual(lines[3].results.strict.error.code, "UnknownScheme")
      assert.notInclude(r.stdout, token)
      assert.strictEqual(r.stderr, "")
    }))

  it.effect("batch on a terminal says how to end the input", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "parse", "--stdin"], { stdin: "MediaBrowser Client=\"x\"\n", isTTY: { stdin: true } })
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stderr, "reading one input per line from the terminal; end with Ctrl-D\n")
      const piped = yield* run(["header", "parse", "--stdin"], { stdin: "MediaBrowser Client=\"x\"\n" })
      assert.strictEqual(piped.stderr, "")
    }))

  it.effect("VALUE and --stdin: exactly one of them", () =>
    Effect.gen(function*() {
      const neither = yield* run(["header", "parse"])
      assert.strictEqual(neither.exitCode, 2)
      assert.include(neither.stderr, "a header VALUE is missing")
      const both = yield* run(["header", "parse", value, "--stdin"], { stdin: value })
      assert.strictEqual(both.exitCode, 2)
    }))
})
