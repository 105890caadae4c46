// compat parse against a literal, deliberately naive port of Jellyfin's GetParts and .NET's
// WebUtility.UrlDecode (TextDecoder doing the UTF-8 replacement), on random headers built from the
// characters that matter. `npm run fuzz` raises the number of runs (MBAUTH_FUZZ_RUNS).
import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Auth from "./__goldens__/mediabrowser/MediaBrowserAuthorization.js"

const numRuns = Number(process.env.MBAUTH_FUZZ_RUNS ?? 300)

const dotnetTrim = (s: string) =>
  s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, "")

const trimQuotes = (s: string) => s.replace(/^"+|"+$/g, "")

const hex = (c: string | undefined) => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1)

const referenceUrlDecode = (value: string): string => {
  const bytes: Array<number> = []
  let out = ""
  const flush = () => {
    if (bytes.length > 0) out += new TextDecoder().decode(new Uint8Array(bytes))
    bytes.length = 0
  }
  for (let pos = 0; pos < value.length; pos++) {
    let ch = value.charCodeAt(pos)
    if (ch === 0x2b) ch = 0x20
    else if (ch === 0x25 && pos < value.length - 2) {
      const h1 = hex(value[pos + 1])
      const h2 = hex(value[pos + 2])
      if (h1 >= 0 && h2 >= 0) {
        bytes.push(h1 * 16 + h2)
        pos += 2
        continue
      }
    }
    if ((ch & 0xff80) === 0) bytes.push(ch)
    else {
      flush()
      out += String.fromCharCode(ch)
    }
  }
  flush()
  return out
}

const referenceGetParts = (header: string): Map<string, string> => {
  const result = new Map<string, string>()
  let escaped = false
  let start = 0
  let key = ""
  let i = 0
  for (; i < header.length; i++) {
    const token = header[i]
    if (token === "\"" || token === ",") {
      escaped = !escaped === (token === "\"")
      if (token === "," && !escaped) {
        if (start < i) {
          result.set(key, referenceUrlDecode(trimQuotes(header.slice(start, i))))
          key = ""
        }
        start = i + 1
      }
    } else if (!escaped && token === "=") {
      key = dotnetTrim(header.slice(start, i))
      start = i + 1
    }
  }
  if (start < i) result.set(key, referenceUrlDecode(trimQuotes(header.slice(start, i))))
  return result
}

const alphabet = fc.constantFrom(
  "\"", "\"", ",", ",", "=", "=", "%", "+", " ", " ", "T", "o", "k", "e", "n", "a", "F", "0", "9", "C", "3", "E", "2",
  "8", "A", "é", "📺", "\u0085", "\u00a0", "\ufeff", "\\", "\t", "\ud800", "\udc00"
)
const quirky = fc.string({ unit: alphabet, maxLength: 40 })
const anything = fc.oneof(quirky, fc.string({ unit: "binary", maxLength: 40 }), fc.string({ maxLength: 40 }))

describe("compat parse (fuzz)", () => {
  it.prop("builds exactly GetParts's dictionary", [quirky], ([rest]) => {
    const r = Auth.parse("MediaBrowser " + rest)
    if (r._tag !== "Ok") return false
    expect([...r.value.dictionary].sort()).toEqual([...referenceGetParts(rest)].sort())
    return true
  }, { fastCheck: { numRuns } })

  it.prop("never throws, in either mode, on any string", [anything, fc.boolean()], ([rest, legacy]) => {
    for (const value of [rest, "MediaBrowser " + rest, "Emby " + rest]) {
      for (const mode of ["compat", "strict"] as const) {
        const r = Auth.parse(value, { mode, legacy })
        expect(r._tag === "Ok" || typeof r.error.offset === "number").toBe(true)
      }
    }
  }, { fastCheck: { numRuns } })

  it.prop("extract never throws on odd requests", [anything, anything, fc.constantFrom(...Auth.PROFILES.map((p) => p.name))], ([a, b, profile]) => {
    const x = Auth.extract(
      { headers: { authorization: "MediaBrowser " + a, "X-Emby-Authorization": [b, a], "x-emby-token": b }, query: { apikey: [a, b] } },
      { profile }
    )
    expect(typeof x.hasToken).toBe("boolean")
  }, { fastCheck: { numRuns: Math.min(numRuns, 200) } })
})
