/**
 * A real Python client against the sandbox: jellyfin-apiclient-python (from PyPI, pinned in
 * packages/codegen/test/python/requirements.txt) signs in to every Jellyfin persona, reads the
 * current user and signs out. The Authorization header it sends is read by the generated Python
 * package (`--target python`) and must give what the server read: the fake server's reading (core's
 * module, which the fake authenticates with) and the device record the server kept from it.
 *
 * jellyfin-apiclient-python 1.20.2 sends `Authorization: MediaBrowser Client="…", Device="…",
 * DeviceId="…", Version="…", Token="…"` with the values unencoded
 * (jellyfin_apiclient_python/http.py, `_get_authenication_header`), the scheme Jellyfin 12 reads
 * with legacy authorization off, so it signs in to jellyfin-12.0 either way.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Auth from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { makeSandboxPersonas, type SandboxPersonas, SANDBOX_DEMO } from "../src/index.js"

const run = promisify(execFile)
const packages = new URL("../../", import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), "mbauth-python-client-"))
const INSTALL_TIMEOUT = 10 * 60 * 1000

let scope: Scope.CloseableScope
let sandbox: SandboxPersonas
let python: string

beforeAll(async () => {
  // The pinned Python packages (made once under the repository's .cache/), and the generated package.
  python = (await run(process.execPath, [join(packages, "codegen/test/python/venv.mjs")], { timeout: INSTALL_TIMEOUT })).stdout
  await run(process.execPath, [
    join(packages, "codegen/dist/bin.js"),
    "generate",
    "--spec",
    join(packages, "core/spec/mediabrowser.json"),
    "--out",
    dir,
    "--target",
    "python"
  ], { timeout: 60_000 })
  scope = await Effect.runPromise(Scope.make())
  sandbox = await Effect.runPromise(Scope.extend(
    makeSandboxPersonas({ personas: ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12.0"] }),
    scope
  ))
}, INSTALL_TIMEOUT)

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  rmSync(dir, { recursive: true, force: true })
})

interface ClientRun {
  readonly connect: number
  readonly signedIn: boolean
  readonly sent: string
  readonly header: { scheme: string; params: Record<string, string>; strict: string | null }
  readonly user: string
  readonly devices: ReadonlyArray<{ Id: string; Name: string; AppName: string; AppVersion: string }>
  readonly afterSignOut: string
}

const signInWithPython = async (url: string): Promise<ClientRun> => {
  const { name, password } = SANDBOX_DEMO.users.alice
  const { stdout } = await run(python, [join(packages, "testing/test/python/jellyfin_client.py"), url, name, password], {
    cwd: dir,
    timeout: 120_000,
    env: { ...process.env, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: "1", NO_PROXY: "127.0.0.1", no_proxy: "127.0.0.1" }
  })
  // The library prints to stdout too: the report is the last line.
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ClientRun
}

const cases = [
  { persona: "jellyfin-10.10", legacy: undefined },
  { persona: "jellyfin-10.11", legacy: undefined },
  { persona: "jellyfin-12.0", legacy: false },
  { persona: "jellyfin-12.0", legacy: true }
] as const

describe("jellyfin-apiclient-python against the sandbox", () => {
  for (const { legacy, persona } of cases) {
    it(`${persona}${legacy === undefined ? "" : ` (legacy ${legacy ? "on" : "off"})`}: signs in, reads the user, signs out; the generated Python package reads its header as the server does`, async () => {
      const { server } = sandbox.servers.find((s) => s.persona === persona)!
      if (legacy !== undefined) await Effect.runPromise(server.setLegacy(legacy))
      await Effect.runPromise(server.requests.clear)
      const client = await signInWithPython(server.url)

      expect(client.signedIn).toBe(true)
      expect(client.user).toBe("alice")
      expect(client.afterSignOut).toBe("Unauthorized")

      // The header it sends once signed in, as the server received it (reading the user), read
      // the server's way: the generated Python package gives the same scheme, params and token.
      const requests = await Effect.runPromise(server.requests.filter({ method: "GET", path: /^\/Users\/Me$/i }))
      expect(requests.map((r) => r.headers["authorization"])).toEqual([client.sent, client.sent])
      const reading = Auth.extract({ headers: requests[0]!.headers }, { profile: server.profile, ...(legacy === undefined ? {} : { legacy }) })
      expect(reading.authorization?.transport).toBe("Authorization")
      expect(client.header.scheme).toBe(reading.authorization!.header.scheme)
      expect(client.header.params).toEqual(reading.authorization!.header.params)
      expect(client.header.params).toEqual({
        Client: "mbauth interop",
        Device: "CI runner",
        DeviceId: "mbauth-python-interop",
        Version: "1.0.0",
        Token: reading.token!.value
      })
      expect(reading.token?.transport).toBe("Authorization")
      // The values go out unencoded: the space in "mbauth interop" is outside the strict grammar.
      expect(client.sent).toMatch(/^MediaBrowser Client="mbauth interop", Device="CI runner", DeviceId="mbauth-python-interop", Version="1\.0\.0", Token="[0-9a-f]{32}"$/)
      expect(client.header.strict).toBe("InvalidCharacter")

      // The device record the server kept from the header says the same.
      expect(client.devices).toContainEqual({ Id: "mbauth-python-interop", Name: "CI runner", AppName: "mbauth interop", AppVersion: "1.0.0" })
    }, 180_000)
  }
})
