/**
 * ServerPath.resolve, and the connection manager's signed clients that use it: a path given by
 * someone else never takes the token to another origin.
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeSandbox, SANDBOX_DEMO as DEMO } from "@mbauth/testing"
import * as ServerPath from "@mbauth/core/ServerPath"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { harness } from "./utils/manager.js"

const Me = Schema.Struct({ Name: Schema.String })

describe("ServerPath.resolve", () => {
  const base = "http://127.0.0.1:8096/emby/"
  const resolved = (path: string) => Either.map(ServerPath.resolve(base, path), (url) => url.href)
  const reason = (path: string) => Either.match(ServerPath.resolve(base, path), { onLeft: (e) => e.reason, onRight: (u) => u.href })

  it("keeps relative paths and paths with one leading / under the base, query included", () => {
    assert.deepStrictEqual(resolved("/System/Info"), Either.right("http://127.0.0.1:8096/emby/System/Info"))
    assert.deepStrictEqual(resolved("Users/Me?fields=a%2Fb"), Either.right("http://127.0.0.1:8096/emby/Users/Me?fields=a%2Fb"))
    assert.deepStrictEqual(resolved("/Items?path=\\\\share"), Either.right("http://127.0.0.1:8096/emby/Items?path=\\\\share"))
  })

  it("accepts an absolute URL of the base's own origin only", () => {
    assert.deepStrictEqual(resolved("HTTP://127.0.0.1:8096/System/Info"), Either.right("http://127.0.0.1:8096/System/Info"))
    assert.strictEqual(reason("http://127.0.0.1:9999/x"), "OtherOrigin")
    assert.strictEqual(reason("https://127.0.0.1:8096/x"), "OtherOrigin")
    assert.strictEqual(reason("http:127.0.0.2/x"), "OtherOrigin")
    assert.strictEqual(reason("http://user:pw@evil.example/x"), "OtherOrigin")
    assert.strictEqual(reason("file:///etc/passwd"), "NotHttp")
    assert.strictEqual(reason("javascript:alert(1)"), "NotHttp")
  })

  it("refuses scheme-relative, backslash and control-character forms that parsers send elsewhere", () => {
    assert.strictEqual(reason("//evil.example/x"), "SchemeRelative")
    assert.strictEqual(reason("\\\\evil.example/x"), "Backslash")
    assert.strictEqual(reason("/\\evil.example/x"), "Backslash")
    assert.strictEqual(reason("\\/evil.example/x"), "Backslash")
    assert.strictEqual(reason(" //evil.example/x"), "ControlCharacter")
    assert.strictEqual(reason("\t/x"), "ControlCharacter")
    assert.strictEqual(reason("/x\n//evil"), "ControlCharacter")
  })

  it("the error names the path without its user info or query, and the server's origin", () => {
    const error = Either.getLeft(ServerPath.resolve(base, "http://user:secret@evil.example/x?api_key=SECRET"))
    assert.isTrue(error._tag === "Some")
    if (error._tag !== "Some") return
    assert.notInclude(error.value.message, "secret")
    assert.notInclude(error.value.message, "SECRET")
    assert.include(error.value.message, "http://127.0.0.1:8096")
  })
})

/** A plain server on 127.0.0.1 that records the requests it gets. */
const recorder = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: Array<Http.IncomingHttpHeaders>; readonly server: Http.Server }>((resume) => {
    const received: Array<Http.IncomingHttpHeaders> = []
    const server = Http.createServer((req, res) => {
      received.push(req.headers)
      res.end("{}")
    })
    server.listen(0, "127.0.0.1", () => {
      resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })
)

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("ConnectionManager.client", (it) => {
  it.scoped("a request for a URL of another origin fails before anything is sent; relative paths reach the server", () =>
    Effect.gen(function*() {
      const sb = yield* makeSandbox({ discovery: false })
      const other = yield* recorder
      const { manager } = yield* harness()
      yield* manager.connectToAddress(sb.jellyfin.url)
      yield* manager.signIn(DEMO.serverIds.jellyfin, { username: DEMO.users.alice.name, password: Redacted.make(DEMO.users.alice.password) })
      const client = yield* manager.client(DEMO.serverIds.jellyfin)
      const host = other.url.replace(/^http:\/\//, "")
      for (const url of [`${other.url}/abs`, `//${host}/sr`, `\\\\${host}/bs`]) {
        const error = yield* Effect.flip(client.get(url))
        assert.instanceOf(error, HttpClientError.RequestError, url)
        assert.strictEqual((error as HttpClientError.RequestError).reason, "InvalidUrl")
      }
      assert.deepStrictEqual(other.received, [])
      const me = yield* Effect.flatMap(client.get("/Users/Me"), HttpClientResponse.schemaBodyJson(Me))
      assert.strictEqual(me.Name, "alice")
    }))
})
