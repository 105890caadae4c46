import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as AuthorizationHeader from "@mbauth/core/AuthorizationHeader"
import * as MediaServer from "@mbauth/core/MediaServer"
import { makeFakeJellyfin } from "@mbauth/testing"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { assertNoSecrets } from "./utils/connect.js"
import {
  ACCESS_KEY,
  alice,
  CLIENT,
  clientFor,
  CONNECT_PASSWORD,
  embyWithConnect,
  SECRETS,
  USERS
} from "./utils/mediaServer.js"

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("MediaServer client against a fake Emby", (it) => {
  describe("identity and sign-in", () => {
    it.scoped("probe finds the API under /emby, detects Emby, and the client signs with X-Emby-Authorization", () =>
      Effect.gen(function*() {
        const { emby } = yield* embyWithConnect
        const info = yield* MediaServer.probe(emby.url)
        assert.deepStrictEqual(info, {
          id: emby.id,
          serverName: emby.serverName,
          version: "4.9.0.33",
          productName: undefined,
          localAddress: emby.url,
          remoteAddresses: ["https://emby.example.com:8920"],
          product: "Emby"
        })
        assert.deepStrictEqual(MediaServer.detectProfile(info), Either.right("emby"))
        const client = yield* clientFor(emby)
        assert.strictEqual(client.baseUrl, `${emby.url}/emby/`)
        assert.deepStrictEqual(yield* client.publicInfo, info)

        const signIn = yield* client.authenticateByName(alice)
        assert.strictEqual(signIn.serverId, emby.id)
        assert.strictEqual((yield* client.currentUser(signIn)).name, "alice")
        const [login] = yield* emby.requests.filter({ path: "/emby/Users/AuthenticateByName" })
        assert.isUndefined(login!.headers["authorization"])
        const header = yield* AuthorizationHeader.parse(login!.headers["x-emby-authorization"]!)
        assert.deepInclude(header.params, { Client: CLIENT.client, DeviceId: CLIENT.deviceId })
        yield* client.logout(signIn)
        assert.strictEqual((yield* Effect.flip(client.currentUser(signIn)))._tag, "Unauthorized")
      }))

    it.scoped("Quick Connect is Jellyfin's: on Emby it is OperationUnavailable(NotSupported), nothing sent", () =>
      Effect.gen(function*() {
        const { emby } = yield* embyWithConnect
        const client = yield* clientFor(emby)
        assert.isFalse(yield* client.quickConnectEnabled)
        const error = yield* Effect.flip(client.initiateQuickConnect)
        assert.deepInclude(error, { _tag: "OperationUnavailable", operation: "QuickConnect", reason: "NotSupported" })
        assert.strictEqual(yield* emby.requests.count(), 0)
      }))
  })

  describe("Emby Connect exchange", () => {
    it.scoped("Connect sign-in → servers → exchange the AccessKey for a session on this device", () =>
      Effect.gen(function*() {
        const { connectClient, emby } = yield* embyWithConnect
        const session = yield* connectClient.authenticate({
          nameOrEmail: "alice",
          password: Redacted.make(CONNECT_PASSWORD)
        })
        const [server] = yield* connectClient.servers(session)
        assert.strictEqual(server!.serverId, emby.id)
        const client = yield* clientFor(emby)
        const exchanged = yield* client.exchange({ connectUserId: session.userId, accessKey: server!.accessKey })
        const localAlice = (yield* emby.users).find((u) => u.name === "alice")!
        assert.strictEqual(exchanged.localUserId, localAlice.id)
        assert.notStrictEqual(Redacted.value(exchanged.accessToken), ACCESS_KEY, "a new session token, not the key")
        assert.strictEqual((yield* client.currentUser(exchanged)).name, "alice")
        const [device] = yield* emby.devices
        assert.deepInclude(device, { userId: localAlice.id, deviceId: CLIENT.deviceId, client: CLIENT.client })

        // The wire: AccessKey as X-Emby-Token, the identity in X-Emby-Authorization, ConnectUserId in the query.
        const [request] = yield* emby.requests.filter({ path: "/emby/Connect/Exchange" })
        assert.strictEqual(request!.headers["x-emby-token"], ACCESS_KEY)
        assert.deepStrictEqual(request!.query, { format: "json", ConnectUserId: session.userId })
        const header = yield* AuthorizationHeader.parse(request!.headers["x-emby-authorization"]!)
        assert.deepInclude(header.params, { Client: CLIENT.client, Device: CLIENT.device, Version: CLIENT.version })
        assert.isUndefined(header.params.Token)

        // A repeated exchange on the same device replaces the session (one token per device and user).
        const again = yield* client.exchange({ connectUserId: session.userId, accessKey: server!.accessKey })
        assert.isTrue(Option.isNone(yield* emby.tokenOwner(Redacted.value(exchanged.accessToken))))
        assert.isTrue(Option.isSome(yield* emby.tokenOwner(Redacted.value(again.accessToken))))
      }))

    it.scoped("a wrong AccessKey is Unauthorized with advice to refresh it from Connect; no secret leaks", () =>
      Effect.gen(function*() {
        const { connect, emby } = yield* embyWithConnect
        const aliceId = (yield* connect.users).find((u) => u.name === "alice")!.id
        const client = yield* clientFor(emby)
        const wrongKey = "canaryWRONGKEY00000000000000000000"
        const error = yield* Effect.flip(client.exchange({ connectUserId: aliceId, accessKey: Redacted.make(wrongKey) }))
        assert.deepInclude(error, { _tag: "Unauthorized", status: 401 })
        assert.include(error.message, "read the server list from Emby Connect again")
        if (error._tag === "Unauthorized") assertNoSecrets(error, [wrongKey, ACCESS_KEY])
        assert.strictEqual(yield* emby.requests.count({ path: "/emby/Connect/Exchange" }), 1)
      }))

    it.scoped("a Connect user without a local user is UnexpectedResponse(404) saying so", () =>
      Effect.gen(function*() {
        const { connect, emby } = yield* embyWithConnect
        const carolId = (yield* connect.users).find((u) => u.name === "carol")!.id
        const client = yield* clientFor(emby)
        const error = yield* Effect.flip(client.exchange({ connectUserId: carolId, accessKey: Redacted.make(ACCESS_KEY) }))
        assert.deepInclude(error, { _tag: "UnexpectedResponse", status: 404 })
        assert.include(error.message, "not linked to a user of this server")
      }))

    it.scoped("on Jellyfin the exchange is OperationUnavailable(NotSupported) and nothing is sent", () =>
      Effect.gen(function*() {
        const jellyfin = yield* makeFakeJellyfin({ users: USERS })
        const client = yield* clientFor(jellyfin)
        const error = yield* Effect.flip(client.exchange({ connectUserId: "1", accessKey: Redacted.make(ACCESS_KEY) }))
        assert.deepInclude(error, { _tag: "OperationUnavailable", operation: "ConnectExchange", reason: "NotSupported" })
        assert.include(error.message, "Sign in with a name and password")
        assert.strictEqual(yield* jellyfin.requests.count(), 0)
      }))

    it.scoped("the fake answers an exchange without Client with the AccessKey itself, as the real server", () =>
      Effect.gen(function*() {
        const { connect, emby } = yield* embyWithConnect
        const aliceId = (yield* connect.users).find((u) => u.name === "alice")!.id
        const response = yield* Effect.promise(() =>
          fetch(`${emby.apiUrl}/Connect/Exchange?ConnectUserId=${aliceId}`, { headers: { "X-Emby-Token": ACCESS_KEY } })
        )
        assert.strictEqual(response.status, 200)
        const body = yield* Effect.promise(() => response.json() as Promise<Record<string, string>>)
        assert.strictEqual(body.AccessToken, ACCESS_KEY)
        assert.strictEqual((yield* emby.devices).length, 0)
        assert.notInclude(JSON.stringify(yield* emby.requests.all), SECRETS.alice)
      }))
  })
})
