// compat parse against the slow reference (utils/reference.ts: a literal port of Jellyfin's scheme
// check, GetParts and .NET's WebUtility.UrlDecode) on arbitrary strings, near-miss headers, valid
// headers with random edits and very long inputs. compat must never throw and must read every
// input exactly as the server does. `npm run fuzz` raises the number of cases (utils/fuzz.ts).
import { assert, describe, expect } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import {
  anyString,
  formattedThenEdited,
  KNOWN_KEYS,
  longHeader,
  nearMissHeader,
  parameterList,
  quirky,
  reportCases,
  sameEntries,
  strictishHeader,
  property
} from "./utils/fuzz.js"
import { referenceGetParts, referenceRead } from "./utils/reference.js"

reportCases("codegen Compat.fuzz")

const NO_DICTIONARY: ReadonlyArray<string> = ["MissingScheme", "UnknownScheme", "LegacySchemeDisabled"]

const headerValue = fc.oneof(
  nearMissHeader,
  strictishHeader,
  formattedThenEdited(Auth.format),
  anyString,
  quirky.map((q) => "MediaBrowser " + q)
)

/** compat parse and the reference agree on `value`; throws (with a diff) where they do not. */
const agreesWithServer = (value: string, legacy: boolean): true => {
  const expected = referenceRead(value, legacy)
  const r = Auth.parse(value, { mode: "compat", legacy })
  if (expected === undefined) {
    assert(r._tag === "Err", `the server reads no dictionary from ${JSON.stringify(value.slice(0, 200))}`)
    assert.include(NO_DICTIONARY, r.error.code)
    assert.isTrue(r.error.offset >= 0 && r.error.offset <= value.length)
    return true
  }
  assert(r._tag === "Ok", `the server reads ${JSON.stringify(value.slice(0, 200))}: ${r._tag === "Err" ? r.error.code : ""}`)
  if (!sameEntries(r.value.dictionary, expected)) {
    expect([...r.value.dictionary].sort()).toEqual([...expected].sort())
  }
  // The params are the dictionary's known keys, nothing else.
  for (const k of KNOWN_KEYS) assert.strictEqual(r.value.params[k], expected.get(k), k)
  assert.strictEqual(Object.keys(r.value.params).length, KNOWN_KEYS.filter((k) => expected.has(k)).length)
  return true
}

describe("compat parse (fuzz)", () => {
  property("builds exactly GetParts's dictionary", [fc.oneof(quirky, parameterList())], ([rest]) => {
    const r = Auth.parse("MediaBrowser " + rest)
    assert(r._tag === "Ok")
    const expected = referenceGetParts(rest)
    if (!sameEntries(r.value.dictionary, expected)) expect([...r.value.dictionary].sort()).toEqual([...expected].sort())
  })

  property(
    "reads any header value as the server does: scheme, legacy switch, dictionary, params",
    [headerValue, fc.boolean()],
    ([value, legacy]) => agreesWithServer(value, legacy)
  )

  property("reads very long inputs as the server does", [longHeader, fc.boolean()], ([value, legacy]) => {
    agreesWithServer(value, legacy)
    const strict = Auth.parse(value, { mode: "strict", legacy })
    if (strict._tag === "Err") assert.isTrue(strict.error.offset >= 0 && strict.error.offset <= value.length)
  }, 0.002)

  property("never throws, in either mode, on any string", [fc.oneof(anyString, nearMissHeader), fc.boolean()], ([rest, legacy]) => {
    for (const value of [rest, "MediaBrowser " + rest, "Emby " + rest]) {
      for (const mode of ["compat", "strict"] as const) {
        const r = Auth.parse(value, { mode, legacy })
        // Reading the dictionary is lazy: force it too.
        if (r._tag === "Ok") assert.isTrue(r.value.dictionary.size >= 0)
        else assert.isTrue(Number.isInteger(r.error.offset))
      }
    }
  })

  property(
    "extract never throws on odd requests",
    [anyString, fc.oneof(anyString, nearMissHeader), fc.constantFrom(...Auth.PROFILES.map((p) => p.name)), fc.option(fc.boolean(), { nil: undefined })],
    ([a, b, profile, legacy]) => {
      const x = Auth.extract(
        {
          headers: { authorization: "MediaBrowser " + a, "X-Emby-Authorization": [b, a], "x-emby-token": b, "X-MEDIABROWSER-TOKEN": [] },
          query: { apikey: [a, b], API_KEY: a }
        },
        legacy === undefined ? { profile } : { profile, legacy }
      )
      assert.strictEqual(typeof x.hasToken, "boolean")
      assert.isTrue(x.token === undefined || x.token.value !== "")
    },
    0.2
  )
})
