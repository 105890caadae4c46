/**
 * Authenticated media URLs (docs/media-server.md): the token in the query parameter each server
 * reads — `ApiKey` on Jellyfin (also with legacy off), `api_key` on Emby — Redacted until revealed,
 * masked for logs, and never sent anywhere but the server's API.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeSandboxPersonas, SANDBOX_DEMO } from "@mbauth/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as MediaServer from "../src/MediaServer.js"
import * as Capture from "./utils/capture.js"
import { CLIENT, harness } from "./utils/manager.js"

const bob = { username: SANDBOX_DEMO.users.bob.name, password: Redacted.make(SANDBOX_DEMO.users.bob.password) }

const status = (url: string) => Effect.promise(() => fetch(url).then((r) => r.status))

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("media URLs", (it) => {
  it.scoped("each persona accepts the URL it is given; Emby's api_key, Jellyfin 12's ApiKey", () =>
    Effect.gen(function*() {
      const running = yield* makeSandboxPersonas({ personas: ["jellyfin-10.10", "jellyfin-12.0", "emby-4.9"] })
      const parameters: Array<string> = []
      for (const { server } of running.servers) {
        const info = yield* MediaServer.probe(server.url)
        const profile = yield* MediaServer.detectProfile(info)
        const client = yield* MediaServer.make({ address: server.url, profile, clientInfo: CLIENT })
        const signIn = yield* client.authenticateByName(bob)
        const media = yield* client.mediaUrl(signIn, "/System/Info", { format: "json" })
        parameters.push(media.parameter)
        const token = Redacted.value(signIn.accessToken)
        assert.include(Redacted.value(media.url), `${media.parameter}=${token}`)
        assert.notInclude(media.masked, token)
        assert.include(media.masked, `${media.parameter}=<redacted>`)
        assert.notInclude(String(media.url), token)
        assert.strictEqual(yield* status(Redacted.value(media.url)), 200)
        if (profile === "emby") {
          // The other parameter would not work there: Emby never reads ApiKey.
          assert.strictEqual(yield* status(Redacted.value(media.url).replace("api_key=", "ApiKey=")), 401)
        }
      }
      assert.deepStrictEqual(parameters, ["ApiKey", "ApiKey", "api_key"])
    }))

  it.scoped("a path leaving the API is refused (no token to another host); a caller's token parameter is replaced", () =>
    Effect.gen(function*() {
      const running = yield* makeSandboxPersonas({ personas: ["emby-4.9"] })
      const server = running.servers[0]!.server
      const client = yield* MediaServer.make({ address: server.url, profile: "emby", clientInfo: CLIENT })
      const credentials = { accessToken: Redacted.make("0123456789abcdef0123456789abcdef") }
      for (const path of ["http://elsewhere.invalid/x", "../System/Info", "//elsewhere.invalid/x"]) {
        const result = yield* Effect.either(client.mediaUrl(credentials, path))
        if (path.startsWith("//")) {
          // Leading slashes are dropped: the path stays under the API.
          assert.isTrue(result._tag === "Right" && Redacted.value(result.right.url).startsWith(`${server.url}/emby/elsewhere.invalid/x`))
        } else {
          assert.strictEqual(result._tag, "Left", path)
        }
      }
      const media = yield* client.mediaUrl(credentials, "Videos/1/stream?API_KEY=old&static=true")
      const url = new URL(Redacted.value(media.url))
      assert.deepStrictEqual([...url.searchParams.keys()], ["static", "api_key"])
    }))

  it.scoped("ConnectionManager.mediaUrl: the saved user's token; never in the logs", () =>
    Effect.gen(function*() {
      const running = yield* makeSandboxPersonas({ personas: ["jellyfin-12.0"] })
      const server = running.servers[0]!.server
      const { manager } = yield* harness()
      yield* manager.connectToAddress(server.url)
      const signedIn = yield* manager.signIn(server.id, bob)
      const capture = Capture.makeCapture()
      const media = yield* manager.mediaUrl(server.id, "System/Info", { userId: signedIn.user.id }).pipe(
        Effect.tap((m) => Effect.log("image", m)),
        Effect.provide(Capture.layer(capture))
      )
      assert.strictEqual(media.parameter, "ApiKey")
      assert.strictEqual(yield* status(Redacted.value(media.url)), 200)
      const tokens = yield* server.tokens
      for (const token of tokens) assert.notInclude(Capture.dump(capture), token)
    }))
})
