import { assert, describe, it } from "@effect/vitest"
import * as ServerDiscovery from "@mbauth/core/ServerDiscovery"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { makeDiscoveryResponder } from "@mbauth/testing"
import { udpResponder } from "./utils/udpResponder.js"

const JELLYFIN_ID = "0123456789abcdef0123456789abcdef"
const EMBY_ID = "fedcba9876543210fedcba9876543210"

const jellyfinReply = JSON.stringify({
  Address: "http://192.168.1.68:8096",
  Id: JELLYFIN_ID,
  Name: "Living room",
  EndpointAddress: null
})
const embyReply = JSON.stringify({ Address: "https://10.0.0.5:8920/", Id: EMBY_ID, Name: "Emby box" })

describe("ServerDiscovery.parseReply / localAddress", () => {
  it("takes the host from the datagram's source and scheme, port and path from the reported address", () => {
    const server = ServerDiscovery.parseReply(jellyfinReply, "127.0.0.1", "Jellyfin")
    assert.deepStrictEqual(
      server,
      Option.some({
        id: JELLYFIN_ID,
        name: "Living room",
        product: "Jellyfin" as const,
        address: "http://127.0.0.1:8096",
        reportedAddress: "http://192.168.1.68:8096",
        endpointAddress: "127.0.0.1"
      })
    )
    assert.deepStrictEqual(
      ServerDiscovery.localAddress("https://10.0.0.5:8920/jellyfin", "::ffff:192.168.2.9"),
      Either.right("https://192.168.2.9:8920/jellyfin")
    )
    assert.deepStrictEqual(ServerDiscovery.localAddress("http://host.lan", "fe80::1%eth0"), Either.right("http://[fe80::1]"))
    // The C# client's EndpointAddress form carries the source port: it is not the server's port.
    assert.deepStrictEqual(ServerDiscovery.localAddress("http://x:8096", "192.168.1.5:7359"), Either.right("http://192.168.1.5:8096"))
    // Without a reported address, the source and the default port.
    assert.deepStrictEqual(ServerDiscovery.localAddress(undefined, "192.168.1.5"), Either.right("http://192.168.1.5:8096"))
    assert.deepStrictEqual(ServerDiscovery.localAddress("http://x:8096", undefined), Either.right("http://x:8096"))
    assert.isTrue(Either.isLeft(ServerDiscovery.localAddress(undefined, undefined)))
  })

  it("ignores anything that is not a server's answer", () => {
    for (const text of ["", "who is JellyfinServer?", "{}", "[1]", "{\"Id\":\"\"}", "{\"Id\":5}"]) {
      assert.isTrue(Option.isNone(ServerDiscovery.parseReply(text, "127.0.0.1", "Emby")), text)
    }
    // An unusable reported address: the source address on the default port.
    const ftp = ServerDiscovery.parseReply("{\"Id\":\"x\",\"Address\":\"ftp://a\"}", "127.0.0.1", "Emby")
    assert.strictEqual(Option.getOrThrow(ftp).address, "http://127.0.0.1:8096")
    // A missing name falls back to the Id.
    const unnamed = ServerDiscovery.parseReply("{\"Id\":\"abc\",\"Address\":\"http://h:8096\"}", "10.1.1.1", "Emby")
    assert.strictEqual(Option.getOrThrow(unnamed).name, "abc")
  })
})

describe("ServerDiscovery over UDP on loopback", () => {
  it.live("asks each product its own question and labels the answers by product", () =>
    Effect.scoped(Effect.gen(function*() {
      const responder = yield* udpResponder([
        { question: "who is JellyfinServer?", replies: [jellyfinReply, jellyfinReply, "not json"] },
        { question: "who is EmbyServer?", replies: [embyReply] }
      ])
      const discovery = ServerDiscovery.make({ port: responder.port, targets: ["127.0.0.1"] })
      const servers = yield* discovery.discover({ timeout: "300 millis" })
      const sorted = [...servers].sort((a, b) => a.product.localeCompare(b.product))
      assert.deepStrictEqual(sorted.map((s) => [s.product, s.id, s.address]), [
        ["Emby", EMBY_ID, "https://127.0.0.1:8920"],
        ["Jellyfin", JELLYFIN_ID, "http://127.0.0.1:8096"]
      ])
      assert.sameMembers([...responder.questions], ["who is JellyfinServer?", "who is EmbyServer?"])
    })))

  it.live("asks only for the products requested", () =>
    Effect.scoped(Effect.gen(function*() {
      const responder = yield* udpResponder([
        { question: "who is JellyfinServer?", replies: [jellyfinReply] },
        { question: "who is EmbyServer?", replies: [embyReply] }
      ])
      const servers = yield* ServerDiscovery.make({ port: responder.port, targets: ["127.0.0.1"] }).discover({
        products: ["Emby"],
        timeout: "200 millis"
      })
      assert.deepStrictEqual(servers.map((s) => s.id), [EMBY_ID])
      assert.deepStrictEqual([...responder.questions], ["who is EmbyServer?"])
    })))

  it.live("ends at the timeout with nothing when nobody answers, and streams answers as they come", () =>
    Effect.scoped(Effect.gen(function*() {
      const silent = yield* udpResponder([])
      const none = yield* ServerDiscovery.make({ port: silent.port, targets: ["127.0.0.1"] }).discover({
        timeout: "100 millis"
      })
      assert.deepStrictEqual(none, [])
      const responder = yield* udpResponder([{ question: "who is JellyfinServer?", replies: [jellyfinReply] }])
      const first = yield* ServerDiscovery.make({ port: responder.port, targets: ["127.0.0.1"] })
        .stream({ timeout: "5 seconds" })
        .pipe(Stream.take(1), Stream.runCollect)
      assert.deepStrictEqual(Chunk.toReadonlyArray(first).map((s) => s.id), [JELLYFIN_ID])
    })))

  it.live("against the sandbox's responder: addresses rebuilt from the source, reported ones kept", () =>
    Effect.scoped(Effect.gen(function*() {
      const responder = yield* makeDiscoveryResponder({
        port: 0,
        entries: [
          { product: "Jellyfin", address: "http://192.168.1.20:8096", id: JELLYFIN_ID, name: "Den" },
          { product: "Emby", address: "http://192.168.1.30:8097/", id: EMBY_ID, name: "Attic" },
          { product: "Jellyfin", address: "https://10.0.0.9:8920", id: "abcdef", name: "Office" }
        ]
      })
      const servers = yield* ServerDiscovery.make({ port: responder.port, targets: ["127.0.0.1"] }).discover({
        timeout: "300 millis"
      })
      const byId = new Map(servers.map((s) => [s.id, s]))
      assert.strictEqual(byId.size, 3)
      assert.deepStrictEqual(
        [JELLYFIN_ID, EMBY_ID, "abcdef"].map((id) => {
          const s = byId.get(id)!
          return [s.product, s.name, s.address, s.reportedAddress, s.endpointAddress]
        }),
        [
          ["Jellyfin", "Den", "http://127.0.0.1:8096", "http://192.168.1.20:8096", "127.0.0.1"],
          ["Emby", "Attic", "http://127.0.0.1:8097", "http://192.168.1.30:8097/", "127.0.0.1"],
          ["Jellyfin", "Office", "https://127.0.0.1:8920", "https://10.0.0.9:8920", "127.0.0.1"]
        ]
      )
    })))

  it.live("fails with a typed error when no question can be sent", () =>
    Effect.gen(function*() {
      // An IPv6 target on the IPv4 socket fails without a DNS lookup, so a slow resolver on a
      // loaded machine cannot outlast the run; the long timeout only bounds the test, since the
      // failure ends the run as soon as the send fails.
      const error = yield* Effect.flip(
        ServerDiscovery.make({ port: 7359, targets: ["::1"] }).discover({ timeout: "10 seconds" })
      )
      assert.strictEqual(error._tag, "DiscoveryError")
      assert.strictEqual(error.reason, "SendFailed")
      assert.include(error.message, "::1:7359")
    }))
})
