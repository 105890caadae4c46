import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { inspect } from "node:util"
import * as Credentials from "../src/Credentials.js"

const auth = (token: string) => `MediaBrowser Token="${token}", Client="app", Version="1", DeviceId="d1", Device="pc"`

describe("Credentials", () => {
  it.effect("extracts the token (Redacted), its transport and the client info", () =>
    Effect.gen(function*() {
      const credentials = yield* Credentials.extract({ headers: { Authorization: auth("t1") } }, { profile: "jellyfin-12" })
      assert.strictEqual(Redacted.value(credentials.token), "t1")
      assert.strictEqual(String(credentials.token), "<redacted>")
      assert.strictEqual(credentials.transport, "Authorization")
      assert.strictEqual(credentials.schemeHeader, "Authorization")
      assert.deepStrictEqual(credentials.clientInfo, { client: "app", version: "1", device: "pc", deviceId: "d1" })
      assert.deepStrictEqual(credentials.warnings, [])
    }))

  it.effect("works on an HttpServerRequest: case-insensitive names, repeated query values joined", () =>
    Effect.gen(function*() {
      const request = HttpServerRequest.fromWeb(
        new Request("http://server.test/Items?apikey=k1&Fields=x", { headers: { "X-Emby-Token": "e1" } })
      )
      const on = yield* Credentials.extract(request, { profile: "jellyfin-10.11" })
      assert.strictEqual(on.transport, "X-Emby-Token")
      const off = yield* Credentials.extract(request, { profile: "jellyfin-10.11", legacy: false })
      assert.strictEqual(off.transport, "ApiKey")
      assert.strictEqual(Redacted.value(off.token), "k1")
      const repeated = HttpServerRequest.fromWeb(new Request("http://server.test/?ApiKey=a&ApiKey=b"))
      const joined = yield* Credentials.extract(repeated, { profile: "jellyfin-12" })
      assert.strictEqual(Redacted.value(joined.token), "a,b")
      assert.include(joined.warnings.map((w) => w.code), "RepeatedValues")
    }))

  it.effect("fromRequest reads the request from the context", () =>
    Effect.gen(function*() {
      const credentials = yield* Credentials.fromRequest({ profile: "emby" }).pipe(
        Effect.provideService(
          HttpServerRequest.HttpServerRequest,
          HttpServerRequest.fromWeb(new Request("http://server.test/?api_key=k", { headers: { "X-Emby-Authorization": auth("") } }))
        )
      )
      assert.strictEqual(credentials.transport, "api_key")
      assert.strictEqual(credentials.schemeHeader, "X-Emby-Authorization")
      assert.strictEqual(credentials.clientInfo.client, "app")
    }))

  it.effect("Emby takes its token from an X-Emby-Token query parameter, after api_key; Jellyfin never does", () =>
    Effect.gen(function*() {
      const query = { "x-emby-token": "q1" }
      const emby = yield* Credentials.extract({ headers: {}, query }, { profile: "emby" })
      assert.strictEqual(emby.transport, "X-Emby-Token (query)")
      assert.strictEqual(Redacted.value(emby.token), "q1")
      const both = yield* Credentials.extract({ headers: {}, query: { ...query, api_key: "a1" } }, { profile: "emby" })
      assert.strictEqual(both.transport, "api_key")
      for (const profile of ["jellyfin-10.10", "jellyfin-10.11", "jellyfin-12"] as const) {
        const error = yield* Effect.flip(Credentials.extract({ headers: {}, query }, { profile }))
        assert.strictEqual(error._tag, "NoCredentials", profile)
      }
    }))

  it.effect("NoCredentials carries the client info (for anonymous endpoints such as sign-in)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Credentials.extract({ headers: { authorization: auth("") } }, { profile: "jellyfin-12" }))
      assert.strictEqual(error._tag, "NoCredentials")
      assert.deepStrictEqual(error.clientInfo, { client: "app", version: "1", device: "pc", deviceId: "d1" })
      assert.strictEqual(error.legacy, false)
    }))

  it.effect("WhitespaceToken: the token blocks the fallback yet the request is anonymous", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Credentials.extract({ headers: { authorization: auth(" ") }, query: { ApiKey: "k" } }, { profile: "jellyfin-10.11" })
      )
      assert.strictEqual(error._tag, "WhitespaceToken")
      if (error._tag === "WhitespaceToken") assert.strictEqual(error.transport, "Authorization")
    }))

  it.effect("LegacyTransportDisabled names the ignored transports; the same request reads fine with legacy on", () =>
    Effect.gen(function*() {
      const request = { headers: { "x-emby-token": "e", "x-mediabrowser-token": "m" }, query: { api_key: "l" } }
      const error = yield* Effect.flip(Credentials.extract(request, { profile: "jellyfin-12" }))
      assert.strictEqual(error._tag, "LegacyTransportDisabled")
      if (error._tag === "LegacyTransportDisabled") {
        assert.deepStrictEqual(error.transports, ["X-Emby-Token", "X-MediaBrowser-Token", "api_key"])
        assert.include(error.message, "EnableLegacyAuthorization is off")
      }
      const on = yield* Credentials.extract(request, { profile: "jellyfin-12", legacy: true })
      assert.strictEqual(on.transport, "X-Emby-Token")
      const emby = yield* Effect.flip(Credentials.extract({ headers: { authorization: `Emby Token="x"` } }, { profile: "jellyfin-12" }))
      assert.strictEqual(emby._tag, "LegacyTransportDisabled")
    }))

  it.effect("AmbiguousCredentials only when asked, and only for different values", () =>
    Effect.gen(function*() {
      const request = { headers: { authorization: auth("a") }, query: { ApiKey: "b" } }
      const first = yield* Credentials.extract(request, { profile: "jellyfin-12" })
      assert.strictEqual(first.transport, "Authorization")
      assert.include(first.warnings.map((w) => w.code), "MultipleTokens")
      const error = yield* Effect.flip(Credentials.extract(request, { profile: "jellyfin-12", ambiguous: "fail" }))
      assert.strictEqual(error._tag, "AmbiguousCredentials")
      if (error._tag === "AmbiguousCredentials") {
        assert.strictEqual(error.transport, "Authorization")
        assert.deepStrictEqual(error.others, ["ApiKey"])
      }
      const same = yield* Credentials.extract(
        { headers: { authorization: auth("a"), "x-emby-token": "a" } },
        { profile: "jellyfin-10.11", ambiguous: "fail" }
      )
      assert.strictEqual(same.transport, "Authorization")
    }))

  it("inspect shows every candidate, redacted, with why it was not used", () => {
    const inspection = Credentials.inspect(
      { headers: { authorization: auth("a"), "x-emby-token": "e" }, query: { ApiKey: "k" } },
      { profile: "jellyfin-12" }
    )
    assert.strictEqual(inspection.legacy, false)
    assert.isTrue(inspection.hasToken)
    assert.strictEqual(inspection.authorization?.header, "Authorization")
    assert.deepStrictEqual(
      inspection.candidates.map((c) => [c.transport, Redacted.value(c.value), c.ignored]),
      [["Authorization", "a", undefined], ["X-Emby-Token", "e", "LegacyDisabled"], ["ApiKey", "k", "Shadowed"]]
    )
    assert.notInclude(JSON.stringify(inspection), "\"e\"")
  })

  it("inspect renders no secret", () => {
    const inspection = Credentials.inspect(
      { headers: { authorization: auth("s3cr3t") + ", token=\"lower\"" }, query: { ApiKey: "k9" } },
      { profile: "jellyfin-12" }
    )
    const token = inspection.token!
    assert.strictEqual(Redacted.value(token.value), "s3cr3t")
    assert.strictEqual(Redacted.value(inspection.authorization!.parsed.params.Token!), "s3cr3t")
    assert.strictEqual(Redacted.value(inspection.authorization!.parsed.dictionary.get("token")!), "lower")
    assert.strictEqual(Redacted.value(inspection.candidates[1]!.value), "k9")
    assert.strictEqual(inspection.candidates[1]!.ignored, "Shadowed")
    assert.isFalse("ignored" in inspection.candidates[0]!)
    assert.deepStrictEqual(inspection.authorization?.parsed.params.Client, "app")
    for (const rendering of [JSON.stringify(inspection), inspect(inspection, { depth: Infinity, showHidden: true })]) {
      for (const secret of ["s3cr3t", "lower", "k9"]) assert.notInclude(rendering, secret)
      assert.include(rendering, "<redacted>")
      assert.include(rendering, "Shadowed")
    }
    assert.include(JSON.stringify(inspection.candidates), "\"transport\":\"ApiKey\"")
  })

  it("an inspection is plain data: spreading, structuredClone and toEqual see every field", () => {
    const request = { headers: { authorization: auth("s3cr3t"), "x-emby-token": "e" }, query: { ApiKey: "k9" } }
    const options = { profile: "jellyfin-10.11" } as const
    const inspection = Credentials.inspect(request, options)
    const fields = ["profile", "legacy", "token", "hasToken", "clientInfo", "clientValues", "authorization", "candidates", "warnings"]
    assert.sameMembers(Object.keys(inspection), fields)
    assert.sameMembers(Object.keys({ ...inspection }), fields)
    assert.sameMembers(Object.keys(structuredClone(inspection)), fields)
    const clone = structuredClone(inspection)
    assert.deepStrictEqual(clone.clientInfo, { client: "app", version: "1", device: "pc", deviceId: "d1" })
    assert.deepStrictEqual(clone.candidates.map((c) => [c.transport, c.ignored]), [
      ["Authorization", undefined],
      ["X-Emby-Token", "Shadowed"],
      ["ApiKey", "Shadowed"]
    ])
    assert.strictEqual(clone.authorization?.parsed.scheme, "MediaBrowser")
    // Two inspections of one request are equal; a request with another shadowed value is not.
    expect(Credentials.inspect(request, options)).toEqual(inspection)
    expect({ ...inspection }).toEqual(inspection)
    const other = Credentials.inspect({ ...request, headers: { authorization: request.headers.authorization } }, options)
    expect(other).not.toEqual(inspection)
    assert.isTrue(inspection.legacy)
    assert.strictEqual(inspection.token?.transport, "Authorization")
  })

  it("Emby's separate X-Emby-* values: emby fills in what its scheme header lacks and says where each value came from; Jellyfin reads none", () => {
    const request = {
      headers: {
        "x-emby-authorization": "MediaBrowser Token=\"t1\", Client=\"from-scheme\"",
        "X-Emby-Client": "Emby Web",
        "X-Emby-Device-Name": "Firefox%20on%20Linux",
        "x-emby-device-id": "d9"
      },
      query: { "X-Emby-Client-Version": "4.9.0.33" }
    }
    const emby = Credentials.inspect(request, { profile: "emby" })
    assert.deepStrictEqual(emby.clientInfo, { client: "from-scheme", version: "4.9.0.33", deviceId: "d9", device: "Firefox on Linux" })
    assert.deepStrictEqual(emby.clientValues.map((v) => [v.parameter, v.value, v.via, v.name, v.ignored]), [
      ["Client", "from-scheme", "scheme", "X-Emby-Authorization", undefined],
      ["Client", "Emby Web", "header", "X-Emby-Client", "Shadowed"],
      ["Version", "4.9.0.33", "query", "X-Emby-Client-Version", undefined],
      ["DeviceId", "d9", "header", "X-Emby-Device-Id", undefined],
      ["Device", "Firefox on Linux", "header", "X-Emby-Device-Name", undefined]
    ])
    assert.deepStrictEqual(emby.warnings.map((w) => w.code), ["ConflictingValues"])

    const jellyfin = Credentials.inspect(request, { profile: "jellyfin-10.10" })
    assert.deepStrictEqual(jellyfin.clientInfo, { client: "from-scheme" })
    assert.isTrue(jellyfin.clientValues.filter((v) => v.via !== "scheme").every((v) => v.ignored === "NotReadByProfile"))
    assert.include(jellyfin.warnings.map((w) => w.code), "SeparateValuesNotRead")
  })

  it.effect("extract: the credentials of a request signed the way Emby's JavaScript client signs carry its client info", () =>
    Effect.gen(function*() {
      const credentials = yield* Credentials.extract({
        headers: { "X-Emby-Token": "t1", "X-Emby-Client": "Emby Web", "X-Emby-Device-Id": "d9" },
        query: { "X-Emby-Device-Name": "Firefox", "X-Emby-Client-Version": "4.9.0.33" }
      }, { profile: "emby" })
      assert.strictEqual(credentials.transport, "X-Emby-Token")
      assert.strictEqual(credentials.schemeHeader, undefined)
      assert.deepStrictEqual(credentials.clientInfo, { client: "Emby Web", version: "4.9.0.33", deviceId: "d9", device: "Firefox" })
    }))

  it("the legacy switch: profile defaults, and profiles without a switch", () => {
    assert.strictEqual(Credentials.inspect({ headers: {} }, { profile: "jellyfin-10.11" }).legacy, true)
    assert.strictEqual(Credentials.inspect({ headers: {} }, { profile: "jellyfin-12" }).legacy, false)
    const old = Credentials.inspect({ headers: {} }, { profile: "jellyfin-10.10", legacy: false })
    assert.strictEqual(old.legacy, true)
    assert.include(old.warnings.map((w) => w.code), "NoLegacySwitch")
    assert.deepStrictEqual(Credentials.inspect({ headers: {} }, { profile: "jellyfin-10.10" }).warnings, [])
  })

})
