// What a saved sign-in may be sent to, and what mbauth leaves on disk: the built executable in a
// child process against small servers on 127.0.0.1 (test/utils/tinyServer.ts).
import { assert, describe, it } from "@effect/vitest"
import { mkdtempSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildOnce, mbauthAsync } from "./utils/bin.js"
import { session, signedIn, tinyServers } from "./utils/session.js"
import { certificateFile, SERVER_ID, type TinyServer, TOKEN } from "./utils/tinyServer.js"

buildOnce()

const start = tinyServers()

const carriesToken = (server: TinyServer) =>
  server.received.some((r) => JSON.stringify(r.headers).includes(TOKEN) || r.url.includes(TOKEN))

describe("get: PATH is a path on the saved server", () => {
  it("absolute, scheme-relative and backslash forms naming another host are refused; nothing reaches that host", async () => {
    const saved = await start()
    const other = await start({ name: "Other" })
    const { cli } = await signedIn(saved)
    const host = `127.0.0.1:${other.port}`
    for (const path of [`http://${host}/abs`, `//${host}/sr`, `\\\\${host}/bs`, `/\\${host}/mixed`, `\\/${host}/mixed2`, `HTTP://${host}/upper`, `http:${host}/nosl`]) {
      const r = await cli(["get", "Tiny Jellyfin", path])
      assert.strictEqual(r.status, 2, `${path}: ${r.stdout}${r.stderr}`)
      assert.match(r.stderr, /PATH must be a path on the saved server/, path)
    }
    assert.deepStrictEqual(other.received, [], "the other host received nothing")
    assert.isFalse(carriesToken(other))
  })

  it("an absolute URL of the saved server's own origin is accepted; a relative path stays under the API base", async () => {
    const saved = await start()
    const { cli } = await signedIn(saved)
    const own = await cli(["get", "Tiny Jellyfin", `${saved.url}/System/Info`, "--json"])
    assert.strictEqual(own.status, 0, own.stderr)
    assert.deepStrictEqual(JSON.parse(own.stdout), { path: "/System/Info" })
    const relative = await cli(["get", "Tiny Jellyfin", "Users/Me?fields=a", "--json"])
    assert.strictEqual(relative.status, 0, relative.stderr)
    assert.strictEqual(saved.received.at(-1)!.url, "/Users/Me?fields=a")
  })
})

describe("the config folder is owner-only", () => {
  it("every file mbauth writes is 0600 and the folder it creates 0700, the install id included", async () => {
    const saved = await start()
    const { configDir } = await signedIn(saved)
    assert.strictEqual(statSync(configDir).mode & 0o777, 0o700)
    const files = readdirSync(configDir)
    assert.includeMembers(files, ["credentials.json", "install-id"])
    for (const file of files) assert.strictEqual(statSync(join(configDir, file)).mode & 0o777, 0o600, file)
  })

  it("a new config folder is created 0700", async () => {
    const saved = await start()
    const parent = mkdtempSync(join(tmpdir(), "mbauth-safety-parent-"))
    const configDir = join(parent, "nested", "mbauth")
    const r = await mbauthAsync(["server", "add", saved.url], { env: { MBAUTH_CONFIG_DIR: configDir } })
    assert.strictEqual(r.status, 0, r.stderr)
    assert.strictEqual(statSync(configDir).mode & 0o777, 0o700)
  })
})

describe("a secret never goes over a weaker scheme than the one the server was added with", () => {
  // The server answers over https (self-signed: trusted only while adding it) and reports a
  // plain-HTTP local address where the same server answers too.
  const httpsWithHttpLocal = async () => {
    const plain = await start()
    const secure = await start({ tls: true, localAddress: () => plain.url })
    const s = session()
    const added = await s.cli(["server", "add", secure.url], { env: { NODE_EXTRA_CA_CERTS: certificateFile } })
    assert.strictEqual(added.status, 0, added.stderr)
    return { ...s, plain, secure }
  }
  const signIns = (server: TinyServer) => server.received.filter((r) => r.url.toLowerCase().startsWith("/users/authenticatebyname"))

  it("server login: the https address fails (untrusted certificate) and the password is not sent to the http local address", async () => {
    const { cli, plain, secure } = await httpsWithHttpLocal()
    const login = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], { input: "bob-password\n" })
    assert.strictEqual(login.status, 1, login.stdout + login.stderr)
    assert.include(login.stderr, secure.url)
    assert.include(login.stderr, `not tried: ${plain.url}`)
    assert.include(login.stderr, "--allow-insecure")
    assert.deepStrictEqual(signIns(plain), [])
    assert.notInclude(JSON.stringify(plain.received), "bob-password")
  })

  it("server login --allow-insecure may use the http address; with the certificate trusted, https is used", async () => {
    const { cli, plain, secure } = await httpsWithHttpLocal()
    const trusted = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], {
      input: "bob-password\n",
      env: { NODE_EXTRA_CA_CERTS: certificateFile }
    })
    assert.strictEqual(trusted.status, 0, trusted.stderr)
    assert.strictEqual(signIns(secure).length, 1)
    assert.deepStrictEqual(signIns(plain), [])
    const insecure = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin", "--allow-insecure"], {
      input: "bob-password\n"
    })
    assert.strictEqual(insecure.status, 0, insecure.stderr)
    assert.strictEqual(signIns(plain).length, 1)
  })

  it("get: the saved token is not sent to the http address either", async () => {
    const { cli, plain } = await httpsWithHttpLocal()
    const login = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], {
      input: "bob-password\n",
      env: { NODE_EXTRA_CA_CERTS: certificateFile }
    })
    assert.strictEqual(login.status, 0, login.stderr)
    const get = await cli(["get", "Tiny Jellyfin", "/System/Info"])
    assert.strictEqual(get.status, 1, get.stdout + get.stderr)
    assert.isFalse(carriesToken(plain))
  })
})

describe("what a server sends is shown, never acted on by the terminal", () => {
  const evil = "Evil\u001b[31mRED\u001b[0m\nfake line\u2028sep\u0085nel\u202Eright-to-left\u0007"
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/

  it("server add and server list escape names and versions in human and JSON-lines output", async () => {
    const server = await start({ name: evil, version: "10.11.0\u001b[2J" })
    const { cli } = session()
    const added = await cli(["server", "add", server.url])
    assert.strictEqual(added.status, 0, added.stderr)
    assert.notMatch(added.stdout + added.stderr, raw)
    assert.strictEqual(added.stdout.split("\n").length, 3, added.stdout)
    assert.include(added.stdout, "found Evil\\u001b[31mRED\\u001b[0m\\nfake line\\u2028sep\\u0085nel\\u202eright-to-left\\u0007 at")

    const list = await cli(["server", "list"])
    assert.strictEqual(list.status, 0, list.stderr)
    assert.notMatch(list.stdout, raw)
    assert.strictEqual(list.stdout.split("\n").length, 3, list.stdout)

    const json = await cli(["server", "list", "--json"])
    assert.strictEqual(json.status, 0, json.stderr)
    assert.notMatch(json.stdout, raw)
    assert.strictEqual(json.stdout.split("\n").length, 2)
    assert.strictEqual(JSON.parse(json.stdout).name, evil, "JSON keeps the value, only its spelling is escaped")

    // Error messages quote the server's name: still two lines (error and hint), nothing raw.
    const error = await cli(["get", SERVER_ID, "/Users/Me"])
    assert.strictEqual(error.status, 1)
    assert.notMatch(error.stderr, raw)
    assert.strictEqual(error.stderr.split("\n").length, 3, error.stderr)
    assert.include(error.stderr, "nobody is signed in to Evil\\u001b[31mRED")
  })

  it("get escapes a text body, keeping its lines", async () => {
    const server = await start({
      answer: (r) =>
        r.url === "/text"
          ? { headers: { "content-type": "text/plain" }, body: "line 1\nline 2\u001b]0;title\u0007\u202Eend" }
          : undefined
    })
    const { cli } = await signedIn(server)
    const text = await cli(["get", "Tiny Jellyfin", "/text"])
    assert.strictEqual(text.status, 0, text.stderr)
    assert.strictEqual(text.stdout, "line 1\nline 2\\u001b]0;title\\u0007\\u202eend\n")
  })

  it("a ServerId that no server makes (../../etc) is refused when adding", async () => {
    const server = await start({ id: "../../etc", answer: (r) => (r.url.startsWith("/emby/") ? { status: 404 } : undefined) })
    const { cli, configDir } = session()
    const added = await cli(["server", "add", server.url])
    assert.strictEqual(added.status, 1, added.stdout)
    assert.include(added.stderr, "is not a ServerId")
    assert.deepStrictEqual(readdirSync(configDir).filter((f) => f === "credentials.json"), [])
  })
})
