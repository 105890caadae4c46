import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
import * as MediaServer from "@mbauth/core/MediaServer"
import { Fault, makeFakeJellyfin, refusedUrl } from "@mbauth/testing"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { assertNoSecrets } from "./utils/connect.js"
import { alice, API_KEYS, bob, CLIENT, clientFor, SECRETS, USERS } from "./utils/mediaServer.js"

const jellyfin = (options: Parameters<typeof makeFakeJellyfin>[0] = {}) =>
  makeFakeJellyfin({ users: USERS, apiKeys: API_KEYS, ...options })

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("MediaServer client against a fake Jellyfin", (it) => {
  describe("identity", () => {
    it.scoped("publicInfo, probe and detectProfile agree for each Jellyfin profile", () =>
      Effect.gen(function*() {
        for (const profile of ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12"] as const) {
          const fake = yield* jellyfin({ profile, serverName: `Den ${profile}` })
          const probed = yield* MediaServer.probe(fake.url)
          assert.deepStrictEqual(probed, {
            id: fake.id,
            serverName: `Den ${profile}`,
            version: fake.version,
            productName: "Jellyfin Server",
            localAddress: fake.url,
            remoteAddresses: [],
            product: "Jellyfin"
          })
          assert.deepStrictEqual(MediaServer.detectProfile(probed), Either.right(profile))
          const client = yield* clientFor(fake)
          assert.deepStrictEqual(yield* client.publicInfo, probed)
          assert.strictEqual(client.baseUrl, `${fake.url}/`)
        }
      }))

    it.effect("make checks the client identity before anything is sent", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(MediaServer.make({
          address: "http://127.0.0.1:1",
          profile: "jellyfin-12",
          clientInfo: { ...CLIENT, deviceId: "" }
        }))
        assert.strictEqual(error._tag, "InvalidClientInfo")
        if (error._tag === "InvalidClientInfo") assert.include(error.issues.map((i) => i.parameter), "DeviceId")
        const address = yield* Effect.flip(MediaServer.make({ address: "ftp://x", profile: "emby", clientInfo: CLIENT }))
        assert.strictEqual(address._tag, "ConfigError")
      }))
  })

  describe("sign in, current user, sign out", () => {
    it.scoped("authenticateByName → SignIn; the token works, is Redacted, and logout revokes it", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin({ profile: "jellyfin-12" })
        const client = yield* clientFor(fake)
        const signIn = yield* client.authenticateByName(alice)
        assert.isTrue(Redacted.isRedacted(signIn.accessToken))
        assert.strictEqual(signIn.serverId, fake.id)
        assert.deepInclude(signIn.user, { name: "alice", serverId: fake.id, hasPassword: true, isAdministrator: true })
        assert.deepInclude(signIn.session, {
          client: CLIENT.client,
          deviceName: CLIENT.device,
          deviceId: CLIENT.deviceId,
          applicationVersion: CLIENT.version
        })
        assert.deepStrictEqual(yield* fake.tokenOwner(Redacted.value(signIn.accessToken)), Option.some(signIn.user.id))

        // The wire: Authorization: MediaBrowser with the four fields, JSON { Username, Pw }.
        const [login] = yield* fake.requests.filter({ path: "/Users/AuthenticateByName" })
        const parsed = yield* AuthorizationHeader.parse(login!.headers["authorization"]!)
        assert.deepInclude(parsed.params, { Client: CLIENT.client, Device: CLIENT.device, DeviceId: CLIENT.deviceId })
        assert.isUndefined(parsed.params.Token)
        assert.strictEqual(login!.headers["content-type"], "application/json")

        const me = yield* client.currentUser(signIn)
        assert.deepStrictEqual(me, signIn.user)
        const [meRequest] = yield* fake.requests.filter({ path: "/Users/Me" })
        const signed = yield* AuthorizationHeader.parse(meRequest!.headers["authorization"]!)
        assert.strictEqual(Redacted.value(signed.params.Token!), Redacted.value(signIn.accessToken))

        yield* client.logout(signIn)
        assert.isTrue(Option.isNone(yield* fake.tokenOwner(Redacted.value(signIn.accessToken))))
        const revoked = yield* Effect.flip(client.currentUser(signIn))
        assert.deepInclude(revoked, { _tag: "Unauthorized", status: 401 })
        assert.include(revoked.message, "Sign in to the server again")
        // Signing out again is harmless: an unknown token counts as signed out.
        yield* client.logout(signIn)
        assertNoSecrets(revoked, [Redacted.value(signIn.accessToken)])
      }))

    it.scoped("a wrong name or password is InvalidCredentials, sent once, without the password anywhere", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake)
        const wrong = yield* Effect.flip(client.authenticateByName({ ...alice, password: Redacted.make("canary-WRONG") }))
        assert.deepInclude(wrong, { _tag: "InvalidCredentials", status: 401, service: "Jellyfin server" })
        assertNoSecrets(wrong, ["canary-WRONG", SECRETS.alice])
        const nobody = yield* Effect.flip(client.authenticateByName({ ...bob, username: "nobody" }))
        assert.strictEqual(nobody._tag, "InvalidCredentials")
        assert.strictEqual(yield* fake.requests.count({ path: "/Users/AuthenticateByName" }), 2)
      }))

    it.scoped("sign-in is never retried: a 503 or a lost answer fails at once (lock-out counts attempts)", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake)
        yield* fake.faults.set({ fault: Fault.Status({ status: 503 }), path: "/Users/AuthenticateByName", times: 1 })
        const unavailable = yield* Effect.flip(client.authenticateByName(bob))
        assert.deepInclude(unavailable, { _tag: "UnexpectedResponse", status: 503 })
        yield* fake.faults.set({ fault: Fault.ResetBeforeResponse(), path: "/Users/AuthenticateByName", times: 1 })
        assert.strictEqual((yield* Effect.flip(client.authenticateByName(bob)))._tag, "ServerUnreachable")
        assert.strictEqual(yield* fake.requests.count({ path: "/Users/AuthenticateByName" }), 2)
        // Why: three wrong passwords in a row disable a Jellyfin user (five for administrators).
        for (let i = 0; i < 3; i++) yield* Effect.flip(client.authenticateByName({ ...bob, password: Redacted.make("x") }))
        assert.strictEqual((yield* Effect.flip(client.authenticateByName(bob)))._tag, "InvalidCredentials")
        yield* fake.setDisabled("bob", false)
        assert.strictEqual((yield* client.authenticateByName(bob)).user.name, "bob")
      }))

    it.scoped("one token per (DeviceId, user): a second sign-in on the same device revokes the first", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const device1 = yield* clientFor(fake)
        const device2 = yield* clientFor(fake, { clientInfo: { deviceId: "device-2" } })
        const first = yield* device1.authenticateByName(alice)
        const otherDevice = yield* device2.authenticateByName(alice)
        const otherUser = yield* device1.authenticateByName(bob)
        const second = yield* device1.authenticateByName(alice)

        const error = yield* Effect.flip(device1.currentUser(first))
        assert.deepInclude(error, { _tag: "Unauthorized", status: 401 })
        for (const live of [second, otherDevice, otherUser]) {
          assert.isTrue(Option.isSome(yield* fake.tokenOwner(Redacted.value(live.accessToken))))
        }
        assert.strictEqual((yield* device1.currentUser(second)).name, "alice")
        assert.strictEqual((yield* device1.currentUser(otherUser)).name, "bob")
        assert.strictEqual((yield* fake.devices).length, 3)
      }))

    it.scoped("an API key: currentUser has no user (400); logout leaves the key working", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake)
        const key = { accessToken: Redacted.make<string>(SECRETS.apiKey) }
        const me = yield* Effect.flip(client.currentUser(key))
        assert.deepInclude(me, { _tag: "UnexpectedResponse", status: 400 })
        yield* client.logout(key)
        assert.deepInclude(yield* Effect.flip(client.currentUser(key)), { status: 400 })
        assertNoSecrets(me, [SECRETS.apiKey])
      }))
  })

  describe("transient failures and policy", () => {
    it.scoped("GETs and logout retry transient failures; 401 never", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake)
        const signIn = yield* client.authenticateByName(alice)
        yield* fake.faults.set({ fault: Fault.Status({ status: 502 }), path: "/Users/Me", times: 2 })
        assert.strictEqual((yield* client.currentUser(signIn)).name, "alice")
        assert.strictEqual(yield* fake.requests.count({ path: "/Users/Me" }), 3)

        yield* fake.faults.set({ fault: Fault.RateLimit({ retryAfter: "0" }), path: "/Sessions/Logout", times: 1 })
        yield* client.logout(signIn)
        assert.strictEqual(yield* fake.requests.count({ path: "/Sessions/Logout" }), 2)
        assert.isTrue(Option.isNone(yield* fake.tokenOwner(Redacted.value(signIn.accessToken))))

        yield* fake.requests.clear
        assert.strictEqual((yield* Effect.flip(client.currentUser(signIn)))._tag, "Unauthorized")
        assert.strictEqual(yield* fake.requests.count({ path: "/Users/Me" }), 1)
      }))

    it.scoped("damaged answers: truncated or malformed JSON is UnexpectedResponse, with the token scrubbed", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake)
        yield* fake.faults.set({ fault: Fault.MalformedJson(), path: "/Users/AuthenticateByName", times: 1 })
        const malformed = yield* Effect.flip(client.authenticateByName(alice))
        assert.deepInclude(malformed, { _tag: "UnexpectedResponse", status: 200 })
        yield* fake.faults.set({ fault: Fault.TruncatedJson(), path: "/Users/AuthenticateByName", times: 1 })
        const truncated = yield* Effect.flip(client.authenticateByName(alice))
        assert.strictEqual(truncated._tag, "UnexpectedResponse")
        assertNoSecrets(malformed, [...(yield* fake.tokens), SECRETS.alice])
        assertNoSecrets(truncated, [...(yield* fake.tokens), SECRETS.alice])
      }))

    it.scoped("a hung server is Timeout, a closed port ServerUnreachable", () =>
      Effect.gen(function*() {
        const fake = yield* jellyfin()
        const client = yield* clientFor(fake, { policy: { timeout: "100 millis", retries: 1 } })
        yield* fake.faults.set(Fault.Hang())
        const timeout = yield* Effect.flip(client.publicInfo)
        assert.strictEqual(timeout._tag, "Timeout")
        assert.strictEqual(yield* fake.requests.count(), 2)
        const closed = yield* clientFor(fake, { address: yield* refusedUrl })
        assert.strictEqual((yield* Effect.flip(closed.publicInfo))._tag, "ServerUnreachable")
      }))
  })
})
