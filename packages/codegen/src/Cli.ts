/**
 * The `mbauth-codegen` command line, as an @effect/cli `Command` that other programs can mount
 * (the mbauth CLI mounts it as `mbauth codegen`). Handlers fail with typed errors and leave the
 * printing of those errors to the program (`renderError` helps); data goes to stdout, the list of
 * stale files to stderr.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Generate from "./Generate.js"
import * as JsonSchema from "./JsonSchema.js"
import { SpecError } from "./SpecError.js"
import * as Target from "./Target.js"
import { TemplateError } from "./TemplateError.js"

/**
 * `--check` found files that do not match the spec.
 *
 * @since 0.1.0
 * @category errors
 */
export class StaleFilesError extends Schema.TaggedError<StaleFilesError>("@mbauth/codegen/StaleFilesError")(
  "StaleFilesError",
  { paths: Schema.Array(Schema.String), hint: Schema.String }
) {
  override get message(): string {
    return `${this.paths.length} generated ${this.paths.length === 1 ? "file is" : "files are"} out of date; ${this.hint}`
  }
}

const spec = Options.file("spec", { exists: "yes" }).pipe(Options.withDescription("The spec file (JSON)."))
const out = Options.directory("out").pipe(Options.withDescription("The directory the generated files go to."))
const targets = Options.choice("target", Target.all).pipe(
  Options.repeated,
  Options.withDescription(`Emit only these targets (repeatable): ${Target.all.join(", ")}. Default: all.`)
)
const checkFlag = Options.boolean("check").pipe(
  Options.withDescription("Write nothing; list stale or missing files and exit 1 if there are any.")
)
const watchFlag = Options.boolean("watch").pipe(Options.withDescription("Regenerate whenever the spec file changes."))
const stdoutFlag = Options.boolean("stdout").pipe(Options.withDescription("Print the generated files instead of writing them."))

const optionsOf = (selected: ReadonlyArray<Target.Target>) => (selected.length === 0 ? {} : { targets: selected })

/**
 * Regenerates and checks, without writing: fails with `StaleFilesError` when anything differs.
 *
 * @since 0.1.0
 * @category commands
 */
export const runCheck = Effect.fn("Cli.runCheck")(function*(specFile: string, outDir: string, selected: ReadonlyArray<Target.Target> = []) {
  const files = yield* Generate.generateFile(specFile, optionsOf(selected))
  const stale = yield* Generate.check(files, outDir)
  if (stale.length === 0) return yield* Console.log(`${files.length} generated files are up to date`)
  for (const s of stale) yield* Console.error(`${s.reason === "missing" ? "missing" : "stale  "}  ${s.path}`)
  return yield* new StaleFilesError({ paths: stale.map((s) => s.path), hint: "regenerate them (npm run codegen)" })
})

/**
 * Regenerates and writes what changed, printing the paths written.
 *
 * @since 0.1.0
 * @category commands
 */
export const runGenerate = Effect.fn("Cli.runGenerate")(function*(specFile: string, outDir: string, selected: ReadonlyArray<Target.Target> = []) {
  const files = yield* Generate.generateFile(specFile, optionsOf(selected))
  const written = yield* Generate.write(files, outDir)
  for (const path of written) yield* Console.log(`wrote ${path}`)
  if (written.length === 0) yield* Console.log(`${files.length} generated files are up to date`)
})

// Regenerates on every change of the spec (its directory is watched, so editors that replace the
// file are seen too); errors are printed and the watch goes on.
const watch = (specFile: string, outDir: string, selected: ReadonlyArray<Target.Target>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.resolve(specFile)
    const once = runGenerate(specFile, outDir, selected).pipe(
      Effect.catchAll((error) => Console.error(renderError(error)))
    )
    yield* once
    yield* Console.error(`watching ${specFile}`)
    yield* fs.watch(path.dirname(target)).pipe(
      // Node reports names relative to the watched directory, other backends absolute paths.
      Stream.filter((event) => path.resolve(path.dirname(target), event.path) === target),
      Stream.debounce("100 millis"),
      Stream.runForEach(() => once)
    )
  })

/**
 * `generate --spec FILE --out DIR [--target …] [--check] [--watch] [--stdout]`
 *
 * @since 0.1.0
 * @category commands
 */
export const generateCommand = Command.make(
  "generate",
  { spec, out, targets, check: checkFlag, watch: watchFlag, stdout: stdoutFlag },
  (o) => {
    if (o.check) return runCheck(o.spec, o.out, o.targets)
    if (o.watch) return watch(o.spec, o.out, o.targets)
    if (o.stdout) {
      return Generate.generateFile(o.spec, optionsOf(o.targets)).pipe(
        Effect.flatMap((files) => Effect.forEach(files, (f) => Console.log(f.content), { discard: true }))
      )
    }
    return runGenerate(o.spec, o.out, o.targets)
  }
).pipe(Command.withDescription("Generate the parser, formatter, validator and extractor modules from a spec."))

/**
 * `check --spec FILE --out DIR [--target …]`: the same as `generate --check`.
 *
 * @since 0.1.0
 * @category commands
 */
export const checkCommand = Command.make("check", { spec, out, targets }, (o) => runCheck(o.spec, o.out, o.targets)).pipe(
  Command.withDescription("Exit 1, listing them, if generated files do not match the spec.")
)

/**
 * `json-schema [--out FILE] [--check]`: the spec format's JSON Schema, for editors.
 *
 * @since 0.1.0
 * @category commands
 */
export const jsonSchemaCommand = Command.make(
  "json-schema",
  {
    out: Options.file("out").pipe(Options.optional, Options.withDescription("Write it here instead of stdout.")),
    check: checkFlag
  },
  (o) =>
    Effect.gen(function*() {
      const text = JsonSchema.text()
      if (Option.isNone(o.out)) return yield* Console.log(text.trimEnd())
      const file = o.out.value
      const path = yield* Path.Path
      const files = [{ target: "typescript" as const, path: path.basename(file), content: text }]
      if (o.check) {
        const stale = yield* Generate.check(files, path.dirname(file))
        if (stale.length > 0) {
          return yield* new StaleFilesError({ paths: [file], hint: "regenerate it (mbauth-codegen json-schema --out …)" })
        }
        return
      }
      const written = yield* Generate.write(files, path.dirname(file))
      for (const w of written) yield* Console.log(`wrote ${w}`)
    })
).pipe(Command.withDescription("Print or write the JSON Schema of the spec format."))

/**
 * The root command, named `codegen` so that it mounts as `mbauth codegen`; the stand-alone
 * program runs it as `mbauth-codegen`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("codegen").pipe(
  Command.withDescription("Generate code from a MediaBrowser-style authorization spec."),
  Command.withSubcommands([generateCommand, checkCommand, jsonSchemaCommand])
)

/**
 * A plain-text rendering of the errors these commands fail with (for stderr).
 *
 * @since 0.1.0
 * @category errors
 */
export const renderError = (error: unknown): string => {
  if (error instanceof SpecError || error instanceof TemplateError || error instanceof StaleFilesError) {
    return `error: ${error.message}`
  }
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return `error: ${error.message}`
  }
  return `error: ${String(error)}`
}

/**
 * The stand-alone program (`mbauth-codegen`): parses argv (including the first two entries, as
 * `process.argv` has them) and runs.
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(command, { name: "mbauth-codegen", version: "0.1.0", executable: "mbauth-codegen" })
