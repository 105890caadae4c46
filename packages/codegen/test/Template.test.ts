// The runtime template is a real module (with sample tables): the generator copies it around its
// tables, and binds makeRuntime to a spec's tables to compute vectors.
import { describe, expect, it } from "@effect/vitest"
import * as Template from "../src/internal/template/runtime.js"

describe("runtime template", () => {
  it("works as a module on its sample tables", () => {
    expect(Template.parse("sample Token=\"a\", Name=\"b+c\"")).toMatchObject({
      _tag: "Ok",
      value: { scheme: "Sample", params: { Token: "a", Name: "b c" } }
    })
    expect(Template.format({ Name: "n" }, { style: "sample-sdk" })).toEqual({ _tag: "Ok", value: "Sample Name=\"n\", Token=\"\"" })
    expect(Template.extract({ headers: { "X-Sample-Authorization": "OldSample Token=\"t\"" } }, { profile: "sample-0" }).token).toEqual({
      value: "t",
      transport: "X-Sample-Authorization"
    })
  })

  it("runs on other tables through makeRuntime", () => {
    const runtime = Template.makeRuntime({
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
    })
    const r = runtime.parse("X K=%41+,K=b, K=c")
    expect(r._tag === "Ok" && [...r.value.dictionary]).toEqual([["K", "%41+"], [" K", "c"]])
    expect(runtime.parse("x K=a")._tag).toBe("Err")
    expect(runtime.extract({ headers: {}, query: { Q: ["a", "b"] } }, { profile: "p" }).token).toEqual({ value: "a;b", transport: "q" })
  })

  it("implements .NET char.IsWhiteSpace", () => {
    const dotnet = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    for (const c of dotnet) expect(Template.isDotnetWhiteSpace(c), c.toString(16)).toBe(true)
    for (const c of [0x08, 0x0e, 0x1f, 0x21, 0x180e, 0x200b, 0xfeff]) expect(Template.isDotnetWhiteSpace(c), c.toString(16)).toBe(false)
  })
})
