// How `mbauth get` prints a body, against the sandbox (real sockets on 127.0.0.1): laid out from
// the server's text, so no nesting depth overflows the stack and numbers stay as written.
import { assert, describe, it } from "@effect/vitest"
import { Fault, makeSandbox } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as JsonText from "../src/internal/jsonText.js"
import { run } from "./utils/cli.js"

const withSignedInServer = <A, E>(body: Effect.Effect<string, never, never>, f: (cli: typeof run) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* makeSandbox({ discovery: false })
    const env = { MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-get-test-")) }
    const cli = (args: ReadonlyArray<string>) => run(args, { env })
    assert.strictEqual((yield* cli(["server", "add", sandbox.jellyfin.url])).exitCode, 0)
    const login = yield* run(["server", "login", "Sandbox Jellyfin 10.11", "--user", "alice"], {
      env: { ...env, MBAUTH_PASSWORD: "alice-password" }
    })
    assert.strictEqual(login.exitCode, 0, login.stderr)
    yield* sandbox.jellyfin.faults.set({
      path: "/Users/Me",
      fault: Fault.Status({ status: 200, body: yield* body, headers: { "content-type": "application/json" } })
    })
    return yield* f(cli)
  }))

describe("mbauth get prints the body", () => {
  const depth = 100_000
  const deep = "[".repeat(depth) + "]".repeat(depth)

  it.live("nested 100,000 levels deep: on one line, with a note (JSON.stringify overflowed the stack)", () =>
    withSignedInServer(Effect.succeed(deep), (cli) =>
      Effect.gen(function*() {
        const human = yield* cli(["get", "Sandbox Jellyfin 10.11", "/Users/Me"])
        assert.strictEqual(human.exitCode, 0, human.stderr)
        assert.strictEqual(human.stdout, `${deep}\n`)
        assert.include(human.stderr, "nests more than 100 levels deep")
        const json = yield* cli(["get", "Sandbox Jellyfin 10.11", "/Users/Me", "--json"])
        assert.strictEqual(json.exitCode, 0, json.stderr)
        assert.strictEqual(json.stdout, `${deep}\n`)
      })))

  it.live("with numbers exactly as the server wrote them", () =>
    withSignedInServer(Effect.succeed(`{"Id": 9007199254740993, "Ratio": 1.50, "Items": [ ]}`), (cli) =>
      Effect.gen(function*() {
        const human = yield* cli(["get", "Sandbox Jellyfin 10.11", "/Users/Me"])
        assert.strictEqual(human.stdout, `{\n  "Id": 9007199254740993,\n  "Ratio": 1.50,\n  "Items": []\n}\n`)
        const json = yield* cli(["get", "Sandbox Jellyfin 10.11", "/Users/Me", "--json"])
        assert.strictEqual(json.stdout, `{"Id":9007199254740993,"Ratio":1.50,"Items":[]}\n`)
      })))
})

describe("JsonText", () => {
  it.prop("lays out any JSON value as JSON.stringify does", [fc.jsonValue()], ([value]) => {
    const text = JSON.stringify(value, null, 3)
    assert.strictEqual(JsonText.compact(text), JSON.stringify(value))
    assert.strictEqual(JsonText.layout(JSON.stringify(value), "  "), JSON.stringify(value, null, 2))
  })

  it("refuses to indent deeper than asked", () => {
    assert.isUndefined(JsonText.layout("[[[1]]]", "  ", 2))
    assert.strictEqual(JsonText.layout("[[1]]", "  ", 2), "[\n  [\n    1\n  ]\n]")
  })
})
