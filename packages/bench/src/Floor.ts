/**
 * The floor of row 1: parsers that do only the work any parse of the typical header must do, so
 * that the ratio a target asks for can be checked against what this machine allows.
 *
 * They are hard-wired to the typical header's shape: its one scheme, its five keys (each still
 * compared in full: a parser cannot take `Cxxxxx="` for `Client="`), values that end at the next
 * quote, `, ` between pairs, no `+`, and only ASCII `%XX` escapes. Everything the generated parser
 * handles beyond that (unknown keys, other separators, `+`, UTF-8 escapes, repeated keys, every
 * fallback to the server's general algorithm, the dictionary) is left out. What is left is what
 * a correct parse of this header cannot skip: find the scheme, each closing quote and any `+`,
 * check the `, ` between pairs and that nothing follows the last value, compare five keys, slice
 * five values, decode one escape, build the params and the result, the same objects the
 * generated `parse` returns. The strict floor adds one native check of the strict
 * grammar (the cheapest of the four native checks measured in BENCHMARKS.md).
 *
 * Not a parser to use: it returns undefined at the first thing it was not wired for.
 *
 * @since 0.1.0
 */

const names = ["Token", "Client", "Version", "DeviceId", "Device"] as const

// The keys starting with each ASCII character, by its code (D starts two). Dense, as in the
// generated module: reading a hole costs a prototype check.
const none: ReadonlyArray<number> = []
const candidatesByCode: ReadonlyArray<ReadonlyArray<number>> = Array.from(
  { length: 128 },
  (_, c) => c === 84 ? [0] : c === 67 ? [1] : c === 86 ? [2] : c === 68 ? [3, 4] : none
)

const hex = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1

// The strict grammar of a parameter list, as the generated module checks it.
const strictList =
  /[ \t]*[A-Za-z0-9]+="[-A-Za-z0-9_.!~*'()+%]*"(?:,[ \t]*[A-Za-z0-9]+="[-A-Za-z0-9_.!~*'()+%]*")*[ \t]*$/y

// Params objects the way the generated module builds them (constructed, properties in object).
const ParamsObject = function ParamsObject() {} as unknown as new() => Record<string, string>
ParamsObject.prototype = Object.prototype

class Parsed {
  constructor(readonly scheme: string, readonly params: Readonly<Record<string, string>>) {}
}

/**
 * What both floors return: the generated `parse`'s result, without its dictionary.
 *
 * @since 0.1.0
 * @category models
 */
export interface FloorResult {
  readonly _tag: "Ok"
  readonly value: { readonly scheme: string; readonly params: Readonly<Record<string, string>> }
}

// Decodes s[from, to), which holds `%` at `percent` (ASCII escapes only).
const decode = (s: string, from: number, to: number, percent: number): string | undefined => {
  let out = ""
  let run = from
  for (let p = percent; p >= 0 && p < to; p = s.indexOf("%", run)) {
    const b = (hex(s.charCodeAt(p + 1)) << 4) | hex(s.charCodeAt(p + 2))
    if (b < 0 || b >= 0x80) return undefined
    out += s.slice(run, p) + String.fromCharCode(b)
    run = p + 3
  }
  return out + s.slice(run, to)
}

const walk = (s: string, from: number): FloorResult | undefined => {
  let token: string | undefined
  let client: string | undefined
  let version: string | undefined
  let deviceId: string | undefined
  let device: string | undefined
  let percent = s.indexOf("%", from)
  // The grammar decodes `+` as a space, so a parse must look for one; the floor is not wired for it.
  const plus = s.indexOf("+", from)
  let i = from
  while (i < s.length) {
    const c = s.charCodeAt(i)
    const candidates = c < 128 ? candidatesByCode[c]! : none
    let key = -1
    let open = 0
    for (let j = 0; j < candidates.length; j++) {
      const p = candidates[j]!
      const eq = i + names[p]!.length
      if (s.charCodeAt(eq) === 61 && s.charCodeAt(eq + 1) === 34 && s.slice(i, eq) === names[p]) {
        key = p
        open = eq + 2
        break
      }
    }
    if (key < 0) return undefined
    const close = s.indexOf("\"", open)
    if (close < 0 || (plus >= 0 && plus < close)) return undefined
    let value: string | undefined
    if (percent >= 0 && percent < close) {
      value = decode(s, open, close, percent)
      percent = s.indexOf("%", close)
    } else value = s.slice(open, close)
    if (value === undefined) return undefined
    if (key === 0) token = value
    else if (key === 1) client = value
    else if (key === 2) version = value
    else if (key === 3) deviceId = value
    else device = value
    // The value ends the header, or `, ` comes before the next key.
    const next = close + 1
    if (next === s.length) break
    if (s.charCodeAt(next) !== 44 || s.charCodeAt(next + 1) !== 32) return undefined
    i = next + 2
  }
  const params = new ParamsObject()
  if (token !== undefined) params["Token"] = token
  if (client !== undefined) params["Client"] = client
  if (version !== undefined) params["Version"] = version
  if (deviceId !== undefined) params["DeviceId"] = deviceId
  if (device !== undefined) params["Device"] = device
  return { _tag: "Ok", value: new Parsed("MediaBrowser", params) }
}

const schemeEnd = (s: string): number => {
  const space = s.indexOf(" ")
  return space === 12 && s.slice(0, space) === "MediaBrowser" ? space + 1 : -1
}

/**
 * The least work a compat parse of the typical header does.
 *
 * @since 0.1.0
 * @category floors
 */
export const compatFloor = (s: string): FloorResult | undefined => {
  const from = schemeEnd(s)
  return from < 0 ? undefined : walk(s, from)
}

/**
 * The compat floor plus one native check of the strict grammar.
 *
 * @since 0.1.0
 * @category floors
 */
export const strictFloor = (s: string): FloorResult | undefined => {
  const from = schemeEnd(s)
  if (from < 0) return undefined
  strictList.lastIndex = from
  return strictList.test(s) ? walk(s, from) : undefined
}

/**
 * A result kept alive, so the hidden classes it uses survive the full GC the harness runs before
 * each sample (the generated module does the same; without it, every sample would start by
 * deoptimising the floor).
 *
 * @since 0.1.0
 * @category internals
 */
export const keptAlive: ReadonlyArray<unknown> = [
  compatFloor("MediaBrowser Token=\"t\", Client=\"c%20\", Version=\"v\", DeviceId=\"i\", Device=\"d\"")
]
