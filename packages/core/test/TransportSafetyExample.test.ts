/**
 * The examples of docs/transport-safety.md, compiled and run. The first test checks that every code
 * block of the document appears here verbatim, so the two stay in step.
 */
import { makeFakeJellyfin } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as Capture from "./utils/capture.js"
import { assertBlocksIn, codeBlocks, normalise } from "./utils/docs.js"
import { layerRedirectedTo } from "./utils/redirect.js"

// --- docs: imports ---------------------------------------------------------------------------
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ClientInfo from "@mbauth/core/ClientInfo"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as TransportSafety from "@mbauth/core/TransportSafety"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

// --- docs: classify --------------------------------------------------------------------------
// Which of a server's addresses can take a password over plain HTTP?
const localAddresses = (addresses: ReadonlyArray<string>) =>
  addresses.filter((address) =>
    Option.match(TransportSafety.classifyUrl(address), { onNone: () => false, onSome: (host) => host.local })
  )
// localAddresses(["http://192.168.1.20:8096", "http://nas.local:8096", "http://media.example.com"])
//   → ["http://192.168.1.20:8096", "http://nas.local:8096"]

// --- docs: refuse ----------------------------------------------------------------------------
const me: ClientInfo.ClientInfo = { client: "My App", version: "1.0.0", device: "Laptop", deviceId: "3f9c2a7e" }

const signIn = (password: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const server = yield* MediaServer.MediaServer
    return yield* server.authenticateByName({ username: "alice", password })
  }).pipe(
    // Nothing was sent: ask for the https:// address instead.
    Effect.catchTag("InsecureTransport", (error) => Effect.fail(`Use HTTPS for ${error.address}`))
  )

const RemoteServer = MediaServer.layer({ address: "http://media.example.com:8096", profile: "jellyfin-12", clientInfo: me })
  .pipe(Layer.provide(NodeHttpClient.layerUndici))

// --- docs: opt in ----------------------------------------------------------------------------
const OverTheVpn = MediaServer.layer({
  address: "http://media.example.com:8096",
  profile: "jellyfin-12",
  clientInfo: me,
  allowInsecure: true
}).pipe(Layer.provide(NodeHttpClient.layerUndici))

// --- docs: own check -------------------------------------------------------------------------
const beforeSendingAnApiKey = (url: string) =>
  TransportSafety.requireSecureForSecrets(url, { secret: "API key" }) // InsecureTransport, or void

// --- end of docs -----------------------------------------------------------------------------

describe("docs/transport-safety.md", () => {
  it("every code block of the document is in this file", () => {
    assertBlocksIn(new URL("../docs/transport-safety.md", import.meta.url), new URL(import.meta.url), 5)
  })

  it("classifies as the comment says", () => {
    assert.deepStrictEqual(
      localAddresses(["http://192.168.1.20:8096", "http://nas.local:8096", "http://media.example.com"]),
      ["http://192.168.1.20:8096", "http://nas.local:8096"]
    )
  })

  it.scopedLive("refuses over plain HTTP to a public host, sends when allowed, checks your own URLs", () =>
    Effect.gen(function*() {
      const password = Redacted.make("alice-password")
      assert.strictEqual(
        yield* Effect.flip(signIn(password).pipe(Effect.provide(RemoteServer))),
        "Use HTTPS for http://media.example.com:8096"
      )

      // The message the document shows, word for word.
      const error = yield* Effect.flip(
        Effect.flatMap(MediaServer.MediaServer, (server) => server.authenticateByName({ username: "alice", password }))
          .pipe(Effect.provide(RemoteServer))
      )
      const doc = fs.readFileSync(new URL("../docs/transport-safety.md", import.meta.url), "utf8")
      assert.strictEqual(normalise(codeBlocks(doc, "text")[0]!), error.message)

      // Opted in, the request goes out: here to a fake standing in for media.example.com.
      const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: [{ name: "alice", password: "alice-password" }] })
      const toFake = layerRedirectedTo(fake.url).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const capture = Capture.makeCapture()
      const signedIn = yield* signIn(password).pipe(
        Effect.provide(MediaServer.layer({
          address: "http://media.example.com:8096",
          profile: "jellyfin-12",
          clientInfo: me,
          allowInsecure: true
        }).pipe(Layer.provide(toFake))),
        Effect.provide(Capture.layer(capture))
      )
      assert.strictEqual(signedIn.user.name, "alice")
      assert.isTrue(capture.logs.some((line) => line.includes("level=WARN") && line.includes("insecure transport is allowed")))
      assert.strictEqual((yield* Effect.provide(MediaServer.MediaServer, OverTheVpn)).baseUrl, "http://media.example.com:8096/")

      const refused = yield* Effect.flip(beforeSendingAnApiKey("http://203.0.113.9/"))
      assert.include(refused.message, "the API key")
      yield* beforeSendingAnApiKey("https://203.0.113.9/")
    }))
})
