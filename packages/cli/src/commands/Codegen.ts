/**
 * `mbauth codegen generate|check|json-schema`: the generator's own commands (@mbauth/codegen/Cli),
 * mounted under mbauth. They load the generator only when they run, so mounting them costs mbauth's
 * start-up nothing; `Action.run` gives their typed errors mbauth's rendering and exit codes (a
 * stale `check` lists the files on stderr and exits 1).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as CodegenCli from "@mbauth/codegen/Cli"
import * as Action from "../Action.js"
import type { Extras } from "../internal/describe.js"

/**
 * @since 0.1.0
 * @category commands
 */
export const generate = Command.transformHandler(CodegenCli.generateCommand, Action.run)

/**
 * @since 0.1.0
 * @category commands
 */
export const checkCommand = Command.transformHandler(CodegenCli.checkCommand, Action.run)

/**
 * @since 0.1.0
 * @category commands
 */
export const jsonSchema = Command.transformHandler(CodegenCli.jsonSchemaCommand, Action.run)

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
