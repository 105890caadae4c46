/**
 * load → decode: reads a spec file, checks its shape against the `Spec` schema, then runs the
 * semantic checks. Every failure is a `SpecError` with JSON paths and plain sentences.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { semanticIssues } from "./internal/semantics.js"
import * as Spec from "./Spec.js"
import { jsonPath, SpecError, type SpecIssue } from "./SpecError.js"

const decodeSchema = Schema.decodeUnknown(Spec.Spec, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes a parsed JSON value into a checked spec.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (input: unknown, source: string): Effect.Effect<Spec.Spec, SpecError> =>
  decodeSchema(input).pipe(
    Effect.mapError((error) =>
      new SpecError({
        source,
        stage: "schema",
        issues: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
          path: jsonPath(issue.path),
          message: issue.message
        }))
      })
    ),
    Effect.flatMap((spec) => {
      const issues = semanticIssues(spec)
      return issues.length === 0 ? Effect.succeed(spec) : Effect.fail(new SpecError({ source, stage: "semantic", issues }))
    })
  )

/**
 * What a spec that loads could say more simply: each grammar field a spec v1 states although it
 * admits one value (spec v2 leaves them out; `Spec.fixedGrammar` holds their values).
 *
 * @since 0.1.0
 * @category decoding
 */
export const notes = (input: unknown): ReadonlyArray<SpecIssue> => {
  const grammar = typeof input === "object" && input !== null && "grammar" in input ? input.grammar : undefined
  if (typeof grammar !== "object" || grammar === null) return []
  return Object.keys(Spec.fixedGrammar).filter((field) => field in grammar).map((field) => ({
    path: jsonPath(["grammar", field]),
    message: `"${field}" admits one value, the default: a spec v2 leaves it out.`
  }))
}

/**
 * Parses spec text (JSON) and decodes it.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (text: string, source: string): Effect.Effect<Spec.Spec, SpecError> =>
  Effect.flatMap(parseJson(text, source), (json) => decode(json, source))

const parseJson = (text: string, source: string): Effect.Effect<unknown, SpecError> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (cause) =>
      new SpecError({
        source,
        stage: "json",
        issues: [{ path: "$", message: `The file is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}).` }]
      })
  })

/**
 * Reads and decodes a spec file. The returned `source` is the file's base name, which is what the
 * generated headers mention (no directories, so output does not depend on where you run); `notes`
 * are what the spec could leave out.
 *
 * @since 0.1.0
 * @category decoding
 */
export const load = (
  file: string
): Effect.Effect<
  { readonly spec: Spec.Spec; readonly source: string; readonly notes: ReadonlyArray<SpecIssue> },
  SpecError,
  FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const source = path.basename(file)
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((error) =>
        new SpecError({ source, stage: "read", issues: [{ path: "$", message: `The spec cannot be read: ${error.message}` }] })
      )
    )
    const json = yield* parseJson(text, source)
    const spec = yield* decode(json, source)
    return { spec, source, notes: notes(json) }
  })
