/**
 * No secret over a weaker scheme: a server saved with an https address (given by the user, or the
 * one that last worked) is never raced, signed in to or asked with its token over its plain-HTTP
 * addresses, unless `allowInsecure`. Real sockets on 127.0.0.1: the https address is a port nobody
 * listens on, the http one a fake Jellyfin of the same ServerId.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as CredentialStore from "@mbauth/core/CredentialStore"
import { makeSandbox, refusedUrl, SANDBOX_DEMO as DEMO } from "@mbauth/testing"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as TransportSafety from "@mbauth/core/TransportSafety"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { CLIENT, harness } from "./utils/manager.js"

describe("TransportSafety: downgrades", () => {
  it("requiresHttps: any https address among those the server is known by", () => {
    assert.isTrue(TransportSafety.requiresHttps(["http://192.168.1.2:8096", "https://media.example.com"]))
    assert.isFalse(TransportSafety.requiresHttps(["http://192.168.1.2:8096", undefined]))
    assert.isFalse(TransportSafety.requiresHttps([]))
  })

  it.effect("plain HTTP is refused even to loopback once the server is known at https; allowInsecure lets it through", () =>
    Effect.gen(function*() {
      const known = { knownAddresses: ["https://127.0.0.1:8920"] }
      const error = yield* Effect.flip(TransportSafety.requireSecureForSecrets("http://127.0.0.1:8096/", { ...known, secret: "token" }))
      assert.strictEqual(error.secureAddress, "https://127.0.0.1:8920")
      assert.include(error.message, "Refusing to send the token over plain HTTP to http://127.0.0.1:8096")
      assert.include(error.message, "known at https://127.0.0.1:8920")
      yield* TransportSafety.requireSecureForSecrets("http://127.0.0.1:8096/", { ...known, allowInsecure: true })
      yield* TransportSafety.requireSecureForSecrets("https://127.0.0.1:8096/", known)
      yield* TransportSafety.requireSecureForSecrets("http://127.0.0.1:8096/", { knownAddresses: ["http://127.0.0.1:8096"] })
    }))
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager: downgrades", (it) => {
  const savedAt = (manual: string, local: string) =>
    CredentialStore.mergeServer(CredentialStore.empty, {
      id: DEMO.serverIds.jellyfin,
      name: "Sandbox Jellyfin 10.11",
      addresses: { manual, local },
      lastConnectionMode: "Manual"
    })
  const alice = { username: DEMO.users.alice.name, password: Redacted.make(DEMO.users.alice.password) }

  it.scoped("the race leaves out the http addresses of a server added at https: no sign-in reaches them", () =>
    Effect.gen(function*() {
      const sb = yield* makeSandbox({ discovery: false })
      const deadHttps = (yield* refusedUrl).replace(/^http:/, "https:")
      const { manager } = yield* harness({ initial: savedAt(deadHttps, sb.jellyfin.url) })
      const state = yield* manager.connectToServer(DEMO.serverIds.jellyfin)
      assert.strictEqual(state._tag, "Unavailable")
      if (state._tag === "Unavailable") assert.deepStrictEqual(state.attempts.map((a) => a.address), [deadHttps])
      const error = yield* Effect.flip(manager.signIn(DEMO.serverIds.jellyfin, alice))
      assert.strictEqual(error._tag, "ServerUnavailable")
      assert.deepStrictEqual(yield* sb.jellyfin.tokens, [])
    }))

  it.scoped("MediaServer: with an https known address, password, AccessKey and token are not sent over http", () =>
    Effect.gen(function*() {
      const sb = yield* makeSandbox({ discovery: false })
      const client = yield* MediaServer.make({
        address: sb.jellyfin.url,
        profile: "jellyfin-10.11",
        clientInfo: CLIENT,
        knownAddresses: ["https://127.0.0.1:8920", undefined]
      })
      const signIn = yield* Effect.flip(client.authenticateByName(alice))
      const me = yield* Effect.flip(client.currentUser({ accessToken: Redacted.make("0123456789abcdef0123456789abcdef") }))
      const logout = yield* Effect.flip(client.logout({ accessToken: Redacted.make("0123456789abcdef0123456789abcdef") }))
      assert.deepStrictEqual([signIn._tag, me._tag, logout._tag], ["InsecureTransport", "InsecureTransport", "InsecureTransport"])
      assert.deepStrictEqual(yield* sb.jellyfin.tokens, [])
    }))

  it.scoped("allowInsecure races them too", () =>
    Effect.gen(function*() {
      const sb = yield* makeSandbox({ discovery: false })
      const deadHttps = (yield* refusedUrl).replace(/^http:/, "https:")
      const { manager } = yield* harness({ initial: savedAt(deadHttps, sb.jellyfin.url), manager: { allowInsecure: true } })
      const signedIn = yield* manager.signIn(DEMO.serverIds.jellyfin, alice)
      assert.strictEqual(signedIn.connection.address, sb.jellyfin.url)
      assert.strictEqual((yield* sb.jellyfin.tokens).length, 1)
    }))
})
