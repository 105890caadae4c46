/**
 * `mbauth request explain`.
 *
 * @internal
 */
import type * as Generated from "@mbauth/core/generated/MediaBrowserAuthorization"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Batch from "../../Batch.js"
import * as CliError from "../../CliError.js"
import type { ExplainArgs } from "../../commands/Request.js"
import { Output } from "../../Output.js"
import * as Common from "../header/common.js"

type Values = Record<string, string | Array<string>>

const append = (record: Values, name: string, value: string) => {
  const existing = record[name]
  record[name] = existing === undefined ? value : [...(typeof existing === "string" ? [existing] : existing), value]
}

/** `Name: value` (curl's -H): the value loses the white space around it, as Kestrel strips it. */
export const parseHeader = (text: string): Either.Either<readonly [string, string], string> => {
  const colon = text.indexOf(":")
  const name = colon < 0 ? "" : text.slice(0, colon).trim()
  if (colon < 0 || name === "" || /\s/.test(name)) {
    return Either.left(`-H takes 'Name: value', got something without a header name and colon`)
  }
  return Either.right([name, text.slice(colon + 1).trim()])
}

// Query strings are form-decoded by ASP.NET Core: "+" is a space, %XX a byte; a malformed
// escape stays as it is.
const formDecode = (text: string): string => {
  const spaced = text.replaceAll("+", " ")
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

/** The request given as `-H` and `-q` values. @internal */
export const requestFromArgs = (
  headerArgs: ReadonlyArray<string>,
  queryArgs: ReadonlyArray<string>
): Effect.Effect<Generated.RequestLike, CliError.UsageError> =>
  Effect.gen(function*() {
    const headers: Values = {}
    for (const text of headerArgs) {
      const parsed = parseHeader(text)
      if (Either.isLeft(parsed)) return yield* new CliError.UsageError({ message: parsed.left })
      append(headers, ...parsed.right)
    }
    const query: Values = {}
    for (const text of queryArgs) append(query, ...parseQuery(text))
    return { headers, query }
  })

/** `name=value` (-q); a bare `name` has the empty value. */
export const parseQuery = (text: string): readonly [string, string] => {
  const eq = text.indexOf("=")
  return eq < 0 ? [formDecode(text), ""] : [formDecode(text.slice(0, eq)), formDecode(text.slice(eq + 1))]
}

const valuesFromJson = (value: unknown, field: string): Either.Either<Values, string> => {
  if (value === undefined || value === null) return Either.right({})
  if (typeof value !== "object" || Array.isArray(value)) return Either.left(`"${field}" must be an object of names to values`)
  const out: Values = {}
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === "string") out[name] = v
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out[name] = v as Array<string>
    else return Either.left(`"${field}.${name}" must be a string or an array of strings`)
  }
  return Either.right(out)
}

/** A `--input jsonl` line: `{"headers": {…}, "query": {…}}`. */
export const requestFromJson = (value: unknown): Either.Either<Generated.RequestLike, string> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return Either.left("each line must be a JSON object {\"headers\": {…}, \"query\": {…}}")
  }
  const record = value as Record<string, unknown>
  return Either.all({ headers: valuesFromJson(record.headers, "headers"), query: valuesFromJson(record.query, "query") })
}

interface Explained {
  readonly results: ReadonlyArray<readonly [Common.Variant, Generated.Extraction]>
  readonly view: Common.View
}

export const explainRequest = (
  request: Generated.RequestLike,
  variants: ReadonlyArray<Common.Variant>,
  showSecrets: boolean
): Explained => {
  const results = variants.map((variant) => [variant, Common.extractFor(request, variant)] as const)
  // Every token the request carries (from any transport, read or not), and every Token inside
  // the scheme headers, is masked wherever it shows up.
  const known = new Set<string>()
  for (const [, extraction] of results) for (const c of extraction.candidates) known.add(c.value)
  for (const v of Object.values(request.headers)) {
    for (const text of typeof v === "string" ? [v] : v ?? []) for (const s of Common.secretsOf(text)) known.add(s)
  }
  return { results, view: Common.makeView(showSecrets, [...known]) }
}

const toJson = (e: Explained) => ({
  ok: true,
  profiles: e.results.map(([variant, extraction]) => Common.extractionJson(variant, extraction, e.view))
})

const variantsOf = (args: ExplainArgs) => Common.variants(Option.getOrUndefined(args.profile))

const line = (args: ExplainArgs): (text: string) => Batch.LineResult => {
  // The same profiles for every line: worked out once.
  const variants = variantsOf(args)
  return (text) => {
    const decoded = Either.flatMap(Batch.parseJsonLine(text), (value) =>
      Either.mapLeft(requestFromJson(value), (message) => Batch.invalidInput("InvalidRequest", message)))
    if (Either.isLeft(decoded)) return decoded.left
    const explained = explainRequest(decoded.right, variants, args.showSecrets)
    return { ok: true, json: () => toJson(explained), human: () => Common.variantsInline(explained.results) }
  }
}

/** @internal */
export const run = (args: ExplainArgs) =>
  Effect.gen(function*() {
    const out = yield* Output
    if (args.stdin) {
      if (args.headers.length > 0 || args.query.length > 0) {
        return yield* new CliError.UsageError({ message: "give -H/-q or --stdin, not both" })
      }
      yield* Batch.inputFormat(args.input, "request explain", ["jsonl"])
      return yield* Batch.run(line(args))
    }
    if (args.headers.length === 0 && args.query.length === 0) {
      return yield* new CliError.UsageError({
        message: "nothing to explain",
        hint: "give the request's headers and query: -H 'Authorization: MediaBrowser Token=\"…\"' -q ApiKey=…, or --stdin"
      })
    }
    const explained = explainRequest(yield* requestFromArgs(args.headers, args.query), variantsOf(args), args.showSecrets)
    if (out.json) return yield* out.jsonLine(toJson(explained))
    const blocks = explained.results.map(([variant, extraction]) =>
      Common.extractionLines(variant, extraction, explained.view, out.style).join("\n")
    )
    yield* out.data(blocks.join("\n\n"))
  })
