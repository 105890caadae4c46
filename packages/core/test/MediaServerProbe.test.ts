import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { ProfileName } from "@mbauth/core/Credentials"
import * as MediaServer from "@mbauth/core/MediaServer"
import { Fault, refusedUrl, serve } from "@mbauth/testing"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

const JELLYFIN_INFO = {
  LocalAddress: "http://192.168.1.20:8096",
  ServerName: "Den",
  Version: "10.11.2",
  ProductName: "Jellyfin Server",
  OperatingSystem: "",
  Id: "4f1e9bc0a5d34b3c8d0e2f1a6b7c8d9e",
  StartupWizardCompleted: true
}

const EMBY_INFO = {
  LocalAddresses: [],
  WanAddress: "https://emby.example.com:8920",
  RemoteAddresses: ["https://emby.example.com:8920", "https://other.example.com"],
  ServerName: "Attic",
  Version: "4.8.10.0",
  Id: "b1c2d3e4f5a60718293a4b5c6d7e8f90",
  LocalAddress: "http://192.168.1.30:8096"
}

/** A server answering public info at `path` only (case-insensitively, as the real ones route). */
const publicInfoAt = (path: string, body: unknown) =>
  serve(Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    const pathname = new URL(request.url, "http://x").pathname.toLowerCase()
    return pathname === path.toLowerCase()
      ? HttpServerResponse.unsafeJson(body)
      : HttpServerResponse.text("<html>Not here</html>", { status: 404, contentType: "text/html" })
  }))

const info = (overrides: Partial<MediaServer.PublicInfo>): MediaServer.PublicInfo => ({
  id: "id",
  serverName: "Server",
  version: "10.11.0",
  productName: undefined,
  localAddress: undefined,
  remoteAddresses: [],
  product: "Jellyfin",
  ...overrides
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("MediaServer.probe over real sockets", (it) => {
  it.scoped("reads a Jellyfin server's /System/Info/Public", () =>
    Effect.gen(function*() {
      const server = yield* publicInfoAt("/System/Info/Public", JELLYFIN_INFO)
      const result = yield* MediaServer.probe(server.url)
      assert.deepStrictEqual(result, {
        id: JELLYFIN_INFO.Id,
        serverName: "Den",
        version: "10.11.2",
        productName: "Jellyfin Server",
        localAddress: "http://192.168.1.20:8096",
        remoteAddresses: [],
        product: "Jellyfin"
      })
      const [request] = yield* server.requests.all
      assert.isUndefined(request!.headers["authorization"])
      assert.isUndefined(request!.headers["x-emby-authorization"])
    }))

  it.scoped("falls back to /emby/System/Info/Public for Emby; addresses de-duplicated", () =>
    Effect.gen(function*() {
      const server = yield* publicInfoAt("/emby/System/Info/Public", EMBY_INFO)
      const result = yield* MediaServer.probe(server.url)
      assert.strictEqual(result.product, "Emby")
      assert.strictEqual(result.productName, undefined)
      assert.deepStrictEqual(result.remoteAddresses, ["https://emby.example.com:8920", "https://other.example.com"])
      assert.deepStrictEqual((yield* server.requests.all).map((r) => r.path), [
        "/System/Info/Public",
        "/emby/System/Info/Public"
      ])
      // An address that already ends in /emby is used as is.
      yield* server.requests.clear
      yield* MediaServer.probe(`${server.url}/emby/`)
      assert.deepStrictEqual((yield* server.requests.all).map((r) => r.path), ["/emby/System/Info/Public"])
    }))

  it.scoped("no public info anywhere: UnexpectedResponse from the first path", () =>
    Effect.gen(function*() {
      const server = yield* publicInfoAt("/nothing", {})
      const error = yield* Effect.flip(MediaServer.probe(server.url))
      assert.strictEqual(error._tag, "UnexpectedResponse")
      if (error._tag === "UnexpectedResponse") {
        assert.strictEqual(error.status, 404)
        assert.match(error.address, /\/System\/Info\/Public$/)
      }
      assert.strictEqual(yield* server.requests.count(), 2)
    }))

  it.scoped("wrong shape, unreachable, timeout: typed errors, never retried", () =>
    Effect.gen(function*() {
      const server = yield* publicInfoAt("/System/Info/Public", { ServerName: "no id" })
      const shape = yield* Effect.flip(MediaServer.probe(server.url))
      assert.strictEqual(shape._tag, "UnexpectedResponse")

      const refused = yield* Effect.flip(MediaServer.probe(yield* refusedUrl))
      assert.strictEqual(refused._tag, "ServerUnreachable")

      const slow = yield* publicInfoAt("/System/Info/Public", JELLYFIN_INFO)
      yield* slow.faults.set(Fault.Hang())
      const timeout = yield* Effect.flip(MediaServer.probe(slow.url, { timeout: "100 millis" }))
      assert.strictEqual(timeout._tag, "Timeout")
      yield* slow.faults.set(Fault.Status({ status: 503 }))
      assert.strictEqual((yield* Effect.flip(MediaServer.probe(slow.url)))._tag, "UnexpectedResponse")
      // one hung request and one 503: no retries
      assert.strictEqual(yield* slow.requests.count(), 2)
    }))
})

describe("MediaServer.detectProfile", () => {
  it("maps Jellyfin versions to profiles", () => {
    const cases: ReadonlyArray<readonly [string, ProfileName]> = [
      ["10.10.0", "jellyfin-10.10"],
      ["10.10.7", "jellyfin-10.10"],
      ["10.11.0", "jellyfin-10.11"],
      ["10.11.11", "jellyfin-10.11"],
      ["10.12.0", "jellyfin-10.11"],
      ["11.3.0", "jellyfin-10.11"],
      ["12.0.0", "jellyfin-12"],
      ["12.0.0-rc5", "jellyfin-12"],
      ["13.1", "jellyfin-12"]
    ]
    for (const [version, profile] of cases) {
      assert.deepStrictEqual(MediaServer.detectProfile(info({ version })), Either.right(profile), version)
    }
  })

  it("Emby 4.7 and newer is emby; older Emby and Jellyfin < 10.10 need an update", () => {
    for (const version of ["4.7.0.0", "4.8.10.0", "4.9.1.2", "5.0"]) {
      assert.deepStrictEqual(MediaServer.detectProfile(info({ product: "Emby", version })), Either.right("emby"))
    }
    for (const [product, version, minimumVersion] of [
      ["Emby", "4.6.7.0", "4.7"],
      ["Emby", "3.5.2.0", "4.7"],
      ["Jellyfin", "10.9.11", "10.10"],
      ["Jellyfin", "10.8.13", "10.10"]
    ] as const) {
      const result = MediaServer.detectProfile(info({ product, version, serverName: "Old" }))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.deepInclude(result.left, { _tag: "ServerUpdateNeeded", product, version, minimumVersion, reason: "TooOld" })
        assert.include(result.left.message, "Update the server")
        assert.include(result.left.message, "Old")
      }
    }
    const unknown = MediaServer.detectProfile(info({ version: "unstable" }))
    assert.isTrue(Either.isLeft(unknown) && unknown.left.reason === "UnknownVersion")
  })

  it.scoped("detects the product from ProductName, else from the version", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string | undefined, string, "Jellyfin" | "Emby"]> = [
        ["Jellyfin Server", "10.11.0", "Jellyfin"],
        ["Emby Server", "4.8.0.0", "Emby"],
        ["emby server", "10.0.0", "Emby"], // the name wins over the version
        [undefined, "10.10.3", "Jellyfin"],
        [undefined, "4.7.14.0", "Emby"],
        [undefined, "3.5.3.0", "Emby"]
      ]
      for (const [ProductName, Version, product] of cases) {
        const server = yield* publicInfoAt("/System/Info/Public", { Id: "0123456789abcdef0123456789abcdef", ServerName: "S", Version, ProductName })
        const result = yield* MediaServer.probe(server.url).pipe(Effect.provide(NodeHttpClient.layerUndici))
        assert.strictEqual(result.product, product, `${ProductName} ${Version}`)
      }
    }), { timeout: 10_000 })
})

describe("MediaServer.probe: the ServerId", () => {
  it.scoped("is accepted in the GUID spellings the servers use, and anything else is refused", () =>
    Effect.gen(function*() {
      const guid = "0123abcd-4567-89ef-0123-456789abcdef"
      for (const Id of ["0123456789ABCDEF0123456789abcdef", guid, `{${guid}}`, `(${guid})`]) {
        const server = yield* publicInfoAt("/System/Info/Public", { Id, ServerName: "S", Version: "10.11.0", ProductName: "Jellyfin Server" })
        const info = yield* MediaServer.probe(server.url).pipe(Effect.provide(NodeHttpClient.layerUndici))
        assert.strictEqual(info.id, Id)
      }
      for (const Id of ["../../etc", "abc", `${"0".repeat(31)}\u001b`, `${"0".repeat(32)}\n`, "0".repeat(33)]) {
        const server = yield* publicInfoAt("/System/Info/Public", { Id, ServerName: "S", Version: "10.11.0", ProductName: "Jellyfin Server" })
        const error = yield* Effect.flip(MediaServer.probe(server.url).pipe(Effect.provide(NodeHttpClient.layerUndici)))
        assert.strictEqual(error._tag, "UnexpectedResponse", JSON.stringify(Id))
        assert.include(error.message, "is not a ServerId", JSON.stringify(Id))
      }
    }), { timeout: 10_000 })
})
