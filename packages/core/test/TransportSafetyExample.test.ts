/**
 * The examples of docs/transport-safety.md, compiled and run. The first test checks that every code
 * block of the document appears here verbatim, so the two stay in step.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { makeFakeJellyfin } from "@mbauth/core/testing"
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"

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

const normalise = (code: string) => code.replace(/\s+/g, " ").trim()

describe("docs/transport-safety.md", () => {
  it("every code block of the document is in this file", () => {
    const doc = fs.readFileSync(new URL("../docs/transport-safety.md", import.meta.url), "utf8")
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    assert.strictEqual(blocks.length, 5)
    const source = normalise(fs.readFileSync(new URL(import.meta.url), "utf8"))
    for (const block of blocks) assert.include(source, normalise(block))
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
      assert.strictEqual(normalise(/```text\n([\s\S]*?)```/.exec(doc)![1]!), error.message)

      // Opted in, the request goes out: here to a fake standing in for media.example.com.
      const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: [{ name: "alice", password: "alice-password" }] })
      const toFake = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.mapRequest((request) => {
          const url = new URL(request.url)
          url.host = new URL(fake.url).host
          return HttpClientRequest.setUrl(request, url.toString())
        }))
      ).pipe(Layer.provide(NodeHttpClient.layerUndici))
      const signedIn = yield* signIn(password).pipe(
        Effect.provide(MediaServer.layer({
          address: "http://media.example.com:8096",
          profile: "jellyfin-12",
          clientInfo: me,
          allowInsecure: true
        }).pipe(Layer.provide(toFake)))
      )
      assert.strictEqual(signedIn.user.name, "alice")
      assert.strictEqual((yield* Effect.provide(MediaServer.MediaServer, OverTheVpn)).baseUrl, "http://media.example.com:8096/")

      const refused = yield* Effect.flip(beforeSendingAnApiKey("http://203.0.113.9/"))
      assert.include(refused.message, "the API key")
      yield* beforeSendingAnApiKey("https://203.0.113.9/")
    }))
})
