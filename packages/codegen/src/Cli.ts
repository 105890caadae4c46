/**
 * The `mbauth-codegen` command line, as @effect/cli `Command`s that other programs can mount (the
 * mbauth CLI mounts them as `mbauth codegen`). Mounting is cheap: a command loads the generator
 * when it runs. Handlers fail with typed errors and leave the printing of those errors to the
 * program (`renderError` helps); data goes to stdout, the list of stale files to stderr.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as internalRender from "./internal/renderError.js"
import * as internalStale from "./internal/staleFilesError.js"
import * as Target from "./internal/targets.js"

/**
 * `--check` found files that do not match the spec.
 *
 * @since 0.1.0
 * @category errors
 */
export const StaleFilesError = internalStale.StaleFilesError

/**
 * @since 0.1.0
 * @category errors
 */
export type StaleFilesError = internalStale.StaleFilesError

const handlers = Effect.promise(() => import("./internal/cli.js"))

const spec = Options.file("spec", { exists: "yes" }).pipe(Options.withDescription("The spec file (JSON)."))
const out = Options.directory("out").pipe(Options.withDescription("The directory the generated files go to."))
const targets = Options.choice("target", Target.all).pipe(
  Options.repeated,
  Options.withDescription(`The targets to emit (repeatable): ${Target.all.join(", ")}. Default: ${Target.defaults.join(", ")}.`)
)
const standalone = Options.boolean("standalone").pipe(
  Options.withDescription("Write a copy of the runtime (runtime.ts) next to the modules and import it from there.")
)
const checkFlag = Options.boolean("check").pipe(
  Options.withDescription("Write nothing; list stale or missing files and exit 1 if there are any.")
)
const watchFlag = Options.boolean("watch").pipe(Options.withDescription("Regenerate whenever the spec file changes."))
const stdoutFlag = Options.boolean("stdout").pipe(Options.withDescription("Print the generated files instead of writing them."))

/**
 * `generate --spec FILE --out DIR [--target …] [--check] [--watch] [--stdout]`
 *
 * @since 0.1.0
 * @category commands
 */
export const generateCommand = Command.make(
  "generate",
  { spec, out, targets, standalone, check: checkFlag, watch: watchFlag, stdout: stdoutFlag },
  (args) => Effect.flatMap(handlers, (h) => h.generate(args))
).pipe(Command.withDescription("Generate the parser, formatter, validator and extractor modules from a spec."))

/**
 * `check --spec FILE --out DIR [--target …]`: the same as `generate --check`.
 *
 * @since 0.1.0
 * @category commands
 */
export const checkCommand = Command.make(
  "check",
  { spec, out, targets, standalone },
  (args) => Effect.flatMap(handlers, (h) => h.runCheck(args))
).pipe(
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
  (args) => Effect.flatMap(handlers, (h) => h.jsonSchema(args))
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
export const renderError: (error: unknown) => string = internalRender.renderError

/**
 * The stand-alone program (`mbauth-codegen`): parses argv (including the first two entries, as
 * `process.argv` has them) and runs.
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(command, { name: "mbauth-codegen", version: "0.1.0", executable: "mbauth-codegen" })
