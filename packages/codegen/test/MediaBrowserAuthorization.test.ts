// Behaviour of the module generated from packages/core/spec/mediabrowser.json (this golden copy is
// byte-identical to packages/core/src/generated/MediaBrowserAuthorization.ts; Golden.test.ts
// checks that). The rules are those of core's docs/server-facts.md, "Jellyfin: which header, which token".
import { assert, describe, expect, it } from "@effect/vitest"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"

const dict = (value: string, options?: Auth.ParseOptions): Record<string, string> => {
  const r = Auth.parse(value, options)
  assert.strictEqual(r._tag, "Ok", `expected ${JSON.stringify(value)} to parse`)
  return r._tag === "Ok" ? Object.fromEntries(r.value.dictionary) : {}
}

const parseErr = (value: string, options?: Auth.ParseOptions): Auth.ParseError => {
  const r = Auth.parse(value, options)
  if (r._tag === "Ok") assert.fail(`expected ${JSON.stringify(value)} to fail`)
  return r.error
}

const strict = { mode: "strict" } as const

describe("§2 scheme", () => {
  it("is the text before the first U+0020, compared ignoring ASCII case", () => {
    for (const scheme of ["MediaBrowser", "mediabrowser", "MEDIABROWSER", "mEdIaBrOwSeR"]) {
      expect(dict(`${scheme} Token="a"`)).toEqual({ Token: "a" })
    }
  })

  it("reads no dictionary without a space, with a leading space, or with another separator", () => {
    for (const value of ["MediaBrowser", "", "MediaBrowser,Token=\"a\"", "MediaBrowserToken=a", "MediaBrowser\tToken=\"a\"", " MediaBrowser Token=\"a\""]) {
      expect(parseErr(value).code).toBe("MissingScheme")
    }
  })

  it("rejects other schemes, including near misses", () => {
    for (const value of ["Bearer abc", "Basic dXNlcjpwYXNz", "MediaBrowser: Token=\"a\"", "MediaBrowser, Token=\"a\""]) {
      expect(parseErr(value).code).toBe("UnknownScheme")
    }
  })

  it("never maps non-ASCII letters onto ASCII ones (dotted I, long s, Kelvin sign)", () => {
    for (const scheme of ["MEDİABROWSER", "MediaBrowſer", "\u212Amby"]) {
      expect(parseErr(`${scheme} Token="a"`).code).toBe("UnknownScheme")
    }
  })

  it("accepts Emby only while legacy is on", () => {
    const ok = Auth.parse("emby Token=\"a\"")
    assert(ok._tag === "Ok")
    expect(ok.value.scheme).toBe("Emby")
    expect(parseErr("Emby Token=\"a\"", { legacy: false }).code).toBe("LegacySchemeDisabled")
    expect(dict("MediaBrowser Token=\"a\"", { legacy: false })).toEqual({ Token: "a" })
  })

  it("passes everything after the first space on, extra spaces included", () => {
    expect(dict("MediaBrowser   Token=\"a\"")).toEqual({ Token: "a" })
    expect(dict("MediaBrowser ")).toEqual({})
  })

  it("never quotes the input in error messages", () => {
    const error = parseErr("s3cr3tt0k3n Token=\"s3cr3t\"")
    expect(error.message).not.toContain("s3cr3t")
  })
})

describe("§3 parameters (compat)", () => {
  it("keeps key case: token is not Token, and both can coexist", () => {
    const r = Auth.parse("MediaBrowser token=\"a\", Token=\"b\"")
    assert(r._tag === "Ok")
    expect(r.value.params).toEqual({ Token: "b" })
    expect(r.value.dictionary.get("token")).toBe("a")
    const lower = Auth.parse("MediaBrowser token=\"a\"")
    assert(lower._tag === "Ok")
    expect(lower.value.params.Token).toBeUndefined()
  })

  it("trims keys with .NET char.IsWhiteSpace: U+0085 and U+00A0 go, U+FEFF stays", () => {
    expect(dict("MediaBrowser \u0085Token\u00a0=\"a\"")).toEqual({ Token: "a" })
    expect(dict("MediaBrowser \u2003Client\u3000=\"b\"")).toEqual({ Client: "b" })
    expect(dict("MediaBrowser \ufeffToken=\"a\"")).toEqual({ "\ufeffToken": "a" })
  })

  it("keeps anything in a key, and stores a segment without = under the empty key", () => {
    expect(dict("MediaBrowser \"To ken\"=a, Clé=b")).toEqual({ "\"To ken\"": "a", "Clé": "b" })
    expect(dict("MediaBrowser abc")).toEqual({ "": "abc" })
  })

  it("lets the last duplicate win, even when it is empty", () => {
    expect(dict("MediaBrowser Token=\"a\", Token=\"b\"")).toEqual({ Token: "b" })
    expect(dict("MediaBrowser Token=\"a\", Token=\"\"")).toEqual({ Token: "" })
  })

  it("takes quotes as optional (Jellyfin's own tests send the Token unquoted)", () => {
    expect(dict("MediaBrowser Token=abc, Client=x")).toEqual({ Token: "abc", Client: "x" })
  })

  it("keeps spaces in unquoted values, splits them at a raw comma, re-keys them at a raw =", () => {
    expect(dict("MediaBrowser Client=Swiftfin iOS")).toEqual({ Client: "Swiftfin iOS" })
    expect(dict("MediaBrowser Device=a,b")).toEqual({ Device: "a", "": "b" })
    expect(dict("MediaBrowser Token=YWJj==")).toEqual({})
    expect(dict("MediaBrowser Token=YWJj=")).toEqual({})
    expect(dict("MediaBrowser Token=a=b")).toEqual({ a: "b" })
  })

  it("keeps a space after = and before , inside the value", () => {
    expect(dict("MediaBrowser Token= \"abc\"")).toEqual({ Token: " \"abc" })
    expect(dict("MediaBrowser Token=\"abc\" , Client=\"x\"")).toEqual({ Token: "abc\" ", Client: "x" })
  })

  it("ignores a space before = and after a comma (it belongs to the trimmed key)", () => {
    expect(dict("MediaBrowser Client=\"x\",    Token =\"abc\"")).toEqual({ Client: "x", Token: "abc" })
  })

  it("has no escape character: an odd number of raw quotes swallows the rest, Token included", () => {
    expect(dict("MediaBrowser Device=\"a\\\"b\", Token=\"abc\"")).toEqual({ Device: "a\\\"b\", Token=\"abc" })
    expect(dict("MediaBrowser Device=\"a\"b\"c\", Token=\"abc\"")).toEqual({ Device: "a\"b\"c", Token: "abc" })
  })

  it("strips every leading and trailing quote, and nothing else", () => {
    expect(dict("MediaBrowser Token=\"\"\"abc\"\"\"")).toEqual({ Token: "abc" })
    expect(dict("MediaBrowser Client=\"\"")).toEqual({ Client: "" })
    expect(dict("MediaBrowser Client=\"")).toEqual({ Client: "" })
  })

  it("stores nothing for an empty value, and the pending key survives it", () => {
    expect(dict("MediaBrowser Client=,")).toEqual({})
    expect(dict("MediaBrowser Token=,abc")).toEqual({ Token: "abc" })
    expect(dict("MediaBrowser Token=,,abc")).toEqual({ Token: "abc" })
  })

  it("accepts an unterminated quote", () => {
    expect(dict("MediaBrowser Token=\"abc")).toEqual({ Token: "abc" })
    expect(dict("MediaBrowser Client=\"a, Token=\"b")).toEqual({ Client: "a, Token=\"b" })
  })

  it("URL-decodes like WebUtility.UrlDecode: + is a space, %XY a byte, broken escapes stay", () => {
    expect(dict("MediaBrowser Client=\"Android+TV\"")).toEqual({ Client: "Android TV" })
    expect(dict("MediaBrowser Client=\"%41%62%2c\"")).toEqual({ Client: "Ab," })
    expect(dict("MediaBrowser Client=\"a%4\"")).toEqual({ Client: "a%4" })
    expect(dict("MediaBrowser Client=a%4")).toEqual({ Client: "a%4" })
    expect(dict("MediaBrowser Client=a%")).toEqual({ Client: "a%" })
    expect(dict("MediaBrowser Client=\"%zz%u0041\"")).toEqual({ Client: "%zz%u0041" })
    expect(dict("MediaBrowser Client=\"%00\"")).toEqual({ Client: "\u0000" })
  })

  it("decodes %XY bytes as UTF-8 with replacement, and copies raw non-ASCII through", () => {
    expect(dict("MediaBrowser Device=\"%C3%A9t%C3%A9\"")).toEqual({ Device: "été" })
    expect(dict("MediaBrowser Device=\"%F0%9F%93%BA\"")).toEqual({ Device: "📺" })
    expect(dict("MediaBrowser Device=\"Kodi 📺 é\"")).toEqual({ Device: "Kodi 📺 é" })
    expect(dict("MediaBrowser Device=\"%C3\"")).toEqual({ Device: "\ufffd" })
    expect(dict("MediaBrowser Device=\"%C3é\"")).toEqual({ Device: "\ufffdé" })
    expect(dict("MediaBrowser Device=\"%E2%82A\"")).toEqual({ Device: "\ufffdA" })
  })

  it("replaces invalid UTF-8 exactly like a standard (maximal subpart) decoder", () => {
    const decoder = new TextDecoder("utf-8")
    const cases = [[0xf0, 0x28, 0x8c, 0xbc], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80], [0xff, 0x41], [0xf0, 0x9f, 0x93]]
    for (const bytes of cases) {
      const encoded = bytes.map((b) => "%" + b.toString(16).toUpperCase()).join("")
      expect(dict(`MediaBrowser Device="${encoded}"`).Device).toBe(decoder.decode(new Uint8Array(bytes)))
    }
  })

  it("decodes after stripping quotes, so %22 at the edge survives as a quote", () => {
    expect(dict("MediaBrowser Client=\"%22abc%22\"")).toEqual({ Client: "\"abc\"" })
  })

  it("reads the real-world headers of §9", () => {
    expect(dict("MediaBrowser Client=Kodi, Device=My%20Kodi, DeviceId=0b0e, Version=1.0.0, UserId=42, Token=t")).toEqual({
      Client: "Kodi",
      Device: "My Kodi",
      DeviceId: "0b0e",
      Version: "1.0.0",
      UserId: "42",
      Token: "t"
    })
    expect(dict("MediaBrowser DeviceId=iOS_1, Device=iPhone, Client=Swiftfin iOS, Version=1.0, Token=t")).toEqual({
      DeviceId: "iOS_1",
      Device: "iPhone",
      Client: "Swiftfin iOS",
      Version: "1.0",
      Token: "t"
    })
  })
})

describe("parse results", () => {
  it("are plain data: spreading, structuredClone and toEqual see every field, and the raw header is not kept", () => {
    for (const mode of ["compat", "strict"] as const) {
      const r = Auth.parse("MediaBrowser Token=\"t\", Extra=\"x%20y\"", { mode })
      assert(r._tag === "Ok")
      expect(Object.keys(r.value)).toEqual(["scheme", "params", "dictionary"])
      expect({ ...r.value }).toEqual(r.value)
      expect(structuredClone(r.value)).toEqual(r.value)
      expect(r.value).toEqual({
        scheme: "MediaBrowser",
        params: { Token: "t" },
        dictionary: new Map([["Token", "t"], ["Extra", "x y"]])
      })
    }
  })

  it("give params in declared order whatever the header order", () => {
    const r = Auth.parse("MediaBrowser UserId=u, Device=d, Token=t, Client=c")
    assert(r._tag === "Ok")
    expect(Object.keys(r.value.params)).toEqual(["Token", "Client", "Device", "UserId"])
  })
})

describe("strict parse", () => {
  it("accepts the documented grammar", () => {
    const r = Auth.parse("MediaBrowser Token=\"a%20b\", Client=\"Android+TV\",Device=\"x\",  DeviceId=\"\"  ", strict)
    assert(r._tag === "Ok")
    expect(r.value.params).toEqual({ Token: "a b", Client: "Android TV", Device: "x", DeviceId: "" })
    expect(dict("MediaBrowser ", strict)).toEqual({})
  })

  it("reports the first deviation with a code and offset", () => {
    const cases: ReadonlyArray<readonly [string, Auth.ParseErrorCode, number]> = [
      ["MediaBrowser Token=abc", "UnquotedValue", 19],
      ["MediaBrowser Token=\"a b\"", "InvalidCharacter", 21],
      ["MediaBrowser Token=\"é\"", "InvalidCharacter", 20],
      ["MediaBrowser Token=\"a%zz\"", "InvalidPercentEncoding", 21],
      ["MediaBrowser Token=\"%C3\"", "InvalidUtf8", 20],
      ["MediaBrowser Token=\"abc", "UnterminatedQuote", 19],
      ["MediaBrowser Token=\"a\" Client=\"b\"", "ExpectedComma", 23],
      ["MediaBrowser Token=\"a\" , Client=\"b\"", "ExpectedComma", 22],
      ["MediaBrowser Token=\"a\",", "TrailingComma", 22],
      ["MediaBrowser Token=\"a\", Token=\"b\"", "DuplicateKey", 24],
      ["MediaBrowser token=\"a\"", "KeyCase", 13],
      ["MediaBrowser Tok_en=\"a\"", "InvalidKey", 16],
      ["MediaBrowser =\"a\"", "InvalidKey", 13],
      ["MediaBrowser Token =\"a\"", "ExpectedEquals", 18],
      ["MediaBrowser Token", "ExpectedEquals", 18]
    ]
    for (const [value, code, offset] of cases) {
      expect({ value, ...parseErr(value, strict) }).toMatchObject({ value, code, offset })
    }
  })

  it("applies the same scheme rules as compat", () => {
    expect(parseErr("Bearer x", strict).code).toBe("UnknownScheme")
    expect(parseErr("Emby Token=\"a\"", { mode: "strict", legacy: false }).code).toBe("LegacySchemeDisabled")
  })
})

describe("format", () => {
  it("canonical: declared order, quoted, percent-encoded, absent parameters left out", () => {
    expect(Auth.format({ Device: "Living room", Token: "t", Client: "a+b\"c,d=e%" })).toEqual({
      _tag: "Ok",
      value: "MediaBrowser Token=\"t\", Client=\"a%2Bb%22c%2Cd%3De%25\", Device=\"Living%20room\""
    })
    expect(Auth.format({})).toEqual({ _tag: "Ok", value: "MediaBrowser " })
    expect(Auth.format({ Token: "t" }, { scheme: "Emby" })).toEqual({ _tag: "Ok", value: "Emby Token=\"t\"" })
  })

  it("never lets CR, LF or NUL through unencoded", () => {
    const r = Auth.format({ Client: "a\r\nX-Injected: 1", Device: "\u0000" })
    assert(r._tag === "Ok")
    expect(r.value).toBe("MediaBrowser Client=\"a%0D%0AX-Injected%3A%201\", Device=\"%00\"")
  })

  it("returns an error for a lone surrogate instead of throwing", () => {
    expect(Auth.format({ Device: "tv \ud83d" })).toMatchObject({ _tag: "Err", error: { code: "UnencodableValue", parameter: "Device" } })
    expect(Auth.format({ Device: "\udcba" }, { style: "jellyfin-sdk" })._tag).toBe("Err")
  })

  it("rejects unknown schemes and styles", () => {
    expect(Auth.format({}, { scheme: "Bearer" })).toMatchObject({ _tag: "Err", error: { code: "UnknownScheme" } })
    expect(Auth.format({}, { style: "x" as Auth.FormatStyle })).toMatchObject({ _tag: "Err", error: { code: "UnknownStyle" } })
  })
})

describe("validate", () => {
  it("login needs non-empty Client, Device, DeviceId and Version", () => {
    const issues = Auth.validate({ Client: "c", DeviceId: "" }, "login")
    expect(issues.map((i) => [i.code, i.parameter])).toEqual([
      ["MissingParameter", "Version"],
      ["MissingParameter", "DeviceId"],
      ["MissingParameter", "Device"]
    ])
    expect(Auth.validate({ Client: "c", Version: "1", DeviceId: "d", Device: "e" }, "login")).toEqual([])
  })

  it("flags an empty DeviceId, a white-space token, unknown and invalid keys, lone surrogates", () => {
    const params = { Token: " ", DeviceId: "", Device: "\ud800", Extra: "x", "bad key": "y" } as Auth.Params
    expect(Auth.validate(params, "request").map((i) => [i.code, i.parameter])).toEqual([
      ["WhiteSpaceToken", "Token"],
      ["EmptyValue", "DeviceId"],
      ["UnencodableValue", "Device"],
      ["UnknownParameter", "Extra"],
      ["InvalidKey", "bad key"]
    ])
    expect(Auth.validate({}, "request").map((i) => i.code)).toEqual(["MissingParameter"])
  })
})

describe("§1, §4 extract", () => {
  const mb = (token: string) => `MediaBrowser Client="c", Token="${token}"`

  it("10.11+: X-Emby-Authorization is ignored whenever Authorization is non-empty (§10.1)", () => {
    for (const authorization of ["Basic dXNlcjpwYXNz", "MediaBrowser Client=\"c\"", "Bearer x", " "]) {
      const x = Auth.extract(
        { headers: { Authorization: authorization, "X-Emby-Authorization": mb("legacy") } },
        { profile: "jellyfin-10.11" }
      )
      expect(x.token).toBeUndefined()
      expect(x.candidates).toContainEqual({ transport: "X-Emby-Authorization", value: "legacy", ignored: "Shadowed" })
    }
    const basic = Auth.extract(
      { headers: { Authorization: "Basic dXNlcjpwYXNz", "X-Emby-Authorization": mb("legacy") } },
      { profile: "jellyfin-10.11" }
    )
    expect(basic.warnings.map((w) => w.code)).toContain("SchemeHeaderHidden")
  })

  it("10.11: falls back to X-Emby-Authorization when Authorization is absent or empty", () => {
    for (const headers of [{}, { Authorization: "" }]) {
      const x = Auth.extract({ headers: { ...headers, "x-emby-authorization": mb("legacy") } }, { profile: "jellyfin-10.11" })
      expect(x.token).toEqual({ value: "legacy", transport: "X-Emby-Authorization" })
      expect(x.authorization?.transport).toBe("X-Emby-Authorization")
      expect(x.warnings.map((w) => w.code)).toContain("DeprecatedTransport")
    }
  })

  it("10.10 reads X-Emby-Authorization first, with no switch", () => {
    const request = { headers: { Authorization: mb("new"), "X-Emby-Authorization": mb("old") } }
    expect(Auth.extract(request, { profile: "jellyfin-10.10" }).token).toEqual({ value: "old", transport: "X-Emby-Authorization" })
    expect(Auth.extract(request, { profile: "jellyfin-10.11" }).token).toEqual({ value: "new", transport: "Authorization" })
    const noSwitch = Auth.extract(request, { profile: "jellyfin-10.10", legacy: false })
    expect(noSwitch.token?.value).toBe("old")
    expect(noSwitch.warnings.map((w) => w.code)).toContain("NoLegacySwitch")
  })

  it("jellyfin-12 defaults legacy off; the switch turns it back on", () => {
    const request = {
      headers: { "X-Emby-Token": "a", "X-Emby-Authorization": "MediaBrowser Client=\"c\", Device=\"d\"" },
      query: { api_key: "b" }
    }
    const off = Auth.extract(request, { profile: "jellyfin-12" })
    expect(off.token).toBeUndefined()
    expect(off.authorization).toBeUndefined()
    expect(off.candidates).toEqual([
      { transport: "X-Emby-Token", value: "a", ignored: "LegacyDisabled" },
      { transport: "api_key", value: "b", ignored: "LegacyDisabled" }
    ])
    expect(off.warnings.filter((w) => w.code === "LegacyDisabled").map((w) => w.transport)).toEqual([
      "X-Emby-Authorization",
      "X-Emby-Token",
      "api_key"
    ])
    const on = Auth.extract(request, { profile: "jellyfin-12", legacy: true })
    expect(on.token).toEqual({ value: "a", transport: "X-Emby-Token" })
    expect(on.authorization?.header.params).toEqual({ Client: "c", Device: "d" })
    expect(Auth.extract(request, { profile: "jellyfin-10.11" }).token?.value).toBe("a")
    expect(Auth.extract(request, { profile: "jellyfin-10.11", legacy: false }).token).toBeUndefined()
  })

  it("the Emby scheme in Authorization is refused while legacy is off", () => {
    const request = { headers: { Authorization: "Emby Token=\"e\"" }, query: { ApiKey: "k" } }
    const off = Auth.extract(request, { profile: "jellyfin-12" })
    expect(off.token).toEqual({ value: "k", transport: "ApiKey" })
    expect(off.candidates[0]).toEqual({ transport: "Authorization", value: "e", ignored: "LegacyDisabled" })
    expect(Auth.extract(request, { profile: "jellyfin-10.11" }).token).toEqual({ value: "e", transport: "Authorization" })
  })

  it("a white-space-only token blocks every fallback yet counts as no token (§10.2)", () => {
    for (const token of [" ", "+", "\u00a0"]) {
      const x = Auth.extract(
        { headers: { Authorization: `MediaBrowser Token="${token}"` }, query: { ApiKey: "k" } },
        { profile: "jellyfin-10.11" }
      )
      expect(x.token?.transport).toBe("Authorization")
      expect(x.hasToken).toBe(false)
      expect(x.warnings.map((w) => w.code)).toContain("WhiteSpaceToken")
    }
  })

  it("an empty Token falls through (the TS SDK's Token=\"\" is harmless, §10.13)", () => {
    const x = Auth.extract(
      { headers: { Authorization: "MediaBrowser Client=\"c\", Token=\"\"" }, query: { ApiKey: "k" } },
      { profile: "jellyfin-12" }
    )
    expect(x.token).toEqual({ value: "k", transport: "ApiKey" })
    expect(x.hasToken).toBe(true)
    expect(x.authorization?.header.params.Client).toBe("c")
    expect(x.warnings.map((w) => w.code)).toContain("TokenInQuery")
  })

  it("deprecated token headers outrank the ApiKey query (§10.3), and nothing falls back on an invalid token", () => {
    const x = Auth.extract(
      { headers: { "X-MediaBrowser-Token": "old", "x-emby-token": "older" }, query: { apikey: "new" } },
      { profile: "jellyfin-10.11" }
    )
    expect(x.token).toEqual({ value: "older", transport: "X-Emby-Token" })
    expect(x.candidates.map((c) => [c.transport, c.ignored])).toEqual([
      ["X-Emby-Token", undefined],
      ["X-MediaBrowser-Token", "Shadowed"],
      ["ApiKey", "Shadowed"]
    ])
    expect(x.warnings.map((w) => w.code)).toContain("MultipleTokens")
  })

  it("repeated header and query values are joined with \",\" (§10.4); Authorization uses only its first", () => {
    const q = Auth.extract({ headers: {}, query: { ApiKey: ["a", "b"] } }, { profile: "jellyfin-10.11" })
    expect(q.token).toEqual({ value: "a,b", transport: "ApiKey" })
    expect(q.warnings.map((w) => w.code)).toContain("RepeatedValues")
    const h = Auth.extract({ headers: { "X-Emby-Token": ["a", "b"] } }, { profile: "jellyfin-10.11" })
    expect(h.token?.value).toBe("a,b")
    const split = Auth.extract({ headers: { "x-emby-token": "a", "X-EMBY-TOKEN": "b" } }, { profile: "jellyfin-10.11" })
    expect(split.token?.value).toBe("a,b")
    const auth = Auth.extract({ headers: { Authorization: [mb("first"), mb("second")] } }, { profile: "jellyfin-10.11" })
    expect(auth.token).toEqual({ value: "first", transport: "Authorization" })
    expect(auth.warnings.map((w) => w.code)).toContain("ExtraSchemeHeaderValues")
  })

  it("matches header and query names ignoring ASCII case only", () => {
    expect(Auth.extract({ headers: {}, query: { API_KEY: "a" } }, { profile: "jellyfin-10.11" }).token?.transport).toBe("api_key")
    expect(Auth.extract({ headers: { "X-EMBY-TOKEN": "a" } }, { profile: "jellyfin-10.11" }).token?.transport).toBe("X-Emby-Token")
    expect(Auth.extract({ headers: { "X-Emby-To\u212Aen": "a" } }, { profile: "jellyfin-10.11" }).token).toBeUndefined()
  })

  it("emby: X-Emby-Authorization first, MediaBrowser or Emby, then X-Emby-Token, X-MediaBrowser-Token, api_key; no ApiKey", () => {
    const both = { headers: { Authorization: mb("a"), "X-Emby-Authorization": "Emby Token=\"e\"" } }
    expect(Auth.extract(both, { profile: "emby" }).token).toEqual({ value: "e", transport: "X-Emby-Authorization" })
    const x = Auth.extract(
      { headers: { "X-MediaBrowser-Token": "m" }, query: { ApiKey: "k", api_key: "q" } },
      { profile: "emby" }
    )
    expect(x.token).toEqual({ value: "m", transport: "X-MediaBrowser-Token" })
    expect(x.candidates).toEqual([
      { transport: "X-MediaBrowser-Token", value: "m" },
      { transport: "api_key", value: "q", ignored: "Shadowed" },
      { transport: "ApiKey", value: "k", ignored: "NotReadByProfile" }
    ])
    expect(x.warnings.map((w) => w.code)).not.toContain("DeprecatedTransport")
    const apiKeyOnly = Auth.extract({ headers: {}, query: { ApiKey: "k" } }, { profile: "emby" })
    expect(apiKeyOnly.token).toBeUndefined()
    expect(apiKeyOnly.hasToken).toBe(false)
  })

  it("reports no token and no header for an empty request, and never throws on odd input", () => {
    expect(Auth.extract({ headers: {} }, { profile: "jellyfin-12" })).toEqual({
      token: undefined,
      hasToken: false,
      authorization: undefined,
      candidates: [],
      warnings: [],
      parameters: {},
      parameterValues: []
    })
    const odd = Auth.extract({ headers: { Authorization: [], "X-Emby-Token": undefined } }, { profile: "nope" as Auth.ProfileName })
    expect(odd.warnings.map((w) => w.code)).toEqual(["UnknownProfile"])
  })
})
