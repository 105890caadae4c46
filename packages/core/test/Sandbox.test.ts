import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import { layerSandbox, makeDiscoveryResponder, Sandbox, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Dgram from "node:dgram"
import { CLIENT, fastPolicy } from "./utils/mediaServer.js"

interface Answer {
  readonly Address: string
  readonly Id: string
  readonly Name: string
}

/** Sends one datagram to 127.0.0.1:port and collects `expected` answers (or fails after 2 s). */
const ask = (port: number, message: Uint8Array | string, expected: number) =>
  Effect.async<ReadonlyArray<Answer & Record<string, unknown>>, Error>((resume) => {
    const socket = Dgram.createSocket("udp4")
    const answers: Array<Answer & Record<string, unknown>> = []
    const timer = setTimeout(() => {
      socket.close()
      resume(Effect.fail(new Error(`got ${answers.length} of ${expected} answers`)))
    }, 2000)
    socket.on("message", (data) => {
      answers.push(JSON.parse(data.toString("utf8")))
      if (answers.length === expected) {
        clearTimeout(timer)
        socket.close()
        resume(Effect.succeed(answers))
      }
    })
    socket.bind(0, "127.0.0.1", () => socket.send(message, port, "127.0.0.1"))
    return Effect.sync(() => {
      clearTimeout(timer)
      socket.close()
    })
  })

const utf16 = (text: string) => new Uint8Array(Buffer.from(text, "utf16le"))

describe("discovery responder", () => {
  layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("answers as the servers do", (it) => {
    it.scoped("Jellyfin and Emby queries get one JSON answer per matching server; other text none", () =>
      Effect.gen(function*() {
        const responder = yield* makeDiscoveryResponder({
          port: 0,
          entries: [
            { product: "Jellyfin", address: "http://127.0.0.1:8096", id: "j1", name: "Den" },
            { product: "Jellyfin", address: "http://127.0.0.1:8097", id: "j2", name: "Attic" },
            { product: "Emby", address: "http://127.0.0.1:8098", id: "e1", name: "Cellar" }
          ]
        })
        const jellyfin = yield* ask(responder.port, "who is JellyfinServer?", 2)
        assert.deepStrictEqual(jellyfin.map((a) => a.Id).sort(), ["j1", "j2"])
        assert.deepStrictEqual(jellyfin.find((a) => a.Id === "j1"), {
          Address: "http://127.0.0.1:8096",
          Id: "j1",
          Name: "Den",
          EndpointAddress: null
        })
        const emby = yield* ask(responder.port, "WHO IS EmbyServer?", 1)
        assert.deepStrictEqual(emby, [{ Address: "http://127.0.0.1:8098", Id: "e1", Name: "Cellar" }])
        assert.strictEqual((yield* ask(responder.port, utf16("who is EmbyServer?"), 1))[0]!.Id, "e1")
        assert.strictEqual((yield* ask(responder.port, "who is MediaBrowserServer_v2?", 1))[0]!.Id, "e1")

        yield* Effect.flip(ask(responder.port, "hello", 1).pipe(Effect.timeout("300 millis")))
        const queries = yield* responder.queries
        assert.deepStrictEqual(queries.map((q) => q.answered), [2, 1, 1, 1, 0])
        assert.strictEqual(queries[2]!.text, "who is EmbyServer?")

        yield* responder.setEntries([])
        yield* Effect.flip(ask(responder.port, "who is JellyfinServer?", 1).pipe(Effect.timeout("300 millis")))
      }))

    it.scoped("a port in use is a DiscoveryResponderError", () =>
      Effect.gen(function*() {
        const first = yield* makeDiscoveryResponder({ port: 0, entries: [] })
        const error = yield* Effect.flip(makeDiscoveryResponder({ port: first.port, entries: [] }))
        assert.strictEqual(error._tag, "DiscoveryResponderError")
        assert.include(error.message, String(first.port))
      }))
  })
})

const SandboxLive = layerSandbox().pipe(Layer.merge(NodeHttpClient.layerUndici))

layer(SandboxLive, { excludeTestServices: true })("the sandbox", (it) => {
  it.effect("starts Connect, Jellyfin 10.10, 10.11, 12 and Emby, described with their demo data", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      assert.deepStrictEqual(sandbox.services.map((s) => s.kind), ["EmbyConnect", "Jellyfin", "Jellyfin", "Jellyfin", "Emby"])
      for (const service of sandbox.services) {
        assert.include(sandbox.description, service.url)
        assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      }
      assert.include(sandbox.description, SANDBOX_DEMO.users.alice.password)
      assert.include(sandbox.description, SANDBOX_DEMO.apiKey.key)
      assert.include(sandbox.description, "legacy off")
      const expected = [
        [sandbox.jellyfin10, "jellyfin-10.10", SANDBOX_DEMO.serverIds.jellyfin10],
        [sandbox.jellyfin, "jellyfin-10.11", SANDBOX_DEMO.serverIds.jellyfin],
        [sandbox.jellyfin12, "jellyfin-12", SANDBOX_DEMO.serverIds.jellyfin12],
        [sandbox.emby, "emby", SANDBOX_DEMO.serverIds.emby]
      ] as const
      for (const [server, profile, id] of expected) {
        const info = yield* MediaServer.probe(server.url)
        assert.strictEqual(info.id, id)
        assert.deepStrictEqual(MediaServer.detectProfile(info), Either.right(profile))
      }
      const answers = yield* ask(sandbox.discovery!.port, "who is JellyfinServer?", 3)
      assert.deepStrictEqual(
        answers.map((a) => a.Address).sort(),
        [sandbox.jellyfin10.url, sandbox.jellyfin.url, sandbox.jellyfin12.url].sort()
      )
    }))

  it.effect("the main job end to end: Connect sign-in → linked server → exchange → current user", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      const connect = yield* EmbyConnect.make({ appName: "mbauth-test", appVersion: "1.0.0", baseUrl: sandbox.connect.serviceUrl })
      const session = yield* connect.authenticate({
        nameOrEmail: SANDBOX_DEMO.connect.alice.email,
        password: Redacted.make(SANDBOX_DEMO.connect.alice.password)
      })
      const [home] = yield* connect.servers(session)
      assert.strictEqual(home!.serverId, sandbox.emby.id)
      assert.strictEqual(Redacted.value(home!.accessKey), SANDBOX_DEMO.accessKeys.alice)
      const info = yield* MediaServer.probe(home!.localAddress!)
      const profile = yield* MediaServer.detectProfile(info)
      const server = yield* MediaServer.make({ address: home!.localAddress!, profile, clientInfo: CLIENT })
      const exchanged = yield* server.exchange({ connectUserId: session.userId, accessKey: home!.accessKey })
      const me = yield* server.currentUser(exchanged)
      assert.strictEqual(me.name, "alice")
      yield* server.logout(exchanged)

      // Bob is a guest on the same server; his key works for him.
      const bob = yield* connect.authenticate({ nameOrEmail: "bob", password: Redacted.make(SANDBOX_DEMO.connect.bob.password) })
      const [guest] = yield* connect.servers(bob)
      assert.strictEqual(guest!.userType, "Guest")
      const bobSession = yield* server.exchange({ connectUserId: bob.userId, accessKey: guest!.accessKey })
      assert.strictEqual((yield* server.currentUser(bobSession)).name, "bob")
    }).pipe(Effect.provide(fastPolicy())))

  it.effect("demo users sign in to each server; the API key works on Jellyfin 12", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      for (const fake of [sandbox.jellyfin10, sandbox.jellyfin, sandbox.jellyfin12, sandbox.emby]) {
        const client = yield* MediaServer.make({ address: fake.url, profile: fake.profile, clientInfo: CLIENT })
        const signIn = yield* client.authenticateByName({
          username: SANDBOX_DEMO.users.bob.name,
          password: Redacted.make(SANDBOX_DEMO.users.bob.password)
        })
        assert.strictEqual(signIn.serverId, fake.id)
        yield* client.logout(signIn)
      }
      const response = yield* Effect.promise(() =>
        fetch(`${sandbox.jellyfin12.url}/Sessions/Logout?ApiKey=${SANDBOX_DEMO.apiKey.key}`, { method: "POST" })
      )
      assert.strictEqual(response.status, 204)
    }).pipe(Effect.provide(fastPolicy())))
})
