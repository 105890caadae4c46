// The runtime's fast paths (template/runtime.ts) against the general algorithm they shortcut:
// compat's canonical walk against the GetParts scan it hands over to, strict's whole-grammar check
// against strictScan, format's per-position memo against a fresh encoding, and extract's answer
// for the usual request against its general steps. Each general path is forced without any
// internal switch: an unknown leading key sends compat and strict to the general scan from the
// start (it adds nothing to `params`), and an extra transport carrying `[]` (no value) sends
// extract to the general steps. Results must be identical, and match the slow reference.
import { assert, describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { buildSync } from "esbuild"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import { parameterList, property, quirky, reportCases, strictishHeader } from "./utils/fuzz.js"
import { referenceRead } from "./utils/reference.js"

reportCases("codegen FastPaths")

const compat = { mode: "compat" } as const
const strict = { mode: "strict" } as const

// A key no generator produces and the server does not read: a segment with it is never canonical
// for the fast path (unknown key), so the general scan reads everything from the start. After its
// comma the scan is in its initial state (outside quotes, no pending key), so what follows is read
// exactly as it would be right after the scheme.
const DETOUR = "Zq9=\"1\","

const paramsOf = (value: string, options?: Auth.ParseOptions) => {
  const r = Auth.parse(value, options)
  return r._tag === "Ok" ? { params: r.value.params, keys: Object.keys(r.value.params) } : { error: r.error.code }
}

/** compat reads `rest` the same through the fast path and through the general scan, as the server does. */
const compatAgrees = (rest: string): void => {
  const value = "MediaBrowser " + rest
  const fast = paramsOf(value, compat)
  expect(fast, JSON.stringify(rest)).toEqual(paramsOf("MediaBrowser " + DETOUR + rest, compat))
  const server = referenceRead(value, true)!
  const known = Object.fromEntries(Auth.PARAMETERS.flatMap((p) => (server.has(p.name) ? [[p.name, server.get(p.name)]] : [])))
  expect(fast.params, JSON.stringify(rest)).toEqual(known)
}

// Headers that look like what the SDKs send, with one thing the fast path must not read itself.
const NEAR_CANONICAL: ReadonlyArray<string> = [
  "Client=\"Jellyfin%20Web\", Device=\"Firefox\", DeviceId=\"abc\", Version=\"10.10.7\", Token=\"t0\"",
  "Client=\"a\\\"b\", Token=\"t\"", // a backslash-escaped quote: no escapes, the rest is swallowed
  "Client=\"a\"b\", Token=\"t\"", // a raw quote inside a value
  "Token=\"a\", Token=\"b\"", // duplicates: the last wins
  "Token=\"a\", Token=\"\"", // even when empty
  "token=\"a\", Token=\"b\", TOKEN=\"c\"", // keys are case-sensitive
  "Client=\"Android+TV\", Token=\"x+y%2B\"", // + is a space, %2B a plus
  "Client=\"100%\", Device=\"%zz%2\", DeviceId=\"%\", Token=\"%4\"", // malformed escapes stay
  "Client=\"%C3%A9%F0%9F%93%BA\", Device=\"%C3\", DeviceId=\"%ED%A0%80\", Token=\"%FF%41\"", // UTF-8, broken UTF-8
  "Client=\"%22quoted%22\", Token=\"%2C%3D\"", // encoded quote, comma, equals
  "Token=\"t\",", // a trailing comma
  "Token=\"t\", ", // a trailing separator
  "Token=\"t\",,Client=\"c\"", // an empty segment keeps the pending key
  "Token=,Client=\"c\"", // an empty value: the pending key survives
  "Token=\"t\" , Client=\"c\"", // white space before the comma stays in the value
  "Token= \"t\", Client=\"c\"", // white space after =
  "Token =\"t\", Client=\"c\"", // white space before = (trimmed with the key)
  "\tToken=\"t\",\tClient=\"c\"", // tabs where the SDKs put spaces
  "Token=\"t\",  Client=\"c\"", // two spaces
  "\u00a0Token=\"t\", \u0085Client=\"c\"", // .NET white space the key trim removes
  "\ufeffToken=\"t\"", // and one it keeps
  "Token=t, Client=c", // unquoted values
  "Token=\"t\", Client=c d", // one unquoted value among quoted ones
  "Token=\"YWJj==\", Client=\"c\"", // = inside a quoted value is data
  "Token=YWJj==, Client=\"c\"", // a raw = re-keys an unquoted value
  "Token=\"a,b\", Client=\"c=d\"", // comma and = inside quotes
  "Token=\"t", // an unterminated quote
  "Token=\"t\", Client=\"c", // an unterminated quote at the end
  "Token=\"\"t\"\"", // doubled quotes: all are stripped
  "Token=\"t\"x, Client=\"c\"", // text after the closing quote
  "UserId=\"u\", Device=\"d\", DeviceId=\"i\", Token=\"t\", Client=\"c\", Version=\"v\"", // every key, another order
  "DeviceId=\"i\", Device=\"d\"", // a key that is a prefix of another
  "Devic=\"i\", DeviceIdX=\"d\", Tok=\"t\"", // near misses of known keys
  "=\"x\", Token=\"t\"", // an empty key
  "Client=\"é 📺\", Token=\"t\"", // raw non-ASCII
  ""
]

describe("compat: the canonical walk against the general scan", () => {
  it("reads near-canonical headers exactly as the general scan and the server do", () => {
    for (const rest of NEAR_CANONICAL) compatAgrees(rest)
  })

  it("keeps params in declared order whatever path read them", () => {
    const fast = Auth.parse("MediaBrowser Client=\"c\", Device=\"d\", DeviceId=\"i\", Version=\"v\", Token=\"t\"")
    assert(fast._tag === "Ok")
    expect(Object.keys(fast.value.params)).toEqual(["Token", "Client", "Version", "DeviceId", "Device"])
  })

  property("agrees with the general scan on any parameter list", [fc.oneof(quirky, parameterList())], ([rest]) => {
    compatAgrees(rest)
  })

  property("agrees with the general scan on SDK headers with random values", [
    fc.record({ Client: fc.string(), Device: fc.string(), DeviceId: fc.string(), Version: fc.string(), Token: fc.string() })
  ], ([p]) => {
    const formatted = Auth.format(p, { style: "jellyfin-sdk" })
    if (formatted._tag === "Ok") compatAgrees(formatted.value.slice("MediaBrowser ".length))
  })
})

/** strict reads `rest` the same through its fast path and through strictScan (the error offsets shift by the detour). */
const strictAgrees = (rest: string): void => {
  if (rest.trim() === "" || rest.includes("Zq9")) return
  const fast = Auth.parse("MediaBrowser " + rest, strict)
  const general = Auth.parse("MediaBrowser " + DETOUR + rest, strict)
  if (fast._tag === "Ok") {
    assert(general._tag === "Ok", `${JSON.stringify(rest)}: ${general._tag === "Err" ? general.error.code : ""}`)
    expect(fast.value.params).toEqual(general.value.params)
    expect(Object.keys(fast.value.params)).toEqual(Object.keys(general.value.params))
    expect(new Map([...fast.value.dictionary].filter(([k]) => k !== "Zq9"))).toEqual(
      new Map([...general.value.dictionary].filter(([k]) => k !== "Zq9"))
    )
  } else {
    assert(general._tag === "Err", JSON.stringify(rest))
    expect({ code: general.error.code, offset: general.error.offset - DETOUR.length }).toEqual({
      code: fast.error.code,
      offset: fast.error.offset
    })
  }
}

describe("strict: the grammar check and walk against strictScan", () => {
  it("accepts and rejects near-canonical headers exactly as strictScan does", () => {
    for (const rest of NEAR_CANONICAL) strictAgrees(rest)
    for (
      const rest of [
        "Token=\"%C3%A9%0%00\"", // an invalid escape after a multi-byte one
        "Token=\"%C3%28\"", // invalid UTF-8
        "Token=\"%E2%82\"", // truncated UTF-8
        "Client=\"a b\"", // a space inside a value
        "Client=\"a=b\"",
        "Client=\"a,b\"",
        "Client=\"a\tb\"",
        "Client=\"c\", client=\"d\"", // wrong case of a known key
        "Client=\"c\", Client=\"d\"", // a repeated key
        "Client=\"c\" ", // trailing white space is harmless
        "Client=\"c\",Token=\"t\"",
        "Client=\"c\",\t Token=\"t\"",
        "Client=\"c\" ,Token=\"t\"", // white space before the comma is not
        "Client=\"c\", Token=\"t\",", // a trailing comma
        "Client=\"c\", X1=\"y\", Token=\"t\"" // an unknown key is fine
      ]
    ) strictAgrees(rest)
  })

  it("reports the first deviation with the scanner's offset", () => {
    const r = Auth.parse("MediaBrowser Client=\"Jellyfin%2Web\", Token=\"t\"", strict)
    expect(r._tag === "Err" && [r.error.code, r.error.offset]).toEqual(["InvalidPercentEncoding", 29])
  })

  property("agrees with strictScan on headers in and near the grammar", [strictishHeader], ([value]) => {
    strictAgrees(value.slice(value.indexOf(" ") + 1))
  })
})

// What format writes, computed independently: the style's order, encodeURIComponent, no memo.
const expected = (params: Auth.Params, style: Auth.FormatStyle, scheme: string): string => {
  const { absent, order, separator } = Auth.FORMAT_STYLES.find((s) => s.name === style)!
  const pairs = order.flatMap((k) => {
    const v = params[k]
    return v === undefined && absent === "omit" ? [] : [`${k}="${encodeURIComponent(v ?? "")}"`]
  })
  return `${scheme} ${pairs.join(separator)}`
}

describe("format: the per-position memo", () => {
  it("gives every call the encoding of its own values, whatever came before", () => {
    const a = { Client: "Jellyfin Web", Device: "Firefox", DeviceId: "abc", Version: "1", Token: "t" }
    const b = { Client: "Jellyfin-Web", Device: "TV 📺", DeviceId: "abc", Version: "1", Token: "t t" }
    const copy = { ...a, Client: ["Jellyfin", "Web"].join(" ") } // equal content, another string
    for (const p of [a, b, a, copy, b, {}, a, { Token: "t" }, b]) {
      for (const style of ["canonical", "jellyfin-sdk"] as const) {
        expect(Auth.format(p, { style })).toEqual({ _tag: "Ok", value: expected(p, style, "MediaBrowser") })
      }
    }
  })

  it("still reports a lone surrogate right after an encodable value at the same position", () => {
    assert.strictEqual(Auth.format({ Device: "tv" })._tag, "Ok")
    expect(Auth.format({ Device: "tv \ud800" })).toMatchObject({ _tag: "Err", error: { code: "UnencodableValue", parameter: "Device" } })
    expect(Auth.format({ Device: "tv" })).toEqual({ _tag: "Ok", value: "MediaBrowser Device=\"tv\"" })
  })

  property("matches an independent encoder on sequences of params", [
    fc.array(
      fc.tuple(
        fc.record({
          Client: fc.constantFrom("a", "a b", "Jellyfin Web"),
          Device: fc.string({ maxLength: 6 }),
          Token: fc.constantFrom("t", "t", "u+v")
        }, { requiredKeys: [] }),
        fc.constantFrom("canonical", "jellyfin-sdk") as fc.Arbitrary<Auth.FormatStyle>
      ),
      { maxLength: 8 }
    )
  ], ([calls]) => {
    for (const [p, style] of calls) {
      const r = Auth.format(p, { style })
      if (r._tag === "Ok") assert.strictEqual(r.value, expected(p, style, "MediaBrowser"))
    }
  })
})

// Requests around a scheme header: what extract's usual-request answer covers, and its edges.
const schemeValue = fc.oneof(
  fc.constantFrom(
    "MediaBrowser Client=\"c\", Token=\"t\"",
    "MediaBrowser Client=\"c\"",
    "MediaBrowser Token=\"\"",
    "MediaBrowser Token=\" \"",
    "MediaBrowser Token=\"+\"",
    "Emby Token=\"e\"",
    "emby Client=\"c\", Token=\"t\"",
    "Basic dXNlcjpwYXNz",
    "MediaBrowser",
    ""
  ),
  strictishHeader
)
const request = fc.record({
  headers: fc.record({
    authorization: schemeValue,
    "X-Emby-Authorization": schemeValue,
    "x-emby-token": fc.constantFrom("e", " ", ""),
    "user-agent": fc.constant("curl")
  }, { requiredKeys: [] }),
  query: fc.record({ ApiKey: fc.constantFrom("k", "") }, { requiredKeys: [] })
}, { requiredKeys: ["headers"] })
const profile = fc.constantFrom(...Auth.PROFILES.map((p) => p.name))

describe("extract: the usual request against the general steps", () => {
  // api_key carrying `[]` holds no value (the result cannot change) but fills a transport, so the
  // usual-request answer does not apply.
  const general = (r: Auth.RequestLike): Auth.RequestLike => ({ ...r, query: { ...r.query, api_key: [] } })

  it("answers the usual request as the general steps do", () => {
    const usual = { headers: { host: "h", authorization: "MediaBrowser Client=\"c\", Token=\"t\"" } }
    for (const p of Auth.PROFILES) {
      for (const legacy of [undefined, true, false]) {
        const options = legacy === undefined ? { profile: p.name } : { profile: p.name, legacy }
        expect(Auth.extract(usual, options)).toEqual(Auth.extract(general(usual), options))
      }
    }
  })

  property("gives every request the general steps' result", [request, profile, fc.option(fc.boolean(), { nil: undefined })], ([r, p, legacy]) => {
    const options = legacy === undefined ? { profile: p } : { profile: p, legacy }
    const fast = Auth.extract(r, options)
    const slow = Auth.extract(general(r), options)
    expect(fast).toEqual(slow)
    expect(fast.warnings.map((w) => w.code)).toEqual(slow.warnings.map((w) => w.code))
    expect(fast.authorization?.header.params).toEqual(slow.authorization?.header.params)
  })

  it("still reads a token of white space as no token, and warns", () => {
    const r = Auth.extract({ headers: { authorization: "MediaBrowser Token=\" \"" } }, { profile: "jellyfin-10.11" })
    expect([r.hasToken, r.token?.value, r.warnings.map((w) => w.code)]).toEqual([false, " ", ["WhiteSpaceToken"]])
  })
})

describe("results stay what they were", () => {
  it("parse results keep the dictionary lazy and out of enumeration", () => {
    const r = Auth.parse("MediaBrowser Client=\"c\", Token=\"t\"")
    assert(r._tag === "Ok")
    expect(Object.keys(r.value)).toEqual(["scheme", "params"])
    expect([...r.value.dictionary]).toEqual([["Client", "c"], ["Token", "t"]])
  })
})

describe("params objects", () => {
  it("are plain objects: Object.prototype, own enumerable keys in declared order, nothing else", () => {
    for (const mode of ["compat", "strict"] as const) {
      const r = Auth.parse("MediaBrowser Device=\"d\", Client=\"c%20\", Token=\"t\", Version=\"v\", DeviceId=\"i\"", { mode })
      assert(r._tag === "Ok")
      const params = r.value.params
      expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
      expect(params.constructor).toBe(Object)
      expect(Object.keys(params)).toEqual(["Token", "Client", "Version", "DeviceId", "Device"])
      expect(Object.getOwnPropertyNames(params)).toEqual(Object.keys(params))
      expect(params).toStrictEqual({ Token: "t", Client: "c ", Version: "v", DeviceId: "i", Device: "d" })
      expect(JSON.stringify(params)).toBe("{\"Token\":\"t\",\"Client\":\"c \",\"Version\":\"v\",\"DeviceId\":\"i\",\"Device\":\"d\"}")
    }
  })

  // The layout V8 gives them, which no caller can observe but every parse pays for: with `{}`, or
  // with the constructor sized by small objects first, the fifth property went to a separate
  // array. Read with %DebugPrint in a child process (natives syntax must not leak into the tests).
  it("keep every parameter inside the object, with no separate property array", () => {
    const probe = `import * as Auth from ${JSON.stringify(path.resolve(__dirname, "__goldens__/mediabrowser/MediaBrowserAuthorization.ts"))}
const r = Auth.parse(${JSON.stringify(`MediaBrowser ${Auth.PARAMETERS.map((p) => `${p.name}="v"`).join(", ")}`)})
if (r._tag !== "Ok") throw new Error("the probe header did not parse")
globalThis.params = r.value.params
`
    const bundled = buildSync({
      stdin: { contents: probe, loader: "ts", resolveDir: __dirname },
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      logLevel: "silent"
    }).outputFiles[0]!.text
    const dir = mkdtempSync(path.join(tmpdir(), "mbauth-layout-"))
    try {
      const file = path.join(dir, "probe.mjs")
      writeFileSync(file, `${bundled}\n;%DebugPrint(globalThis.params);\n`)
      const out = spawnSync(process.execPath, ["--allow-natives-syntax", file], { encoding: "utf8" })
      expect(out.status, out.stderr).toBe(0)
      expect(out.stdout).toMatch(/- properties: \S+ <FixedArray\[0\]>/)
      for (const p of Auth.PARAMETERS) expect(out.stdout).toMatch(new RegExp(`#${p.name}: .*location: in-object`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("hold only the parameters found, and each parse gets its own", () => {
    const a = Auth.parse("MediaBrowser Client=\"c\"")
    const b = Auth.parse("MediaBrowser Client=\"c\"")
    assert(a._tag === "Ok" && b._tag === "Ok")
    expect(Object.keys(a.value.params)).toEqual(["Client"])
    expect("Token" in a.value.params).toBe(false)
    expect(a.value.params).not.toBe(b.value.params)
  })
})
