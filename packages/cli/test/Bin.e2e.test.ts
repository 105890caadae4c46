// The built executable, run as a user runs it: packages/cli/dist/bin.mjs in a child process.
// `npm test` builds it first; run alone, the test builds it when it is missing.
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bin, buildOnce, mbauth, type Result } from "./utils/bin.js"

const token = "0123456789abcdef0123456789abcdef"

const noSecret = (r: Result) => {
  assert.notInclude(r.stdout, token)
  assert.notInclude(r.stderr, token)
}

buildOnce()

describe("the mbauth executable", () => {
  it("--help: usage on stdout, nothing on stderr, exit 0, no colour codes in a pipe", () => {
    const r = mbauth(["--help"])
    assert.strictEqual(r.status, 0)
    assert.include(r.stdout, "USAGE\n  mbauth <command> [options]")
    assert.match(r.stdout, /\n {2}request +Explain/)
    assert.strictEqual(r.stderr, "")
    assert.notMatch(r.stdout, /\u001B\[/)
  })

  it("--version prints the version and exits 0", () => {
    const r = mbauth(["--version"])
    assert.strictEqual(r.status, 0)
    assert.strictEqual(r.stdout.trim(), "0.1.0")
  })

  it("help for a nested command names the whole path", () => {
    const r = mbauth(["header", "parse", "--help"])
    assert.strictEqual(r.status, 0)
    assert.include(r.stdout, "mbauth header parse [VALUE] [options]")
  })

  it("a usage error: exit 2, explanation on stderr, stdout empty", () => {
    const r = mbauth(["header", "parse", "--mode", "nope", "x"])
    assert.strictEqual(r.status, 2)
    assert.strictEqual(r.stdout, "")
    assert.include(r.stderr, "strict, compat")
  })

  it("an operation failure: exit 1, one line on stderr; with --json, JSON on stdout", () => {
    const human = mbauth(["header", "format", "--transport", "query"])
    assert.strictEqual(human.status, 1)
    assert.strictEqual(human.stdout, "")
    assert.strictEqual(human.stderr, "error: --transport query needs a token (--token-stdin or MBAUTH_TOKEN)\n")
    const json = mbauth(["header", "format", "--transport", "query", "--json"])
    assert.strictEqual(json.status, 1)
    assert.strictEqual(JSON.parse(json.stdout).error.code, "MissingToken")
    assert.strictEqual(json.stderr, "")
  })

  it("batch mode: one JSON line per input line, mixed valid and invalid, exit 1", () => {
    const input = [
      `MediaBrowser Token="${token}", Client="a", Device="b", DeviceId="c", Version="1"`,
      "Bearer abc",
      "",
      "MediaBrowser Client=\"x\", token=\"y\"",
      `MediaBrowser Client="My "app", Token="${token}"`
    ].join("\n") + "\n"
    const r = mbauth(["header", "parse", "--stdin", "--json"], { input })
    assert.strictEqual(r.status, 1)
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))
    assert.deepStrictEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [2, false], [3, false], [4, true], [5, true]])
    assert.strictEqual(r.stderr, "")
    noSecret(r)
    const lint = mbauth(["header", "lint", "--stdin"], { input })
    assert.strictEqual(lint.status, 1)
    assert.strictEqual(lint.stdout.trimEnd().split("\n").length, 5)
    assert.include(lint.stdout.split("\n")[4], "error SwallowedParameters")
    assert.include(lint.stderr, "4 lines failed")
    noSecret(lint)
  })

  it("batch mode with no input prints nothing and succeeds", () => {
    const r = mbauth(["request", "explain", "--stdin", "--json"])
    assert.strictEqual(r.status, 0)
    assert.strictEqual(r.stdout, "")
  })

  it("a token from stdin or the environment never reaches stdout, stderr or argv", () => {
    const piped = mbauth(["header", "format", "--client", "c", "--token-stdin"], { input: `${token}\n` })
    assert.strictEqual(piped.status, 0)
    assert.strictEqual(piped.stdout, "MediaBrowser Token=\"REDACTED\", Client=\"c\"\n")
    noSecret(piped)
    const env = mbauth(["header", "format", "--transport", "curl", "--verbose"], { env: { MBAUTH_TOKEN: token } })
    assert.strictEqual(env.stdout, "-H 'Authorization: MediaBrowser Token=\"REDACTED\"'\n")
    noSecret(env)
    const shown = mbauth(["header", "format", "--show-secrets"], { env: { MBAUTH_TOKEN: token } })
    assert.strictEqual(shown.stdout, `MediaBrowser Token="${token}"\n`)
    const explained = mbauth(["request", "explain", "-H", `X-Emby-Token: ${token}`, "--profile", "emby"])
    assert.include(explained.stdout, "X-Emby-Token <redacted, 32 chars>")
    noSecret(explained)
  })

  it("NO_COLOR and --no-color are honoured (and pipes never get colour)", () => {
    for (const r of [mbauth(["header", "lint", "Bearer x"], { env: { NO_COLOR: "1" } }), mbauth(["header", "lint", "Bearer x", "--no-color"])]) {
      assert.strictEqual(r.status, 1)
      assert.notMatch(r.stdout + r.stderr, /\u001B\[/)
      assert.include(r.stdout, "error UnknownScheme")
    }
  })

  it("--color always and FORCE_COLOR colour a pipe too (FORCE_COLOR over NO_COLOR); --color never does not", () => {
    const coloured = [
      mbauth(["header", "lint", "Bearer x", "--color", "always"]),
      mbauth(["--color=always", "header", "lint", "Bearer x"], { env: { NO_COLOR: "1" } }),
      mbauth(["header", "lint", "Bearer x"], { env: { FORCE_COLOR: "1" } }),
      mbauth(["header", "lint", "Bearer x"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })
    ]
    for (const r of coloured) {
      assert.strictEqual(r.status, 1, r.stderr)
      assert.match(r.stdout, /\u001B\[/)
    }
    for (const args of [["--help", "--color=always"], ["header", "--color", "always"]]) assert.match(mbauth(args).stdout, /\u001B\[1m/)
    assert.match(mbauth(["--help"], { env: { FORCE_COLOR: "1" } }).stdout, /\u001B\[1m/)
    const plain = mbauth(["header", "lint", "Bearer x", "--color=never"], { env: { FORCE_COLOR: "1" } })
    assert.notMatch(plain.stdout + plain.stderr, /\u001B\[/)
    assert.notMatch(mbauth(["--help"], { env: { FORCE_COLOR: "0" } }).stdout, /\u001B\[/)
  })
})

// bin/mbauth.mjs is what npm links as `mbauth` (package.json "bin"): committed, so the link exists
// before `prepare` builds dist/ (`npx mbauth` in a fresh clone).
describe("the linked launcher, bin/mbauth.mjs", () => {
  const launcher = join(bin, "..", "..", "bin", "mbauth.mjs")
  const run = (file: string, args: ReadonlyArray<string>) =>
    spawnSync(process.execPath, [file, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" }, timeout: 30_000 })

  it("runs the built executable with the same arguments", () => {
    const version = run(launcher, ["--version"])
    assert.strictEqual(version.status, 0)
    assert.strictEqual(version.stdout, "0.1.0\n")
    assert.strictEqual(run(launcher, ["header", "parse", "--help"]).stdout, mbauth(["header", "parse", "--help"]).stdout)
    const failed = run(launcher, ["header", "parse", "--mode", "nope", "x"])
    assert.strictEqual(failed.status, 2)
  })

  it("without a build, says how to build and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "mbauth-unbuilt-"))
    try {
      mkdirSync(join(dir, "bin"))
      copyFileSync(launcher, join(dir, "bin", "mbauth.mjs"))
      const r = run(join(dir, "bin", "mbauth.mjs"), ["--help"])
      assert.strictEqual(r.status, 1)
      assert.strictEqual(r.stdout, "")
      assert.include(r.stderr, `${join(dir, "dist", "bin.mjs")} is missing`)
      assert.include(r.stderr, "npm run build --workspace @mbauth/cli")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
