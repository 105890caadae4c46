// Sign-out, listing and the errors of the signing-in commands, as a user meets them: the built
// executable in a child process against small servers on 127.0.0.1 (test/utils/tinyServer.ts).
import { assert, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { buildOnce, mbauthAsync } from "./utils/bin.js"
import { session, signedIn, tinyServers } from "./utils/session.js"
import { closedPort, TOKEN } from "./utils/tinyServer.js"

buildOnce()

const start = tinyServers()

describe("logout is consistent", () => {
  it("server logout twice: the second is a success with nothing to do", async () => {
    const server = await start()
    const { cli, stored } = await signedIn(server)
    const first = await cli(["server", "logout", "Tiny Jellyfin"])
    assert.strictEqual(first.status, 0, first.stderr)
    assert.strictEqual(first.stdout, "signed out bob from Tiny Jellyfin\n")
    assert.notInclude(stored(), TOKEN)
    const second = await cli(["server", "logout", "Tiny Jellyfin"])
    assert.strictEqual(second.status, 0, second.stderr)
    assert.strictEqual(second.stdout, "nobody is signed in to Tiny Jellyfin; nothing to do\n")
    const json = await cli(["server", "logout", "Tiny Jellyfin", "--user", "bob", "--json"])
    assert.strictEqual(json.status, 0, json.stderr)
    assert.deepInclude(JSON.parse(json.stdout), { ok: true, outcome: "NotSignedIn" })
  })

  it("server logout with the server unreachable keeps the token and says how to forget it here; --local forgets it", async () => {
    const server = await start()
    const { cli, stored } = await signedIn(server)
    await server.close()
    const refused = await cli(["server", "logout", "Tiny Jellyfin"])
    assert.strictEqual(refused.status, 1, refused.stdout)
    assert.match(refused.stderr, /^error: Tiny Jellyfin could not revoke the token \(.*\): you are still signed in, and the token is kept here\n/)
    assert.include(refused.stderr, "--local")
    assert.include(stored(), TOKEN)
    const local = await cli(["server", "logout", "Tiny Jellyfin", "--local"])
    assert.strictEqual(local.status, 0, local.stderr)
    assert.strictEqual(local.stdout, "signed out bob from Tiny Jellyfin here only\n")
    assert.include(local.stderr, "stays valid on the server")
    assert.notInclude(stored(), TOKEN)
  })

  it("connect logout with Emby Connect unreachable keeps the token and says how to forget it here; --local forgets it; again is nothing to do", async () => {
    const { cli, configDir, stored } = session({ MBAUTH_CONNECT_URL: `http://127.0.0.1:${await closedPort()}/service/` })
    const connectToken = "c0nnect0token000000000000000001"
    writeFileSync(
      join(configDir, "credentials.json"),
      JSON.stringify({ version: 2, connect: { userId: "42", accessToken: connectToken }, servers: {} }),
      { mode: 0o600 }
    )
    const refused = await cli(["connect", "logout"])
    assert.strictEqual(refused.status, 1, refused.stdout)
    assert.match(refused.stderr, /^error: Emby Connect could not revoke the token \(.*\): you are still signed in, and the token is kept here\n/)
    assert.include(refused.stderr, "mbauth connect logout --local")
    assert.include(stored(), connectToken)
    const local = await cli(["connect", "logout", "--local"])
    assert.strictEqual(local.status, 0, local.stderr)
    assert.strictEqual(local.stdout, "signed out of Emby Connect here only\n")
    assert.notInclude(stored(), connectToken)
    const again = await cli(["connect", "logout"])
    assert.strictEqual(again.status, 0, again.stderr)
    assert.strictEqual(again.stdout, "not signed in to Emby Connect; nothing to do\n")
  })
})

describe("server list", () => {
  it("reports the address that answered, not the typed one", async () => {
    const local = await start()
    const typed = await start({ localAddress: () => local.url })
    const { cli } = session()
    const added = await cli(["server", "add", typed.url])
    assert.strictEqual(added.status, 0, added.stderr)
    await typed.close()
    const list = await cli(["server", "list", "--json"])
    assert.strictEqual(list.status, 0, list.stderr)
    assert.deepInclude(JSON.parse(list.stdout), { address: local.url, status: "online" })
    const human = await cli(["server", "list"])
    assert.include(human.stdout, `${local.url}  online`)
    assert.notInclude(human.stdout, typed.url)
  })
})

describe("each failure has its own sentence", () => {
  it("a 307 answer to login is reported as a redirect that is not followed; the password goes nowhere else", async () => {
    const other = await start()
    const server = await start({
      answer: (r) =>
        r.url.toLowerCase().startsWith("/users/authenticatebyname")
          ? { status: 307, headers: { location: `${other.url}/Users/AuthenticateByName` } }
          : undefined
    })
    const { cli } = session()
    assert.strictEqual((await cli(["server", "add", server.url])).status, 0)
    const login = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], { input: "bob-password\n" })
    assert.strictEqual(login.status, 1, login.stdout)
    assert.include(login.stderr, `redirected (HTTP 307) to ${other.url}/Users/AuthenticateByName, which is not followed`)
    assert.notInclude(login.stderr, "ArrayBuffer")
    assert.deepStrictEqual(other.received, [])
  })

  it("refused connection, TLS failure and a web page each say what happened", async () => {
    const { cli } = session()
    const port = await closedPort()
    const refused = await cli(["server", "add", `http://127.0.0.1:${port}`])
    assert.strictEqual(refused.status, 1)
    assert.include(refused.stderr, "Nothing is listening there (connection refused)")

    const tls = await start({ tls: true })
    const untrusted = await cli(["server", "add", tls.url])
    assert.strictEqual(untrusted.status, 1)
    assert.include(untrusted.stderr, "The secure connection failed: the certificate is not trusted")

    const page = await start({ answer: () => ({ headers: { "content-type": "text/html" }, body: "<!doctype html><html><body>Router login</body></html>" }) })
    const html = await cli(["server", "add", page.url])
    assert.strictEqual(html.status, 1)
    assert.include(html.stderr, "a web page (HTML) answered instead of the API")
  })

  it("an invalid port, an invalid IPv4 address and an unsupported scheme are usage errors, tried nowhere", async () => {
    const { cli } = session()
    const port = await cli(["server", "add", "http://127.0.0.1:99999"])
    assert.strictEqual(port.status, 2)
    assert.include(port.stderr, "the port 99999 is out of range (1-65535)")
    const ipv4 = await cli(["server", "add", "999.1.1.1:8096"])
    assert.strictEqual(ipv4.status, 2)
    assert.include(ipv4.stderr, "999.1.1.1 is not a valid IPv4 address")
    const ftp = await cli(["server", "add", "ftp://127.0.0.1/"])
    assert.strictEqual(ftp.status, 2)
    assert.include(ftp.stderr, "the scheme ftp: is not supported (use http or https)")
    assert.notInclude(ftp.stderr, "https://ftp://")
  })

  it("sandbox --host with something that is not an IP address is a usage error, not a bare ServeError", async () => {
    const r = await mbauthAsync(["sandbox", "--host", "999.1.1.1"])
    assert.strictEqual(r.status, 2, r.stdout + r.stderr)
    assert.match(r.stderr, /^error: --host "999\.1\.1\.1" is not an IP address\n/)
    assert.notInclude(r.stderr, "ServeError")
  })
})

describe("poll intervals", () => {
  it("--interval 0, -5, NaN and 1e9 are usage errors, and nothing is sent", async () => {
    const connect = await start()
    const { cli } = session({ MBAUTH_CONNECT_URL: `${connect.url}/service/` })
    for (const value of ["0", "-5", "1e9"]) {
      const pin = await cli(["connect", "pin", `--interval=${value}`])
      assert.strictEqual(pin.status, 2, `${value}: ${pin.stdout}${pin.stderr}`)
      assert.include(pin.stderr, "--interval must be a number of seconds from 0.001 to 60", value)
    }
    // Not a number at all: the usage check before parsing says so.
    const nan = await cli(["connect", "pin", "--interval=NaN"])
    assert.strictEqual(nan.status, 2, nan.stdout + nan.stderr)
    assert.include(nan.stderr, "for --interval: expected a number")
    const server = await start()
    assert.strictEqual((await cli(["server", "add", server.url])).status, 0)
    const quick = await cli(["server", "login", "Tiny Jellyfin", "--quick-connect", "--interval=NaN"])
    assert.strictEqual(quick.status, 2, quick.stdout + quick.stderr)
    assert.deepStrictEqual(connect.received, [])
    assert.deepStrictEqual(server.received.filter((r) => r.url.toLowerCase().startsWith("/quickconnect")), [])
  })
})
