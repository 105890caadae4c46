// Shared set-up of the parser fuzz tests (*.fuzz.test.ts in codegen and core): how many cases to
// run, how to replay a failure, and the generators of header-like input.
//
// - `npm test` runs DEFAULT_RUNS cases per property. `MBAUTH_FUZZ_RUNS=N` runs N per property
//   (a few expensive properties run a fixed fraction of N); `npm run fuzz` sets it.
// - On failure fast-check prints `{ seed: S, path: "P", endOnFailure: true }` and the shrunk
//   counterexample. `MBAUTH_FUZZ_SEED=S MBAUTH_FUZZ_PATH=P` replays exactly that case (run only
//   the failing property, with vitest's `-t "<its name>"`); the seed alone replays the whole run.
import * as fc from "effect/FastCheck"
import { afterAll, it } from "vitest"

const positiveInt = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === "") return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

const integer = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === "") return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

/** Cases per property in `npm test`: enough to catch regressions in a second or two. */
export const DEFAULT_RUNS = 300

/** Cases per property: `MBAUTH_FUZZ_RUNS`, else {@link DEFAULT_RUNS}. */
export const RUNS = positiveInt(process.env.MBAUTH_FUZZ_RUNS) ?? DEFAULT_RUNS

/** Whether this is a long run (`npm run fuzz`): cases are counted and reported, timeouts lifted. */
export const LONG_RUN = positiveInt(process.env.MBAUTH_FUZZ_RUNS) !== undefined

const SEED = integer(process.env.MBAUTH_FUZZ_SEED)
const PATH = process.env.MBAUTH_FUZZ_PATH?.trim() || undefined

let planned = 0

/**
 * Declares a fuzz property: a vitest test that checks `predicate` (which throws or returns false
 * on failure) on {@link RUNS} × `scale` random cases. `scale` < 1 is for properties whose cases are
 * expensive (very long inputs, whole Effect pipelines).
 *
 * Unlike `it.prop`, the property yields to the event loop every thousand cases: a long run holds
 * the worker for minutes, and vitest reports a worker that stops answering as an error.
 */
export const property = <const Ts extends ReadonlyArray<unknown>>(
  name: string,
  arbitraries: { readonly [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (values: Ts) => boolean | void,
  scale = 1
): void => {
  const numRuns = Math.max(1, Math.round(RUNS * scale))
  planned += numRuns
  // A million cases take minutes on a busy machine; without the override the suite's 30 s apply.
  it(name, LONG_RUN ? { timeout: 60 * 60 * 1000 } : {}, async () => {
    let runs = 0
    const all = fc.tuple(...(arbitraries as ReadonlyArray<fc.Arbitrary<unknown>>)) as unknown as fc.Arbitrary<Ts>
    await fc.assert(
      fc.asyncProperty(all, async (values) => {
        if (++runs % 1000 === 0) await new Promise((resolve) => setImmediate(resolve))
        return predicate(values)
      }),
      { numRuns, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) }
    )
  })
}

/** In a long run, prints how many cases the file ran and how long it took (all properties passed). */
export const reportCases = (file: string): void => {
  const start = performance.now()
  afterAll(() => {
    if (!LONG_RUN) return
    const seconds = ((performance.now() - start) / 1000).toFixed(1)
    console.log(`[fuzz] ${file}: ${planned} cases in ${seconds} s (MBAUTH_FUZZ_RUNS=${RUNS}${SEED === undefined ? "" : `, seed ${SEED}`})`)
  })
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** The parameter names the server reads, and the scheme header's schemes. */
export const KNOWN_KEYS = ["Token", "Client", "Version", "DeviceId", "Device", "UserId"] as const

/** Characters that matter to the grammar, with the usual letters and digits in between. */
export const quirkyChar = fc.constantFrom(
  "\"", "\"", ",", ",", "=", "=", "%", "+", " ", " ", "T", "o", "k", "e", "n", "a", "F", "0", "9", "C", "3", "E", "2",
  "8", "A", "é", "📺", "\u0085", "\u00a0", "\ufeff", "\\", "\t", "\ud800", "\udc00"
)

/** Every kind of character a hostile or broken client could send, weighted towards the grammar's. */
export const wildChar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: quirkyChar, weight: 6 },
  { arbitrary: fc.constantFrom("a", "b", "Z", "7", "-", "_", ".", "~", "!", "*", "'", "(", ")", ";", ":", "/"), weight: 4 },
  // Control characters a header must never carry, and the ones Node rejects.
  { arbitrary: fc.constantFrom("\u0000", "\r", "\n", "\r\n", "\u000b", "\u000c", "\u001b", "\u001c", "\u007f", "\u0080", "\u009f"), weight: 2 },
  // Lone and paired surrogates, non-characters, BOM, non-ASCII white space.
  { arbitrary: fc.constantFrom("\ud800", "\udfff", "\ud83d", "\ude00", "\ud83d\ude00", "\ufffe", "\uffff", "\ufeff", "\u2028", "\u3000", "\u180e", "\u200b", "\u0085", "\u00a0"), weight: 2 },
  // Percent escapes: valid, invalid hex, truncated, broken UTF-8, encoded quote/comma/NUL.
  { arbitrary: fc.constantFrom("%20", "%2", "%zz", "%", "%%", "%C3", "%C3%A9", "%E2%82", "%F0%9F%93%BA", "%FF", "%00", "%22", "%2C", "%3D", "%2B", "%0D%0A", "%ED%A0%80"), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 1 }), weight: 1 }
)

/** A string over {@link wildChar}. */
export const wildString = (maxLength = 16): fc.Arbitrary<string> =>
  fc.array(wildChar, { maxLength }).map((chars) => chars.join(""))

/** Up to 40 characters over the grammar's alphabet (the original compat differential's input). */
export const quirky: fc.Arbitrary<string> = fc.string({ unit: quirkyChar, maxLength: 40 })

/** Any string at all: random UTF-16 (lone surrogates included), code points, the grammar's alphabet. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  quirky,
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  wildString(40)
)

const key: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN_KEYS), weight: 8 },
  // Wrong case, padding the server trims (and some it does not), characters strict refuses.
  {
    arbitrary: fc.constantFrom(
      "token", "TOKEN", "client", "Tok_en", "Token ", " Token", "\tToken", "\u0085Token", "Token\u00a0", "\ufeffToken",
      "Device Id", "\"Token\"", "", " ", "Token2", "X", "api_key", "ApiKey"
    ),
    weight: 3
  },
  { arbitrary: wildString(6), weight: 1 }
)

const equals = fc.constantFrom("=", "=", "=", "=", " =", "= ", "==", "", "=\"\"=")

const value: fc.Arbitrary<string> = fc.tuple(
  wildString(12),
  fc.constantFrom("quoted", "quoted", "quoted", "unquoted", "open", "close", "doubled", "spaced", "escaped")
).map(([body, quoting]) => {
  switch (quoting) {
    case "quoted":
      return `"${body}"`
    case "open":
      return `"${body}`
    case "close":
      return `${body}"`
    case "doubled":
      return `""${body}""`
    case "spaced":
      return ` "${body}" `
    case "escaped":
      return `"${body}\\""`
    default:
      return body
  }
})

/** One `key=value` segment, or a near miss of one. */
export const segment: fc.Arbitrary<string> = fc.tuple(key, equals, value).map(([k, e, v]) => k + e + v)

const separator = fc.constantFrom(", ", ", ", ",", " , ", ",,", ", ,", " ,", "\t,", ",\t", ",  ", "")

/** The parameter list of a header: segments and separators, near misses included. */
export const parameterList = (maxSegments = 8): fc.Arbitrary<string> =>
  fc.array(fc.tuple(segment, separator), { maxLength: maxSegments }).chain((pairs) =>
    fc.constantFrom("", ",", " ", "\t", "\"", ", ").map((tail) =>
      pairs.map(([s, sep], i) => (i === pairs.length - 1 ? s : s + sep)).join("") + tail
    )
  )

/** Scheme prefixes: the real ones in any ASCII case, legacy, foreign, and malformed. */
export const schemePrefix: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("MediaBrowser ", "MediaBrowser ", "mediabrowser ", "MEDIABROWSER ", "MediaBrowser  ", "Emby ", "emby "), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      "Bearer ", "Basic ", " MediaBrowser ", "MediaBrowser", "MediaBrowser\t", "MediaBrowser,", "MediaBrowser, ", "",
      "MEDİABROWSER ", "MediaBrowſer ", "\u212Amby ", "MediaBrowser\u00a0", "Media Browser "
    ),
    weight: 2
  }
)

/** A whole header value that is close to a valid one: what a sloppy or hostile client sends. */
export const nearMissHeader: fc.Arbitrary<string> = fc.tuple(schemePrefix, parameterList()).map(([s, p]) => s + p)

/** 1–3 random edits (insert, delete, replace, duplicate) of a string: valid headers made slightly invalid. */
export const mutated = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(
    base,
    fc.array(
      // Unbiased positions: fast-check favours small numbers, which would put every edit in the scheme.
      fc.tuple(fc.constantFrom("insert", "delete", "replace", "duplicate"), fc.noBias(fc.nat()), fc.nat({ max: 8 }), wildChar),
      { minLength: 1, maxLength: 3 }
    )
  ).map(([text, edits]) => {
    let out = text
    for (const [kind, at, length, char] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1)
      if (kind === "insert") out = out.slice(0, i) + char + out.slice(i)
      else if (kind === "delete") out = out.slice(0, i) + out.slice(i + 1)
      else if (kind === "replace") out = out.slice(0, i) + char + out.slice(i + 1)
      else out = out.slice(0, i) + out.slice(i, i + length) + out.slice(i)
    }
    return out
  })

/**
 * Very long inputs (10 to 100 kilobytes, past any server's header limit): many repeated
 * segments, one enormous value, an unterminated quote running to the end, or thousands of
 * commas, `=`, quotes or broken escapes.
 */
export const longHeader: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(schemePrefix, parameterList(6), fc.integer({ min: 100, max: 1500 })).map(([s, p, n]) => s + `${p}, `.repeat(n)),
  fc.tuple(schemePrefix, wildString(8), fc.integer({ min: 10_000, max: 100_000 })).map(([s, v, n]) =>
    `${s}Token="${"a".repeat(n)}${v}"`
  ),
  fc.tuple(schemePrefix, fc.integer({ min: 1_000, max: 8_000 })).map(([s, n]) => `${s}Client="${"x, Token=y ".repeat(n)}`),
  fc.tuple(schemePrefix, fc.constantFrom(",", "=", "\"", "%", "+", ", =", "%C3"), fc.integer({ min: 10_000, max: 50_000 }))
    .map(([s, c, n]) => s + c.repeat(n))
)

/** Matches a lone (unpaired) UTF-16 surrogate: the one thing no header can encode. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Params with every known key optional and values over {@link wildChar} (lone surrogates included). */
export const wildParams: fc.Arbitrary<Partial<Record<(typeof KNOWN_KEYS)[number], string>>> = fc.record(
  { Token: wildString(10), Client: wildString(10), Version: wildString(10), DeviceId: wildString(10), Device: wildString(10), UserId: wildString(10) },
  { requiredKeys: [] }
)

type Format = (
  params: Partial<Record<(typeof KNOWN_KEYS)[number], string>>,
  options: { readonly style: "canonical" | "jellyfin-sdk"; readonly scheme: string }
) => { readonly _tag: "Ok"; readonly value: string } | { readonly _tag: "Err" }

/** Headers as a module's formatter writes them (both styles, both schemes), then damaged by {@link mutated}. */
export const formattedThenEdited = (format: Format): fc.Arbitrary<string> =>
  mutated(
    fc.tuple(wildParams, fc.constantFrom<"canonical" | "jellyfin-sdk">("canonical", "jellyfin-sdk"), fc.constantFrom("MediaBrowser", "Emby")).map(
      ([params, style, scheme]) => {
        const r = format(params, { style, scheme })
        return r._tag === "Ok" ? r.value : `${scheme} `
      }
    )
  )

const ows = fc.constantFrom("", "", "", " ", "  ", "\t")
const hexByte = fc.integer({ min: 0, max: 255 }).map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0"))

/**
 * Headers in (or right at the edge of) the strict grammar: alphanumeric keys, quoted values of
 * unreserved characters, `+` and `%XX` (any byte, so some are not UTF-8), optional white space
 * around commas and at both ends.
 */
export const strictishHeader: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom("MediaBrowser", "mediabrowser", "Emby"),
  ows,
  fc.array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...KNOWN_KEYS), weight: 4 }, { arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), weight: 1 }),
      fc.array(
        fc.oneof(
          { arbitrary: fc.stringMatching(/^[A-Za-z0-9\-_.!~*'()]{1,6}$/), weight: 4 },
          { arbitrary: fc.constantFrom("+", "%20", "%C3%A9", "%F0%9F%93%BA", "%22", "%2C"), weight: 2 },
          { arbitrary: hexByte, weight: 1 }
        ),
        { maxLength: 6 }
      ).map((parts) => parts.join("")),
      ows,
      ows
    ),
    { maxLength: 6 }
  ),
  ows
).map(([scheme, lead, params, tail]) =>
  `${scheme} ${lead}` + params.map(([k, v, before, after], i) => `${i === 0 ? "" : `${before},${after}`}${k}="${v}"`).join("") + tail
)

/**
 * A near-miss header with `Token=<token>` put somewhere in its parameter list, in one of the shapes
 * sloppy clients write (unquoted, spaced, half-quoted, escaped …). The token is `CANARY` and
 * letters or digits: it must never appear in an error message or rendering.
 */
export const headerWithToken: fc.Arbitrary<{ readonly value: string; readonly token: string }> = fc.tuple(
  nearMissHeader,
  fc.noBias(fc.nat()),
  fc.stringMatching(/^[A-Za-z0-9]{12,24}$/),
  fc.constantFrom("=\"%s\"", "=%s", "= \"%s\"", " =\"%s\"", "=\"%s", "=%s\"", "=\"\"%s\"\"", "=\"%s\\\"", "=\"%s\" "),
  fc.array(segment, { maxLength: 2 })
).map(([header, at, secret, shape, more]) => {
  const token = `CANARY${secret}`
  const space = header.indexOf(" ")
  const list = space < 0 ? [] : header.slice(space + 1).split(",")
  list.splice(at % (list.length + 1), 0, `Token${shape.replace("%s", token)}`, ...more)
  return { value: (space < 0 ? "MediaBrowser" : header.slice(0, space)) + " " + list.join(","), token }
})

/** Whether two dictionaries hold the same entries (insertion order aside). */
export const sameEntries = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean => {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}
