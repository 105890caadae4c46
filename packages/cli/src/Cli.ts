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
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitCode, Reported } from "./CliError.js"
import * as Api from "./commands/Api.js"
import * as Auth from "./commands/Auth.js"
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
import * as Action from "./Action.js"
import { strip } from "./internal/ansi.js"
import * as Spec from "./internal/commandSpec.js"
import * as Complete from "./internal/complete.js"
import * as Describe from "./internal/describe.js"
import * as HelpPage from "./internal/helpPage.js"
import * as Usage from "./internal/usage.js"
import * as UsageCheck from "./internal/usageCheck.js"
import { Stdio } from "./Stdio.js"

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
  Auth.command,
  Get.command,
  Api.command,
  Doctor.command,
  Sandbox.command,
  Codegen.command
] as const

/**
 * The examples of the program and of each command, and the commands' other names.
 *
 * @since 0.1.0
 * @category help
 */
export const help: Describe.Extras = {
  "": {
    examples: [
      { command: "mbauth server add http://127.0.0.1:8096", description: "Save a Jellyfin or Emby server" },
      {
        command: "printf '%s' bob-password | mbauth server login http://127.0.0.1:8096 --user bob --password-stdin",
        description: "Sign in to it"
      },
      { command: "mbauth get 'Sandbox Jellyfin 12' /Users/Me", description: "Call its API with the saved sign-in" },
      { command: "mbauth sandbox", description: "Fake servers on 127.0.0.1 to try all this on" }
    ]
  },
  ...Header.help,
  ...Request.help,
  ...Connect.help,
  ...Server.help,
  ...Auth.help,
  ...Get.help,
  ...Api.help,
  ...Doctor.help,
  ...Sandbox.help,
  ...Codegen.help
}

// The options @effect/cli adds to every command line (CliConfig `showBuiltIns: false` keeps them
// out of its own pages; they are described here, once).
const builtIns: ReadonlyArray<Spec.OptionSpec> = [
  { name: "--help", aliases: ["-h"], kind: "flag", optional: true, repeated: false, description: "Show help for the command." },
  { name: "--version", aliases: [], kind: "flag", optional: true, repeated: false, description: "Print mbauth's version." },
  {
    name: "--log-level",
    aliases: [],
    kind: "choice",
    placeholder: "LEVEL",
    choices: ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"],
    optional: true,
    repeated: false,
    description: "The least severe log line to print on stderr."
  },
  {
    name: "--completions",
    aliases: [],
    kind: "choice",
    placeholder: "SHELL",
    choices: ["bash", "zsh", "fish"],
    optional: true,
    repeated: false,
    description: "Print the shell completion script (see the README for where it goes)."
  }
]

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
  /** The command tree as data (help, usage errors, completion). */
  readonly spec: () => Spec.ProgramSpec
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
  groups: readonly [Command.Command<any, Environment, unknown, any>, ...Array<Command.Command<any, Environment, unknown, any>>],
  extras: Describe.Extras = help
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
    executable: "mbauth"
  })
  const noWizard = Effect.as(
    Console.error(
      "error: mbauth has no --wizard mode\n" +
        "  every command says what it needs in `mbauth COMMAND --help`; sign-in commands prompt for a missing password on a terminal"
    ),
    ExitCode.Usage
  )
  // Computed on the first command line, not when the program is defined.
  let program: Spec.ProgramSpec | undefined
  const spec = (): Spec.ProgramSpec => {
    if (program !== undefined) return program
    const described = Describe.describe(command, version, extras)
    program = { ...described, root: { ...described.root, options: [...described.root.options, ...builtIns] } }
    return program
  }
  const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Environment> =>
    Effect.suspend(() => {
      const completing = Complete.request(argv.slice(2))
      if (completing !== undefined) return Effect.as(completions(spec(), completing.shell, completing.words), ExitCode.Ok)
      const args = Argv.canonical(spec(), Global.hoist(Argv.normalize(spec(), argv.slice(2))))
      // Help first, as bin.ts answers it from commands.json without loading the program.
      const helpPath = HelpPage.request(spec(), args)
      if (helpPath !== undefined) return Effect.as(printHelp(spec(), helpPath), ExitCode.Ok)
      if (Argv.asksForWizard(args)) return noWizard
      const problem = UsageCheck.check(spec(), args)
      if (problem !== undefined) return Effect.as(reportUsage(problem, args), ExitCode.Usage)
      const shell = completionsAsked(args)
      if (shell !== undefined) return Effect.as(Console.log(Complete.script(shell)), ExitCode.Ok)
      return parseAndRun([...argv.slice(0, 2), ...Argv.fillOptionalArgs(spec(), args)])
    })
  const parseAndRun = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Environment> =>
    Effect.flatMap(Effect.console, (console) =>
      cli(argv).pipe(
        // @effect/cli prints the usage errors it finds, quoting what was typed (which may be a
        // token); mbauth prints them its own way, masked (below).
        Effect.withConsole({ ...console, error: () => Effect.void, unsafe: { ...console.unsafe, error: () => {} } }),
        Effect.provideService(Action.CommandConsole, console)
      )
    ).pipe(
      // The built-in options are listed once, in the footer, instead of on every help page.
      Effect.provide(CliConfig.layer({ showBuiltIns: false })),
      Effect.as(ExitCode.Ok),
      Effect.catchAllCause((cause) => {
        if (Cause.isInterruptedOnly(cause)) return Effect.succeed(ExitCode.Interrupted)
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const error = failure.value
          if (error instanceof Reported) return Effect.succeed(error.exitCode)
          // What the spec cannot check (a file that must exist): @effect/cli's words, mbauth's form.
          if (ValidationError.isValidationError(error)) {
            const args = argv.slice(2)
            const message = Usage.mask(strip(HelpDoc.toAnsiText(error.error)).replace(/\s+/g, " ").trim(), pathValues(spec(), args))
            return Effect.as(
              reportUsage({ message: message.charAt(0).toLowerCase() + message.slice(1), path: Spec.scan(spec(), args).path }, args),
              ExitCode.Usage
            )
          }
        }
        // Leaves built with Action.make never get here; anything else is a bug, said in one line.
        return Effect.as(
          Console.error(`error: internal error: ${Cause.pretty(cause).split("\n")[0]}`),
          ExitCode.Failed
        )
      })
    )
  return { command: command as App["command"], spec, run }
}

// The values given to options that name a file or directory: a usage error may show them as typed.
const pathValues = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlySet<string> => {
  const { command } = Spec.scan(program, args)
  const values = new Set<string>()
  for (let i = 0; i < args.length && args[i] !== "--"; i++) {
    const arg = args[i]!
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1
    const option = Spec.option(program, command, equals < 0 ? arg : arg.slice(0, equals))
    if (option === undefined || !isPathKind(option.kind)) continue
    if (equals >= 0) values.add(arg.slice(equals + 1))
    else if (i + 1 < args.length) values.add(args[++i]!)
  }
  return values
}

const isPathKind = (kind: Spec.ValueKind) => kind === "file" || kind === "directory" || kind === "path"

// `--completions SHELL` (the check has made sure SHELL is one of Complete.shells).
const completionsAsked = (args: ReadonlyArray<string>): Complete.Shell | undefined => {
  const end = args.indexOf("--")
  const words = end < 0 ? args : args.slice(0, end)
  const i = words.findIndex((w) => w === "--completions" || w.startsWith("--completions="))
  if (i < 0) return undefined
  return (words[i]!.includes("=") ? words[i]!.slice("--completions=".length) : words[i + 1]) as Complete.Shell
}

// `__complete SHELL WORD…`: the candidates, with the saved servers' names when a SERVER is wanted.
const completions = (program: Spec.ProgramSpec, shell: Complete.Shell, words: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const completion = Complete.complete(program, words)
    const servers = completion.servers
      ? yield* Effect.flatMap(Effect.promise(() => import("./internal/completeServers.js")), (m) => m.names(words))
      : []
    const text = Complete.lines(shell, words, completion, servers)
    if (text !== "") yield* Console.log(text)
  })

// `COLUMNS` wins, then the terminal's width, then 80.
const helpWidth = Effect.gen(function*() {
  const columns = yield* Config.string("COLUMNS").pipe(Config.option, Effect.orElseSucceed(() => Option.none<string>()))
  const stdio = yield* Stdio
  return HelpPage.widthFor(
    { COLUMNS: Option.getOrUndefined(columns) },
    stdio.isTTY.stdout ? process.stdout.columns : undefined
  )
})

// With colour codes: the Console strips them when stdout gets no colour.
const printHelp = (program: Spec.ProgramSpec, path: ReadonlyArray<string>) =>
  Effect.flatMap(helpWidth, (width) => Console.log(HelpPage.render(program, path, { width, color: true })))

// `error: …`, the hint, and the help page to read, on stderr; with --json also one JSON line on stdout.
const reportUsage = (problem: UsageCheck.Problem, args: ReadonlyArray<string>) => {
  const end = args.indexOf("--")
  const json = (end < 0 ? args : args.slice(0, end)).some((arg) => arg === "--json" || arg === "--json=true")
  const see = UsageCheck.seeHelp(problem.path)
  return Effect.zipRight(
    json
      ? Console.log(JSON.stringify({
        ok: false,
        error: { code: "UsageError", message: problem.message, ...(problem.hint !== undefined ? { hint: problem.hint } : {}), help: see.slice(5, -1) }
      }))
      : Effect.void,
    Console.error(
      [`\u001B[31m\u001B[1merror:\u001B[22m\u001B[39m ${problem.message}`, ...(problem.hint !== undefined ? [`  ${problem.hint}`] : []), `  ${see}`].join("\n")
    )
  )
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
