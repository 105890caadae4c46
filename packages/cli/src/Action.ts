/**
 * How a leaf command (one that does something, like `header parse`) is built. {@link make}
 * provides {@link Output.Output} and {@link Global.Globals} configured from the global options
 * (colour, `--json`, the `--verbose` logger), and turns every way the command can end into an exit
 * code: a `CliError` is printed once (`Output.reportError`) and becomes `Reported`, Ctrl-C in a
 * prompt becomes 130, and anything unexpected is one "internal error" line (the full cause with
 * `--verbose`).
 *
 * The command's implementation is loaded with {@link load} (`import()`), so its dependencies
 * (core, HTTP clients, the sandbox) are only evaluated when that command runs: esbuild keeps a
 * dynamically imported module and everything only it imports behind a lazy initialiser, which
 * keeps `mbauth --help` fast.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Terminal from "@effect/platform/Terminal"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import type * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { identity } from "effect/Function"
import type * as Types from "effect/Types"
import * as CliError from "./CliError.js"
import * as Global from "./Global.js"
import * as Ansi from "./internal/ansi.js"
import * as Logger from "./internal/logger.js"
import * as Output from "./Output.js"
import { Stdio } from "./Stdio.js"

const variable = (name: string) => Config.string(name).pipe(Config.option, Config.map(Option.getOrUndefined))
const env = Config.all({
  NO_COLOR: variable("NO_COLOR"),
  FORCE_COLOR: variable("FORCE_COLOR"),
  TERM: variable("TERM"),
  MBAUTH_DEBUG: variable("MBAUTH_DEBUG")
}).pipe(Effect.orElseSucceed(() => ({ NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: undefined, MBAUTH_DEBUG: undefined })))

const isCliError = (u: unknown): u is CliError.CliError =>
  u instanceof CliError.UsageError ||
  u instanceof CliError.NotInteractive ||
  u instanceof CliError.CommandFailed ||
  u instanceof CliError.Reported

const messageOf = (u: unknown): string =>
  typeof u === "object" && u !== null && "message" in u && typeof u.message === "string" && u.message !== ""
    ? u.message
    : String(u)

const handleCause = <E>(
  cause: Cause.Cause<E>,
  globals: Global.GlobalOptions
): Effect.Effect<never, CliError.Reported, Output.Output> => {
  if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
  const report = (error: CliError.CliError) =>
    Effect.zipRight(Output.reportError(error), Effect.fail(new CliError.Reported({ exitCode: CliError.exitCodeOf(error) })))
  return Option.match(Cause.failureOption(cause), {
    onSome: (error) => {
      if (isCliError(error)) return report(error)
      if (Terminal.isQuitException(error)) {
        return Effect.zipRight(
          Output.note("cancelled"),
          Effect.fail(new CliError.Reported({ exitCode: CliError.ExitCode.Interrupted }))
        )
      }
      // A typed error the command did not translate: still one line, named by its tag.
      const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "Error"
      return report(new CliError.CommandFailed({ code: tag, message: messageOf(error) }))
    },
    onNone: () =>
      Effect.zipRight(
        globals.verbose ? Effect.logError("internal error", cause) : Effect.void,
        report(
          new CliError.CommandFailed({
            code: "InternalError",
            message: `internal error: ${messageOf(Cause.squash(cause))}`,
            hint: globals.verbose ? "this is a bug in mbauth" : "this is a bug in mbauth; --verbose prints the details"
          })
        )
      )
  })
}

/**
 * The console a command writes to. `Cli.run` hands @effect/cli a console that drops its error
 * messages (mbauth prints its own), and the command gets this one back.
 *
 * @since 0.1.0
 * @category tags
 */
export class CommandConsole extends Context.Tag("@mbauth/cli/CommandConsole")<CommandConsole, Console.Console>() {}

/**
 * Runs a command body with the services {@link make} promises, configured from the global options.
 *
 * @since 0.1.0
 * @category running
 */
export const run = <E, R>(
  body: Effect.Effect<void, E, R>
): Effect.Effect<void, CliError.Reported, Stdio | Exclude<Exclude<R, Output.Output>, Global.Globals>> =>
  Effect.gen(function*() {
    const stdio = yield* Stdio
    const environment = yield* env
    const given = Option.getOrElse(yield* Global.fromRoot, () => Global.defaults)
    // MBAUTH_DEBUG=api asks for the trace of HTTP requests, as --verbose does.
    const debugApi = (environment.MBAUTH_DEBUG ?? "").split(",").map((s) => s.trim()).includes("api")
    const globals = debugApi ? { ...given, verbose: true } : given
    const colorOf = (isTTY: boolean) => Ansi.colorEnabled({ isTTY, env: environment, mode: globals.noColor ? "never" : globals.color })
    const output = Output.make({
      json: globals.json,
      stdoutColor: colorOf(stdio.isTTY.stdout),
      stderrColor: colorOf(stdio.isTTY.stderr)
    })
    const console = yield* Effect.serviceOption(CommandConsole)
    return yield* body.pipe(
      Effect.catchAllCause((cause) => handleCause(cause, globals)),
      Option.isSome(console) ? Effect.withConsole(console.value) : identity,
      Effect.provideService(Output.Output, output),
      Effect.provideService(Global.Globals, globals),
      Effect.provide(Logger.layer({ verbose: globals.verbose, style: output.errStyle }))
    )
  })

/**
 * A leaf command: its options and arguments, and a body that receives them parsed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Name extends string, const Config extends Command.Command.Config, E, R>(
  name: Name,
  config: Config,
  body: (args: Types.Simplify<Command.Command.ParseConfig<Config>>) => Effect.Effect<void, E, R>
) => Command.make(name, config, (args) => run(body(args)))

/**
 * Loads a command's implementation on demand and runs it. Use it as
 * `Action.load(() => import("./internal/header/parse.js"), (m) => m.parse(args))`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const load = <M, A, E, R>(
  importer: () => Promise<M>,
  use: (module: M) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Effect.flatMap(Effect.promise(importer), use)
