// The vectors are computed by the generator (the runtime on the spec's tables). Here every vector
// is replayed against the generated module, so the two can never drift apart, and the real spec's
// vectors are checked against what does not share the runtime's code: the slow port of the
// server's GetParts (./utils/reference.ts) and header strings published by real clients.
import { assert, describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import * as Acme from "./__goldens__/acme/AcmeAuth.js"
import * as MediaBrowser from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import { referenceRead } from "./utils/reference.js"

interface Vectors {
  readonly parse: ReadonlyArray<{ input: string; options: { mode: "strict" | "compat"; legacy?: boolean }; result: unknown }>
  readonly format: ReadonlyArray<{ params: Record<string, string>; options: { style: string }; result: unknown }>
  readonly validate: ReadonlyArray<{ params: Record<string, string>; operation: string; issues: unknown }>
  readonly extract: ReadonlyArray<{ request: MediaBrowser.RequestLike; options: { profile: string; legacy?: boolean }; result: unknown }>
}

const modules = [
  { name: "mediabrowser", file: "MediaBrowserAuthorization", module: MediaBrowser },
  { name: "acme", file: "AcmeAuth", module: Acme }
] as const

for (const { file, module: m, name } of modules) {
  const mod = m as unknown as typeof MediaBrowser
  const vectors = JSON.parse(readFileSync(new URL(`./__goldens__/${name}/${file}.vectors.json`, import.meta.url), "utf8")) as Vectors

  describe(`${name} vectors`, () => {
    it("cover every part of the API", () => {
      expect(vectors.parse.length).toBeGreaterThan(40)
      expect(vectors.format.length).toBeGreaterThan(5)
      expect(vectors.validate.length).toBeGreaterThan(5)
      expect(vectors.extract.length).toBeGreaterThan(20)
    })

    it("parse", () => {
      for (const v of vectors.parse) {
        const r = mod.parse(v.input, v.options)
        const actual = r._tag === "Ok"
          ? { ok: { scheme: r.value.scheme, dictionary: [...r.value.dictionary], params: r.value.params } }
          : { error: { code: r.error.code, offset: r.error.offset } }
        expect(actual, v.input).toEqual(v.result)
      }
    })

    it("format", () => {
      for (const v of vectors.format) {
        const r = mod.format(v.params, v.options as MediaBrowser.FormatOptions)
        expect(r._tag === "Ok" ? { ok: r.value } : { error: { code: r.error.code, parameter: r.error.parameter } }).toEqual(v.result)
      }
    })

    it("validate", () => {
      for (const v of vectors.validate) {
        const issues = mod.validate(v.params, v.operation as MediaBrowser.Operation)
        expect(issues.map((i) => (i.parameter === undefined ? { code: i.code } : { code: i.code, parameter: i.parameter }))).toEqual(v.issues)
      }
    })

    it("extract", () => {
      for (const v of vectors.extract) {
        const x = mod.extract(v.request, v.options as MediaBrowser.ExtractOptions)
        expect({
          token: x.token ?? null,
          hasToken: x.hasToken,
          authorization: x.authorization === undefined ? null : {
            transport: x.authorization.transport,
            scheme: x.authorization.header.scheme,
            dictionary: [...x.authorization.header.dictionary]
          },
          candidates: x.candidates,
          warnings: x.warnings.map((w) => (w.transport === undefined ? { code: w.code } : { code: w.code, transport: w.transport })),
          parameters: x.parameters,
          parameterValues: x.parameterValues
        }).toEqual(v.result)
      }
    })
  })
}

describe("mediabrowser vectors, against independent sources", () => {
  const vectors = JSON.parse(
    readFileSync(new URL("./__goldens__/mediabrowser/MediaBrowserAuthorization.vectors.json", import.meta.url), "utf8")
  ) as Vectors
  type ParseResult = { ok: { dictionary: Array<[string, string]>; params: Record<string, string> } } | { error: unknown }
  const known = new Set<string>(MediaBrowser.PARAMETERS.map((p) => p.name))

  it("compat parse: the dictionary is the reference GetParts's, and only the server's no-dictionary cases fail", () => {
    const compat = vectors.parse.filter((v) => v.options.mode === "compat")
    expect(compat.length).toBeGreaterThan(40)
    for (const v of compat) {
      const reference = referenceRead(v.input, v.options.legacy ?? true)
      const result = v.result as ParseResult
      if (reference === undefined) {
        expect("error" in result, v.input).toBe(true)
        continue
      }
      assert("ok" in result, v.input)
      expect(result.ok.dictionary, v.input).toEqual([...reference])
      expect(result.ok.params, v.input).toEqual(Object.fromEntries([...reference].filter(([k]) => known.has(k))))
    }
  })

  it("strict parse: what it accepts, the server reads the same way", () => {
    for (const v of vectors.parse.filter((v) => v.options.mode === "strict")) {
      const result = v.result as ParseResult
      if ("ok" in result) expect(result.ok.dictionary, v.input).toEqual([...referenceRead(v.input, v.options.legacy ?? true)!])
    }
  })

  it("format: the reference reads back every value written", () => {
    for (const v of vectors.format) {
      const result = v.result as { ok: string } | { error: unknown }
      if (!("ok" in result)) continue
      const read = referenceRead(result.ok, true)
      const style = MediaBrowser.FORMAT_STYLES.find((s) => s.name === v.options.style)!
      for (const name of style.order) {
        const expected = v.params[name] ?? (style.absent === "empty" ? "" : undefined)
        expect(read?.get(name), `${result.ok} ${name}`).toBe(expected)
      }
    }
  })

  // Header strings real clients send, with what those clients meant: Jellyfin Web 12 through the
  // TypeScript SDK (r0bc94/JellyfinDownloader#47), the Kotlin SDK's shape (jellyfin-androidtv
  // AppModule.kt), jellyfin-kodi's http.py, Swiftfin, and Emby's User-Authentication page.
  const published: ReadonlyArray<readonly [string, Record<string, string>]> = [
    [
      "MediaBrowser Client=\"Jellyfin%20Web\", Device=\"Firefox\", DeviceId=\"id\", Version=\"12.0.0\", Token=\"TOKEN\"",
      { Client: "Jellyfin Web", Device: "Firefox", DeviceId: "id", Version: "12.0.0", Token: "TOKEN" }
    ],
    [
      "MediaBrowser Client=\"Android+TV\", Version=\"0.18.0\", DeviceId=\"abc\", Device=\"Living+room\", Token=\"t0k3n\"",
      { Client: "Android TV", Version: "0.18.0", DeviceId: "abc", Device: "Living room", Token: "t0k3n" }
    ],
    [
      "MediaBrowser Client=Kodi, Device=My%20Kodi, DeviceId=0b0e2a6c, Version=1.0.0, UserId=42, Token=t0k3n",
      { Client: "Kodi", Device: "My Kodi", DeviceId: "0b0e2a6c", Version: "1.0.0", UserId: "42", Token: "t0k3n" }
    ],
    [
      "MediaBrowser DeviceId=iOS_123, Device=iPhone, Client=Swiftfin iOS, Version=1.0, Token=t0k3n",
      { DeviceId: "iOS_123", Device: "iPhone", Client: "Swiftfin iOS", Version: "1.0", Token: "t0k3n" }
    ],
    [
      "Emby UserId=\"e8837bc1\", Client=\"Android\", Device=\"Samsung Galaxy SIII\", DeviceId=\"xxx\", Version=\"1.0.0.0\"",
      { UserId: "e8837bc1", Client: "Android", Device: "Samsung Galaxy SIII", DeviceId: "xxx", Version: "1.0.0.0" }
    ]
  ]

  it("the published client headers are in the vectors with the values those clients meant", () => {
    for (const [header, params] of published) {
      const vector = vectors.parse.find((v) => v.input === header && v.options.mode === "compat" && v.options.legacy === undefined)
      expect(vector, header).toBeDefined()
      expect((vector!.result as { ok: { params: unknown } }).ok.params, header).toEqual(params)
    }
  })

  // Emby's JavaScript client (MediaBrowser/Emby.ApiClient.Javascript, apiclient.js,
  // setAuthorizationInfoIntoRequest, commit fdd0939ac596) on servers 4.4.0.21+: the client fields as
  // separate X-Emby-* values, as headers (only the device name percent-encoded) or as query
  // parameters (URL-encoded by paramsToString, so the server's query parser decodes them).
  const meant = { Client: "Emby Web", Device: "Firefox on Linux", DeviceId: "4f6d2a", Version: "4.9.0.33" }
  const embyClient = [
    {
      headers: {
        "X-Emby-Client": "Emby Web",
        "X-Emby-Device-Name": encodeURIComponent("Firefox on Linux"),
        "X-Emby-Device-Id": "4f6d2a",
        "X-Emby-Client-Version": "4.9.0.33",
        "X-Emby-Token": "t0k3n"
      }
    },
    {
      headers: { "X-Emby-Token": "t0k3n" },
      query: Object.fromEntries(
        new URLSearchParams(
          "X-Emby-Client=Emby%20Web&X-Emby-Device-Name=Firefox%20on%20Linux&X-Emby-Device-Id=4f6d2a&X-Emby-Client-Version=4.9.0.33"
        )
      )
    }
  ] as const

  it("Emby's JavaScript client's separate values give the emby profile the client fields it meant, and Jellyfin none", () => {
    for (const request of embyClient) {
      const emby = MediaBrowser.extract(request, { profile: "emby" })
      expect(emby.parameters).toEqual(meant)
      expect(emby.token).toEqual({ value: "t0k3n", transport: "X-Emby-Token" })
      expect(emby.warnings).toEqual([])
      const jellyfin = MediaBrowser.extract(request, { profile: "jellyfin-10.11" })
      expect(jellyfin.parameters).toEqual({})
      expect(jellyfin.parameterValues.every((v) => v.ignored === "NotReadByProfile")).toBe(true)
      expect(jellyfin.warnings.map((w) => w.code)).toContain("SeparateValuesNotRead")
    }
  })
})
