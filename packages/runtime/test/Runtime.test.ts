// The runtime on its own: other tables than the generated modules', the scan's offsets, and the character
// classes it takes from .NET.
import { describe, expect, it } from "@effect/vitest"
import * as Runtime from "../src/index.js"

const tables = {
  schemes: [{ name: "X", legacy: false }],
  grammar: {
    schemeMatching: "case-sensitive",
    valueDecoding: "none",
    duplicateKeys: "first",
    keyTrimming: "none",
    emptySegment: "reset-key",
    repeatedValueSeparator: ";"
  },
  operations: [],
  parameters: [{ name: "K", secret: true, requiredFor: [], nonEmpty: false }],
  tokenParameter: "K",
  transports: [{ name: "q", kind: "query", key: "q", carries: "token", deprecated: false, discouraged: true }],
  profiles: [{ name: "p", legacyDefault: null, warnDeprecated: false, schemeHeaderOrder: [], tokenOrder: [{ transport: "q", gatedByLegacy: false }] }],
  formatStyles: [{ name: "canonical", order: ["K"], absent: "omit", separator: "," }]
} as const

describe("runtime", () => {
  it("runs on any tables through make", () => {
    const runtime = Runtime.make(tables)
    const r = runtime.parse("X K=%41+,K=b, K=c")
    expect(r._tag === "Ok" && [...r.value.dictionary]).toEqual([["K", "%41+"], [" K", "c"]])
    expect(runtime.parse("x K=a")._tag).toBe("Err")
    expect(runtime.extract({ headers: {}, query: { Q: ["a", "b"] } }, { profile: "p" }).token).toEqual({ value: "a;b", transport: "q" })
    expect(runtime.format({ K: "a b" })).toEqual({ _tag: "Ok", value: "X K=\"a%20b\"" })
  })

  it("reads separate values by each profile's precedence, header or query first, and reports where each came from", () => {
    const separate = {
      ...tables,
      grammar: { ...tables.grammar, valueDecoding: "form-urlencoded" },
      parameters: [...tables.parameters, { name: "A", secret: false, requiredFor: [], nonEmpty: false }, {
        name: "B",
        secret: false,
        requiredFor: [],
        nonEmpty: false
      }],
      transports: [...tables.transports, { name: "H", kind: "header", key: "H", carries: "scheme", deprecated: false, discouraged: false }],
      separateValues: [
        { parameter: "A", header: "X-A", query: "a", headerEncoding: "percent" },
        { parameter: "B", query: "b", headerEncoding: "none" }
      ],
      profiles: [
        {
          name: "scheme-first",
          legacyDefault: null,
          warnDeprecated: false,
          schemeHeaderOrder: [{ transport: "H", gatedByLegacy: false }],
          tokenOrder: [],
          separateValues: { read: ["header", "query"], precedence: "scheme-header" }
        },
        {
          name: "separate-first",
          legacyDefault: null,
          warnDeprecated: false,
          schemeHeaderOrder: [{ transport: "H", gatedByLegacy: false }],
          tokenOrder: [],
          separateValues: { read: ["query", "header"], precedence: "separate-values" }
        },
        { name: "none", legacyDefault: null, warnDeprecated: false, schemeHeaderOrder: [{ transport: "H", gatedByLegacy: false }], tokenOrder: [] }
      ]
    } as const
    const runtime = Runtime.make(separate)
    const request = { headers: { h: "X A=\"\",B=from-h", "x-a": ["a%20b", "c"] }, query: { A: "q", b: "q b" } }

    const first = runtime.extract(request, { profile: "scheme-first" })
    // A: the scheme header's is empty, so the header's (decoded, repeated values joined) is taken.
    expect(first.parameters).toEqual({ A: "a b;c", B: "from-h" })
    expect(first.parameterValues).toEqual([
      { parameter: "A", value: "", via: "scheme", name: "H", ignored: "Shadowed" },
      { parameter: "A", value: "a b;c", via: "header", name: "X-A" },
      { parameter: "A", value: "q", via: "query", name: "a", ignored: "Shadowed" },
      { parameter: "B", value: "from-h", via: "scheme", name: "H" },
      { parameter: "B", value: "q b", via: "query", name: "b", ignored: "Shadowed" }
    ])
    expect(first.warnings.map((w) => w.code)).toEqual(["ConflictingValues", "ConflictingValues"])
    expect(first.warnings[1]!.message).toBe("the b query parameter differs from H's B; the server takes H's B")

    const second = runtime.extract(request, { profile: "separate-first" })
    expect(second.parameters).toEqual({ A: "q", B: "q b" })
    expect(second.parameterValues.filter((v) => v.ignored === undefined).map((v) => [v.via, v.name])).toEqual([["query", "a"], ["query", "b"]])

    const none = runtime.extract(request, { profile: "none" })
    expect(none.parameters).toEqual({ A: "", B: "from-h" })
    expect(none.parameterValues.filter((v) => v.ignored === "NotReadByProfile").map((v) => v.name)).toEqual(["X-A", "a", "b"])
    expect(none.warnings).toEqual([{ code: "SeparateValuesNotRead", message: "none does not read X-A, a, b: send these values inside the scheme header" }])

    // No scheme header and no separate values: nothing, and nothing to warn about.
    expect(runtime.extract({ headers: {} }, { profile: "scheme-first" })).toMatchObject({ parameters: {}, parameterValues: [], warnings: [] })
    // A name given an empty list of values carries no value, like an absent one.
    expect(runtime.extract({ headers: { "X-A": [] }, query: { b: [] } }, { profile: "scheme-first" })).toMatchObject({
      parameters: {},
      parameterValues: [],
      warnings: []
    })
  })

  it("scans with the offset of every key, value and empty segment", () => {
    const runtime = Runtime.make(tables)
    //                   0123456789012345678
    const header = "X K=\"a\",,K=b, =c, \"d"
    const r = runtime.scan(header)
    expect(r).toEqual({
      _tag: "Ok",
      value: {
        scheme: "X",
        parts: [
          { _tag: "Key", start: 2, end: 3, equals: 3 },
          { _tag: "Value", key: { start: 2, end: 3 }, start: 4, end: 7 },
          { _tag: "EmptySegment", comma: 8 },
          { _tag: "Key", start: 9, end: 10, equals: 10 },
          { _tag: "Value", key: { start: 9, end: 10 }, start: 11, end: 12 },
          { _tag: "Key", start: 13, end: 14, equals: 14 },
          { _tag: "Value", key: { start: 13, end: 14 }, start: 15, end: 16 },
          { _tag: "Value", key: undefined, start: 17, end: 20 }
        ],
        unterminatedQuote: 18
      }
    })
    expect(runtime.scan("X K=\"a\", K=\"b\"", { mode: "strict" })).toEqual({
      _tag: "Err",
      error: { code: "DuplicateKey", offset: 9, message: "the key K appears more than once" }
    })
  })

  it("decodes as WebUtility.UrlDecode and encodes as encodeURIComponent, without throwing", () => {
    expect(Runtime.decode("a+b%41%4", true)).toBe("a bA%4")
    expect(Runtime.decode("a+b", false)).toBe("a+b")
    expect(Runtime.decode("%C3%A9%F0%28", true)).toBe("é\ufffd(")
    expect(Runtime.decode("%C3", true, true)).toBeUndefined()
    expect(Runtime.encode("é \"")).toBe("%C3%A9%20%22")
    expect(Runtime.encode("\ud800")).toBeUndefined()
  })

  it("strict checks UTF-8 wherever an escape of a byte from 0x80 up sits among escapes of ASCII bytes", () => {
    const runtime = Runtime.make(tables)
    const strict = { mode: "strict" } as const
    expect(runtime.parse("X K=\"%41%C3\"", strict)).toMatchObject({ _tag: "Err", error: { code: "InvalidUtf8", offset: 5 } })
    expect(runtime.parse("X K=\"%C3%41\"", strict)).toMatchObject({ _tag: "Err", error: { code: "InvalidUtf8", offset: 5 } })
    expect(runtime.parse("X K=\"a%41%C3%A9b%7E\"", strict)).toMatchObject({ _tag: "Ok" })
    expect(runtime.parse("X K=\"%41%4\"", strict)).toMatchObject({ _tag: "Err", error: { code: "InvalidPercentEncoding", offset: 8 } })
    expect(runtime.parse("X K=\"%41 \"", strict)).toMatchObject({ _tag: "Err", error: { code: "InvalidCharacter", offset: 8 } })
    expect(runtime.parse("X K=\"%41", strict)).toMatchObject({ _tag: "Err", error: { code: "UnterminatedQuote", offset: 4 } })
  })

  it("implements .NET char.IsWhiteSpace", () => {
    const dotnet = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    for (const c of dotnet) expect(Runtime.isDotnetWhiteSpace(c), c.toString(16)).toBe(true)
    for (const c of [0x08, 0x0e, 0x1f, 0x21, 0x84, 0x86, 0x180e, 0x200b, 0xfeff]) expect(Runtime.isDotnetWhiteSpace(c), c.toString(16)).toBe(false)
  })

  it("imports nothing, so a bundle of a generated module carries no generator", async () => {
    const { readFileSync } = await import("node:fs")
    const source = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8")
    expect(source).not.toMatch(/^\s*import\s/m)
  })
})
