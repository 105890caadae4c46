// connect, server and get, run in-process against the sandbox (real sockets on 127.0.0.1) with a
// temporary config folder per test.
import { assert, describe, it } from "@effect/vitest"
import { makeSandbox, SANDBOX_DEMO, type SandboxService } from "@mbauth/testing"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { mkdtempSync, readFileSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run, type RunOptions } from "./utils/cli.js"

const withSandbox = <A, E>(f: (sandbox: SandboxService, cli: typeof run, configDir: string) => Effect.Effect<A, E>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ discovery: false })
      const configDir = mkdtempSync(join(tmpdir(), "mbauth-cli-test-"))
      const env = { MBAUTH_CONNECT_URL: sandbox.connect.serviceUrl, MBAUTH_CONFIG_DIR: configDir }
      const cli = (args: ReadonlyArray<string>, options: RunOptions = {}) => run(args, { ...options, env: { ...env, ...options.env } })
      return yield* f(sandbox, cli, configDir)
    })
  )

const alice = SANDBOX_DEMO.connect.alice
const connectLogin = ["connect", "login", "--user", alice.email, "--password-stdin"]

// Every secret the sandbox knows at this moment, plus the demo passwords and AccessKeys.
const secretsOf = (sandbox: SandboxService) =>
  Effect.map(
    Effect.all([sandbox.connect.tokens, sandbox.jellyfin.tokens, sandbox.jellyfin12.tokens, sandbox.emby.tokens]),
    (lists) => [
      ...lists.flat(),
      alice.password,
      SANDBOX_DEMO.users.alice.password,
      SANDBOX_DEMO.users.bob.password,
      ...Object.values(SANDBOX_DEMO.accessKeys)
    ]
  )

const assertNoSecret = (text: string, secrets: ReadonlyArray<string>) => {
  for (const secret of secrets) assert.notInclude(text, secret)
}

describe("mbauth connect", () => {
  it.live("login (--password-stdin), servers, logout; tokens and AccessKeys never printed", () =>
    withSandbox((sandbox, cli, configDir) =>
      Effect.gen(function*() {
        const login = yield* cli(connectLogin, { stdin: `${alice.password}\n` })
        assert.strictEqual(login.exitCode, 0, login.stderr)
        assert.strictEqual(login.stdout, "signed in to Emby Connect as alice (alice@example.com)\n")
        const stored = readFileSync(join(configDir, "credentials.json"), "utf8")
        assert.strictEqual(statSync(join(configDir, "credentials.json")).mode & 0o777, 0o600)
        assert.include(stored, (yield* sandbox.connect.tokens)[0]!)

        const servers = yield* cli(["connect", "servers", "--json"])
        assert.strictEqual(servers.exitCode, 0, servers.stderr)
        const line = JSON.parse(servers.stdout)
        assert.strictEqual(line.serverId, SANDBOX_DEMO.serverIds.emby)
        assert.deepStrictEqual(line.accessKey, { redacted: true, length: 32 })
        const secrets = yield* secretsOf(sandbox)
        assertNoSecret(login.stdout + login.stderr + servers.stdout + servers.stderr, secrets)

        const token = (yield* sandbox.connect.tokens)[0]!
        assert.isTrue(Option.isSome(yield* sandbox.connect.tokenOwner(token)))
        const logout = yield* cli(["connect", "logout"])
        assert.strictEqual(logout.exitCode, 0)
        assert.isTrue(Option.isNone(yield* sandbox.connect.tokenOwner(token)), "the service revoked the token")
        assert.notInclude(readFileSync(join(configDir, "credentials.json"), "utf8"), token)
        const again = yield* cli(["connect", "servers"])
        assert.strictEqual(again.exitCode, 1)
        assert.include(again.stderr, "not signed in to Emby Connect")
      })))

  it.live("login: a wrong password is exit 1 naming the problem; no password and no terminal is exit 2", () =>
    withSandbox((_sandbox, cli) =>
      Effect.gen(function*() {
        const wrong = yield* cli(connectLogin, { stdin: "nope" })
        assert.strictEqual(wrong.exitCode, 1)
        assert.match(wrong.stderr, /^error: .*name or password/)
        assert.strictEqual(wrong.stdout, "")
        const json = yield* cli([...connectLogin, "--json"], { stdin: "nope" })
        assert.strictEqual(JSON.parse(json.stdout).error.code, "InvalidCredentials")
        const missing = yield* cli(["connect", "login", "--user", alice.email])
        assert.strictEqual(missing.exitCode, 2)
        assert.include(missing.stderr, "--password-stdin or MBAUTH_PASSWORD")
      })))

  it.live("login: a password is never sent over plain HTTP to a public address without --allow-insecure", () =>
    withSandbox((sandbox, cli) =>
      Effect.gen(function*() {
        const before = (yield* sandbox.connect.tokens).length
        // A reserved name (RFC 6761): refused before any lookup or connection is attempted.
        const env = { MBAUTH_CONNECT_URL: "http://connect.mbauth.invalid/service/" }
        const r = yield* cli(connectLogin, { stdin: alice.password, env })
        assert.strictEqual(r.exitCode, 1)
        assert.include(r.stderr, "--allow-insecure")
        assert.notInclude(r.stdout + r.stderr, alice.password)
        assert.strictEqual((yield* sandbox.connect.tokens).length, before)
        const help = yield* cli(["--help"])
        assert.include(help.stdout, "--allow-insecure")
      })))

  it.live("login: on a terminal the password is asked by a hidden prompt; MBAUTH_PASSWORD works too", () =>
    withSandbox((_sandbox, cli) =>
      Effect.gen(function*() {
        const r = yield* cli(["connect", "login", "--user", alice.email], {
          isTTY: { stdin: true, stdout: true },
          terminal: (t) => Effect.zipRight(t.inputText(alice.password), t.inputKey("enter"))
        })
        assert.strictEqual(r.exitCode, 0, r.stderr)
        assert.notInclude(r.displayed, alice.password)
        const env = yield* cli(["connect", "login", "--user", alice.email], { env: { MBAUTH_PASSWORD: alice.password } })
        assert.strictEqual(env.exitCode, 0, env.stderr)
      })))

  it.live("pin: shows the PIN and where to enter it, waits for the confirmation, saves the sign-in", () =>
    withSandbox((sandbox, cli) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(cli(["connect", "pin", "--interval", "0.05"]))
        // The website's step: the user confirms the PIN that was shown.
        const pin = yield* sandbox.connect.pins.pipe(
          Effect.flatMap((pins) => pins.length > 0 ? Effect.succeed(pins[0]!.pin) : Effect.fail("no PIN yet")),
          Effect.retry(Schedule.spaced("20 millis"))
        )
        yield* sandbox.connect.confirmPin(pin, alice.name)
        const r = yield* Fiber.join(fiber)
        assert.strictEqual(r.exitCode, 0, r.stderr)
        assert.include(r.stderr, `Enter the PIN ${pin} at https://emby.media/pin`)
        assert.match(r.stdout, /^signed in to Emby Connect \(user /)
        const servers = yield* cli(["connect", "servers"])
        assert.strictEqual(servers.exitCode, 0, servers.stderr)
      })))
})

describe("mbauth server and get", () => {
  it.live("add (scheme optional), login, list, get, logout, remove; two servers signed in at once", () =>
    withSandbox((sandbox, cli) =>
      Effect.gen(function*() {
        const j12 = sandbox.jellyfin12
        const added = yield* cli(["server", "add", j12.url.replace("http://", "")])
        assert.strictEqual(added.exitCode, 0, added.stderr)
        assert.include(added.stdout, `found Sandbox Jellyfin 12 at ${j12.url}: Jellyfin 12.0.0, profile jellyfin-12`)
        const added10 = yield* cli(["server", "add", sandbox.jellyfin.url, "--json"])
        assert.strictEqual(JSON.parse(added10.stdout).profile, "jellyfin-10.11")

        const bob = yield* cli(["server", "login", "Sandbox Jellyfin 12", "--user", "bob", "--password-stdin"], {
          stdin: SANDBOX_DEMO.users.bob.password
        })
        assert.strictEqual(bob.exitCode, 0, bob.stderr)
        const aliceLogin = yield* cli(["server", "login", SANDBOX_DEMO.serverIds.jellyfin, "--user", "alice"], {
          env: { MBAUTH_PASSWORD: SANDBOX_DEMO.users.alice.password }
        })
        assert.strictEqual(aliceLogin.exitCode, 0, aliceLogin.stderr)

        const list = yield* cli(["server", "list", "--json"])
        const entries = list.stdout.trim().split("\n").map((l) => JSON.parse(l))
        assert.deepStrictEqual(
          entries.map((e) => [e.name, e.status, e.users.filter((u: { signedIn: boolean }) => u.signedIn).map((u: { name: string }) => u.name)]).sort(),
          [["Sandbox Jellyfin 10.11", "online", ["alice"]], ["Sandbox Jellyfin 12", "online", ["bob"]]]
        )
        // Both sign-ins work at once, each with its own token.
        const me12 = yield* cli(["get", j12.url, "/Users/Me", "--json"])
        assert.strictEqual(me12.exitCode, 0, me12.stderr)
        assert.strictEqual(JSON.parse(me12.stdout).Name, "bob")
        const me10 = yield* cli(["get", "sandbox jellyfin 10.11", "Users/Me"])
        assert.strictEqual(JSON.parse(me10.stdout).Name, "alice")
        assertNoSecret(list.stdout + me12.stdout + me10.stdout + bob.stdout + aliceLogin.stdout, yield* secretsOf(sandbox))

        const bobToken = (yield* j12.tokens)[0]!
        assert.isTrue(Option.isSome(yield* j12.tokenOwner(bobToken)))
        const logout = yield* cli(["server", "logout", "Sandbox Jellyfin 12"])
        assert.strictEqual(logout.exitCode, 0, logout.stderr)
        assert.isTrue(Option.isNone(yield* j12.tokenOwner(bobToken)), "the server revoked bob's token")
        const after = yield* cli(["get", "Sandbox Jellyfin 12", "/Users/Me"])
        assert.strictEqual(after.exitCode, 1)
        assert.include(after.stderr, "nobody is signed in to Sandbox Jellyfin 12")
        assert.strictEqual((yield* cli(["get", "Sandbox Jellyfin 10.11", "/Users/Me"])).exitCode, 0, "the other sign-in is untouched")

        const removed = yield* cli(["server", "remove", SANDBOX_DEMO.serverIds.jellyfin12])
        assert.strictEqual(removed.exitCode, 0)
        const unknown = yield* cli(["server", "login", "Sandbox Jellyfin 12", "--user", "bob"])
        assert.strictEqual(unknown.exitCode, 1)
        assert.include(unknown.stderr, "no saved server matches")
      })))

  it.live("login via the Connect AccessKey exchange on Emby, then get", () =>
    withSandbox((_sandbox, cli) =>
      Effect.gen(function*() {
        assert.strictEqual((yield* cli(connectLogin, { stdin: alice.password })).exitCode, 0)
        assert.strictEqual((yield* cli(["connect", "servers"])).exitCode, 0)
        const login = yield* cli(["server", "login", "Sandbox Emby", "--json"])
        assert.strictEqual(login.exitCode, 0, login.stderr)
        assert.deepInclude(JSON.parse(login.stdout), { ok: true, user: "alice", via: "connect" })
        const me = yield* cli(["get", "Sandbox Emby", "/Users/Me", "--json"])
        assert.strictEqual(JSON.parse(me.stdout).Name, "alice")
      })))

  it.live("login --quick-connect: shows the code, signs in once it is authorized", () =>
    withSandbox((sandbox, cli) =>
      Effect.gen(function*() {
        assert.strictEqual((yield* cli(["server", "add", sandbox.jellyfin.url])).exitCode, 0)
        const fiber = yield* Effect.fork(cli(["server", "login", "Sandbox Jellyfin 10.11", "--quick-connect", "--interval", "0.05"]))
        const code = yield* sandbox.jellyfin.quickConnectRequests.pipe(
          Effect.flatMap((requests) => requests.length > 0 ? Effect.succeed(requests[0]!.code) : Effect.fail("no request yet")),
          Effect.retry(Schedule.spaced("20 millis"))
        )
        yield* sandbox.jellyfin.authorizeQuickConnect(code, "bob")
        const r = yield* Fiber.join(fiber)
        assert.strictEqual(r.exitCode, 0, r.stderr)
        assert.include(r.stderr, `Enter the code ${code}`)
        assert.include(r.stdout, "as bob (quick-connect)")
      })))

  it.live("error paths: unreachable address, no sign-in method, unknown server, HTTP errors", () =>
    withSandbox((sandbox, cli) =>
      Effect.gen(function*() {
        const refused = yield* cli(["server", "add", "http://127.0.0.1:9"])
        assert.strictEqual(refused.exitCode, 1)
        assert.include(refused.stderr, "no Jellyfin or Emby server answered at http://127.0.0.1:9")
        assert.strictEqual((yield* cli(["server", "add", sandbox.jellyfin12.url])).exitCode, 0)
        const noMethod = yield* cli(["server", "login", "Sandbox Jellyfin 12"])
        assert.strictEqual(noMethod.exitCode, 2)
        assert.include(noMethod.stderr, "--user NAME or --quick-connect")
        const wrong = yield* cli(["server", "login", "Sandbox Jellyfin 12", "--user", "bob", "--password-stdin"], { stdin: "wrong" })
        assert.strictEqual(wrong.exitCode, 1)
        assert.include(wrong.stderr, "did not accept the name or password")
        assert.strictEqual((yield* cli(["get", "nowhere", "/Users/Me"])).exitCode, 1)
        yield* cli(["server", "login", "Sandbox Jellyfin 12", "--user", "bob"], { env: { MBAUTH_PASSWORD: "bob-password" } })
        const missing = yield* cli(["get", "Sandbox Jellyfin 12", "/No/Such/Path", "--json"])
        assert.strictEqual(missing.exitCode, 1)
        assert.strictEqual(JSON.parse(missing.stdout).error.code, "HttpError")
        // Revoked on the server behind mbauth's back: 401 with a hint to sign in again.
        for (const token of yield* sandbox.jellyfin12.tokens) yield* sandbox.jellyfin12.revoke(token)
        const revoked = yield* cli(["get", "Sandbox Jellyfin 12", "/Users/Me"])
        assert.strictEqual(revoked.exitCode, 1)
        assert.include(revoked.stderr, "answered 401")
        assert.include(revoked.stderr, "mbauth server login")
        const empty = yield* cli(["server", "list"])
        assert.strictEqual(empty.exitCode, 0)
      })))
})

describe("mbauth sandbox --tour", () => {
  it.live("walks through every step, exits 0 and prints no secret", () =>
    Effect.gen(function*() {
      const r = yield* run(["sandbox", "--tour"])
      assert.strictEqual(r.exitCode, 0, r.stderr)
      for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) assert.include(r.stdout, `[${n}/8]`)
      assert.include(r.stdout, "Sandbox Emby: 200 {\"Name\":\"alice\"")
      assert.include(r.stdout, "Sandbox Jellyfin 12: 200 {\"Name\":\"bob\"")
      assert.include(r.stdout, "token <redacted, 32 chars>")
      assert.include(r.stdout, "Tour complete.")
      assertNoSecret(r.stdout + r.stderr, [alice.password, SANDBOX_DEMO.users.bob.password, ...Object.values(SANDBOX_DEMO.accessKeys)])
    }))
})

describe("session details", () => {
  it.effect("--help lists the new commands; each has its own help", () =>
    Effect.gen(function*() {
      for (const group of ["connect", "server"]) {
        const r = yield* run([group, "--help"])
        const names = group === "connect" ? ["login", "pin", "servers", "logout"] : ["add", "login", "list", "logout", "remove"]
        for (const name of names) assert.match(r.stdout, new RegExp(`\\n  ${name} +[A-Z]`), `${group} ${name}`)
      }
      const root = yield* run(["--help"])
      for (const name of ["get", "sandbox"]) assert.match(root.stdout, new RegExp(`\\n  ${name} +[A-Z]`))
      const login = yield* run(["server", "login", "--help"])
      assert.strictEqual(login.exitCode, 0)
      assert.include(login.stdout, "--quick-connect")
      const missing = yield* run(["server", "login"])
      assert.strictEqual(missing.exitCode, 2, "no SERVER, and no default server")
    }))

  it("the version sent to servers is mbauth's", async () => {
    const [{ appVersion }, { version }] = await Promise.all([import("../src/internal/session/ops.js"), import("../src/Cli.js")])
    assert.strictEqual(appVersion, version)
  })

  it("address candidates: a typed address without scheme tries https, then the default ports", async () => {
    const { candidates } = await import("../src/internal/session/ops.js")
    assert.deepStrictEqual(candidates("media.example.org/"), [
      "https://media.example.org",
      "http://media.example.org:8096",
      "http://media.example.org",
      "https://media.example.org:8920"
    ])
    assert.deepStrictEqual(candidates("192.168.1.20:8096"), ["http://192.168.1.20:8096", "https://192.168.1.20:8096"])
    assert.deepStrictEqual(candidates("https://x.example/jf"), ["https://x.example/jf"])
  })
})
