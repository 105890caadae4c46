/**
 * `mbauth doctor` against the sandbox personas over real sockets: legacy on and off, Quick Connect
 * on and off, a valid, a revoked and a saved token; `--request`; `--json`.
 */
import { makeSandboxPersonas, refusedUrl, SANDBOX_DEMO, type SandboxPersonaOptions } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run } from "./utils/cli.js"

const start = (persona: SandboxPersonaOptions) =>
  Effect.map(makeSandboxPersonas({ personas: [persona] }), (running) => running.servers[0]!.server)

const configEnv = () => ({ MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-doctor-test-")) })

describe("mbauth doctor", () => {
  it.scoped("jellyfin-12.0 as shipped: legacy off with its cause and fix; exit 0 (nothing broken)", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      const result = yield* run(["doctor", server.url], { env: configEnv() })
      assert.strictEqual(result.exitCode, 0, result.stderr)
      assert.include(result.stdout, "Sandbox Jellyfin 12  Jellyfin 12.0.0")
      assert.include(result.stdout, "legacy authorization: off   Quick Connect: on")
      assert.include(result.stdout, "! Legacy authorization is off (Jellyfin 12's default")
      assert.include(result.stdout, "fix: Send `Authorization: MediaBrowser Token=\"…\"`")
    }))

  it.scoped("legacy on, Quick Connect off", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0", legacy: true, quickConnect: false })
      const result = yield* run(["doctor", server.url], { env: configEnv() })
      assert.include(result.stdout, "legacy authorization: on   Quick Connect: off")
      assert.include(result.stdout, "! Quick Connect is off")
      assert.include(result.stdout, "! Legacy authorization is on")
    }))

  it.scoped("--token-stdin: a valid token names the transports that refuse it; a revoked one exits 1", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      const token = yield* Effect.orDie(server.signIn("bob"))
      const valid = yield* run(["doctor", server.url, "--token-stdin"], { stdin: token, env: configEnv() })
      assert.strictEqual(valid.exitCode, 0, valid.stderr)
      assert.include(valid.stdout, "✓ The token is valid and accepted in Authorization, ApiKey.")
      assert.include(valid.stdout, "ignores the token in X-Emby-Authorization, X-Emby-Token, X-MediaBrowser-Token, api_key")
      assert.notInclude(valid.stdout + valid.stderr, token)
      yield* server.revoke(token)
      const revoked = yield* run(["doctor", server.url, "--token-stdin"], { stdin: token, env: configEnv() })
      assert.strictEqual(revoked.exitCode, 1)
      assert.include(revoked.stdout, "✗ The server does not know this token")
      assert.include(revoked.stdout, "fix: Sign in again")
    }))

  it.scoped("a saved sign-in is checked when the URL is a saved server", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-10.11" })
      const env = configEnv()
      assert.strictEqual((yield* run(["server", "add", server.url], { env })).exitCode, 0)
      const login = yield* run(["server", "login", server.serverName, "--user", "bob", "--password-stdin"], {
        stdin: SANDBOX_DEMO.users.bob.password,
        env
      })
      assert.strictEqual(login.exitCode, 0, login.stderr)
      const result = yield* run(["doctor", server.serverName], { env })
      assert.strictEqual(result.exitCode, 0, result.stderr)
      assert.include(result.stderr, "checking the saved sign-in of bob")
      assert.include(result.stdout, "accepted in Authorization, X-Emby-Authorization, X-Emby-Token, X-MediaBrowser-Token, ApiKey, api_key")
    }))

  it.scoped("--json: the diagnosis as data, no token in it", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "emby-4.9" })
      const result = yield* run(["doctor", server.url, "--json", "--token-stdin"], { stdin: SANDBOX_DEMO.apiKey.key, env: configEnv() })
      const diagnosis = JSON.parse(result.stdout) as { profile: string; token: string; findings: Array<{ code: string }> }
      assert.strictEqual(diagnosis.profile, "emby")
      assert.strictEqual(diagnosis.token, "accepted")
      assert.deepStrictEqual(diagnosis.findings.map((f) => f.code), ["Identified", "NoLegacySwitch", "TokenAccepted", "TransportIgnored"])
      assert.notInclude(result.stdout, SANDBOX_DEMO.apiKey.key)
    }))

  it.scoped("--request against a live server: X-Emby-Token on Jellyfin 12 is ignored, exit 1", () =>
    Effect.gen(function*() {
      const server = yield* start({ persona: "jellyfin-12.0" })
      const result = yield* run(["doctor", server.url, "--request", "-H", `X-Emby-Token: ${SANDBOX_DEMO.apiKey.key}`], { env: configEnv() })
      assert.strictEqual(result.exitCode, 1)
      assert.include(result.stdout, "As jellyfin-12 with legacy off reads it:")
      assert.include(result.stdout, "✗ This server ignores X-Emby-Token because legacy authorization is off")
      assert.notInclude(result.stdout, SANDBOX_DEMO.apiKey.key)
    }))

  it.effect("--request offline with --profile; without a server or profile it is a usage error", () =>
    Effect.gen(function*() {
      const emby = yield* run(["doctor", "--request", "--profile", "emby", "-q", "ApiKey=abc"])
      assert.include(emby.stdout, "This server (profile emby) never reads ApiKey")
      const missing = yield* run(["doctor", "--request", "-q", "ApiKey=abc"])
      assert.strictEqual(missing.exitCode, 2)
    }))

  it.scoped("nothing listening: exit 1 with where to look", () =>
    Effect.gen(function*() {
      const result = yield* run(["doctor", yield* refusedUrl], { env: configEnv() })
      assert.strictEqual(result.exitCode, 1)
      assert.include(result.stdout, "✗ The server did not answer as Jellyfin or Emby")
      assert.include(result.stdout, "fix: Check the address and port")
    }))
})
