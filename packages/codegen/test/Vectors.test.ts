// The vectors are computed by the generator (the template's algorithm on the spec's tables); here
// every vector is replayed against the generated module, so the two can never drift apart.
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import * as Acme from "./__goldens__/acme/AcmeAuth.js"
import * as MediaBrowser from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"

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
          warnings: x.warnings.map((w) => (w.transport === undefined ? { code: w.code } : { code: w.code, transport: w.transport }))
        }).toEqual(v.result)
      }
    })
  })
}
