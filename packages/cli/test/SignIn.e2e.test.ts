// `server login` never costs the user the sign-in they already had (SECURITY.md, "Sign-in
// durability"): the built executable in child processes against the sandbox's Jellyfin (real
// sockets on 127.0.0.1), a read-only config folder, Ctrl-C (SIGINT) at chosen and random moments,
// and two logins at once. The server replaces the token of a (DeviceId, user) as soon as it issues
// a new one, so after every run the saved token must be alice's only live token.
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import { makeSandbox, type SandboxService } from "@mbauth/testing"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { bin, buildOnce } from "./utils/bin.js"

buildOnce()

// As root, permissions do not stop writes: the children run as nobody, who owns the folder.
const asRoot = process.getuid?.() === 0
const nobody = 65534

// nobody may be unable to read the checkout (a clone inside a 0700 folder, as `mktemp -d` makes
// one), so as root the children run a copy of the built executable (it has no dependencies) from
// a folder everyone can read.
let executable = bin
const copies: Array<string> = []
beforeAll(() => {
  if (!asRoot) return
  const dir = mkdtempSync(join(tmpdir(), "mbauth-signin-bin-"))
  chmodSync(dir, 0o755)
  cpSync(dirname(bin), dir, { recursive: true })
  copies.push(dir)
  executable = join(dir, basename(bin))
})
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

interface Exited {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

const start = (configDir: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [executable, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: configDir, MBAUTH_CONFIG_DIR: configDir, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    ...(asRoot ? { uid: nobody, gid: nobody } : {})
  })
  let stderr = ""
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text))
  const exited = new Promise<Exited>((resolve) => child.on("close", (status, signal) => resolve({ status, signal, stderr })))
  return { child, exited }
}

const mbauth = (configDir: string, args: ReadonlyArray<string>, env?: Record<string, string>) =>
  Effect.promise(() => start(configDir, args, env).exited)

const login = ["server", "login", "Sandbox Jellyfin 10.11", "--user", "alice"]
const password = { MBAUTH_PASSWORD: "alice-password" }

const savedToken = (configDir: string) =>
  Effect.gen(function*() {
    const store = yield* CredentialStore.makeFile({ path: join(configDir, "credentials.json") })
    const server = yield* store.getServer("a1b2c3d4e5f60718293a4b5c6d7e8f90")
    const user = Option.flatMap(server, (s) => Option.fromNullable(Object.values(s.users).find((u) => u.name === "alice")))
    return Option.flatMap(user, (u) => Option.map(Option.fromNullable(u.accessToken), Redacted.value))
  }).pipe(Effect.provide(NodeFileSystem.layer), Effect.provide(NodePath.layer), Effect.orDie)

const aliceTokens = (sandbox: SandboxService) =>
  Effect.gen(function*() {
    const tokens = yield* sandbox.jellyfin.tokens
    const owners = yield* Effect.forEach(tokens, (token) => sandbox.jellyfin.tokenOwner(token))
    const alice = owners.find(Option.isSome)
    return tokens.filter((_, i) => Option.isSome(owners[i]!) && alice !== undefined && owners[i]!.value === alice.value)
  })

// The saved sign-in works, and it is alice's only live token (none was issued and left unsaved).
const assertSavedSignInIsTheLiveOne = (sandbox: SandboxService, configDir: string, context: string) =>
  Effect.gen(function*() {
    const saved = yield* savedToken(configDir)
    assert.isTrue(Option.isSome(saved), `${context}: a token is saved`)
    assert.deepStrictEqual(yield* aliceTokens(sandbox), [Option.getOrThrow(saved)], `${context}: the saved token is the live one`)
  })

const withSignedIn = <A, E>(f: (sandbox: SandboxService, configDir: string) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* makeSandbox({ discovery: false })
    const root = mkdtempSync(join(tmpdir(), "mbauth-signin-"))
    chmodSync(root, 0o755)
    const configDir = join(root, "config")
    mkdirSync(configDir, { mode: 0o700 })
    if (asRoot) chownSync(configDir, nobody, nobody)
    const added = yield* mbauth(configDir, ["server", "add", sandbox.jellyfin.url])
    assert.strictEqual(added.status, 0, added.stderr)
    const first = yield* mbauth(configDir, login, password)
    assert.strictEqual(first.status, 0, first.stderr)
    yield* assertSavedSignInIsTheLiveOne(sandbox, configDir, "first login")
    return yield* f(sandbox, configDir)
  }))

// Resolves as soon as the server has issued a token it had not issued before.
const newTokenIssued = (sandbox: SandboxService, before: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    for (;;) {
      const tokens = yield* sandbox.jellyfin.tokens
      if (tokens.some((t) => !before.includes(t))) return
      yield* Effect.sleep("1 millis")
    }
  })

const interrupt = (child: ChildProcess) => Effect.sync(() => child.kill("SIGINT"))

describe("server login keeps the saved sign-in", () => {
  it.live("with a read-only config folder: refused before the password is sent", () =>
    withSignedIn((sandbox, configDir) =>
      Effect.gen(function*() {
        const before = yield* sandbox.jellyfin.tokens
        chmodSync(configDir, 0o500)
        const again = yield* mbauth(configDir, login, password)
        chmodSync(configDir, 0o700)
        assert.strictEqual(again.status, 1, again.stderr)
        assert.match(again.stderr, /cannot create a lock file|credential/i)
        assert.deepStrictEqual(yield* sandbox.jellyfin.tokens, before, "no new token was issued")
        yield* assertSavedSignInIsTheLiveOne(sandbox, configDir, "read-only")
      })), 60_000)

  it.live("Connect login and the Connect exchange, with a read-only config folder: nothing is sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const sandbox = yield* makeSandbox({ discovery: false })
      const root = mkdtempSync(join(tmpdir(), "mbauth-signin-"))
      chmodSync(root, 0o755)
      const configDir = join(root, "config")
      mkdirSync(configDir, { mode: 0o700 })
      if (asRoot) chownSync(configDir, nobody, nobody)
      const env = { MBAUTH_CONNECT_URL: sandbox.connect.serviceUrl }
      const connectLogin = ["connect", "login", "--user", "alice@example.com"]
      const connectPassword = { ...env, MBAUTH_PASSWORD: "alice-connect-password" }
      assert.strictEqual((yield* mbauth(configDir, connectLogin, connectPassword)).status, 0)
      assert.strictEqual((yield* mbauth(configDir, ["connect", "servers"], env)).status, 0)
      assert.strictEqual((yield* mbauth(configDir, ["server", "login", "Sandbox Emby"], env)).status, 0)
      const connectTokens = yield* sandbox.connect.tokens
      const embyTokens = yield* sandbox.emby.tokens

      chmodSync(configDir, 0o500)
      const again = yield* mbauth(configDir, connectLogin, connectPassword)
      const exchange = yield* mbauth(configDir, ["server", "login", "Sandbox Emby"], env)
      chmodSync(configDir, 0o700)
      assert.strictEqual(again.status, 1, again.stderr)
      assert.strictEqual(exchange.status, 1, exchange.stderr)
      assert.deepStrictEqual(yield* sandbox.connect.tokens, connectTokens, "Emby Connect issued no token")
      assert.deepStrictEqual(yield* sandbox.emby.tokens, embyTokens, "Emby issued no token")
      const me = yield* mbauth(configDir, ["get", "Sandbox Emby", "/Users/Me"], env)
      assert.strictEqual(me.status, 0, `the saved Emby sign-in still works: ${me.stderr}`)
      assert.strictEqual((yield* mbauth(configDir, ["connect", "servers"], env)).status, 0, "the saved Connect sign-in still works")
    })), 60_000)

  it.live("interrupted (SIGINT) the moment the server issues the new token, and at random moments", () =>
    withSignedIn((sandbox, configDir) =>
      Effect.gen(function*() {
        for (let run = 0; run < 12; run++) {
          const before = yield* sandbox.jellyfin.tokens
          const { child, exited } = start(configDir, login, password)
          if (run % 2 === 0) yield* newTokenIssued(sandbox, before)
          else yield* Effect.sleep(`${Math.floor(Math.random() * 400)} millis`)
          yield* interrupt(child)
          const r = yield* Effect.promise(() => exited)
          // Before the program sets up its handler, SIGINT ends node at once (nothing was sent yet).
          assert.isTrue(r.status === 0 || r.status === 130 || r.signal === "SIGINT", `exit ${r.status}: ${r.stderr}`)
          yield* assertSavedSignInIsTheLiveOne(sandbox, configDir, `run ${run} (exit ${r.status})`)
        }
      })), 120_000)

  it.live("two logins at once: one after the other, the last one saved", () =>
    withSignedIn((sandbox, configDir) =>
      Effect.gen(function*() {
        for (let run = 0; run < 4; run++) {
          const both = yield* Effect.all([mbauth(configDir, login, password), mbauth(configDir, login, password)], {
            concurrency: 2
          })
          for (const r of both) assert.strictEqual(r.status, 0, r.stderr)
          yield* assertSavedSignInIsTheLiveOne(sandbox, configDir, `run ${run}`)
        }
      })), 120_000)
})
