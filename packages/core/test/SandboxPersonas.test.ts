/**
 * The sandbox personas behave as the released servers do (facts and sources in
 * docs/jellyfin-12-and-emby-4.9.md), over real sockets on 127.0.0.1.
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import { layerSandbox, makeSandboxPersonas, Sandbox, SANDBOX_DEMO, SANDBOX_PERSONAS } from "@mbauth/testing"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Net from "node:net"

const client = { Client: "persona-test", Device: "bench", DeviceId: "persona-device", Version: "1.0.0" }

const scheme = (fields: Record<string, string>, name = "MediaBrowser") =>
  `${name} ${Object.entries(fields).map(([k, v]) => `${k}="${encodeURIComponent(v)}"`).join(", ")}`

interface Answer {
  readonly status: number
  readonly body: string
}

const send = (url: string, init: RequestInit = {}): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, body: await response.text() }
  })

const signIn = (apiUrl: string, name: string, password: string, fields: Record<string, string> = client) =>
  send(`${apiUrl}/Users/AuthenticateByName`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: scheme(fields) },
    body: JSON.stringify({ Username: name, Pw: password })
  })

const tokenOf = (answer: Answer): string => (JSON.parse(answer.body) as { AccessToken: string }).AccessToken

const me = (apiUrl: string, headers: Record<string, string>, query = "") => send(`${apiUrl}/Users/Me${query}`, { headers })

/** A WebSocket handshake, written by hand: the status and body of the server's answer. */
const handshake = (url: string) =>
  Effect.async<Answer, Error>((resume) => {
    const target = new URL(url)
    const socket = Net.connect(Number(target.port), target.hostname)
    let raw = ""
    socket.setEncoding("utf8").on("data", (chunk: string) => raw += chunk)
    socket.on("end", () => {
      const [head = "", body = ""] = raw.split("\r\n\r\n")
      resume(Effect.succeed({ status: Number(head.split(" ")[1]), body }))
    })
    socket.on("error", (error) => resume(Effect.fail(error)))
    socket.write([
      `GET ${target.pathname}${target.search} HTTP/1.1`,
      `Host: ${target.host}`,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "",
      ""
    ].join("\r\n"))
    return Effect.sync(() => socket.destroy())
  })

/** Opens a WebSocket and collects its text messages; fails with the handshake's error. */
const openSocket = (url: string) =>
  Effect.gen(function*() {
    const socket = yield* Socket.makeWebSocket(url, { openTimeout: 2000 })
    const messages = yield* Queue.unbounded<{ readonly MessageType: string; readonly Data?: unknown }>()
    const write = yield* socket.writer
    const fiber = yield* socket.runRaw((data) =>
      Queue.offer(messages, JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)))
    ).pipe(Effect.forkScoped)
    return { messages, write, fiber }
  })

layer(layerSandbox({ discovery: false }), { excludeTestServices: true })("the sandbox personas", (it) => {
  it.effect("each persona identifies as its release; Emby 4.9 sends no ProductName", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox
      assert.deepStrictEqual(sandbox.servers.map((s) => s.persona), [...SANDBOX_PERSONAS])
      const infos = yield* Effect.forEach(sandbox.servers, ({ server }) =>
        Effect.map(send(`${server.apiUrl}/System/Info/Public`), (a) => JSON.parse(a.body) as Record<string, unknown>))
      assert.deepStrictEqual(infos.map((i) => [i.Version, i.ProductName]), [
        ["10.10.7", "Jellyfin Server"],
        ["10.11.11", "Jellyfin Server"],
        ["12.0.0", "Jellyfin Server"],
        ["4.9.0.33", undefined]
      ])
      assert.deepStrictEqual(sandbox.services.map((s) => [s.persona, s.legacy, s.quickConnect]), [
        [undefined, undefined, undefined],
        ["jellyfin-10.10", undefined, true],
        ["jellyfin-10.11", true, true],
        ["jellyfin-12.0", false, true],
        ["emby-4.9", undefined, undefined]
      ])
    }))

  it.effect("/emby and /mediabrowser prefixes: stripped by Jellyfin 10.x, 404 on 12.0, required on Emby", () =>
    Effect.gen(function*() {
      const { emby, jellyfin, jellyfin10, jellyfin12 } = yield* Sandbox
      const status = (url: string) => Effect.map(send(url), (a) => a.status)
      assert.strictEqual(yield* status(`${jellyfin10.url}/emby/System/Info/Public`), 200)
      assert.strictEqual(yield* status(`${jellyfin.url}/mediabrowser/System/Info/Public`), 200)
      assert.strictEqual(yield* status(`${jellyfin12.url}/emby/System/Info/Public`), 404)
      assert.strictEqual(yield* status(`${jellyfin12.url}/mediabrowser/System/Info/Public`), 404)
      assert.strictEqual(yield* status(`${emby.url}/emby/System/Info/Public`), 200)
      assert.strictEqual(yield* status(`${emby.url}/System/Info/Public`), 404)
    }))

  it.effect("Quick Connect initiate: GET on 10.x, POST only on 12.0 (GET is 405)", () =>
    Effect.gen(function*() {
      const { jellyfin, jellyfin12 } = yield* Sandbox
      const initiate = (url: string, method: string) =>
        send(`${url}/QuickConnect/Initiate`, { method, headers: { authorization: scheme(client) } })
      assert.strictEqual((yield* initiate(jellyfin.url, "GET")).status, 200)
      assert.strictEqual((yield* initiate(jellyfin12.url, "GET")).status, 405)
      const posted = yield* initiate(jellyfin12.url, "POST")
      assert.strictEqual(posted.status, 200)
      assert.match((JSON.parse(posted.body) as { Code: string }).Code, /^\d{6}$/)
    }))

  it.effect("sign-in needs Client, Device, DeviceId and Version; user names are case-insensitive", () =>
    Effect.gen(function*() {
      const { jellyfin12 } = yield* Sandbox
      const { Version: _, ...withoutVersion } = client
      const refused = yield* signIn(jellyfin12.url, "alice", "alice-password", withoutVersion)
      assert.strictEqual(refused.status, 400)
      assert.include(refused.body, "appVersion")
      assert.strictEqual((yield* signIn(jellyfin12.url, "ALICE", "alice-password")).status, 200)
    }))

  it.effect("a sign-in logs out the user's earlier token on the same DeviceId, not other users' ones", () =>
    Effect.gen(function*() {
      const { jellyfin12 } = yield* Sandbox
      const fields = { ...client, DeviceId: "shared-device" }
      const first = tokenOf(yield* signIn(jellyfin12.url, "bob", "bob-password", fields))
      const alice = tokenOf(yield* signIn(jellyfin12.url, "alice", "alice-password", fields))
      const second = tokenOf(yield* signIn(jellyfin12.url, "bob", "bob-password", fields))
      const check = (token: string) => Effect.map(me(jellyfin12.url, { authorization: scheme({ Token: token }) }), (a) => a.status)
      assert.strictEqual(yield* check(first), 401)
      assert.strictEqual(yield* check(second), 200)
      assert.strictEqual(yield* check(alice), 200)
    }))

  it.effect("another Device or Version on a token rewrites the device record (not for a chromecast client)", () =>
    Effect.gen(function*() {
      const { jellyfin12 } = yield* Sandbox
      const fields = { ...client, DeviceId: "rewrite-device", Device: "Phone" }
      const token = tokenOf(yield* signIn(jellyfin12.url, "bob", "bob-password", fields))
      const devices = Effect.map(
        send(`${jellyfin12.url}/Devices`, { headers: { authorization: scheme({ Token: SANDBOX_DEMO.apiKey.key }) } }),
        (a) => (JSON.parse(a.body) as { Items: ReadonlyArray<{ Id: string; Name: string; AppVersion: string }> }).Items
          .find((d) => d.Id === "rewrite-device")
      )
      yield* me(jellyfin12.url, { authorization: scheme({ ...fields, Client: "Chromecast", Device: "TV", Token: token }) })
      assert.strictEqual((yield* devices)?.Name, "Phone")
      yield* me(jellyfin12.url, { authorization: scheme({ ...fields, Device: "Tablet", Version: "2.0.0", Token: token }) })
      assert.deepStrictEqual(yield* devices, { ...(yield* devices)!, Name: "Tablet", AppVersion: "2.0.0" })
    }))

  it.effect("an API key has the administrator role; a user's token does not", () =>
    Effect.gen(function*() {
      const { jellyfin12 } = yield* Sandbox
      const apiKey = yield* send(`${jellyfin12.url}/Devices`, { headers: { authorization: scheme({ Token: SANDBOX_DEMO.apiKey.key }) } })
      assert.strictEqual(apiKey.status, 200)
      const bob = tokenOf(yield* signIn(jellyfin12.url, "bob", "bob-password"))
      const user = yield* send(`${jellyfin12.url}/Devices`, { headers: { authorization: scheme({ Token: bob }) } })
      assert.strictEqual(user.status, 403)
    }))

  it.effect("legacy transports: read by 10.11 (legacy on), ignored by 12.0 (legacy off); ApiKey works on both", () =>
    Effect.gen(function*() {
      const { jellyfin, jellyfin12 } = yield* Sandbox
      for (const server of [jellyfin, jellyfin12]) {
        const token = tokenOf(yield* signIn(server.url, "bob", "bob-password"))
        const legacyOn = server === jellyfin
        assert.strictEqual((yield* me(server.url, { "x-emby-token": token })).status, legacyOn ? 200 : 401)
        assert.strictEqual((yield* me(server.url, { "x-emby-authorization": scheme({ Token: token }) })).status, legacyOn ? 200 : 401)
        assert.strictEqual((yield* me(server.url, {}, `?api_key=${token}`)).status, legacyOn ? 200 : 401)
        assert.strictEqual((yield* me(server.url, {}, `?ApiKey=${token}`)).status, 200)
      }
    }))

  it.effect("Emby 4.9: separate X-Emby-* values as headers or query, the Emby UserId= scheme", () =>
    Effect.gen(function*() {
      const { emby } = yield* Sandbox
      const separate = {
        "X-Emby-Client": "Emby Web",
        "X-Emby-Device-Name": "Firefox",
        "X-Emby-Device-Id": "emby-web-device",
        "X-Emby-Client-Version": "4.9.0.33"
      }
      const signedIn = yield* send(`${emby.apiUrl}/Users/AuthenticateByName`, {
        method: "POST",
        headers: { "content-type": "application/json", ...separate },
        body: JSON.stringify({ Username: "bob", Pw: "bob-password" })
      })
      assert.strictEqual(signedIn.status, 200)
      const session = JSON.parse(signedIn.body) as { AccessToken: string; SessionInfo: Record<string, string> }
      assert.strictEqual(session.SessionInfo.DeviceId, "emby-web-device")
      const query = new URLSearchParams({ ...separate, "X-Emby-Token": session.AccessToken })
      assert.strictEqual((yield* me(emby.apiUrl, {}, `?${query}`)).status, 200)
      assert.strictEqual((yield* me(emby.apiUrl, { "x-emby-token": session.AccessToken })).status, 200)
      const embyScheme = yield* send(`${emby.apiUrl}/Users/AuthenticateByName`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: scheme({ UserId: "e8837bc1", ...client }, "Emby") },
        body: JSON.stringify({ Username: "alice", Pw: "alice-password" })
      })
      assert.strictEqual(embyScheme.status, 200)
      const wrongQueryToken = new URLSearchParams({ "X-Emby-Token": "0".repeat(32) })
      assert.strictEqual((yield* me(emby.apiUrl, {}, `?${wrongQueryToken}`)).status, 401)
    }))

  it.scoped("/socket on 12.0: ?api_key= is refused (403, no token read); ?ApiKey= opens with ForceKeepAlive", () =>
    Effect.gen(function*() {
      const { jellyfin12 } = yield* Sandbox
      const token = tokenOf(yield* signIn(jellyfin12.url, "bob", "bob-password"))
      const ws = jellyfin12.url.replace(/^http/, "ws")
      assert.deepStrictEqual(yield* handshake(`${jellyfin12.url}/socket?api_key=${token}`), { status: 403, body: "Error processing request." })
      assert.deepStrictEqual(yield* handshake(`${jellyfin12.url}/socket?ApiKey=${"0".repeat(32)}`), { status: 403, body: "Error processing request." })
      const socket = yield* openSocket(`${ws}/socket?ApiKey=${token}`)
      const first = yield* Queue.take(socket.messages)
      assert.deepStrictEqual([first.MessageType, first.Data], ["ForceKeepAlive", 60])
      yield* socket.write(JSON.stringify({ MessageType: "KeepAlive" }))
      assert.strictEqual((yield* Queue.take(socket.messages)).MessageType, "KeepAlive")
      assert.strictEqual(yield* jellyfin12.sockets.keepAlives, 1)
    }).pipe(Effect.provide(NodeSocket.layerWebSocketConstructor)))
})

describe("knobs per persona", () => {
  it.scoped("Quick Connect off: initiate is 401 and Enabled says false; legacy on for 12.0 reads X-Emby-Token", () =>
    Effect.gen(function*() {
      const running = yield* makeSandboxPersonas({
        personas: [{ persona: "jellyfin-12.0", legacy: true, quickConnect: false }]
      })
      assert.strictEqual(running.connect, undefined)
      const server = running.servers[0]!.server
      assert.deepStrictEqual(running.services.map((s) => [s.legacy, s.quickConnect]), [[true, false]])
      const initiate = yield* send(`${server.url}/QuickConnect/Initiate`, { method: "POST", headers: { authorization: scheme(client) } })
      assert.deepStrictEqual(initiate, { status: 401, body: "Quick connect is disabled" })
      assert.strictEqual((yield* send(`${server.url}/QuickConnect/Enabled`)).body, "false")
      const token = tokenOf(yield* signIn(server.url, "bob", "bob-password"))
      assert.strictEqual((yield* me(server.url, { "x-emby-token": token })).status, 200)
    }))
})
