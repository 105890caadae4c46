// `--cacert FILE` / `MBAUTH_CA_CERT`: a server whose certificate a private CA signed (the fixtures
// in test/fixtures/private-ca, made with OpenSSL as their README says) is refused with a TLS error
// that names the option, and reached once its CA is trusted; verification is never switched off.
// The built executable against an HTTPS server on 127.0.0.1.
import { assert, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { buildOnce } from "./utils/bin.js"
import { session, tinyServers } from "./utils/session.js"
import { certificateFile } from "./utils/tinyServer.js"

buildOnce()

const start = tinyServers()

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/private-ca/${name}`, import.meta.url))
const caFile = fixture("ca-cert.pem")
const privateCa = { cert: fixture("server-cert.pem"), key: fixture("server-key.pem") }

describe("--cacert", () => {
  it("without it the server is refused with a TLS error naming --cacert; with it (or MBAUTH_CA_CERT) it is reached, signed in and called", async () => {
    const server = await start({ tls: true, certificate: privateCa })
    const { cli } = session()
    const refused = await cli(["server", "add", server.url])
    assert.strictEqual(refused.status, 1, refused.stdout)
    assert.include(refused.stderr, "The secure connection failed")
    assert.include(refused.stderr, "--cacert FILE")
    assert.include(refused.stderr, "MBAUTH_CA_CERT")
    assert.strictEqual(server.received.length, 0)

    const added = await cli(["server", "add", server.url, "--cacert", caFile])
    assert.strictEqual(added.status, 0, added.stderr)
    assert.include(added.stdout, `found Tiny Jellyfin at ${server.url}`)
    const login = await cli(["server", "login", "Tiny Jellyfin", "--user", "bob", "--password-stdin"], {
      input: "bob-password\n",
      env: { MBAUTH_CA_CERT: caFile }
    })
    assert.strictEqual(login.status, 0, login.stderr)
    const api = await cli(["api", "Tiny Jellyfin", "/Users/Me", "--cacert", caFile])
    assert.strictEqual(api.status, 0, api.stderr)
    assert.include(api.stdout, `"Name":"bob"`)
    const doctor = await cli(["doctor", server.url, "--cacert", caFile])
    assert.notInclude(doctor.stdout + doctor.stderr, "The secure connection failed")
    // Still verified: without the CA again, refused.
    const again = await cli(["get", "Tiny Jellyfin", "/Users/Me"])
    assert.strictEqual(again.status, 1)
    assert.include(again.stderr, "--cacert FILE")
  })

  it("another authority's certificate does not make the server trusted", async () => {
    const server = await start({ tls: true, certificate: privateCa })
    const { cli } = session()
    const refused = await cli(["server", "add", server.url, "--cacert", certificateFile])
    assert.strictEqual(refused.status, 1, refused.stdout)
    assert.include(refused.stderr, "The secure connection failed")
  })

  it("a file that is missing or holds no certificate is a usage error, and nothing is sent", async () => {
    const server = await start({ tls: true, certificate: privateCa })
    const { cli, configDir } = session()
    const missing = await cli(["server", "add", server.url, "--cacert", join(configDir, "nope.pem")])
    assert.strictEqual(missing.status, 2, missing.stderr)
    assert.include(missing.stderr, `error: --cacert "${join(configDir, "nope.pem")}" (or MBAUTH_CA_CERT) is not usable`)
    const text = join(configDir, "text.pem")
    writeFileSync(text, "not a certificate\n")
    const notPem = await cli(["server", "add", server.url], { env: { MBAUTH_CA_CERT: text } })
    assert.strictEqual(notPem.status, 2, notPem.stderr)
    assert.include(notPem.stderr, "it holds no PEM certificate")
    const broken = join(configDir, "broken.pem")
    writeFileSync(broken, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    const unreadable = await cli(["server", "add", server.url, "--cacert", broken])
    assert.strictEqual(unreadable.status, 2, unreadable.stderr)
    assert.include(unreadable.stderr, "a certificate in it cannot be read")
    assert.strictEqual(server.received.length, 0)
  })
})
