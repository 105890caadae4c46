/**
 * The middleware over a real server on 127.0.0.1, asserted against cases written from the rules in
 * docs/server-facts.md, "Jellyfin: which header, which token" (which header is parsed, which token
 * is chosen, the legacy switch), and Emby's order.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type Answer, baseUrl, type ConfigPath, configs, layerServing, matrixRouter, tokenFor, Tokens } from "./utils/server.js"

const TestLayer = layerServing(matrixRouter).pipe(Layer.provide(Tokens))

type Expected = Readonly<Record<ConfigPath, string | null>>

/** The same expectation on every server. */
const all = (transport: string | null): Expected => ({
  "jellyfin-10.10": transport,
  "jellyfin-10.11": transport,
  "jellyfin-10.11-off": transport,
  "jellyfin-12": transport,
  "jellyfin-12-on": transport,
  emby: transport
})

/** Read only where the legacy methods are: everywhere but Jellyfin with EnableLegacyAuthorization off. */
const legacyOnly = (transport: string): Expected => ({
  ...all(transport),
  "jellyfin-10.11-off": null,
  "jellyfin-12": null
})

const header = (token: string | undefined, client: string, scheme = "MediaBrowser") =>
  `${scheme} ${token === undefined ? "" : `Token="${token}", `}Client="${client}", Version="1.0", DeviceId="dev-1", Device="Firefox"`

const A = header(tokenFor("Authorization"), "via-authorization")
const XE = header(tokenFor("X-Emby-Authorization"), "via-x-emby-authorization")

interface Case {
  readonly name: string
  readonly headers?: Readonly<Record<string, string>>
  readonly query?: string
  readonly expect: Expected
  /** The Client the server read, per server (only checked where given). */
  readonly client?: Partial<Record<ConfigPath, string>>
}

const cases: ReadonlyArray<Case> = [
  // §1: which scheme header is parsed
  { name: "Authorization alone", headers: { Authorization: A }, expect: all("Authorization") },
  {
    name: "X-Emby-Authorization alone (legacy fallback)",
    headers: { "X-Emby-Authorization": XE },
    expect: legacyOnly("X-Emby-Authorization"),
    client: { "jellyfin-10.11": "via-x-emby-authorization", emby: "via-x-emby-authorization" }
  },
  {
    name: "both scheme headers: 10.10 and Emby read X-Emby-Authorization first, 10.11+ Authorization",
    headers: { Authorization: A, "X-Emby-Authorization": XE },
    expect: {
      ...all("Authorization"),
      "jellyfin-10.10": "X-Emby-Authorization",
      emby: "X-Emby-Authorization"
    },
    client: {
      "jellyfin-10.10": "via-x-emby-authorization",
      "jellyfin-10.11": "via-authorization",
      "jellyfin-12": "via-authorization",
      emby: "via-x-emby-authorization"
    }
  },
  {
    name: "a proxy's Basic credential in Authorization hides X-Emby-Authorization (10.11+)",
    headers: { Authorization: "Basic dXNlcjpwYXNz", "X-Emby-Authorization": XE },
    expect: { ...all(null), "jellyfin-10.10": "X-Emby-Authorization", emby: "X-Emby-Authorization" }
  },
  {
    name: "a MediaBrowser Authorization without Token hides X-Emby-Authorization's token (10.11+)",
    headers: { Authorization: header(undefined, "no-token"), "X-Emby-Authorization": XE },
    expect: { ...all(null), "jellyfin-10.10": "X-Emby-Authorization", emby: "X-Emby-Authorization" }
  },
  {
    name: "an empty Authorization falls back to X-Emby-Authorization while legacy is on",
    headers: { Authorization: "", "X-Emby-Authorization": XE },
    expect: legacyOnly("X-Emby-Authorization")
  },
  // §2: the scheme
  {
    name: "the scheme is matched ignoring case",
    headers: { Authorization: `mEdIaBrOwSeR Token="${tokenFor("Authorization")}"` },
    expect: all("Authorization")
  },
  {
    name: "the Emby scheme only while legacy is on",
    headers: { Authorization: header(tokenFor("Authorization"), "emby-scheme", "Emby") },
    expect: legacyOnly("Authorization")
  },
  {
    name: "another scheme gives no credentials (and no 400)",
    headers: { Authorization: `Bearer ${tokenFor("Authorization")}` },
    expect: all(null)
  },
  // §3: parameter parsing quirks
  {
    name: "unquoted values are read",
    headers: { Authorization: `MediaBrowser Token=${tokenFor("Authorization")}, Client=Kodi` },
    expect: all("Authorization"),
    client: { "jellyfin-12": "Kodi" }
  },
  {
    name: "an unquoted = re-keys the value and the Token is lost",
    headers: { Authorization: `MediaBrowser Token=${tokenFor("Authorization")}==` },
    expect: all(null)
  },
  {
    name: "a pending key survives an empty unquoted value",
    headers: { Authorization: `MediaBrowser Token=,${tokenFor("Authorization")}` },
    expect: all("Authorization")
  },
  {
    name: "keys are case-sensitive: token= is not read",
    headers: { Authorization: `MediaBrowser token="${tokenFor("Authorization")}"` },
    expect: all(null)
  },
  // §4: the token order
  { name: "X-Emby-Token alone", headers: { "X-Emby-Token": tokenFor("X-Emby-Token") }, expect: legacyOnly("X-Emby-Token") },
  {
    name: "X-MediaBrowser-Token alone",
    headers: { "X-MediaBrowser-Token": tokenFor("X-MediaBrowser-Token") },
    expect: legacyOnly("X-MediaBrowser-Token")
  },
  {
    name: "the ApiKey query alone (not read by Emby)",
    query: `ApiKey=${tokenFor("ApiKey")}`,
    expect: { ...all("ApiKey"), emby: null }
  },
  { name: "the api_key query alone", query: `api_key=${tokenFor("api_key")}`, expect: legacyOnly("api_key") },
  {
    name: "query names are case-insensitive (apikey)",
    query: `apikey=${tokenFor("ApiKey")}`,
    expect: { ...all("ApiKey"), emby: null }
  },
  { name: "query names are case-insensitive (API_KEY)", query: `API_KEY=${tokenFor("api_key")}`, expect: legacyOnly("api_key") },
  {
    name: "the header Token outranks every other transport",
    headers: {
      Authorization: A,
      "X-Emby-Token": tokenFor("X-Emby-Token"),
      "X-MediaBrowser-Token": tokenFor("X-MediaBrowser-Token")
    },
    query: `ApiKey=${tokenFor("ApiKey")}&api_key=${tokenFor("api_key")}`,
    expect: all("Authorization")
  },
  {
    name: "deprecated X-Emby-Token outranks the ApiKey query while legacy is on",
    headers: { "X-Emby-Token": tokenFor("X-Emby-Token") },
    query: `ApiKey=${tokenFor("ApiKey")}`,
    expect: { ...legacyOnly("X-Emby-Token"), "jellyfin-10.11-off": "ApiKey", "jellyfin-12": "ApiKey" }
  },
  {
    name: "X-Emby-Token before X-MediaBrowser-Token",
    headers: { "X-Emby-Token": tokenFor("X-Emby-Token"), "X-MediaBrowser-Token": tokenFor("X-MediaBrowser-Token") },
    expect: legacyOnly("X-Emby-Token")
  },
  {
    name: "ApiKey before api_key (Emby reads only api_key)",
    query: `ApiKey=${tokenFor("ApiKey")}&api_key=${tokenFor("api_key")}`,
    expect: { ...all("ApiKey"), emby: "api_key" }
  },
  {
    name: "an invalid header token does not fall back to a valid ApiKey",
    headers: { Authorization: header("not-a-known-token", "app") },
    query: `ApiKey=${tokenFor("ApiKey")}&api_key=${tokenFor("api_key")}`,
    expect: all(null)
  },
  {
    name: "an empty Token (the SDK before login) falls through to the ApiKey query",
    headers: { Authorization: header("", "sdk") },
    query: `ApiKey=${tokenFor("ApiKey")}`,
    expect: { ...all("ApiKey"), emby: null },
    client: { "jellyfin-12": "sdk" }
  },
  {
    name: "a whitespace-only Token blocks every fallback and is anonymous",
    headers: { Authorization: header(" ", "app") },
    query: `ApiKey=${tokenFor("ApiKey")}`,
    expect: all(null)
  },
  {
    name: "Token=\"+\" decodes to a space: blocks the fallback, anonymous",
    headers: { Authorization: header("+", "app") },
    query: `ApiKey=${tokenFor("ApiKey")}`,
    expect: all(null)
  },
  {
    name: "repeated ApiKey values are joined with \",\" into one (invalid) token",
    query: `ApiKey=${tokenFor("ApiKey")}&ApiKey=${tokenFor("ApiKey")}`,
    expect: all(null)
  },
  { name: "nothing at all", expect: all(null) }
]

type Outcome = { readonly status: 200; readonly answer: Answer } | { readonly status: 401; readonly challenge: string | undefined }

const send = (config: ConfigPath, headers: Readonly<Record<string, string>>, query?: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const url = `${yield* baseUrl}/${config}/auth${query === undefined ? "" : `?${query}`}`
    const response = yield* client.execute(HttpClientRequest.get(url).pipe(HttpClientRequest.setHeaders(headers)))
    if (response.status === 401) {
      return { status: 401, challenge: response.headers["www-authenticate"] } as Outcome
    }
    assert.strictEqual(response.status, 200)
    return { status: 200, answer: (yield* response.json) as Answer } as Outcome
  })

const check = (outcome: Outcome, expected: string | null, label: string) => {
  if (expected === null) {
    assert.strictEqual(outcome.status, 401, `${label}: expected 401`)
    if (outcome.status === 401) assert.strictEqual(outcome.challenge, "MediaBrowser", `${label}: challenge`)
  } else {
    assert.strictEqual(outcome.status, 200, `${label}: expected ${expected}`)
    if (outcome.status === 200) {
      assert.strictEqual(outcome.answer.transport, expected, `${label}: transport`)
      assert.strictEqual(outcome.answer.userId, expected, `${label}: token owner`)
    }
  }
}

layer(TestLayer, { excludeTestServices: true })("ServerAuthentication.middleware over NodeHttpServer", (it) => {
  describe("cases from the behaviour notes", () => {
    for (const c of cases) {
      it.effect(c.name, () =>
        Effect.forEach(configs, (config) =>
          Effect.gen(function*() {
            const outcome = yield* send(config.path, c.headers ?? {}, c.query)
            check(outcome, c.expect[config.path], `${c.name} @ ${config.path}`)
            const client = c.client?.[config.path]
            if (client !== undefined && outcome.status === 200) {
              assert.strictEqual(outcome.answer.clientInfo.client, client, `${c.name} @ ${config.path}: Client`)
            }
          })))
    }
  })

  it.effect("handlers get the full client info and the same Credentials through both tags", () =>
    Effect.gen(function*() {
      const outcome = yield* send("jellyfin-12", { Authorization: A })
      assert(outcome.status === 200)
      assert.deepStrictEqual(outcome.answer.clientInfo, {
        client: "via-authorization",
        version: "1.0",
        device: "Firefox",
        deviceId: "dev-1"
      })
      assert.strictEqual(outcome.answer.schemeHeader, "Authorization")
      assert.strictEqual((outcome.answer as unknown as { sameCredentials: boolean }).sameCredentials, true)
    }))

  it.effect("an API key authenticates as an ApiKey principal", () =>
    Effect.gen(function*() {
      const outcome = yield* send("jellyfin-12", {}, "ApiKey=api-key-0001")
      assert(outcome.status === 200)
      assert.strictEqual(outcome.answer.userId, "apikey:automation")
    }))

  /**
   * Every combination of the six transports, each carrying its own valid token, on every server,
   * against an oracle written from the notes: the scheme header is the first present in the
   * server's order (a later one is read only while the earlier is absent); the token is the first
   * present in [that header's Token, X-Emby-Token, X-MediaBrowser-Token, ApiKey, api_key], legacy
   * transports skipped while the switch is off, and Emby never reads ApiKey.
   */
  it.effect("every combination of transports", () => {
    const transports = ["Authorization", "X-Emby-Authorization", "X-Emby-Token", "X-MediaBrowser-Token", "ApiKey", "api_key"]
    const legacyOf = (config: (typeof configs)[number]) =>
      config.profile === "jellyfin-10.10" || config.profile === "emby"
        ? true
        : config.legacy ?? config.profile === "jellyfin-10.11"
    const oracle = (config: (typeof configs)[number], present: ReadonlySet<string>): string | null => {
      const legacy = legacyOf(config)
      const readsFirst = config.profile === "jellyfin-10.10" || config.profile === "emby"
      const schemeOrder = readsFirst
        ? ["X-Emby-Authorization", "Authorization"]
        : legacy
        ? ["Authorization", "X-Emby-Authorization"]
        : ["Authorization"]
      const scheme = schemeOrder.find((h) => present.has(h))
      const tokenOrder = [
        ...(scheme === undefined ? [] : [scheme]),
        ...(legacy ? ["X-Emby-Token", "X-MediaBrowser-Token"] : []),
        ...(config.profile === "emby" ? [] : ["ApiKey"]),
        ...(legacy ? ["api_key"] : [])
      ]
      return tokenOrder.find((t) => present.has(t)) ?? null
    }
    const subsets = Array.from({ length: 1 << transports.length }, (_, mask) =>
      new Set(transports.filter((_, i) => (mask & (1 << i)) !== 0)))
    return Effect.forEach(
      subsets.flatMap((present) => configs.map((config) => [present, config] as const)),
      ([present, config]) =>
        Effect.gen(function*() {
          const headers: Record<string, string> = {}
          if (present.has("Authorization")) headers.Authorization = A
          if (present.has("X-Emby-Authorization")) headers["X-Emby-Authorization"] = XE
          for (const h of ["X-Emby-Token", "X-MediaBrowser-Token"]) if (present.has(h)) headers[h] = tokenFor(h)
          const query = ["ApiKey", "api_key"].filter((q) => present.has(q)).map((q) => `${q}=${tokenFor(q)}`).join("&")
          const outcome = yield* send(config.path, headers, query === "" ? undefined : query)
          check(outcome, oracle(config, present), `{${[...present].join(", ")}} @ ${config.path}`)
        }),
      { concurrency: 8, discard: true }
    )
  })
})
