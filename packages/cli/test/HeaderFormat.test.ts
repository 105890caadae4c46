import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { run } from "./utils/cli.js"

const token = "0123456789abcdef0123456789abcdef"
const client = ["--client", "Jellyfin Web", "--device", "Firefox", "--device-id", "abc"]

describe("header format", () => {
  it.effect("builds the canonical header from flags; --version VALUE is the client's version", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", ...client, "--version", "10.11.0"])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout, "MediaBrowser Client=\"Jellyfin%20Web\", Version=\"10.11.0\", DeviceId=\"abc\", Device=\"Firefox\"\n")
      assert.strictEqual(r.stderr, "")
      const long = yield* run(["header", "format", ...client, "--client-version=10.11.0"])
      assert.strictEqual(long.stdout, r.stdout)
      const eq = yield* run(["header", "format", ...client, "--version=10.11.0"])
      assert.strictEqual(eq.stdout, r.stdout)
    }))

  it.effect("--style jellyfin-sdk writes the SDK's order and empty values", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", "--style", "jellyfin-sdk", ...client, "--version", "1"])
      assert.strictEqual(
        r.stdout,
        "MediaBrowser Client=\"Jellyfin%20Web\", Device=\"Firefox\", DeviceId=\"abc\", Version=\"1\", Token=\"\"\n"
      )
    }))

  it.effect("the token comes from --token-stdin and is masked unless --show-secrets", () =>
    Effect.gen(function*() {
      const masked = yield* run(["header", "format", ...client, "--version", "1", "--token-stdin"], { stdin: `${token}\n` })
      assert.strictEqual(masked.exitCode, 0)
      assert.strictEqual(masked.stdout, "MediaBrowser Token=\"REDACTED\", Client=\"Jellyfin%20Web\", Version=\"1\", DeviceId=\"abc\", Device=\"Firefox\"\n")
      assert.include(masked.stderr, "add --show-secrets to print it")
      assert.notInclude(masked.stdout + masked.stderr, token)
      const shown = yield* run(["header", "format", ...client, "--version", "1", "--token-stdin", "--show-secrets"], { stdin: token })
      assert.strictEqual(shown.stdout, `MediaBrowser Token="${token}", Client="Jellyfin%20Web", Version="1", DeviceId="abc", Device="Firefox"\n`)
      assert.strictEqual(shown.stderr, "")
    }))

  it.effect("MBAUTH_TOKEN supplies the token too", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", "--show-secrets"], { env: { MBAUTH_TOKEN: token } })
      assert.strictEqual(r.stdout, `MediaBrowser Token="${token}"\n`)
    }))

  it.effect("--transport prints the header line, curl arguments or the WebSocket query", () =>
    Effect.gen(function*() {
      const env = { MBAUTH_TOKEN: token }
      const header = yield* run(["header", "format", "--client", "it's", "--transport", "header", "--header-name", "X-Emby-Authorization", "--show-secrets"], { env })
      assert.strictEqual(header.stdout, `X-Emby-Authorization: MediaBrowser Token="${token}", Client="it's"\n`)
      const curl = yield* run(["header", "format", "--client", "it's", "--transport", "curl", "--show-secrets"], { env })
      // Single quotes in the value are closed, escaped and reopened for the shell.
      assert.strictEqual(curl.stdout, `-H 'Authorization: MediaBrowser Token="${token}", Client="it'\\''s"'\n`)
      const query = yield* run(["header", "format", "--transport", "query", "--show-secrets"], { env: { MBAUTH_TOKEN: "a+b/c" } })
      assert.strictEqual(query.stdout, "ApiKey=a%2Bb%2Fc\n")
      const maskedQuery = yield* run(["header", "format", "--transport", "query"], { env })
      assert.strictEqual(maskedQuery.stdout, "ApiKey=REDACTED\n")
    }))

  it.effect("--transport query without a token fails with exit 1", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", "--transport", "query"])
      assert.strictEqual(r.exitCode, 1)
      assert.strictEqual(r.stdout, "")
      assert.strictEqual(r.stderr, "error: --transport query needs a token (--token-stdin or MBAUTH_TOKEN)\n")
      const json = yield* run(["header", "format", "--transport", "query", "--json"])
      assert.deepStrictEqual(JSON.parse(json.stdout), {
        ok: false,
        error: { code: "MissingToken", message: "--transport query needs a token (--token-stdin or MBAUTH_TOKEN)" }
      })
    }))

  it.effect("--scheme Emby writes the legacy scheme", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", "--scheme", "Emby", "--user-id", "u1"])
      assert.strictEqual(r.stdout, "Emby UserId=\"u1\"\n")
    }))

  it.effect("a header without a token is checked as a login header: warnings on stderr", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", "--client", "x"])
      assert.strictEqual(r.exitCode, 0)
      assert.strictEqual(r.stdout, "MediaBrowser Client=\"x\"\n")
      assert.include(r.stderr, "warning: Version is required for login")
      assert.include(r.stderr, "warning: DeviceId is required for login")
    }))

  it.effect("--json gives the value, the transport and the issues", () =>
    Effect.gen(function*() {
      const r = yield* run(["header", "format", ...client, "--version", "1", "--json"], { env: { MBAUTH_TOKEN: token } })
      const json = JSON.parse(r.stdout)
      assert.strictEqual(json.ok, true)
      assert.strictEqual(json.transport, "value")
      assert.deepStrictEqual(json.redacted, ["Token"])
      assert.deepStrictEqual(json.issues, [])
      assert.notInclude(r.stdout, token)
    }))

  it.effect("batch: one JSON params object per line in, one line out per line, invalid lines included", () =>
    Effect.gen(function*() {
      const input = [
        JSON.stringify({ Client: "a", Version: "1", DeviceId: "d", Device: "x" }),
        "not json",
        JSON.stringify({ Client: "b", Colour: "red" }),
        JSON.stringify({ Client: "c\ud800" }),
        JSON.stringify({ Client: "d", Token: token })
      ].join("\n")
      const human = yield* run(["header", "format", "--stdin"], { stdin: input })
      assert.strictEqual(human.exitCode, 1)
      assert.deepStrictEqual(human.stdout.split("\n").slice(0, -1), [
        "MediaBrowser Client=\"a\", Version=\"1\", DeviceId=\"d\", Device=\"x\"",
        "",
        "",
        "",
        "MediaBrowser Token=\"REDACTED\", Client=\"d\""
      ])
      assert.include(human.stderr, "line 2: not JSON")
      assert.include(human.stderr, "line 3: unknown parameter \"Colour\"")
      assert.include(human.stderr, "line 4: the value of Client contains a lone UTF-16 surrogate")
      assert.include(human.stderr, "3 lines failed")
      const json = yield* run(["header", "format", "--stdin", "--input", "jsonl", "--json"], { stdin: input })
      const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [2, false], [3, false], [4, false], [5, true]])
      assert.strictEqual(lines[1].error.code, "InvalidJson")
      assert.strictEqual(lines[3].error.code, "UnencodableValue")
      assert.notInclude(json.stdout, token)
    }))

  it.effect("batch reads JSON lines only, and not together with --token-stdin", () =>
    Effect.gen(function*() {
      const text = yield* run(["header", "format", "--stdin", "--input", "text"], { stdin: "x" })
      assert.strictEqual(text.exitCode, 2)
      assert.include(text.stderr, "header format reads --input jsonl, not text")
      const both = yield* run(["header", "format", "--stdin", "--token-stdin"], { stdin: "{}" })
      assert.strictEqual(both.exitCode, 2)
      assert.include(both.stderr, "--stdin and --token-stdin both read standard input")
    }))
})
