// The built executable against the sandbox, as a user runs it: `mbauth sandbox --json` in one
// process, the signing-in commands in others, sharing a temporary config folder.
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bin, buildOnce, mbauth, type Result } from "./utils/bin.js"
import { type Service, startSandbox, stopSandbox as stop } from "./utils/sandboxProcess.js"

buildOnce()

// Fixed demo data (SANDBOX_DEMO); none of it may appear in what the commands print.
const secrets = ["alice-connect-password", "alice-password", "bob-password", "d4e5f60718293a4b5c6d7e8f90a1b2c3", "e5f60718293a4b5c6d7e8f90a1b2c3d4"]

const noSecret = (r: Result) => {
  for (const secret of secrets) assert.notInclude(r.stdout, secret)
}

describe("mbauth sandbox (built executable)", () => {
  it("--tour exits 0, walks every step and prints no secret", () => {
    const r = mbauth(["sandbox", "--tour"])
    assert.strictEqual(r.status, 0, r.stderr)
    assert.include(r.stdout, "[8/8] Sign out of Emby Connect")
    assert.include(r.stdout, "Tour complete.")
    noSecret(r)
  })

  it("--json: one parseable line per service; the commands work against it; Ctrl-C stops it cleanly", async () => {
    const { child, services, stderr } = await startSandbox()
    try {
      assert.deepStrictEqual(services.map((s) => s.kind), ["EmbyConnect", "Jellyfin", "Jellyfin", "Jellyfin", "Emby", "Discovery"])
      const [connect, , jellyfin, jellyfin12] = services as [Service, Service, Service, Service]
      assert.deepInclude(jellyfin12.users[1], { name: "bob", password: "bob-password" })
      const env = { MBAUTH_CONNECT_URL: connect.apiUrl, MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-e2e-")) }

      const login = mbauth(["connect", "login", "--user", "alice@example.com", "--password-stdin"], { env, input: "alice-connect-password\n" })
      assert.strictEqual(login.status, 0, login.stderr)
      const servers = mbauth(["connect", "servers"], { env })
      assert.strictEqual(servers.status, 0, servers.stderr)
      assert.include(servers.stdout, "Sandbox Emby")

      for (const server of [jellyfin, jellyfin12]) {
        const added = mbauth(["server", "add", server.url], { env })
        assert.strictEqual(added.status, 0, added.stderr)
      }
      const bob = mbauth(["server", "login", "Sandbox Jellyfin 12", "--user", "bob", "--password-stdin"], { env, input: "bob-password" })
      assert.strictEqual(bob.status, 0, bob.stderr)
      const alice = mbauth(["server", "login", jellyfin.serverId!, "--user", "alice"], { env: { ...env, MBAUTH_PASSWORD: "alice-password" } })
      assert.strictEqual(alice.status, 0, alice.stderr)
      const emby = mbauth(["server", "login", "Sandbox Emby"], { env })
      assert.strictEqual(emby.status, 0, emby.stderr)

      // Three servers signed in at once.
      const list = mbauth(["server", "list", "--json"], { env })
      assert.strictEqual(list.status, 0, list.stderr)
      assert.strictEqual(list.stdout.trim().split("\n").length, 3)
      for (const [server, user] of [["Sandbox Jellyfin 12", "bob"], ["Sandbox Jellyfin 10.11", "alice"], ["Sandbox Emby", "alice"]] as const) {
        const me = mbauth(["get", server, "/Users/Me"], { env })
        assert.strictEqual(me.status, 0, me.stderr)
        assert.strictEqual(JSON.parse(me.stdout).Name, user)
        noSecret(me)
      }

      const logout = mbauth(["server", "logout", "Sandbox Jellyfin 12"], { env })
      assert.strictEqual(logout.status, 0, logout.stderr)
      const after = mbauth(["get", "Sandbox Jellyfin 12", "/Users/Me"], { env })
      assert.strictEqual(after.status, 1)
      assert.strictEqual(after.stdout, "")
      assert.strictEqual(mbauth(["get", "Sandbox Jellyfin 10.11", "/Users/Me"], { env }).status, 0)
      for (const r of [login, servers, bob, alice, emby, list, logout]) noSecret(r)
    } finally {
      const code = await stop(child)
      assert.strictEqual(code, 130)
      assert.include(stderr(), "sandbox stopped")
    }
  }, 60_000)

  it("connect pin: the PIN is confirmed on the (fake) website, the command signs in and exits 0", async () => {
    const { child, services } = await startSandbox()
    try {
      const connect = services[0]!
      const env = { PATH: process.env.PATH ?? "", MBAUTH_CONNECT_URL: connect.apiUrl, MBAUTH_CONFIG_DIR: mkdtempSync(join(tmpdir(), "mbauth-e2e-")) }
      const pin = spawn(process.execPath, [bin, "connect", "pin", "--interval", "0.1"], { env })
      let stdout = ""
      let stderr = ""
      pin.stdout.on("data", (chunk) => (stdout += String(chunk)))
      const exited = new Promise<number | null>((resolve) => pin.on("exit", resolve))
      const shown = await new Promise<string>((resolve, reject) => {
        pin.stderr.on("data", (chunk) => {
          stderr += String(chunk)
          const match = /Enter the PIN (\S+) at https:\/\/emby\.media\/pin/.exec(stderr)
          if (match !== null) resolve(match[1]!)
        })
        pin.on("exit", () => reject(new Error(`connect pin exited before showing a PIN: ${stderr}`)))
      })
      // What the user does on the website: sign in there and confirm the PIN.
      const signIn = await fetch(`${connect.apiUrl}user/authenticate`, {
        method: "POST",
        headers: { "X-Application": "e2e/1.0", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ nameOrEmail: "alice", rawpw: "alice-connect-password" })
      })
      const account = await signIn.json() as { AccessToken: string; User: { Id: string } }
      const confirmed = await fetch(`${connect.apiUrl}pin/confirm?pin=${shown}&userId=${account.User.Id}`, {
        method: "POST",
        headers: { "X-Connect-UserToken": account.AccessToken }
      })
      assert.isTrue(confirmed.ok, `pin/confirm answered ${confirmed.status}`)
      assert.strictEqual(await exited, 0, stderr)
      assert.match(stdout, /^signed in to Emby Connect \(user /)
      const servers = mbauth(["connect", "servers"], { env })
      assert.strictEqual(servers.status, 0, servers.stderr)
      assert.include(servers.stdout, "Sandbox Emby")
    } finally {
      await stop(child)
    }
  }, 60_000)
})
