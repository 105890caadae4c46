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
import { jsonPath, SpecError } from "./SpecError.js"

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
 * Parses spec text (JSON) and decodes it.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (text: string, source: string): Effect.Effect<Spec.Spec, SpecError> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (cause) =>
      new SpecError({
        source,
        stage: "json",
        issues: [{ path: "$", message: `The file is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}).` }]
      })
  }).pipe(Effect.flatMap((json) => decode(json, source)))

/**
 * Reads and decodes a spec file. The returned `source` is the file's base name, which is what the
 * generated headers mention (no directories, so output does not depend on where you run).
 *
 * @since 0.1.0
 * @category decoding
 */
export const load = (
  file: string
): Effect.Effect<{ readonly spec: Spec.Spec; readonly source: string }, SpecError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const source = path.basename(file)
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((error) =>
        new SpecError({ source, stage: "read", issues: [{ path: "$", message: `The spec cannot be read: ${error.message}` }] })
      )
    )
    const spec = yield* parse(text, source)
    return { spec, source }
  })
