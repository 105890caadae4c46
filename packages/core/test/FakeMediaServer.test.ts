/**
 * The fake Jellyfin and Emby servers behave as the reference notes say the real ones do, checked
 * with raw HTTP (what a client that is not mbauth would send).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as RequestSigning from "@mbauth/core/RequestSigning"
import { type FakeMediaServer, makeFakeEmby, makeFakeJellyfin } from "@mbauth/testing"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { alice, API_KEYS, CLIENT, clientFor, SECRETS, USERS } from "./utils/mediaServer.js"

/** A raw request; returns status and body text. */
const raw = (url: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: await response.text(), headers: response.headers }
  })

const identity = (token?: string, scheme = "MediaBrowser") =>
  `${scheme} Client="raw", Device="curl", DeviceId="raw-1", Version="1.0"${token === undefined ? "" : `, Token="${token}"`}`

const login = (server: FakeMediaServer, headers: Record<string, string>) =>
  raw(`${server.apiUrl}/Users/AuthenticateByName`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ Username: "alice", Pw: SECRETS.alice })
  })

const tokenOf = (body: string): string => (JSON.parse(body) as { AccessToken: string }).AccessToken

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("fake media servers", (it) => {
  describe("sign-in rules", () => {
    it.scoped("sign-in without all four client fields is 400 (Jellyfin and Emby)", () =>
      Effect.gen(function*() {
        const jellyfin = yield* makeFakeJellyfin({ users: USERS })
        const emby = yield* makeFakeEmby({ users: USERS })
        for (const [server, header] of [[jellyfin, "Authorization"], [emby, "X-Emby-Authorization"]] as const) {
          const none = yield* login(server, {})
          assert.strictEqual(none.status, 400)
          const partial = yield* login(server, { [header]: `MediaBrowser Client="raw", Device="curl", Version="1.0"` })
          assert.strictEqual(partial.status, 400)
          assert.include(partial.body, "deviceId")
          const empty = yield* login(server, { [header]: identity().replace(`Version="1.0"`, `Version=""`) })
          assert.strictEqual(empty.status, 400)
          assert.strictEqual((yield* login(server, { [header]: identity() })).status, 200)
        }
        assert.strictEqual((yield* jellyfin.devices).length, 1)
      }))

    it.scoped("routes are case-insensitive; Emby answers under /emby and /mediabrowser only; Jellyfin 12 never", () =>
      Effect.gen(function*() {
        const jellyfin = yield* makeFakeJellyfin({ profile: "jellyfin-12" })
        const emby = yield* makeFakeEmby()
        assert.strictEqual((yield* raw(`${jellyfin.url}/system/info/PUBLIC/`)).status, 200)
        assert.strictEqual((yield* raw(`${emby.url}/emby/system/info/public`)).status, 200)
        assert.strictEqual((yield* raw(`${emby.url}/mediabrowser/System/Info/Public`)).status, 200)
        assert.strictEqual((yield* raw(`${emby.url}/System/Info/Public`)).status, 404)
        assert.strictEqual((yield* raw(`${jellyfin.url}/emby/System/Info/Public`)).status, 404)
      }))

    it.scoped("an unknown token is 401 with WWW-Authenticate: MediaBrowser; API keys and device tokens both work", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeJellyfin({ users: USERS, apiKeys: API_KEYS })
        const unknown = yield* raw(`${fake.url}/Users/Me`, { headers: { Authorization: identity("f".repeat(32)) } })
        assert.strictEqual(unknown.status, 401)
        assert.strictEqual(unknown.headers.get("www-authenticate"), "MediaBrowser")
        const token = tokenOf((yield* login(fake, { Authorization: identity() })).body)
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me?ApiKey=${token}`)).status, 200)
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me`, { headers: { Authorization: identity(token) } })).status, 200)
        // An API key authenticates (logout accepts it) but has no user.
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me?ApiKey=${SECRETS.apiKey}`)).status, 400)
        const logout = yield* raw(`${fake.url}/Sessions/Logout?ApiKey=${SECRETS.apiKey}`, { method: "POST" })
        assert.strictEqual(logout.status, 204)
      }))
  })

  describe("the legacy switch", () => {
    it.scoped("Jellyfin 12 with legacy off ignores legacy-signed requests; turning it on accepts them", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: USERS })
        assert.isFalse(yield* fake.legacy)
        // Sign-in with the identity in X-Emby-Authorization only: the server sees no client fields.
        const legacyLogin = yield* login(fake, { "X-Emby-Authorization": identity() })
        assert.strictEqual(legacyLogin.status, 400)
        const token = tokenOf((yield* login(fake, { Authorization: identity() })).body)
        for (
          const headers of [
            { "X-Emby-Authorization": identity(token) },
            { "X-Emby-Token": token },
            { "X-MediaBrowser-Token": token },
            { Authorization: identity(token, "Emby") }
          ]
        ) {
          const me = yield* raw(`${fake.url}/Users/Me`, { headers })
          assert.strictEqual(me.status, 401, JSON.stringify(Object.keys(headers)))
        }
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me?api_key=${token}`)).status, 401)

        yield* fake.setLegacy(true)
        assert.strictEqual((yield* login(fake, { "X-Emby-Authorization": identity() })).status, 200)
        const fresh = tokenOf((yield* login(fake, { Authorization: identity() })).body)
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me`, { headers: { "X-Emby-Token": fresh } })).status, 200)
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me?api_key=${fresh}`)).status, 200)
      }))

    it.scoped("Jellyfin 10.11 reads legacy transports by default; the client's Authorization works either way", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeJellyfin({ profile: "jellyfin-10.11", users: USERS })
        assert.isTrue(yield* fake.legacy)
        const token = tokenOf((yield* login(fake, { Authorization: identity() })).body)
        assert.strictEqual((yield* raw(`${fake.url}/Users/Me`, { headers: { "X-Emby-Token": token } })).status, 200)
        yield* fake.setLegacy(false)
        const client = yield* clientFor(fake, { profile: "jellyfin-12" })
        const signIn = yield* client.authenticateByName(alice)
        assert.strictEqual((yield* client.currentUser(signIn)).name, "alice")
      }))

    it.scoped("RequestSigning refuses to sign legacy transports for a legacy-off server, so the client never does", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(RequestSigning.make({
          profile: "jellyfin-12",
          clientInfo: CLIENT,
          token: Redacted.make("0123456789abcdef0123456789abcdef"),
          transport: "X-Emby-Token"
        }))
        assert.strictEqual(error.reason, "TransportNotRead")
        // And the client's own requests to a legacy-off server carry the identity in Authorization.
        const fake = yield* makeFakeJellyfin({ profile: "jellyfin-12", users: USERS })
        const client = yield* clientFor(fake)
        yield* client.authenticateByName(alice)
        const [request] = yield* fake.requests.all
        assert.isUndefined(request!.headers["x-emby-authorization"])
        const parsed = yield* AuthorizationHeader.parse(request!.headers["authorization"]!)
        assert.strictEqual(parsed.scheme, "MediaBrowser")
      }))
  })

  describe("programmatic controls", () => {
    it.scoped("signIn / revoke / tokenOwner / addUser / addApiKey; invalid calls are FakeServerError", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeJellyfin({ users: USERS })
        const token = yield* fake.signIn("alice")
        const client = yield* clientFor(fake)
        assert.strictEqual((yield* client.currentUser({ accessToken: Redacted.make(token) })).name, "alice")
        assert.isTrue(yield* fake.revoke(token))
        assert.isFalse(yield* fake.revoke(token))
        const carol = yield* fake.addUser({ name: "carol", password: "" })
        const key = yield* fake.addApiKey({ name: "tool" })
        assert.match(key.key, /^[0-9a-f]{32}$/)
        assert.match(carol.id, /^[0-9a-f]{32}$/)
        const signIn = yield* client.authenticateByName({ username: "carol", password: Redacted.make("") })
        assert.isFalse(signIn.user.hasPassword)
        assert.strictEqual((yield* Effect.flip(fake.addUser({ name: "ALICE", password: "x" })))._tag, "FakeServerError")
        assert.strictEqual((yield* Effect.flip(fake.signIn("nobody")))._tag, "FakeServerError")
        assert.strictEqual((yield* Effect.flip(fake.authorizeQuickConnect("123456", "alice")))._tag, "FakeServerError")
        const info = yield* MediaServer.probe(fake.url)
        assert.strictEqual(info.id, fake.id)
      }))

    it.scoped("productName null and a custom localAddress show in public info as configured", () =>
      Effect.gen(function*() {
        const fake = yield* makeFakeEmby({ productName: null, localAddress: "http://172.17.0.2:8096", version: "4.6.7.0" })
        const info = yield* MediaServer.probe(fake.url)
        assert.strictEqual(info.productName, undefined)
        assert.strictEqual(info.product, "Emby")
        assert.strictEqual(info.localAddress, "http://172.17.0.2:8096")
        const profile = MediaServer.detectProfile(info)
        assert.isTrue(profile._tag === "Left" && profile.left.reason === "TooOld")
      }))
  })
})
