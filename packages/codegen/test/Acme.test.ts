// The module generated from the made-up fixture spec: the same template behaves as its own tables
// say (case-sensitive scheme, first duplicate wins, percent-only decoding, JavaScript key trimming,
// empty values reset the key, repeated values joined with ", ", its own profiles and styles).
import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Acme from "./__goldens__/acme/AcmeAuth.js"
import * as AcmeSchema from "./__goldens__/acme/AcmeAuthSchema.js"

const dict = (value: string) => {
  const r = Acme.parse(value)
  assert(r._tag === "Ok", JSON.stringify(r))
  return Object.fromEntries(r.value.dictionary)
}

describe("AcmeAuth (fixture spec)", () => {
  it("matches the scheme case-sensitively", () => {
    expect(dict("Acme Key=\"k\"")).toEqual({ Key: "k" })
    expect(Acme.parse("acme Key=\"k\"")).toMatchObject({ _tag: "Err", error: { code: "UnknownScheme" } })
    expect(Acme.parse("AcmeOld Key=\"k\"", { legacy: false })).toMatchObject({ _tag: "Err", error: { code: "LegacySchemeDisabled" } })
  })

  it("follows its own grammar table", () => {
    expect(dict("Acme Key=\"a\", Key=\"b\"")).toEqual({ Key: "a" })
    expect(dict("Acme App=\"a+b%2B\"")).toEqual({ App: "a+b+" })
    expect(dict("Acme \ufeffApp=x")).toEqual({ App: "x" })
    expect(dict("Acme \u0085App=x")).toEqual({ "\u0085App": "x" })
    expect(dict("Acme Key=,abc")).toEqual({ "": "abc" })
  })

  it("formats with its own styles and names", () => {
    expect(Acme.format({ Node: "n 1", Key: "k", App: "a" })).toEqual({ _tag: "Ok", value: "Acme App=\"a\", Key=\"k\", Node=\"n%201\"" })
    expect(Acme.format({ App: "a" }, { style: "compact" })).toEqual({ _tag: "Ok", value: "Acme Key=\"\",App=\"a\"" })
    expect(Acme.PARAMETERS.map((p) => p.name)).toEqual(["App", "Key", "Node", "Session"])
  })

  it("validates its own operations", () => {
    expect(Acme.validate({}, "connect").map((i) => i.parameter)).toEqual(["App", "Key"])
    expect(Acme.validate({ Node: "" }, "ping").map((i) => i.code)).toEqual(["EmptyValue"])
  })

  it("extracts with its own profiles", () => {
    const request = {
      headers: { "X-Acme-Key": ["a", "b"], "x-acme-auth": "Acme Key=\"old\"" },
      query: { KEY: "q" }
    }
    expect(Acme.extract(request, { profile: "acme-2" }).token).toEqual({ value: "q", transport: "key" })
    const legacy = Acme.extract(request, { profile: "acme-2", legacy: true })
    expect(legacy.token).toEqual({ value: "old", transport: "X-Acme-Auth" })
    expect(legacy.candidates.map((c) => [c.transport, c.value, c.ignored])).toEqual([
      ["X-Acme-Auth", "old", undefined],
      ["key", "q", "Shadowed"],
      ["X-Acme-Key", "a, b", "Shadowed"]
    ])
    const old = Acme.extract(request, { profile: "acme-1" })
    expect(old.token?.transport).toBe("X-Acme-Auth")
    expect(old.candidates.at(-1)).toEqual({ transport: "key", value: "q", ignored: "NotReadByProfile" })
  })

  it.effect("has an Effect flavour with both secrets redacted", () =>
    Effect.gen(function*() {
      const p = yield* Schema.decode(AcmeSchema.HeaderCompat)("Acme Key=\"k\", Session=\"s\", App=\"a\"")
      assert(p.Key !== undefined && p.Session !== undefined)
      expect([Redacted.value(p.Key), Redacted.value(p.Session), p.App]).toEqual(["k", "s", "a"])
    }))
})
