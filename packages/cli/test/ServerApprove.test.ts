/**
 * `mbauth server approve SERVER CODE` against the sandbox's jellyfin-12.0 persona: approves a code a
 * new device shows, as the saved user; unknown codes and Quick Connect turned off are errors that
 * say what to do.
 */
import { makeSandboxPersonas, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run } from "./utils/cli.js"

const client = { Client: "TV app", Device: "Living room", DeviceId: "tv-1", Version: "1.0.0" }
const scheme = `MediaBrowser ${Object.entries(client).map(([k, v]) => `${k}="${encodeURIComponent(v)}"`).join(", ")}`

const initiate = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}/QuickConnect/Initiate`, { method: "POST", headers: { authorization: scheme } })
    return (await response.json()) as { Code: string; Secret: string }
  })

describe("mbauth server approve", () => {
  it.scoped("approves the new device's code as the saved user; the device then signs in as bob", () =>
    Effect.gen(function*() {
      const server = (yield* makeSandboxPersonas({ personas: ["jellyfin-12.0"] })).servers[0]!.server
      const env = { MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-approve-test-")) }
      yield* run(["server", "add", server.url], { env })
      const login = yield* run(["server", "login", server.serverName, "--user", "bob", "--password-stdin"], {
        stdin: SANDBOX_DEMO.users.bob.password,
        env
      })
      assert.strictEqual(login.exitCode, 0, login.stderr)

      const request = yield* initiate(server.url)
      const approved = yield* run(["server", "approve", server.serverName, request.Code], { env })
      assert.strictEqual(approved.exitCode, 0, approved.stderr)
      assert.include(approved.stdout, `approved ${request.Code}`)
      assert.include(approved.stdout, "as bob")
      const signedIn = yield* Effect.promise(async () => {
        const response = await fetch(`${server.url}/Users/AuthenticateWithQuickConnect`, {
          method: "POST",
          headers: { authorization: scheme, "content-type": "application/json" },
          body: JSON.stringify({ Secret: request.Secret })
        })
        return (await response.json()) as { User: { Name: string } }
      })
      assert.strictEqual(signedIn.User.Name, "bob")

      const unknown = yield* run(["server", "approve", server.serverName, "000000"], { env })
      assert.strictEqual(unknown.exitCode, 1)
      assert.include(unknown.stderr, "no pending Quick Connect request with code 000000")

      yield* (server as typeof server & { setQuickConnectEnabled: (on: boolean) => Effect.Effect<void> }).setQuickConnectEnabled(false)
      const disabled = yield* run(["server", "approve", server.serverName, "123456"], { env })
      assert.strictEqual(disabled.exitCode, 1)
      assert.include(disabled.stderr, "Quick Connect is turned off")

      const malformed = yield* run(["server", "approve", server.serverName, "12ab"], { env })
      assert.strictEqual(malformed.exitCode, 2)
    }))
})
