// Scriptable sign-ins: `auth status`, `auth token`, the default server (`server use`), and
// `server remove` asking first on a terminal. Real processes against the sandbox; the prompt is
// driven in-process through the mock terminal.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildOnce, mbauth, type Result } from "./utils/bin.js"
import { run } from "./utils/cli.js"
import { type Service, startSandbox, stopSandbox } from "./utils/sandboxProcess.js"

buildOnce()

const ok = (r: Result) => {
  assert.strictEqual(r.status, 0, r.stderr)
  return r
}

describe("auth status, auth token and the default server (built executable, sandbox)", () => {
  it("status lists sign-ins without tokens, --check asks the servers, token prints the working token", async () => {
    const sandbox = await startSandbox()
    try {
      const jellyfin12 = sandbox.services.find((s) => s.name === "Sandbox Jellyfin 12") as Service
      const env = { MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-auth-")) }
      ok(mbauth(["server", "add", jellyfin12.url], { env }))
      ok(mbauth(["server", "login", "Sandbox Jellyfin 12", "--user", "bob", "--password-stdin"], { env, input: "bob-password" }))

      const token = ok(mbauth(["auth", "token", "Sandbox Jellyfin 12"], { env })).stdout.trim()
      assert.match(token, /^[0-9a-f]{32}$/)
      const me = await fetch(`${jellyfin12.url}/Users/Me`, { headers: { Authorization: `MediaBrowser Token="${token}"` } })
      assert.strictEqual(me.status, 200, "the printed token is the one the server accepts")
      assert.deepInclude(JSON.parse(ok(mbauth(["auth", "token", "Sandbox Jellyfin 12", "--json"], { env })).stdout), { ok: true, token })

      const status = ok(mbauth(["auth", "status"], { env }))
      assert.strictEqual(status.stdout, "Emby Connect: not signed in\nSandbox Jellyfin 12: bob, token saved\n")
      const checked = ok(mbauth(["auth", "status", "--check"], { env }))
      assert.include(checked.stdout, "Sandbox Jellyfin 12: bob, token valid")
      for (const r of [status, checked]) assert.notInclude(r.stdout + r.stderr, token)
      const lines = ok(mbauth(["auth", "status", "--check", "--json"], { env })).stdout.trim().split("\n").map((l) => JSON.parse(l))
      assert.deepStrictEqual(lines[0], { connect: null })
      assert.deepInclude(lines[1], { server: "Sandbox Jellyfin 12", user: "bob", token: "valid", default: false })

      // Without a SERVER and without a default: a usage error saying what to do.
      const none = mbauth(["get", "/Users/Me"], { env })
      assert.strictEqual(none.status, 2)
      assert.include(none.stderr, "mbauth server use NAME")

      ok(mbauth(["server", "use", "Sandbox Jellyfin 12"], { env }))
      assert.strictEqual(JSON.parse(ok(mbauth(["get", "/Users/Me", "--json"], { env })).stdout).Name, "bob")
      assert.strictEqual(ok(mbauth(["auth", "token"], { env })).stdout.trim(), token)
      assert.include(ok(mbauth(["server", "list"], { env })).stdout, "Sandbox Jellyfin 12 (default)")
      assert.isTrue(JSON.parse(ok(mbauth(["server", "list", "--json"], { env })).stdout).default)

      // Signed out (the server revokes the token): status says so, token has nothing to print.
      ok(mbauth(["server", "logout"], { env }))
      assert.include(ok(mbauth(["auth", "status"], { env })).stdout, "no server sign-ins")
      const gone = mbauth(["auth", "token"], { env })
      assert.strictEqual(gone.status, 1)
      assert.strictEqual(gone.stdout, "")
      assert.include(gone.stderr, "nobody is signed in to Sandbox Jellyfin 12")

      // The default server removed: said plainly.
      ok(mbauth(["server", "remove", "Sandbox Jellyfin 12"], { env }))
      const removed = mbauth(["get", "/Users/Me"], { env })
      assert.strictEqual(removed.status, 1)
      assert.include(removed.stderr, "the default server (b2c3d4e5f60718293a4b5c6d7e8f90a1) is no longer saved")
    } finally {
      await stopSandbox(sandbox.child)
    }
  }, 120_000)
})

describe("server remove on a terminal", () => {
  const saved = (configDir: string) =>
    Effect.gen(function*() {
      const store = yield* CredentialStore.makeFile({ path: join(configDir, "credentials.json") })
      yield* store.upsertServer({ id: "a1b2c3d4e5f60718293a4b5c6d7e8f90", name: "Home", addresses: { manual: "http://127.0.0.1:9" } })
    }).pipe(Effect.provide(NodeContext.layer))

  const names = (configDir: string) =>
    Effect.gen(function*() {
      const store = yield* CredentialStore.makeFile({ path: join(configDir, "credentials.json") })
      return (yield* store.listServers).map((s) => s.name)
    }).pipe(Effect.provide(NodeContext.layer))

  const terminal = { stdin: true, stdout: true, stderr: true }

  it.effect("asks, and keeps the server unless the answer is yes", () =>
    Effect.gen(function*() {
      const configDir = mkdtempSync(join(tmpdir(), "mbauth-remove-"))
      yield* saved(configDir)
      const env = { MBAUTH_CONFIG_DIR: configDir }
      const kept = yield* run(["server", "remove", "Home"], { env, isTTY: terminal, terminal: (t) => t.inputKey("enter") })
      assert.strictEqual(kept.exitCode, 1)
      assert.include(kept.displayed, "Forget Home?")
      assert.include(kept.stderr, "kept Home")
      assert.deepStrictEqual(yield* names(configDir), ["Home"])

      const removed = yield* run(["server", "rm", "Home"], { env, isTTY: terminal, terminal: (t) => Effect.zipRight(t.inputText("y"), t.inputKey("enter")) })
      assert.strictEqual(removed.exitCode, 0, removed.stderr)
      assert.deepStrictEqual(yield* names(configDir), [])
    }))

  it.effect("--yes, or no terminal, removes without asking", () =>
    Effect.gen(function*() {
      for (const options of [{ args: ["--yes"], isTTY: terminal }, { args: ["-y"], isTTY: terminal }, { args: [], isTTY: {} }]) {
        const configDir = mkdtempSync(join(tmpdir(), "mbauth-remove-"))
        yield* saved(configDir)
        const r = yield* run(["server", "remove", "Home", ...options.args], { env: { MBAUTH_CONFIG_DIR: configDir }, isTTY: options.isTTY })
        assert.strictEqual(r.exitCode, 0, r.stderr)
        assert.strictEqual(r.displayed, "")
        assert.deepStrictEqual(yield* names(configDir), [])
      }
    }))
})
