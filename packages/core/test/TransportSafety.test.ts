import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as EmbyConnect from "@mbauth/core/EmbyConnect"
import * as MediaServer from "@mbauth/core/MediaServer"
import * as RequestSigning from "@mbauth/core/RequestSigning"
import { makeFakeEmbyConnect, makeFakeJellyfin } from "@mbauth/testing"
import * as TransportSafety from "@mbauth/core/TransportSafety"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Capture from "./utils/capture.js"
import { CANARY, fastPolicy, seed, TEST_APP } from "./utils/connect.js"
import { alice, API_KEYS, CLIENT, USERS } from "./utils/mediaServer.js"
import { harness } from "./utils/manager.js"
import { redirectedTo } from "./utils/redirect.js"

/** A warning as the JSON logger writes it (the capture writes each line in three formats). */
const isWarning = (line: string) => line.includes("\"logLevel\":\"WARN\"")

describe("TransportSafety.classifyHost", () => {
  const cases: ReadonlyArray<readonly [string, TransportSafety.AddressScope, string]> = [
    // IPv4, including the notations URLs normalise.
    ["127.0.0.1", "loopback", "ipv4"],
    ["127.200.3.4", "loopback", "ipv4"],
    ["0x7f.1", "loopback", "ipv4"],
    ["2130706433", "loopback", "ipv4"],
    ["0.0.0.0", "loopback", "ipv4"],
    ["10.1.2.3", "private", "ipv4"],
    ["172.16.0.1", "private", "ipv4"],
    ["172.31.255.255", "private", "ipv4"],
    ["172.32.0.1", "public", "ipv4"],
    ["192.168.1.10", "private", "ipv4"],
    ["0300.0250.1.1", "private", "ipv4"],
    ["100.64.0.1", "private", "ipv4"],
    ["100.127.255.254", "private", "ipv4"],
    ["100.128.0.1", "public", "ipv4"],
    ["169.254.10.20", "link-local", "ipv4"],
    ["8.8.8.8", "public", "ipv4"],
    ["192.169.0.1", "public", "ipv4"],
    // IPv6, with and without brackets, zones, IPv4-mapped.
    ["::1", "loopback", "ipv6"],
    ["[::1]", "loopback", "ipv6"],
    ["::", "loopback", "ipv6"],
    ["fe80::1%eth0", "link-local", "ipv6"],
    ["[FE80::abcd]", "link-local", "ipv6"],
    ["febf::1", "link-local", "ipv6"],
    ["fd12:3456:789a::1", "private", "ipv6"],
    ["fc00::1", "private", "ipv6"],
    ["fec0::1", "private", "ipv6"],
    ["::ffff:192.168.0.1", "private", "ipv6"],
    ["::ffff:127.0.0.1", "loopback", "ipv6"],
    ["::ffff:8.8.8.8", "public", "ipv6"],
    ["2001:4860:4860::8888", "public", "ipv6"],
    ["ff02::1", "public", "ipv6"],
    // Names: only localhost, mDNS and home.arpa names are local.
    ["localhost", "loopback", "hostname"],
    ["LOCALHOST.", "loopback", "hostname"],
    ["app.localhost", "loopback", "hostname"],
    ["jellyfin.local", "local-name", "hostname"],
    ["NAS.Local.", "local-name", "hostname"],
    ["media.home.arpa", "local-name", "hostname"],
    ["nas", "public", "hostname"],
    ["jellyfin.lan", "public", "hostname"],
    ["localhost.example.com", "public", "hostname"],
    ["local", "public", "hostname"],
    ["media.example.com", "public", "hostname"],
    ["", "public", "hostname"],
    ["exa mple.com", "public", "hostname"]
  ]

  it("classifies IPv4, IPv6 and host names", () => {
    for (const [host, scope, kind] of cases) {
      const c = TransportSafety.classifyHost(host)
      assert.deepStrictEqual([host, c.scope, c.kind, c.local], [host, scope, kind, scope !== "public"])
      assert.isString(c.description)
    }
  })

  it("normalises what it reports", () => {
    assert.strictEqual(TransportSafety.classifyHost("0x7f.1").host, "127.0.0.1")
    assert.strictEqual(TransportSafety.classifyHost("[FE80::1%25eth0]").host, "fe80::1")
    assert.strictEqual(TransportSafety.classifyHost("::ffff:8.8.8.8").description, "a public IPv4 address, IPv4-mapped")
  })

  it("classifyUrl reads the URL's host, ignoring user info, path and query", () => {
    const scope = (url: string) => Option.map(TransportSafety.classifyUrl(url), (c) => c.scope)
    assert.deepStrictEqual(scope("http://[::1]:8096/web"), Option.some("loopback"))
    assert.deepStrictEqual(scope("http://user:127.0.0.1@media.example.com/?h=10.0.0.1"), Option.some("public"))
    assert.deepStrictEqual(scope("https://u:p@10.0.0.5:8920/emby"), Option.some("private"))
    assert.deepStrictEqual(scope("not a url"), Option.none())
    assert.deepStrictEqual(scope("file:///etc/passwd"), Option.none())
  })
})

describe("TransportSafety.requireSecureForSecrets", () => {
  it.effect("HTTPS anywhere and HTTP to local addresses pass", () =>
    Effect.gen(function*() {
      for (
        const url of [
          "https://media.example.com/",
          "wss://media.example.com/socket",
          "http://127.0.0.1:8096/",
          "http://[::1]:8096/",
          "http://192.168.1.20:8096/",
          "http://[fd00::20]:8096/",
          "http://169.254.3.4/",
          "http://jellyfin.local:8096/",
          "http://localhost:8096/"
        ]
      ) yield* TransportSafety.requireSecureForSecrets(url)
    }))

  it.effect("a password over HTTP to a public address is refused: says why and how to opt in, shows no secret", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        TransportSafety.requireSecureForSecrets("http://alice:hunter2@media.example.com:8096/Users/AuthenticateByName?api_key=k3y")
      )
      assert.strictEqual(error._tag, "InsecureTransport")
      assert.strictEqual(error.address, "http://media.example.com:8096")
      assert.strictEqual(error.scope, "public")
      assert.strictEqual(error.secret, "password")
      for (const part of ["password", "plain HTTP", "http://media.example.com:8096", "https://", "allowInsecure", "--allow-insecure"]) {
        assert.include(error.message, part)
      }
      for (const secret of ["hunter2", "k3y", "alice"]) assert.notInclude(JSON.stringify(error) + error.message, secret)

      const ip = yield* Effect.flip(TransportSafety.requireSecureForSecrets(new URL("http://8.8.8.8/"), { secret: "access key" }))
      assert.include(ip.message, "access key")
      assert.include(ip.message, "a public IPv4 address")
      const invalid = yield* Effect.flip(TransportSafety.requireSecureForSecrets("http//nope"))
      assert.strictEqual(invalid.address, "an invalid URL")
    }))

  it.effect("allowInsecure lets it through with a warning naming the origin only", () =>
    Effect.gen(function*() {
      const capture = Capture.makeCapture()
      yield* TransportSafety.requireSecureForSecrets("http://u:p4ss@media.example.com/x?y=z", { allowInsecure: true }).pipe(
        Effect.provide(Capture.layer(capture))
      )
      const warnings = capture.logs.filter(isWarning)
      assert.strictEqual(warnings.length, 1)
      assert.include(warnings[0], "http://media.example.com")
      for (const hidden of ["p4ss", "/x", "y=z"]) assert.notInclude(capture.logs.join("\n"), hidden)
    }))

  it.effect("warnTokenInQuery warns with the parameter and origin, never the token, path or query", () =>
    Effect.gen(function*() {
      const capture = Capture.makeCapture()
      yield* TransportSafety.warnTokenInQuery({ parameter: "ApiKey", url: "ws://10.0.0.2:8096/socket?ApiKey=t0k3n" }).pipe(
        Effect.provide(Capture.layer(capture))
      )
      const text = capture.logs.join("\n")
      assert.isTrue(capture.logs.some(isWarning))
      assert.include(text, "ApiKey query parameter to ws://10.0.0.2:8096")
      assert.notInclude(text, "t0k3n")
      assert.notInclude(text, "/socket")
    }))
})

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("transport safety in the clients", (it) => {
  it.scoped("EmbyConnect.authenticate refuses http to a public host before sending; allowInsecure sends it", () =>
    Effect.gen(function*() {
      const fake = yield* makeFakeEmbyConnect(seed)
      const connect = (allowInsecure: boolean) =>
        EmbyConnect.make({ ...TEST_APP, baseUrl: "http://connect.example.com/service/", allowInsecure }).pipe(
          Effect.provide(fastPolicy()),
          Effect.provideServiceEffect(HttpClient.HttpClient, redirectedTo(fake.url))
        )
      const password = Redacted.make(CANARY.password)
      const refused = yield* Effect.flip((yield* connect(false)).authenticate({ nameOrEmail: "alice", password }))
      assert.strictEqual(refused._tag, "InsecureTransport")
      assert.include(refused.message, "http://connect.example.com")
      assert.strictEqual(yield* fake.requests.count(), 0, "nothing was sent")

      // Calls that carry no password are not affected.
      yield* (yield* connect(false)).createPin("dev")
      assert.strictEqual(yield* fake.requests.count(), 1)

      const capture = Capture.makeCapture()
      const session = yield* (yield* connect(true)).authenticate({ nameOrEmail: "alice", password }).pipe(
        Effect.provide(Capture.layer(capture))
      )
      assert.strictEqual(session.user.name, "alice")
      assert.isTrue(capture.logs.some((line) => isWarning(line) && line.includes("plain HTTP")))
      assert.notInclude(capture.logs.join("\n"), CANARY.password)
    }))

  it.scoped("MediaServer.authenticateByName refuses http to a public host before sending; allowInsecure sends it", () =>
    Effect.gen(function*() {
      const fake = yield* makeFakeJellyfin({ users: USERS, apiKeys: API_KEYS, profile: "jellyfin-12" })
      const client = (allowInsecure: boolean) =>
        MediaServer.make({ address: "http://media.example.com:8096", profile: "jellyfin-12", clientInfo: CLIENT, allowInsecure })
          .pipe(Effect.provide(fastPolicy()), Effect.provideServiceEffect(HttpClient.HttpClient, redirectedTo(fake.url)))
      const refused = yield* Effect.flip((yield* client(false)).authenticateByName(alice))
      assert.strictEqual(refused._tag, "InsecureTransport")
      assert.strictEqual(yield* fake.requests.count(), 0, "nothing was sent")
      const signIn = yield* (yield* client(true)).authenticateByName(alice)
      assert.strictEqual(signIn.user.name, "alice")
      // Over HTTPS the check passes without an opt-in (the request itself then fails: no TLS here).
      const https = yield* Effect.flip(
        Effect.flatMap(
          MediaServer.make({ address: "https://media.example.com", profile: "jellyfin-12", clientInfo: CLIENT }).pipe(
            Effect.provide(fastPolicy({ retries: 0 }))
          ),
          (c) => c.authenticateByName(alice)
        )
      )
      assert.notStrictEqual(https._tag, "InsecureTransport")
    }))

  it.scoped("ConnectionManager.signIn passes allowInsecure through to the server client", () =>
    Effect.gen(function*() {
      const fake = yield* makeFakeJellyfin({ users: USERS, apiKeys: API_KEYS, profile: "jellyfin-12" })
      const signIn = (allowInsecure: boolean) =>
        Effect.gen(function*() {
          const { manager } = yield* harness({ manager: { allowInsecure, discovery: false } })
          yield* manager.connectToAddress("http://media.example.com:8096")
          return yield* manager.signIn(fake.id, alice)
        }).pipe(Effect.provideServiceEffect(HttpClient.HttpClient, redirectedTo(fake.url)))
      const refused = yield* Effect.flip(signIn(false))
      assert.strictEqual(refused._tag, "InsecureTransport")
      assert.strictEqual(yield* fake.requests.count({ path: "/Users/AuthenticateByName" }), 0)
      const allowed = yield* signIn(true)
      assert.strictEqual(allowed.user.name, "alice")
    }))

  it.effect("RequestSigning warns once per signer for a query token, and for each WebSocket URL", () =>
    Effect.gen(function*() {
      const capture = Capture.makeCapture()
      const token = Redacted.make("t0k3n-in-query")
      yield* Effect.gen(function*() {
        yield* RequestSigning.make({ profile: "jellyfin-12", clientInfo: CLIENT, token })
        const warnings = () => capture.logs.filter(isWarning).length
        assert.strictEqual(warnings(), 0, "the header transport is not warned about")
        const signer = yield* RequestSigning.make({ profile: "jellyfin-12", clientInfo: CLIENT, token, transport: "ApiKey" })
        assert.strictEqual(warnings(), 1)
        signer.signRequest(HttpClientRequest.get("http://10.0.0.2/Users/Me"))
        signer.signRequest(HttpClientRequest.get("http://10.0.0.2/Items"))
        assert.strictEqual(warnings(), 1, "signing requests adds no warning")
        const header = yield* RequestSigning.make({ profile: "emby", clientInfo: CLIENT, token })
        yield* header.webSocketUrl("ws://10.0.0.2:8096/embywebsocket")
        assert.strictEqual(warnings(), 2)
      }).pipe(Effect.provide(Capture.layer(capture)))
      assert.include(capture.logs.join("\n"), "api_key query parameter to ws://10.0.0.2:8096")
      assert.notInclude(capture.logs.join("\n"), "t0k3n-in-query")
    }))
})
