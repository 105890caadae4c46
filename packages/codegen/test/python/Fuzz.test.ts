// The python target's fuzz property. A seed corpus is made here, with utils/fuzz.ts's generators
// and a fixed seed, and the TypeScript module's results for it (parse and scan in both modes, with
// legacy on and off; format in every style and scheme); fuzz_check.py checks that the generated
// Python package gives equal results, error messages and UTF-16 offsets included, then runs
// Hypothesis properties: no operation raises on any string.
import * as fc from "effect/FastCheck"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Auth from "../__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import { anyString, formattedThenEdited, longHeader, nearMissHeader, RUNS, strictishHeader, wildParams } from "../utils/fuzz.js"
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
  return { parse, format }
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
    const report = JSON.parse(stdout) as { corpus: { parse: number; format: number }; mismatched: number; mismatches: unknown; examples: number }
    expect(report.mismatches).toEqual([])
    expect(report.mismatched).toBe(0)
    expect(report.corpus).toEqual({ parse: cases.parse.length, format: cases.format.length })
    expect(report.corpus.parse).toBeGreaterThan(6000)
    expect(report.examples).toBeGreaterThanOrEqual(RUNS)
  }, 600_000)
})
