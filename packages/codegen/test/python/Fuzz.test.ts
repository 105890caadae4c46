// The python target's fuzz property. A seed corpus is made here, with utils/fuzz.ts's generators
// and a fixed seed, and the TypeScript module's results for it (parse and scan in both modes, with
// legacy on and off; format in every style and scheme; extract of requests mixing scheme headers,
// tokens and Emby's separate values, for every profile and legacy switch); fuzz_check.py checks that
// the generated Python package gives equal results, error messages and UTF-16 offsets included, then
// runs Hypothesis properties: no operation raises on any string, and extract's client values hold
// together.
import * as fc from "effect/FastCheck"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Auth from "../__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import {
  anyString,
  formattedThenEdited,
  longHeader,
  nearMissHeader,
  RUNS,
  strictishHeader,
  wildParams,
  wildString
} from "../utils/fuzz.js"
import { generate, INSTALL_TIMEOUT, programs, python, specs, venvPython } from "./utils/python.js"

/** The corpus's seed: fixed, so that every language checks the same inputs. */
export const SEED = 20261207

const dir = mkdtempSync(join(tmpdir(), "mbauth-python-fuzz-"))

const parseResult = (value: string, options: Auth.ParseOptions) => {
  const r = Auth.parse(value, options)
  return r._tag === "Err"
    ? { error: r.error }
    : { ok: { scheme: r.value.scheme, dictionary: [...r.value.dictionary], params: r.value.params } }
}

const scanResult = (value: string, options: Auth.ParseOptions) => {
  const r = Auth.scan(value, options)
  return r._tag === "Err"
    ? { error: r.error }
    : {
      ok: {
        scheme: r.value.scheme,
        parts: r.value.parts.map((p) => (p._tag === "Value" ? { ...p, key: p.key ?? null } : p)),
        unterminatedQuote: r.value.unterminatedQuote ?? null
      }
    }
}

// Client values that collide often (equal, empty, percent-encoded) and wild ones.
const clientValue = fc.oneof(fc.constantFrom("", "", "a", "b", "Living%20room", "Living room", "a+b", "%zz", " "), wildString(8))
const requestValue = fc.oneof({ arbitrary: clientValue, weight: 4 }, { arbitrary: fc.array(clientValue, { maxLength: 3 }), weight: 1 })
const anyCase = (name: string) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase())
const separateName = fc.constantFrom(...(Auth.SEPARATE_VALUES.map((v) => v.header))).chain(anyCase)
const schemeHeader = fc.oneof(
  fc.tuple(
    fc.record({ Client: clientValue, Device: clientValue, DeviceId: clientValue, Version: clientValue, Token: clientValue }, { requiredKeys: [] }),
    fc.constantFrom("MediaBrowser", "Emby")
  ).map(([params, scheme]) => {
    const r = Auth.format(params, { scheme })
    return r._tag === "Ok" ? r.value : `${scheme} `
  }),
  formattedThenEdited(Auth.format),
  nearMissHeader
)
const entries = (names: fc.Arbitrary<string>) => fc.array(fc.tuple(names, requestValue), { maxLength: 5 }).map((e) => Object.fromEntries(e))

/** Requests mixing scheme headers, token headers and query values, and the separate values as headers and query values. */
const request = fc.record(
  {
    headers: fc.tuple(
      entries(fc.oneof({ arbitrary: separateName, weight: 3 }, { arbitrary: fc.constantFrom("X-Emby-Token", "X-MediaBrowser-Token"), weight: 1 })),
      fc.array(fc.tuple(fc.constantFrom("Authorization", "authorization", "X-Emby-Authorization"), schemeHeader), { maxLength: 2 })
    ).map(([values, headers]) => ({ ...values, ...Object.fromEntries(headers) })),
    query: entries(fc.oneof(separateName, fc.constantFrom("api_key", "ApiKey")))
  },
  { requiredKeys: ["headers"] }
)

const extractResult = (given: Auth.RequestLike, options: Auth.ExtractOptions) => {
  const x = Auth.extract(given, options)
  return {
    token: x.token ?? null,
    hasToken: x.hasToken,
    authorization: x.authorization === undefined
      ? null
      : { transport: x.authorization.transport, scheme: x.authorization.header.scheme, dictionary: [...x.authorization.header.dictionary] },
    candidates: x.candidates,
    warnings: x.warnings.map((w) => (w.transport === undefined ? { code: w.code, message: w.message } : { ...w })),
    parameters: x.parameters,
    parameterValues: x.parameterValues
  }
}

/** The seed corpus: inputs, and what the TypeScript module gives for them. */
const corpus = () => {
  const headers = [
    ...fc.sample(fc.oneof(nearMissHeader, strictishHeader, formattedThenEdited(Auth.format), anyString), { seed: SEED, numRuns: 1500 }),
    ...fc.sample(longHeader, { seed: SEED, numRuns: 10 }),
    // Characters outside the BMP before every kind of error: offsets count UTF-16 code units.
    "MediaBrowser 📺=\"a\"",
    "MediaBrowser Token=\"📺\"",
    "MediaBrowser Client=\"a\"📺, Token=\"b\"",
    "📺 Token=\"a\"",
    "📺📺"
  ]
  const parse = headers.flatMap((input) =>
    (["compat", "strict"] as const).flatMap((mode) =>
      [true, false].map((legacy) => ({
        input,
        options: { mode, legacy },
        parse: parseResult(input, { mode, legacy }),
        scan: scanResult(input, { mode, legacy })
      }))
    )
  )
  const format = fc.sample(wildParams, { seed: SEED, numRuns: 500 }).flatMap((params) =>
    Auth.FORMAT_STYLES.flatMap((style) =>
      ["MediaBrowser", "Emby", "Bearer"].map((scheme) => {
        const r = Auth.format(params, { style: style.name, scheme })
        return { params, style: style.name, scheme, result: r._tag === "Ok" ? { ok: r.value } : { error: r.error } }
      })
    )
  )
  const extract = fc.sample(request, { seed: SEED, numRuns: 400 }).flatMap((given) =>
    Auth.PROFILES.flatMap((profile) =>
      (profile.legacyDefault === null ? [undefined] : [undefined, !profile.legacyDefault]).map((legacy) => {
        const options = legacy === undefined ? { profile: profile.name } : { profile: profile.name, legacy }
        return { request: given, options, result: extractResult(given, options) }
      })
    )
  )
  return { parse, format, extract }
}

beforeAll(async () => {
  await venvPython()
  await generate([specs.mediabrowser], dir)
}, INSTALL_TIMEOUT)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("python target (fuzz)", () => {
  it("equals the TypeScript module on the seed corpus, and Hypothesis finds nothing that raises", async () => {
    const cases = corpus()
    writeFileSync(join(dir, "corpus.json"), JSON.stringify(cases))
    if (process.env.MBAUTH_KEEP_CORPUS) writeFileSync(process.env.MBAUTH_KEEP_CORPUS, JSON.stringify(cases))
    const { stdout } = await python([join(programs, "fuzz_check.py"), "corpus.json", String(RUNS)], { cwd: dir, timeout: 600_000 })
    const report = JSON.parse(stdout) as {
      corpus: { parse: number; format: number; extract: number }
      mismatched: number
      mismatches: unknown
      examples: number
    }
    expect(report.mismatches).toEqual([])
    expect(report.mismatched).toBe(0)
    expect(report.corpus).toEqual({ parse: cases.parse.length, format: cases.format.length, extract: cases.extract.length })
    expect(report.corpus.parse).toBeGreaterThan(6000)
    // The corpus reaches every way a client value is taken, shadowed or left unread, and both warnings.
    const values = cases.extract.flatMap((c) => c.result.parameterValues)
    expect(new Set(values.map((v) => `${v.via} ${v.ignored ?? "taken"}`))).toEqual(
      new Set(["scheme taken", "scheme Shadowed", "header taken", "header Shadowed", "header NotReadByProfile", "query taken", "query Shadowed", "query NotReadByProfile"])
    )
    const codes = new Set(cases.extract.flatMap((c) => c.result.warnings.map((w) => w.code)))
    expect(codes).toContain("ConflictingValues")
    expect(codes).toContain("SeparateValuesNotRead")
    expect(report.examples).toBeGreaterThanOrEqual(RUNS)
  }, 600_000)
})
