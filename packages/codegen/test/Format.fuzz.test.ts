// format on hostile values (control characters, CR/LF/NUL, quotes, commas, lone surrogates, very
// long strings): the output is always a safe header value — no CR, LF or NUL, no unbalanced quote,
// accepted by Node's own header validation and by fetch's Headers — that both parse modes read
// back to the same params; the only failure is a lone surrogate, reported, never thrown.
// `npm run fuzz` raises the number of cases (utils/fuzz.ts).
import { assert, describe, expect } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { validateHeaderName, validateHeaderValue } from "node:http"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"
import { LONE_SURROGATE, property, reportCases, wildParams, wildString } from "./utils/fuzz.js"

reportCases("codegen Format.fuzz")

const value = fc.oneof(
  { arbitrary: wildString(24), weight: 8 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 24 }), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 2 },
  // Very long values (tens of kilobytes once encoded).
  { arbitrary: fc.tuple(wildString(4), fc.integer({ min: 500, max: 4_000 })).map(([v, n]) => v.repeat(n)), weight: 1 }
)

const params = fc.oneof(
  // No parameters at all: "MediaBrowser " (found by the long run, rare otherwise).
  { arbitrary: fc.constant<Auth.Params>({}), weight: 1 },
  { arbitrary: wildParams, weight: 2 },
  { arbitrary: fc.record({ Token: value, Client: value, Version: value, DeviceId: value, Device: value, UserId: value }, { requiredKeys: [] }), weight: 2 }
)

const style = fc.constantFrom(...Auth.FORMAT_STYLES.map((s) => s.name))
const scheme = fc.constantFrom(...Auth.SCHEMES.map((s) => s.name))

// The whole shape: a scheme, a space, then key="value" pairs joined by ", ", with no quote inside a value.
const SHAPE = /^(MediaBrowser|Emby) (?:[A-Za-z]+="[^"]*"(?:, [A-Za-z]+="[^"]*")*)?$/

describe("format (fuzz)", () => {
  property("writes only safe header values, which both parse modes read back", [params, style, scheme], ([p, s, sch]) => {
    const { absent, order } = Auth.FORMAT_STYLES.find((x) => x.name === s)!
    // The parameters this style writes that no header can carry.
    const unencodable = order.filter((k) => p[k] !== undefined && LONE_SURROGATE.test(p[k]))
    const r = Auth.format(p, { style: s, scheme: sch })
    if (r._tag === "Err") {
      assert.strictEqual(r.error.code, "UnencodableValue")
      assert.include(unencodable, r.error.parameter)
      return
    }
    assert.deepStrictEqual(unencodable, [], "a lone surrogate must be an error")
    const header = r.value
    assert.isFalse(/[\r\n\0]/.test(header), "no CR, LF or NUL")
    assert.isTrue(SHAPE.test(header), "scheme, then key=\"value\" pairs with balanced quotes")
    // Node's own check (what http.request and setHeader run), and undici's (fetch).
    validateHeaderName("Authorization")
    validateHeaderValue("Authorization", header)
    // fetch trims surrounding white space, as every HTTP server does ("MediaBrowser " for no params).
    assert.strictEqual(new Headers({ authorization: header }).get("authorization"), header.trim())

    const expected = Object.fromEntries(
      order.flatMap((k) => (p[k] !== undefined ? [[k, p[k]]] : absent === "empty" ? [[k, ""]] : []))
    )
    for (const mode of ["compat", "strict"] as const) {
      const parsed = Auth.parse(header, { mode })
      assert(parsed._tag === "Ok", `${mode}: ${parsed._tag === "Err" ? parsed.error.code : ""}`)
      assert.strictEqual(parsed.value.scheme, sch)
      expect(parsed.value.params).toEqual(expected)
    }
  })

  property("validate never throws, and flags exactly the unencodable values", [params, fc.constantFrom("login", "request")], ([p, operation]) => {
    const issues = Auth.validate(p, operation as Auth.Operation)
    const flagged = issues.filter((i) => i.code === "UnencodableValue").map((i) => i.parameter).sort()
    const unencodable = Object.entries(p).filter(([, v]) => v !== undefined && LONE_SURROGATE.test(v)).map(([k]) => k).sort()
    expect(flagged).toEqual(unencodable)
  }, 0.5)
})
