/**
 * What each transport outcome becomes, over real sockets on 127.0.0.1 with both HTTP clients
 * (fetch and Node's): refused connections, TLS failures, web pages instead of the API, redirects
 * (never followed: they would carry the credentials elsewhere) and answers without a body.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as MediaServer from "@mbauth/core/MediaServer"
import { refusedUrl } from "@mbauth/testing"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import * as Http from "node:http"
import * as Https from "node:https"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { CLIENT } from "./utils/manager.js"

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => void

/** A server on 127.0.0.1 (https with a fresh self-signed certificate when `tls`), recording request paths. */
const listen = (handler: Handler, tls = false) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly paths: Array<string>; readonly server: Http.Server }>((resume) => {
      const paths: Array<string> = []
      const wrapped: Handler = (req, res) => {
        paths.push(req.url ?? "")
        req.resume()
        req.on("end", () => handler(req, res))
      }
      const server = tls ? Https.createServer(selfSigned(), wrapped) : Http.createServer(wrapped)
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed({ url: `${tls ? "https" : "http"}://127.0.0.1:${port}`, paths, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const selfSigned = () => {
  const dir = mkdtempSync(join(tmpdir(), "mbauth-tls-"))
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")
  ], { stdio: "ignore" })
  return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }
}

const json = (body: unknown, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}

const info = { Id: "0123456789abcdef0123456789abcdef", ServerName: "T", Version: "10.11.0", ProductName: "Jellyfin Server" }

const clients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["fetch", FetchHttpClient.layer],
  ["node", NodeHttpClient.layerUndici]
]

for (const [name, client] of clients) {
  describe(`transport outcomes (${name})`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | Scope.Scope>) =>
      Effect.scoped(Effect.provide(effect, client))
    const api = (address: string) => MediaServer.make({ address, profile: "jellyfin-10.11", clientInfo: CLIENT })
    const password = { username: "bob", password: Redacted.make("bob-password") }

    it.live("connection refused", () =>
      run(Effect.gen(function*() {
        const error = yield* Effect.flip(MediaServer.probe(yield* refusedUrl))
        assert.strictEqual(error._tag === "ServerUnreachable" ? error.reason : error._tag, "ConnectionRefused")
        assert.include(error.message, "Nothing is listening there (connection refused)")
      })))

    it.live("a TLS failure (self-signed certificate)", () =>
      run(Effect.gen(function*() {
        const tls = yield* listen(json(info), true)
        const error = yield* Effect.flip(MediaServer.probe(tls.url))
        assert.strictEqual(error._tag === "ServerUnreachable" ? error.reason : error._tag, "TlsFailure")
        assert.include(error.message, "The secure connection failed")
      })))

    it.live("a web page instead of the API", () =>
      run(Effect.gen(function*() {
        const page = yield* listen((_req, res) => {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
          res.end("<!DOCTYPE html><html><body>Sign in to the router</body></html>")
        })
        const error = yield* Effect.flip(MediaServer.probe(page.url))
        assert.strictEqual(error._tag === "UnexpectedResponse" ? error.reason : error._tag, "HtmlPage")
        assert.include(error.message, "a web page (HTML) answered instead of the API")
      })))

    it.live("a redirect on sign-in is reported, not followed: the password reaches no other server", () =>
      run(Effect.gen(function*() {
        const other = yield* listen(json({}))
        const server = yield* listen((_req, res) => {
          res.writeHead(307, { location: `${other.url}/Users/AuthenticateByName` })
          res.end()
        })
        const error = yield* Effect.flip(Effect.flatMap(api(server.url), (s) => s.authenticateByName(password)))
        assert.strictEqual(error._tag === "UnexpectedResponse" ? error.reason : error._tag, "Redirect")
        assert.include(error.message, `redirected (HTTP 307) to ${other.url}/Users/AuthenticateByName`)
        assert.deepStrictEqual(other.paths, [])
      })))

    it.live("sign-out answered 204 with no body succeeds", () =>
      run(Effect.gen(function*() {
        const server = yield* listen((_req, res) => {
          res.writeHead(204)
          res.end()
        })
        yield* Effect.flatMap(api(server.url), (s) => s.logout({ accessToken: Redacted.make("0123456789abcdef0123456789abcdef") }))
        assert.deepStrictEqual(server.paths, ["/Sessions/Logout"])
      })))
  })
}
