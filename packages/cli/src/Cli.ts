/**
 * The `mbauth` command tree and the function that runs a command line to an exit code.
 *
 * Adding a command group: write `src/commands/<Group>.ts` exporting `command` (leaves built with
 * `Action.make`, implementations loaded with `Action.load`), then add it to {@link commands}.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitCode, Reported } from "./CliError.js"
import * as Codegen from "./commands/Codegen.js"
import * as Connect from "./commands/Connect.js"
import * as Doctor from "./commands/Doctor.js"
import * as Get from "./commands/Get.js"
import * as Header from "./commands/Header.js"
import * as Request from "./commands/Request.js"
import * as Sandbox from "./commands/Sandbox.js"
import * as Server from "./commands/Server.js"
import * as Global from "./Global.js"
import * as Argv from "./internal/argv.js"
import * as Usage from "./internal/usage.js"
import type { Stdio } from "./Stdio.js"

/**
 * mbauth's version (kept equal to package.json's by a test).
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * The command groups under `mbauth`.
 *
 * @since 0.1.0
 * @category commands
 */
export const commands = [
  Header.command,
  Request.command,
  Connect.command,
  Server.command,
  Get.command,
  Doctor.command,
  Sandbox.command,
  Codegen.command
] as const

/**
 * What a command line needs from its environment.
 *
 * @since 0.1.0
 * @category models
 */
export type Environment = CliApp.CliApp.Environment | Stdio

/**
 * A runnable `mbauth`: the root command with `groups` under it.
 *
 * @since 0.1.0
 * @category models
 */
export interface App {
  readonly command: Command.Command<"mbauth", Environment, unknown, unknown>
  /**
   * Runs a command line (`process.argv`: runtime, script, then the arguments) and returns the
   * exit code: 0 success, 1 the operation failed, 2 usage error, 130 interrupted. Everything the
   * user should read has been printed by then; the Effect never fails.
   */
  readonly run: (argv: ReadonlyArray<string>) => Effect.Effect<number, never, Environment>
}

/**
 * Builds `mbauth` over some command groups (leaves made with `Action.make`). The real program is
 * {@link app}; tests build others.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  groups: readonly [Command.Command<any, Environment, unknown, any>, ...Array<Command.Command<any, Environment, unknown, any>>]
): App => {
  const command = Global.root.pipe(
    Command.withDescription(
      "Sign in to Jellyfin and Emby servers and debug MediaBrowser authorization. Data goes to stdout, everything else to stderr."
    ),
    Command.withSubcommands(groups)
  )
  const cli = Command.run(command, {
    name: "mbauth",
    version,
    executable: "mbauth",
    footer: HelpDoc.sequence(
      HelpDoc.h1("GLOBAL OPTIONS AND EXIT CODES"),
      HelpDoc.p(
        "--json, --config-dir DIR (or MBAUTH_CONFIG_DIR), --verbose and --no-color (or NO_COLOR) work on every command, before or after its name. Also: -h/--help, --version, --completions sh|bash|fish|zsh, --log-level LEVEL. Exit codes: 0 success, 1 the operation failed, 2 usage error, 130 interrupted."
      )
    )
  })
  // Computed on the first command line, not when the program is defined.
  let tree: Argv.Tree | undefined
  const treeOf = (): Argv.Tree => (tree ??= Argv.treeOf(groups))
  const noWizard = Effect.as(
    Console.error(
      "error: mbauth has no --wizard mode\n" +
        "  every command says what it needs in `mbauth COMMAND --help`; sign-in commands prompt for a missing password on a terminal"
    ),
    ExitCode.Usage
  )
  const runLine = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Environment> =>
    cli([...argv.slice(0, 2), ...Argv.rewriteHelp(Global.hoist(Argv.normalize(argv.slice(2))), treeOf())]).pipe(
      // The built-in options are listed once, in the footer, instead of on every help page.
      Effect.provide(CliConfig.layer({ showBuiltIns: false })),
      // Usage errors quote what was typed, which may be a token; commands get the Console back.
      (parsing) => Effect.flatMap(Effect.console, (console) => Effect.withConsole(parsing, Usage.maskingConsole(console))),
      Effect.as(ExitCode.Ok),
      Effect.catchAllCause((cause) => {
        if (Cause.isInterruptedOnly(cause)) return Effect.succeed(ExitCode.Interrupted)
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const error = failure.value
          if (error instanceof Reported) return Effect.succeed(error.exitCode)
          // @effect/cli has already printed the problem and the relevant help to stderr.
          if (ValidationError.isValidationError(error)) return Effect.succeed(ExitCode.Usage)
        }
        // Leaves built with Action.make never get here; anything else is a bug, said in one line.
        return Effect.as(
          Console.error(`error: internal error: ${Cause.pretty(cause).split("\n")[0]}`),
          ExitCode.Failed
        )
      })
    )
  const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Environment> =>
    Argv.asksForWizard(argv.slice(2)) ? noWizard : runLine(argv)
  return { command: command as App["command"], run }
}

/**
 * `mbauth`.
 *
 * @since 0.1.0
 * @category commands
 */
export const app: App = make(commands)

/**
 * Runs an `mbauth` command line; see {@link App.run}.
 *
 * @since 0.1.0
 * @category running
 */
export const run: App["run"] = app.run
