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
 * `mbauth codegen`
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("codegen").pipe(
  Command.withDescription("Generate code from a MediaBrowser-style authorization spec."),
  Command.withSubcommands([generate, checkCommand, jsonSchema])
)
