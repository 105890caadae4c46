import { assert, describe, it } from "@effect/vitest"
import * as ConnectionManager from "@mbauth/core/ConnectionManager"
import type * as CredentialStore from "@mbauth/core/CredentialStore"
import * as Either from "effect/Either"

const right = <A, E>(e: Either.Either<A, E>): A => {
  assert.isTrue(Either.isRight(e), `expected Right, got ${JSON.stringify(e)}`)
  return (e as Either.Right<E, A>).right
}

describe("ConnectionManager.normalizeAddress", () => {
  it("normalises what people type and paste", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [" media.lan ", "http://media.lan"],
      ["Media.LAN:8096", "http://media.lan:8096"],
      ["media.lan:8920", "https://media.lan:8920"],
      ["media.lan:443", "https://media.lan"],
      ["Http://Media.lan:8096/", "http://media.lan:8096"],
      ["HTTPS://media.example.com/jellyfin/", "https://media.example.com/jellyfin"],
      ["http://media.lan:8096/web/index.html#!/home.html", "http://media.lan:8096"],
      ["http://media.lan:8096/web/#/details?id=1", "http://media.lan:8096"],
      ["http://media.lan:8096/emby", "http://media.lan:8096"],
      ["http://media.lan:8096/emby/", "http://media.lan:8096"],
      ["http://media.lan:8096/mediabrowser", "http://media.lan:8096"],
      ["http://alice:secret@media.lan:8096/?api_key=abc", "http://media.lan:8096"],
      ["192.168.1.10:8096", "http://192.168.1.10:8096"],
      ["[::1]:8096", "http://[::1]:8096"],
      ["//media.lan", "http://media.lan"],
      ["http://media.lan:80", "http://media.lan"]
    ]
    for (const [input, expected] of cases) {
      assert.strictEqual(right(ConnectionManager.normalizeAddress(input)), expected, input)
    }
  })

  it("refuses what is not an http(s) address, without echoing credentials", () => {
    for (const input of ["", "   ", "ftp://media.lan", "mailto:a@b", "http://", "http://[bad"]) {
      const result = ConnectionManager.normalizeAddress(input)
      assert.isTrue(Either.isLeft(result), input)
    }
    const error = Either.getLeft(ConnectionManager.normalizeAddress("ftp://alice:hunter2@media.lan/x?token=abc"))
    assert.isTrue(error._tag === "Some")
    if (error._tag === "Some") {
      assert.strictEqual(error.value._tag, "InvalidAddress")
      assert.notInclude(error.value.message, "hunter2")
      assert.notInclude(error.value.message, "token=abc")
    }
  })
})

describe("ConnectionManager.addressCandidates", () => {
  it("tries https first, then default ports, then the Jellyfin ports (as @jellyfin/sdk)", () => {
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("media.lan")), [
      "https://media.lan",
      "https://media.lan:8096",
      "https://media.lan:8920",
      "http://media.lan",
      "http://media.lan:8096"
    ])
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("http://media.lan")), [
      "https://media.lan",
      "https://media.lan:8096",
      "https://media.lan:8920",
      "http://media.lan",
      "http://media.lan:8096"
    ])
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("https://media.lan")), [
      "https://media.lan",
      "https://media.lan:8096",
      "https://media.lan:8920"
    ])
    // A port without a scheme: both schemes on that port.
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("media.lan:8096")), [
      "https://media.lan:8096",
      "http://media.lan:8096"
    ])
    // A path prefix is kept on every variant.
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("example.com/jellyfin")), [
      "https://example.com/jellyfin",
      "https://example.com:8096/jellyfin",
      "https://example.com:8920/jellyfin",
      "http://example.com/jellyfin",
      "http://example.com:8096/jellyfin"
    ])
  })

  it("takes scheme and port given together at their word", () => {
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("http://media.lan:8096")), ["http://media.lan:8096"])
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("https://media.lan:443/")), ["https://media.lan"])
    assert.deepStrictEqual(right(ConnectionManager.addressCandidates("http://127.0.0.1:41234/web/")), [
      "http://127.0.0.1:41234"
    ])
  })

  it("matches @jellyfin/sdk's list for inputs both accept", async () => {
    const { getAddressCandidates } = await import("@jellyfin/sdk/lib/utils/address-candidates.js")
    for (const input of ["media.lan", "https://media.lan", "http://media.lan", "media.lan:8096", "10.0.0.2:8920", "http://x.y:8096"]) {
      const sdk = (getAddressCandidates(input) as Array<string>).map((a) => a.replace(/\/$/, ""))
      assert.deepStrictEqual(right(ConnectionManager.addressCandidates(input)), sdk, input)
    }
  })
})

const server = (overrides: Partial<CredentialStore.Server>): CredentialStore.Server => ({
  id: "0123456789abcdef0123456789abcdef",
  addresses: {},
  users: {},
  ...overrides
})

describe("ConnectionManager.savedCandidates", () => {
  it("orders local, manual, remote; the last mode that worked first; de-duplicated", () => {
    const s = server({
      addresses: { local: "http://192.168.1.10:8096/", manual: "HTTP://192.168.1.10:8096", remote: "https://media.example.com" }
    })
    assert.deepStrictEqual(ConnectionManager.savedCandidates(s), [
      { mode: "Local", address: "http://192.168.1.10:8096" },
      { mode: "Remote", address: "https://media.example.com" }
    ])
    assert.deepStrictEqual(ConnectionManager.savedCandidates({ ...s, lastConnectionMode: "Remote" }).map((c) => c.mode), [
      "Remote",
      "Local"
    ])
    assert.deepStrictEqual(ConnectionManager.savedCandidates(s, { secureOnly: true }).map((c) => c.mode), ["Remote"])
    assert.deepStrictEqual(ConnectionManager.savedCandidates(s, { manualOnly: true }), [
      { mode: "Manual", address: "http://192.168.1.10:8096" }
    ])
  })

  it("puts a manual localhost address first and skips addresses that do not parse", () => {
    const s = server({
      addresses: { local: "not a url::", manual: "http://localhost:8096", remote: "https://media.example.com" }
    })
    assert.deepStrictEqual(ConnectionManager.savedCandidates(s).map((c) => c.address), [
      "http://localhost:8096",
      "https://media.example.com"
    ])
  })
})
