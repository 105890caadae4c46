import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as ClientInfo from "../src/ClientInfo.js"
import * as RequestSigning from "../src/RequestSigning.js"
import { getAuthorizationHeader } from "./utils/jellyfinSdk.js"
import { type Answer, baseUrl, configs, layerServing, matrixRouter, tokenFor, Tokens } from "./utils/server.js"

const clientInfo: ClientInfo.ClientInfo = { client: "My App", version: "1.2.3", device: "Living room", deviceId: "dev-42" }
const token = Redacted.make("0123456789abcdef0123456789abcdef")

/** An HttpClient that records the requests it is given (unit tests only) and answers 200. */
const recording = Effect.gen(function*() {
  const sent = yield* Ref.make<ReadonlyArray<HttpClientRequest.HttpClientRequest>>([])
  const client = HttpClient.make((request) =>
    Effect.as(Ref.update(sent, (all) => [...all, request]), HttpClientResponse.fromWeb(request, new Response("{}")))
  )
  return { client, sent: Ref.get(sent) }
})

const signAndSend = (options: RequestSigning.Options, request = HttpClientRequest.get("http://server.test/Users/Me")) =>
  Effect.gen(function*() {
    const { client, sent } = yield* recording
    const signed = yield* RequestSigning.signClient(client, options)
    yield* signed.execute(request)
    const [one] = yield* sent
    assert(one !== undefined)
    return one
  })

/** Every place a token could be in a request. */
const tokenPlaces = (request: HttpClientRequest.HttpClientRequest) => ({
  headers: Object.keys(request.headers).filter((h) =>
    ["authorization", "x-emby-authorization", "x-emby-token", "x-mediabrowser-token"].includes(h)
  ).sort(),
  query: request.urlParams.map(([name]) => name),
  url: request.url
})

describe("RequestSigning (unit)", () => {
  it.effect("signs with Authorization: MediaBrowser and the token inside it by default", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend({ profile: "jellyfin-10.11", clientInfo, token })
      assert.deepStrictEqual(tokenPlaces(request), { headers: ["authorization"], query: [], url: "http://server.test/Users/Me" })
      assert.strictEqual(
        request.headers.authorization,
        "MediaBrowser Token=\"0123456789abcdef0123456789abcdef\", Client=\"My%20App\", Version=\"1.2.3\", " +
          "DeviceId=\"dev-42\", Device=\"Living%20room\""
      )
    }))

  it.effect("signs with X-Emby-Authorization for Emby", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend({ profile: "emby", clientInfo, token, userId: "u-1" })
      assert.deepStrictEqual(tokenPlaces(request).headers, ["x-emby-authorization"])
      assert.match(request.headers["x-emby-authorization"]!, /^MediaBrowser Token="0123/)
      assert.match(request.headers["x-emby-authorization"]!, /UserId="u-1"$/)
    }))

  it.effect("signs the way Emby's JavaScript client does: separate X-Emby-* headers and X-Emby-Token, no scheme header", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend(
        { profile: "emby", clientInfo, token, clientInfoIn: "separate-headers" },
        HttpClientRequest.get("http://server.test/Users/Me").pipe(
          HttpClientRequest.setHeaders({ "X-Emby-Client": "Someone Else", Authorization: "MediaBrowser Token=\"old\"" })
        )
      )
      // Tracing headers (traceparent, b3) aside.
      const { b3: _b3, traceparent: _traceparent, ...headers } = request.headers
      assert.deepStrictEqual({ ...headers }, {
        "x-emby-client": "My App",
        "x-emby-device-name": "Living%20room",
        "x-emby-device-id": "dev-42",
        "x-emby-client-version": "1.2.3",
        "x-emby-token": "0123456789abcdef0123456789abcdef"
      })
      assert.deepStrictEqual(tokenPlaces(request), { headers: ["x-emby-token"], query: [], url: "http://server.test/Users/Me" })
      const signer = yield* RequestSigning.make({ profile: "emby", clientInfo, clientInfoIn: "separate-headers" })
      assert.strictEqual(signer.schemeHeader, undefined)
      assert.strictEqual(signer.transport, undefined)
    }))

  it.effect("separate client headers: refused where the server does not read them, or where the options need a scheme header", () =>
    Effect.gen(function*() {
      const refused = (options: Partial<RequestSigning.Options>) =>
        Effect.flip(RequestSigning.make({ profile: "emby", clientInfo, token, clientInfoIn: "separate-headers", ...options }))
      const jellyfin = yield* refused({ profile: "jellyfin-12" })
      assert.strictEqual(jellyfin.reason, "TransportNotRead")
      assert.include(jellyfin.message, "X-Emby-Client")
      assert.strictEqual((yield* refused({ transport: "X-Emby-Authorization" })).reason, "InvalidOptions")
      assert.strictEqual((yield* refused({ schemeHeader: "Authorization" })).reason, "InvalidOptions")
      assert.strictEqual((yield* refused({ userId: "u-1" })).reason, "InvalidOptions")
      const unencodable = yield* refused({ clientInfo: { ...clientInfo, client: "Café" } })
      assert.strictEqual(unencodable.reason, "UnencodableValue")
      assert.include(unencodable.message, "X-Emby-Client")
      // The device name is percent-encoded, so any name goes.
      const signer = yield* RequestSigning.make({
        profile: "emby",
        clientInfo: { ...clientInfo, device: "Salón" },
        clientInfoIn: "separate-headers"
      })
      assert.strictEqual(signer.signRequest(HttpClientRequest.get("http://server.test/")).headers["x-emby-device-name"], "Sal%C3%B3n")
    }))

  it.effect("puts the token in the ApiKey query only when asked, and then not in the header", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend({ profile: "jellyfin-12", clientInfo, token, transport: "ApiKey" })
      assert.deepStrictEqual(tokenPlaces(request), { headers: ["authorization"], query: ["ApiKey"], url: "http://server.test/Users/Me" })
      assert.notInclude(request.headers.authorization!, "Token")
      assert.deepStrictEqual(UrlParams.getFirst(request.urlParams, "ApiKey"), Option.some(Redacted.value(token)))
    }))

  it.effect("puts the token in X-Emby-Token when asked (legacy on)", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend({ profile: "jellyfin-10.11", clientInfo, token, transport: "X-Emby-Token" })
      assert.deepStrictEqual(tokenPlaces(request).headers, ["authorization", "x-emby-token"])
      assert.notInclude(request.headers.authorization!, "Token")
      assert.strictEqual(request.headers["x-emby-token"], Redacted.value(token))
    }))

  it.effect("removes every token the request already carried: one token per request", () =>
    Effect.gen(function*() {
      const before = HttpClientRequest.get("http://server.test/Items?api_key=old&Fields=x").pipe(
        HttpClientRequest.setHeader("X-Emby-Token", "old"),
        HttpClientRequest.setHeader("X-MediaBrowser-Token", "old"),
        HttpClientRequest.setHeader("X-Emby-Authorization", "MediaBrowser Token=\"old\""),
        HttpClientRequest.setUrlParam("apikey", "old")
      )
      const request = yield* signAndSend({ profile: "jellyfin-10.11", clientInfo, token }, before)
      assert.deepStrictEqual(tokenPlaces(request), { headers: ["authorization"], query: [], url: "http://server.test/Items?Fields=x" })
      const viaQuery = yield* signAndSend({ profile: "jellyfin-10.11", clientInfo, token, transport: "ApiKey" }, before)
      assert.deepStrictEqual(tokenPlaces(viaQuery), {
        headers: ["authorization"],
        query: ["ApiKey"],
        url: "http://server.test/Items?Fields=x"
      })
    }))

  it.effect("without a token, the header carries only the client info", () =>
    Effect.gen(function*() {
      const request = yield* signAndSend({ profile: "jellyfin-12", clientInfo })
      assert.strictEqual(
        request.headers.authorization,
        "MediaBrowser Client=\"My%20App\", Version=\"1.2.3\", DeviceId=\"dev-42\", Device=\"Living%20room\""
      )
    }))

  it.effect("the jellyfin-sdk style is byte-identical to @jellyfin/sdk's header", () =>
    Effect.gen(function*() {
      const info = { client: "Jellyfin Web+ (β)", version: "10.11.0", device: "Firefox, \"Nightly\"", deviceId: "id=1" }
      const request = yield* signAndSend({ profile: "jellyfin-10.11", clientInfo: info, token, style: "jellyfin-sdk" })
      assert.strictEqual(
        request.headers.authorization,
        getAuthorizationHeader(
          { name: info.client, version: info.version },
          { name: info.device, id: info.deviceId },
          Redacted.value(token)
        )
      )
    }))

  it.effect("refuses transports the server would ignore", () =>
    Effect.gen(function*() {
      const embyApiKey = yield* Effect.flip(RequestSigning.make({ profile: "emby", clientInfo, token, transport: "ApiKey" }))
      assert.strictEqual(embyApiKey.reason, "TransportNotRead")
      assert.include(embyApiKey.message, "does not read ApiKey")
      const legacyOff = yield* Effect.flip(RequestSigning.make({ profile: "jellyfin-12", clientInfo, token, transport: "X-Emby-Token" }))
      assert.strictEqual(legacyOff.reason, "TransportNotRead")
      assert.include(legacyOff.message, "EnableLegacyAuthorization is off")
      const header = yield* Effect.flip(
        RequestSigning.make({ profile: "jellyfin-10.11", clientInfo, token, legacy: false, schemeHeader: "X-Emby-Authorization" })
      )
      assert.strictEqual(header.reason, "TransportNotRead")
      const twoHeaders = yield* Effect.flip(
        RequestSigning.make({ profile: "jellyfin-10.11", clientInfo, token, transport: "Authorization", schemeHeader: "X-Emby-Authorization" })
      )
      assert.strictEqual(twoHeaders.reason, "InvalidOptions")
    }))

  it.effect("a value without a UTF-8 encoding is a typed error naming the parameter", () =>
    Effect.gen(function*() {
      const bareHeader = yield* Effect.flip(
        RequestSigning.make({ profile: "jellyfin-10.11", clientInfo, token: Redacted.make("a\r\nb"), transport: "X-Emby-Token" })
      )
      assert.strictEqual(bareHeader.reason, "UnencodableValue")
      const error = yield* Effect.flip(RequestSigning.make({ profile: "jellyfin-12", clientInfo: { ...clientInfo, device: "bad \ud800" } }))
      assert.strictEqual(error.reason, "UnencodableValue")
      assert.include(error.message, "Device")
    }))

  it.effect("webSocketUrl puts the token in the query the server reads, replacing any other", () =>
    Effect.gen(function*() {
      const jellyfin = yield* RequestSigning.make({ profile: "jellyfin-12", clientInfo, token })
      const url = yield* jellyfin.webSocketUrl("ws://server.test/socket?api_key=old&deviceId=dev-42")
      assert.strictEqual(Redacted.value(url), `ws://server.test/socket?deviceId=dev-42&ApiKey=${Redacted.value(token)}`)
      assert.notInclude(String(url), Redacted.value(token))
      const invalid = yield* Effect.flip(jellyfin.webSocketUrl("/socket"))
      assert.strictEqual(invalid.reason, "InvalidUrl")
      const emby = yield* RequestSigning.make({ profile: "emby", clientInfo, token })
      assert.strictEqual(
        Redacted.value(yield* emby.webSocketUrl("ws://server.test/embywebsocket")),
        `ws://server.test/embywebsocket?api_key=${Redacted.value(token)}`
      )
    }))

  it.effect("layer replaces the HttpClient with a signed one and registers the redacted header names", () =>
    Effect.gen(function*() {
      const { client, sent } = yield* recording
      const names = yield* FiberRef.get(Headers.currentRedactedNames)
      yield* Effect.gen(function*() {
        const inner = yield* FiberRef.get(Headers.currentRedactedNames)
        assert.includeMembers([...inner], ["x-emby-authorization", "x-emby-token", "x-mediabrowser-token", "x-connect-usertoken"])
        yield* (yield* HttpClient.HttpClient).get("http://server.test/System/Info")
      }).pipe(
        Effect.provide(RequestSigning.layer({ profile: "emby", clientInfo, token }).pipe(
          Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
        ))
      )
      assert.notInclude([...names], "x-emby-token")
      const [one] = yield* sent
      assert.isDefined(one?.headers["x-emby-authorization"])
    }))

  it.effect("errors from reading a signed response's body carry the scrubbed request (found by the hygiene harness)", () =>
    Effect.gen(function*() {
      // The platform's response wrapper builds body errors from the original request: token and all.
      const broken = HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{not json"))))
      for (const transport of [undefined, "ApiKey", "X-Emby-Token"] as const) {
        const signed = yield* RequestSigning.signClient(broken, {
          profile: "jellyfin-10.11",
          clientInfo,
          token,
          ...(transport === undefined ? {} : { transport })
        })
        const response = yield* signed.get("http://server.test/Users/Me")
        for (const body of [response.json, Effect.flatMap(response.text, () => response.json)]) {
          const error = yield* Effect.flip(body)
          assert.strictEqual(error._tag, "ResponseError")
          for (const text of [JSON.stringify(error), String(error), JSON.stringify(error.response)]) {
            assert.notInclude(text, Redacted.value(token), `${transport ?? "Authorization"}`)
          }
        }
      }
    }))
})

const TestLayer = layerServing(matrixRouter).pipe(Layer.provide(Tokens))

layer(TestLayer, { excludeTestServices: true })("RequestSigning against the ServerAuthentication middleware", (it) => {
  const get = (path: string, options: RequestSigning.Options) =>
    Effect.gen(function*() {
      const client = yield* RequestSigning.signClient(yield* HttpClient.HttpClient, options)
      const response = yield* client.get(`${yield* baseUrl}/${path}/auth`)
      return { status: response.status, challenge: response.headers["www-authenticate"], body: yield* response.text }
    })

  it.effect("a request signed the default way authenticates on every server", () =>
    Effect.forEach(configs, (config) =>
      Effect.gen(function*() {
        const result = yield* get(config.path, {
          profile: config.profile,
          legacy: config.legacy,
          clientInfo,
          token: Redacted.make(tokenFor("Authorization"))
        })
        assert.strictEqual(result.status, 200, config.path)
        const answer = JSON.parse(result.body) as Answer
        // Emby's default header is X-Emby-Authorization; the token owner tells which token was read.
        assert.strictEqual(answer.transport, config.profile === "emby" ? "X-Emby-Authorization" : "Authorization")
        assert.deepStrictEqual(answer.clientInfo, { ...clientInfo })
      })))

  it.effect("a request signed with separate X-Emby-* headers authenticates on Emby, with the client info read from them", () =>
    Effect.forEach(configs.filter((c) => c.profile === "emby"), (config) =>
      Effect.gen(function*() {
        const result = yield* get(config.path, {
          profile: config.profile,
          clientInfo,
          token: Redacted.make(tokenFor("X-Emby-Token")),
          clientInfoIn: "separate-headers"
        })
        assert.strictEqual(result.status, 200, config.path)
        const answer = JSON.parse(result.body) as Answer
        assert.strictEqual(answer.transport, "X-Emby-Token")
        assert.deepStrictEqual(answer.clientInfo, { ...clientInfo })
      })))

  it.effect("a request signed with the ApiKey query authenticates on every Jellyfin", () =>
    Effect.forEach(configs.filter((c) => c.profile !== "emby"), (config) =>
      Effect.gen(function*() {
        const result = yield* get(config.path, {
          profile: config.profile,
          legacy: config.legacy,
          clientInfo,
          token: Redacted.make(tokenFor("ApiKey")),
          transport: "ApiKey"
        })
        assert.strictEqual(result.status, 200, config.path)
        assert.strictEqual((JSON.parse(result.body) as Answer).userId, "ApiKey")
      })))

  it.effect("with legacy off, a request signed the legacy way fails as on Jellyfin 12 (401, challenge)", () =>
    Effect.forEach(
      [
        { transport: "X-Emby-Token", schemeHeader: "Authorization" },
        { transport: "X-MediaBrowser-Token", schemeHeader: "Authorization" },
        { transport: "api_key", schemeHeader: "Authorization" },
        { transport: "X-Emby-Authorization", schemeHeader: "X-Emby-Authorization" }
      ] as const,
      ({ schemeHeader, transport }) =>
        Effect.gen(function*() {
          // The client believes legacy is on; the server has it off (the Jellyfin 12 default).
          const options = { profile: "jellyfin-12", legacy: true, clientInfo, token: Redacted.make(tokenFor(transport)), transport, schemeHeader } as const
          const off = yield* get("jellyfin-12", options)
          assert.strictEqual(off.status, 401, transport)
          assert.strictEqual(off.challenge, "MediaBrowser")
          const on = yield* get("jellyfin-12-on", options)
          assert.strictEqual(on.status, 200, transport)
        })
    ))
})
