// The built executable with its own config folder, and small servers closed after each test: the
// set-up of the end-to-end tests that sign in against test/utils/tinyServer.ts.
import { afterEach, assert } from "@effect/vitest"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { mbauthAsync } from "./bin.js"
import { startTinyServer, type TinyServer } from "./tinyServer.js"

/** Starts small servers for the tests of a file; each is closed after the test that started it. */
export const tinyServers = () => {
  const servers: Array<TinyServer> = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return async (...args: Parameters<typeof startTinyServer>) => {
    const server = await startTinyServer(...args)
    servers.push(server)
    return server
  }
}

/** `mbauth` with a fresh config folder (and `env`), and what it saved there. */
export const session = (env: Record<string, string> = {}) => {
  const configDir = mkdtempSync(join(tmpdir(), "mbauth-session-"))
  const base = { MBAUTH_CONFIG_DIR: configDir, ...env }
  const cli = (args: ReadonlyArray<string>, options: { input?: string; env?: Record<string, string> } = {}) =>
    mbauthAsync(args, { ...options, env: { ...base, ...options.env } })
  const stored = () => readFileSync(join(configDir, "credentials.json"), "utf8")
  return { configDir, cli, stored }
}

/** A session in which bob has added `server` (a tiny server) and signed in to it. */
export const signedIn = async (server: TinyServer) => {
  const s = session()
  const added = await s.cli(["server", "add", server.url])
  assert.strictEqual(added.status, 0, added.stderr)
  const login = await s.cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], { input: "bob-password\n" })
  assert.strictEqual(login.status, 0, login.stderr)
  return s
}
