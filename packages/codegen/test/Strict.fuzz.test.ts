// strict parse on headers in, near and far from its grammar: every success formats back to an
// equivalent header and is read the same way by the server (so strict never vouches for a header
// Jellyfin misreads); every failure points inside the input and never quotes a secret.
// `npm run fuzz` raises the number of cases (utils/fuzz.ts).
import { assert, describe, expect } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import {
  anyString,
  formattedThenEdited,
  headerWithToken,
  nearMissHeader,
  reportCases,
  sameEntries,
  strictishHeader,
  property
} from "./utils/fuzz.js"
import { kestrelTrim, referenceRead } from "./utils/reference.js"

reportCases("codegen Strict.fuzz")

const STRICT_CODES: ReadonlyArray<Auth.ParseErrorCode> = [
  "MissingScheme",
  "UnknownScheme",
  "LegacySchemeDisabled",
  "InvalidKey",
  "KeyCase",
  "ExpectedEquals",
  "UnquotedValue",
  "InvalidCharacter",
  "InvalidPercentEncoding",
  "InvalidUtf8",
  "UnterminatedQuote",
  "ExpectedComma",
  "TrailingComma",
  "DuplicateKey"
]

const SDK_ORDER = Auth.FORMAT_STYLES.find((s) => s.name === "jellyfin-sdk")!.order

const input = fc.oneof(
  { arbitrary: strictishHeader, weight: 4 },
  { arbitrary: formattedThenEdited(Auth.format), weight: 3 },
  { arbitrary: nearMissHeader, weight: 2 },
  { arbitrary: anyString, weight: 1 }
)

describe("strict parse (fuzz)", () => {
  property(
    "a success formats back to an equivalent header, and the server reads it the same way",
    [input, fc.boolean()],
    ([value, legacy]) => {
      const r = Auth.parse(value, { mode: "strict", legacy })
      if (r._tag === "Err") return
      const { params, scheme } = r.value

      // Formatting the params gives a header strict reads back to the same scheme and params.
      for (const style of ["canonical", "jellyfin-sdk"] as const) {
        const formatted = Auth.format(params, { style, scheme })
        assert(formatted._tag === "Ok", `strict accepted ${JSON.stringify(value)}, yet its params cannot be formatted`)
        const again = Auth.parse(formatted.value, { mode: "strict", legacy })
        assert(again._tag === "Ok", `${JSON.stringify(formatted.value)}: ${again._tag === "Err" ? again.error.code : ""}`)
        assert.strictEqual(again.value.scheme, scheme)
        if (style === "canonical") expect(again.value.params).toEqual(params)
        else {
          // The SDK style writes its five parameters only, "" for the absent ones.
          for (const k of SDK_ORDER) assert.strictEqual(again.value.params[k], params[k] ?? "", k)
        }
      }

      // What strict vouches for is what Jellyfin reads (after the HTTP server trims the value).
      // ("MediaBrowser " trimmed is a bare scheme: no dictionary, which reads like an empty one.)
      const trimmed = kestrelTrim(value)
      const server = referenceRead(trimmed, legacy) ?? (trimmed.includes(" ") ? undefined : new Map<string, string>())
      assert(server !== undefined, `strict accepted ${JSON.stringify(value)}, the server reads no dictionary`)
      if (!sameEntries(r.value.dictionary, server)) {
        expect({ value, strict: [...r.value.dictionary].sort() }).toEqual({ value, strict: [...server].sort() })
      }
    }
  )

  property(
    "a failure has a known code and an offset inside the input",
    [input, fc.boolean()],
    ([value, legacy]) => {
      const r = Auth.parse(value, { mode: "strict", legacy })
      if (r._tag === "Ok") return
      assert.include(STRICT_CODES, r.error.code)
      assert.isTrue(Number.isInteger(r.error.offset), "integer offset")
      assert.isTrue(r.error.offset >= 0 && r.error.offset <= value.length, `offset ${r.error.offset} in 0..${value.length}`)
      // Past the last character only when the input ended too early.
      if (r.error.offset === value.length && value.length > 0) {
        assert.include(["MissingScheme", "ExpectedEquals", "UnquotedValue", "InvalidPercentEncoding"], r.error.code)
      }
    }
  )

  property("error messages never quote the token", [headerWithToken, fc.boolean()], ([{ token, value }, legacy]) => {
    for (const mode of ["strict", "compat"] as const) {
      const r = Auth.parse(value, { mode, legacy })
      if (r._tag === "Err") assert.notInclude(r.error.message, token, `${mode} ${JSON.stringify(value)}`)
    }
  }, 0.5)
})
