// The trace: `--verbose`, `MBAUTH_DEBUG=api` or `--log-level debug` print every HTTP request and
// answer (method, address, status, time) on stderr, secrets masked; stdout is untouched.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Trace from "../src/internal/session/trace.js"
import { buildOnce, mbauth } from "./utils/bin.js"
import { type Service, startSandbox, stopSandbox } from "./utils/sandboxProcess.js"

buildOnce()

describe("the HTTP trace (built executable, sandbox)", () => {
  it("each way of asking for it logs every request and answer, without secrets; by default nothing", async () => {
    const sandbox = await startSandbox()
    try {
      const jellyfin12 = sandbox.services.find((s) => s.name === "Sandbox Jellyfin 12") as Service
      const env = { MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-trace-")) }
      const added = mbauth(["server", "add", jellyfin12.url], { env })
      assert.strictEqual(added.status, 0, added.stderr)
      assert.notInclude(added.stderr, "→", "no trace unless asked")

      const ways: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>]> = [
        [["--verbose"], {}],
        [[], { MBAUTH_DEBUG: "api" }],
        [["--log-level", "debug"], {}]
      ]
      for (const [flags, extra] of ways) {
        const login = mbauth(["server", "login", "Sandbox Jellyfin 12", "--user", "bob", "--password-stdin", ...flags], {
          env: { ...env, ...extra },
          input: "bob-password"
        })
        assert.strictEqual(login.status, 0, login.stderr)
        assert.strictEqual(login.stdout, "signed in to Sandbox Jellyfin 12 as bob (password)\n")
        assert.match(login.stderr, new RegExp(`→ GET ${jellyfin12.url}/System/Info/Public\\n`))
        assert.match(login.stderr, new RegExp(`← 200 POST ${jellyfin12.url}/Users/AuthenticateByName \\(\\d+ ms\\)\\n`))
        assert.notInclude(login.stderr, "bob-password")
        const token = mbauth(["auth", "token", "Sandbox Jellyfin 12"], { env }).stdout.trim()
        assert.match(token, /^[0-9a-f]{32}$/)
        const get = mbauth(["get", "Sandbox Jellyfin 12", "/Users/Me?fields=x", ...flags], { env: { ...env, ...extra } })
        assert.strictEqual(get.status, 0, get.stderr)
        assert.match(get.stderr, new RegExp(`← 200 GET ${jellyfin12.url}/Users/Me\\?fields=x \\(\\d+ ms\\)\\n`))
        assert.notInclude(get.stderr, token)
        assert.strictEqual(JSON.parse(get.stdout).Name, "bob")
      }
      const failed = mbauth(["get", "Sandbox Jellyfin 12", "/Nowhere", "--verbose"], { env })
      assert.strictEqual(failed.status, 1)
      assert.match(failed.stderr, new RegExp(`← 404 GET ${jellyfin12.url}/Nowhere`))
    } finally {
      await stopSandbox(sandbox.child)
    }
  }, 120_000)
})

describe("Trace.traced", () => {
  it.effect("masks token query parameters, and logs a failed request too", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ message }) => void lines.push(String(Array.isArray(message) ? message[0] : message)))
      const answering = HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{}", { status: 401 }))))
      const traced = Trace.traced(answering)
      yield* traced.execute(HttpClientRequest.get("http://127.0.0.1:1/Items?api_key=0123456789abcdef&X-Emby-Token=fedcba9876543210&q=1")).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      assert.strictEqual(lines.length, 2)
      for (const line of lines) {
        assert.notInclude(line, "0123456789abcdef")
        assert.notInclude(line, "fedcba9876543210")
        assert.include(line, "q=1")
      }
      assert.match(lines[1]!, /^← 401 GET http:\/\/127\.0\.0\.1:1\/Items\?/)

      lines.length = 0
      const refusing = Trace.traced(HttpClient.make(() => Effect.die("connection refused")))
      yield* Effect.exit(refusing.execute(HttpClientRequest.get("http://127.0.0.1:1/x")).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      ))
      assert.deepStrictEqual(lines.map((l) => l.replace(/\d+ ms/, "N ms")), ["→ GET http://127.0.0.1:1/x", "← failed GET http://127.0.0.1:1/x (N ms)"])
    }))
})
