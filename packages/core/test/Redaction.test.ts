/**
 * The canary test: sign, log and fail requests (and parse, extract and authenticate) with a canary
 * token, capture every log line (logfmt, JSON, string loggers), every span (attributes, events,
 * exits) and every rendering of every error, and assert the canary appears nowhere.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AuthorizationHeader from "../src/AuthorizationHeader.js"
import * as Credentials from "../src/Credentials.js"
import * as RequestSigning from "../src/RequestSigning.js"
import * as ServerAuthentication from "../src/ServerAuthentication.js"
import * as Capture from "./utils/capture.js"
import { baseUrl, layerServing } from "./utils/server.js"

const CANARY = "CANARY7c1e5f0a9b3d4e2f"
const WRONG = "CANARYbad0000000000000"
const clientInfo = { client: "canary-test", version: "1.0", device: "vitest", deviceId: "dev-canary" }

const capture = Capture.makeCapture()
/** Every rendering of every error and value the test produced outside the loggers. */
const renderings: Array<string> = []

const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/:profile/auth",
    Effect.gen(function*() {
      const { credentials } = yield* ServerAuthentication.Authenticated
      yield* Effect.log("authenticated", credentials)
      return yield* HttpServerResponse.json({ transport: credentials.transport })
    }).pipe((app) =>
      Effect.flatMap(HttpRouter.params, (params) =>
        ServerAuthentication.middleware({
          profile: params.profile === "emby" ? "emby" : params.profile === "jellyfin-10.11" ? "jellyfin-10.11" : "jellyfin-12"
        })(app))
    )
  )
)

const TestLayer = layerServing(router).pipe(
  Layer.provide(ServerAuthentication.layerTokenValidatorFromEntries([[CANARY, ServerAuthentication.Principal.User({ userId: "u" })]])),
  Layer.provide(Capture.layer(capture))
)

/** Renders `u` every way a user might: inside a fiber (logs, Cause.pretty) and outside (String, JSON, inspect). */
const renderEverywhere = (label: string, u: unknown) =>
  Effect.gen(function*() {
    yield* Effect.logError(label, u)
    yield* Effect.logWarning(label).pipe(Effect.annotateLogs("value", u))
    if (u instanceof Error) {
      yield* Effect.logError(label, Cause.fail(u))
      renderings.push(Cause.pretty(Cause.fail(u), { renderErrorCause: true }), u.message, u.stack ?? "")
    }
    renderings.push(String(u), JSON.stringify(u) ?? "", Inspectable.format(u), Inspectable.toStringUnknown(u))
  })

const signingOptions: ReadonlyArray<{ readonly path: string; readonly options: Omit<RequestSigning.Options, "token"> }> = [
  { path: "jellyfin-12", options: { profile: "jellyfin-12", clientInfo } },
  { path: "jellyfin-12", options: { profile: "jellyfin-12", clientInfo, transport: "ApiKey" } },
  { path: "jellyfin-10.11", options: { profile: "jellyfin-10.11", clientInfo, transport: "X-Emby-Token" } },
  { path: "jellyfin-10.11", options: { profile: "jellyfin-10.11", clientInfo, transport: "X-MediaBrowser-Token" } },
  { path: "jellyfin-10.11", options: { profile: "jellyfin-10.11", clientInfo, transport: "api_key" } },
  { path: "emby", options: { profile: "emby", clientInfo } },
  { path: "emby", options: { profile: "emby", clientInfo, transport: "api_key" } }
]

layer(TestLayer, { excludeTestServices: true })("the canary token never leaks", (it) => {
  it.effect("signing, logging and failing requests over every transport", () =>
    Effect.gen(function*() {
      // The wrapped client maps requests itself, as real clients do (base URL, Accept …).
      const http = (yield* HttpClient.HttpClient).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl(yield* baseUrl)),
        HttpClient.mapRequest(HttpClientRequest.acceptJson)
      )
      for (const { options, path } of signingOptions) {
        // Success: log the response and the request it carries.
        const ok = yield* RequestSigning.signClient(http, { ...options, token: Redacted.make(CANARY) })
        const response = yield* ok.get(`/${path}/auth`).pipe(Effect.withSpan("call-ok"))
        assert.strictEqual(response.status, 200, `${path} ${options.transport ?? "default"}`)
        yield* renderEverywhere("response", response)
        yield* renderEverywhere("request", response.request)

        // Status failure: 401 through filterStatusOk, inside a span that records the failure.
        const failing = (yield* RequestSigning.signClient(http, { ...options, token: Redacted.make(WRONG) })).pipe(
          HttpClient.filterStatusOk
        )
        const statusError = yield* Effect.flip(failing.get(`/${path}/auth`).pipe(Effect.withSpan("call-401")))
        assert.strictEqual(statusError._tag, "ResponseError")
        yield* renderEverywhere("status error", statusError)

        // Transport failure: nothing listens on port 1.
        const transportError = yield* Effect.flip(
          (yield* RequestSigning.signClient(yield* HttpClient.HttpClient, { ...options, token: Redacted.make(CANARY) }))
            .execute(HttpClientRequest.get("http://127.0.0.1:1/Users/Me")).pipe(Effect.withSpan("call-refused"))
        )
        assert.strictEqual(transportError._tag, "RequestError")
        yield* renderEverywhere("transport error", transportError)
      }
      const signer = yield* RequestSigning.make({ profile: "jellyfin-12", clientInfo, token: Redacted.make(CANARY) })
      yield* renderEverywhere("websocket url", yield* signer.webSocketUrl("ws://127.0.0.1/socket"))
      yield* renderEverywhere(
        "signing error",
        yield* Effect.flip(RequestSigning.make({ profile: "emby", clientInfo, token: Redacted.make(CANARY), transport: "ApiKey" }))
      )
    }))

  it.effect("parsing, formatting, extracting", () =>
    Effect.gen(function*() {
      for (
        const header of [
          `MediaBrowser Token=${CANARY}`,
          `MediaBrowser Token="${CANARY}`,
          `MediaBrowser Client="x", Token="${CANARY}" , Device="y"`,
          `MediaBrowser token="${CANARY}", Client=x`,
          `MediaBrowser ${CANARY}`,
          `MediaBrowser Token="a", Token="${CANARY}"`,
          `Bearer ${CANARY}`,
          `${CANARY} Token="x"`,
          CANARY,
          `Emby Token="${CANARY}"`
        ]
      ) {
        for (const mode of ["strict", "compat"] as const) {
          const result = yield* Effect.either(AuthorizationHeader.parse(header, { mode, legacy: false }))
          yield* renderEverywhere("parse", result._tag === "Left" ? result.left : result.right)
          const decoded = Schema.decodeUnknownEither(AuthorizationHeader.schema({ mode, legacy: false }))(header)
          yield* renderEverywhere("decode", decoded._tag === "Left" ? decoded.left : decoded.right)
        }
      }
      const formatted = yield* AuthorizationHeader.format({ Token: Redacted.make(CANARY), Client: "x" })
      yield* renderEverywhere("formatted", formatted)
      yield* renderEverywhere(
        "format error",
        yield* Effect.flip(AuthorizationHeader.format({ Token: Redacted.make(CANARY), Device: "\ud800" }))
      )

      const requests: ReadonlyArray<Credentials.RequestLike> = [
        { headers: { "x-emby-token": CANARY } },
        { headers: { authorization: `MediaBrowser Token="${CANARY}"` }, query: { ApiKey: `${CANARY}x` } },
        { headers: { authorization: "MediaBrowser Token=\" \"" }, query: { ApiKey: CANARY } },
        { headers: {}, query: { api_key: [CANARY, CANARY] } },
        { headers: { authorization: `Emby Token="${CANARY}"` } }
      ]
      for (const request of requests) {
        yield* renderEverywhere("inspection", Credentials.inspect(request, { profile: "jellyfin-12" }))
        const result = yield* Effect.either(Credentials.extract(request, { profile: "jellyfin-12", ambiguous: "fail" }))
        yield* renderEverywhere("extract", result._tag === "Left" ? result.left : result.right)
      }
    }))

  it.effect("nothing captured contains the canary, and the capture did capture", () =>
    Effect.sync(() => {
      const everything = Capture.dump(capture) + "\n" + renderings.join("\n")
      // The capture is not vacuous: client and server spans, server logs, rendered errors.
      assert.isTrue(capture.spans.some((s) => s.kind === "client" && s.attributes["url.query"] === "ApiKey=<redacted>"))
      assert.isTrue(capture.spans.some((s) => s.kind === "client" && s.attributes["url.query"] === "api_key=<redacted>"))
      assert.isTrue(
        capture.spans.some((s) => s.kind === "server" && s.attributes["http.request.header.x-emby-token"] === "<redacted>")
      )
      assert.isTrue(capture.spans.some((s) => s.kind === "server" && String(s.attributes["url.full"]).includes("ApiKey=<redacted>")))
      // The middleware names the transport on the request span it scrubbed.
      assert.isTrue(
        capture.spans.some((s) => s.kind === "server" && s.attributes["mediabrowser.auth.transport"] === "ApiKey")
      )
      assert.isTrue(capture.spans.some((s) => s.name === "call-401" && s.exit.includes("StatusCode")))
      assert.isTrue(capture.logs.some((line) => line.includes("MediaBrowser authentication: token rejected")))
      assert.isTrue(capture.logs.some((line) => line.includes("authenticated")))
      assert.isTrue(renderings.some((r) => r.includes("AuthorizationParseError")))
      assert.include(everything, "<redacted>")
      assert.include(everything, "****")

      const at = everything.indexOf("CANARY")
      assert.strictEqual(at, -1, `canary found: …${everything.slice(Math.max(0, at - 200), at + 60)}…`)
    }))
})
