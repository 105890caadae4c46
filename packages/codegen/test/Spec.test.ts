// Invalid specs: every problem comes back with its JSON path and a plain sentence.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import * as Load from "../src/Load.js"
import * as Spec from "../src/Spec.js"
import type { SpecEncoded } from "../src/Spec.js"
import { SpecError } from "../src/SpecError.js"

const valid = JSON.parse(readFileSync(new URL("../examples/acme.json", import.meta.url), "utf8")) as SpecEncoded

type Mutable = { -readonly [K in keyof SpecEncoded]: any } & Record<string, unknown>

const broken = (edit: (spec: Mutable) => void): unknown => {
  const copy = structuredClone(valid) as Mutable
  edit(copy)
  return copy
}

const issuesOf = (input: unknown) =>
  Load.decode(input, "broken.json").pipe(
    Effect.flip,
    Effect.map((e) => {
      expect(e).toBeInstanceOf(SpecError)
      expect(e.message.startsWith("broken.json: ")).toBe(true)
      return { stage: e.stage, issues: e.issues }
    })
  )

describe("spec errors", () => {
  it.effect("the fixture is valid", () => Effect.map(Load.decode(valid, "acme.json"), (spec) => expect(spec.name).toBe("AcmeAuth")))

  it.effect("wrong shapes are reported by path, all at once", () =>
    Effect.gen(function*() {
      const { issues, stage } = yield* issuesOf(broken((s) => {
        s.transports[1].kind = "cookie"
        delete s.parameters[0].secret
        s.profiles[0].legacyDefault = "yes"
        s.grammar.duplicateKeys = "middle"
        s.extra = 1
      }))
      expect(stage).toBe("schema")
      const paths = issues.map((i) => i.path)
      expect(paths).toEqual(expect.arrayContaining([
        "$.transports[1].kind",
        "$.parameters[0].secret",
        "$.profiles[0].legacyDefault",
        "$.grammar.duplicateKeys",
        "$.extra"
      ]))
      for (const i of issues) expect(i.message.length).toBeGreaterThan(5)
    }))

  it.effect("names that do not fit together are reported in plain sentences", () =>
    Effect.gen(function*() {
      const { issues, stage } = yield* issuesOf(broken((s) => {
        s.name = "acme auth"
        s.schemes[1].name = "acme"
        s.schemes[0].name = "Ac me"
        s.parameters[2].name = "App"
        s.parameters[0].requiredFor = ["connect", "fly"]
        s.tokenParameter = "Secret"
        delete s.transports[2].replacement
        s.transports[3].replacement = "Nowhere"
        s.profiles[0].tokenOrder[2].transport = "cookie"
        s.profiles[0].schemeHeaderOrder.push({ transport: "key" })
        s.profiles[1].tokenOrder[1].gatedByLegacy = true
        s.formatStyles[0].name = "plain"
      }))
      expect(stage).toBe("semantic")
      expect(issues).toEqual([
        { path: "$.name", message: "The module name \"acme auth\" must be a PascalCase identifier (letters and digits, first an upper-case letter)." },
        { path: "$.schemes[0].name", message: "The scheme name \"Ac me\" must be ASCII letters and digits only." },
        { path: "$.parameters[0].requiredFor[1]", message: "\"fly\" is not a declared operation." },
        { path: "$.parameters[2].name", message: "The parameter \"App\" is already declared at $.parameters[0]." },
        { path: "$.tokenParameter", message: "The token parameter \"Secret\" is not a declared parameter." },
        { path: "$.transports[2]", message: "The transport \"X-Acme-Key\" is deprecated, so it must name its replacement." },
        { path: "$.transports[3].replacement", message: "\"Nowhere\" is not a declared transport." },
        { path: "$.profiles[0].schemeHeaderOrder[2].transport", message: "\"key\" carries a bare token, not a scheme header." },
        { path: "$.profiles[0].tokenOrder[2].transport", message: "\"cookie\" is not a declared transport." },
        {
          path: "$.profiles[1].tokenOrder[1].gatedByLegacy",
          message: "The profile \"acme-1\" has no legacy switch (legacyDefault is null), so nothing in it can be gated."
        },
        { path: "$.formatStyles", message: "A format style named \"canonical\" is required." }
      ])
    }))

  it.effect("separate values: each problem at its JSON path", () =>
    Effect.gen(function*() {
      const { issues, stage } = yield* issuesOf(broken((s) => {
        s.separateValues = [
          { parameter: "App", header: "X-Acme-App", query: "app", headerEncoding: "percent", description: "The app." },
          { parameter: "Key", header: "X-Acme-Secret", description: "Not allowed: the token." },
          { parameter: "Pilot", query: "APP", description: "Unknown parameter, query name taken." },
          { parameter: "App", description: "Twice, and nowhere." },
          { parameter: "Node", header: "x-acme-key", query: "KEY", description: "Transport keys." },
          { parameter: "Session", query: "s", headerEncoding: "percent", description: "Nothing to encode." }
        ]
        s.profiles[0].separateValues = { read: ["query", "query"], precedence: "scheme-header" }
        s.profiles[1].separateValues = { read: [], precedence: "separate-values" }
      }))
      expect(stage).toBe("semantic")
      expect(issues).toEqual([
        { path: "$.separateValues[1].parameter", message: "The token parameter \"Key\" travels in transports (kind \"token\"), not as a separate value." },
        { path: "$.separateValues[2].parameter", message: "\"Pilot\" is not a declared parameter." },
        { path: "$.separateValues[2].query", message: "The query \"APP\" is already used at $.separateValues[0].query." },
        { path: "$.separateValues[3].parameter", message: "\"App\" already has a separate value at $.separateValues[0]." },
        { path: "$.separateValues[3]", message: "A separate value needs a header, a query name or both." },
        { path: "$.separateValues[4].header", message: "The header \"x-acme-key\" is already a transport's key." },
        { path: "$.separateValues[4].query", message: "The query \"KEY\" is already a transport's key." },
        { path: "$.separateValues[5].headerEncoding", message: "There is no header to encode (header is absent)." },
        { path: "$.profiles[0].separateValues.read[1]", message: "\"query\" is listed twice." },
        { path: "$.profiles[1].separateValues.read", message: "Name where separate values are read (header, query), or leave separateValues out." }
      ])
    }))

  it.effect("a profile cannot read separate values of a kind no entry has, or that the spec lacks", () =>
    Effect.gen(function*() {
      const { issues } = yield* issuesOf(broken((s) => {
        s.profiles[0].separateValues = { read: ["header"], precedence: "scheme-header" }
      }))
      expect(issues).toEqual([
        { path: "$.profiles[0].separateValues.read[0]", message: "No separate value travels in a header (see $.separateValues)." }
      ])
    }))

  it.effect("case-insensitive scheme matching makes case-different names duplicates", () =>
    Effect.gen(function*() {
      const { issues } = yield* issuesOf(broken((s) => {
        s.grammar.schemeMatching = "case-insensitive"
        s.schemes[1].name = "ACME"
      }))
      expect(issues).toEqual([{ path: "$.schemes[1].name", message: "The scheme \"ACME\" is already declared at $.schemes[0]." }])
    }))

  it.effect("not JSON at all", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Load.parse("{ \"name\": ", "bad.json"))
      expect(error.stage).toBe("json")
      expect(error.issues[0]?.path).toBe("$")
      expect(error.message).toMatch(/^bad\.json: 1 spec error\n {2}at \$: The file is not valid JSON/)
    }))
})

describe("spec v2", () => {
  const fixedFields = Object.keys(Spec.fixedGrammar)
  const v2 = valid
  const v1 = broken((s) => {
    s.grammar = { ...s.grammar, ...Spec.fixedGrammar }
  })

  it.effect("a spec without the fixed grammar fields decodes to what the v1 spec decodes to", () =>
    Effect.gen(function*() {
      const fromV1 = yield* Load.decode(v1, "acme.json")
      const fromV2 = yield* Load.decode(v2, "acme.json")
      expect(fromV2).toEqual(fromV1)
      expect(fromV2.grammar).toMatchObject(Spec.fixedGrammar)
    }))

  it("a v1 spec loads with one note per fixed field, at its JSON path; a v2 spec has none", () => {
    expect(Load.notes(v1).map((n) => n.path)).toEqual(fixedFields.map((f) => `$.grammar.${f}`))
    expect(Load.notes(v1)[0]!.message).toBe("\"quoting\" admits one value, the default: a spec v2 leaves it out.")
    expect(Load.notes(v2)).toEqual([])
  })

  it.effect("a fixed field with another value is still an error at its path", () =>
    Effect.gen(function*() {
      const { issues, stage } = yield* issuesOf(broken((s) => {
        s.grammar.quoteTrimming = "outer"
      }))
      expect(stage).toBe("schema")
      expect(issues).toEqual([{ path: "$.grammar.quoteTrimming", message: "Expected \"all\", actual \"outer\"" }])
    }))
})
