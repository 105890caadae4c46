/**
 * `mbauth codegen generate|check|json-schema`: the generator (@mbauth/codegen), with the same
 * options as `mbauth-codegen`.
 *
 * The options are declared here and the generator's own command handlers are loaded on demand:
 * mounting `@mbauth/codegen/Cli` directly would evaluate the whole generator (spec schema,
 * emitters) on every `mbauth` start, about a quarter of the start-up time. A test keeps these
 * declarations identical to the generator's (same usage and help). `Action.run` gives the
 * generator's typed errors mbauth's rendering and exit codes (a stale `check` lists the files on
 * stderr and exits 1).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"

// Kept equal to @mbauth/codegen's Target.all by the equivalence test (importing it here would load
// the emitters).
const targetNames = ["typescript", "effect", "markdown", "vectors"] as const

const spec = Options.file("spec", { exists: "yes" }).pipe(Options.withDescription("The spec file (JSON)."))
const out = Options.directory("out").pipe(Options.withDescription("The directory the generated files go to."))
const targets = Options.choice("target", targetNames).pipe(
  Options.repeated,
  Options.withDescription(`Emit only these targets (repeatable): ${targetNames.join(", ")}. Default: all.`)
)
const check = Options.boolean("check").pipe(
  Options.withDescription("Write nothing; list stale or missing files and exit 1 if there are any.")
)

const load = () => import("@mbauth/codegen/Cli")

/**
 * @since 0.1.0
 * @category commands
 */
export const generate = Command.make(
  "generate",
  {
    spec,
    out,
    targets,
    check,
    watch: Options.boolean("watch").pipe(Options.withDescription("Regenerate whenever the spec file changes.")),
    stdout: Options.boolean("stdout").pipe(Options.withDescription("Print the generated files instead of writing them."))
  },
  (args) => Action.run(Action.load(load, (m) => m.generateCommand.handler(args)))
).pipe(Command.withDescription("Generate the parser, formatter, validator and extractor modules from a spec."))

/**
 * @since 0.1.0
 * @category commands
 */
export const checkCommand = Command.make(
  "check",
  { spec, out, targets },
  (args) => Action.run(Action.load(load, (m) => m.checkCommand.handler(args)))
).pipe(Command.withDescription("Exit 1, listing them, if generated files do not match the spec."))

/**
 * @since 0.1.0
 * @category commands
 */
export const jsonSchema = Command.make(
  "json-schema",
  {
    out: Options.file("out").pipe(Options.optional, Options.withDescription("Write it here instead of stdout.")),
    check
  },
  (args) => Action.run(Action.load(load, (m) => m.jsonSchemaCommand.handler(args)))
).pipe(Command.withDescription("Print or write the JSON Schema of the spec format."))

/**
 * Examples of the `codegen` commands (run by test/Examples.e2e.test.ts in a folder holding a
 * copy of core's spec as spec.json).
 *
 * @since 0.1.0
 * @category help
 */
export const help: Extras = {
  codegen: {
    examples: [
      { command: "mbauth codegen generate --spec spec.json --out generated", description: "Generate every target" }
    ]
  },
  "codegen generate": {
    examples: [
      { command: "mbauth codegen generate --spec spec.json --out generated", description: "Generate every target" },
      {
        command: "mbauth codegen generate --spec spec.json --out generated --target typescript --target markdown",
        description: "Only some targets"
      }
    ]
  },
  "codegen check": {
    examples: [
      {
        command: "mbauth codegen check --spec spec.json --out generated",
        description: "Exit 1 and list the stale files if generated/ does not match the spec"
      }
    ]
  },
  "codegen json-schema": {
    examples: [
      { command: "mbauth codegen json-schema --out spec.schema.json", description: "Write the JSON Schema of the spec format" }
    ]
  }
}

/**
 * `mbauth codegen`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("codegen").pipe(
  Command.withDescription("Generate code from a MediaBrowser-style authorization spec."),
  Command.withSubcommands([generate, checkCommand, jsonSchema])
)
