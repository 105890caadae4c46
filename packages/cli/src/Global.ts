/**
 * The options every `mbauth` command accepts, and the {@link Globals} service a command reads them
 * from. They belong to the root command; `Cli.run` moves them there from wherever they appear on
 * the line, so `mbauth --json header parse …` and `mbauth header parse … --json` mean the same
 * (see {@link hoist}).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/**
 * The global options.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  json: Options.boolean("json").pipe(
    Options.withDescription("Machine output: one JSON value per line on stdout (errors too, as {\"ok\":false,…}).")
  ),
  configDir: Options.text("config-dir").pipe(
    Options.withPseudoName("DIR"),
    Options.withDescription("Where saved servers and sign-ins live (default, or when empty: the platform's config folder)."),
    Options.withFallbackConfig(Config.string("MBAUTH_CONFIG_DIR")),
    Options.optional,
    // Empty means unset (`MBAUTH_CONFIG_DIR=`, `--config-dir ''`), as for XDG_CONFIG_HOME: resolved,
    // it would be the current folder, and tokens would be written wherever the command ran.
    Options.map(Option.filter((dir) => dir !== ""))
  ),
  verbose: Options.boolean("verbose").pipe(
    Options.withDescription("Log what happens to stderr (secrets masked).")
  ),
  color: Options.choice("color", ["auto", "always", "never"] as const).pipe(
    Options.withPseudoName("WHEN"),
    Options.withDefault("auto" as const),
    Options.withDescription(
      "Colour codes: auto (on a terminal, unless NO_COLOR is set or FORCE_COLOR asks for them anyway), always, never."
    )
  ),
  noColor: Options.boolean("no-color").pipe(
    Options.withDescription("The same as --color never.")
  ),
  allowInsecure: Options.boolean("allow-insecure").pipe(
    Options.withDescription(
      "Send passwords over plain HTTP to a public address too (refused by default: anyone on the path could read them)."
    )
  ),
  caCert: Options.file("cacert").pipe(
    Options.withDescription(
      "Also trust the certificate authorities in this PEM file for HTTPS, beside Node's own: for a server whose certificate a private CA signed."
    ),
    Options.withFallbackConfig(Config.string("MBAUTH_CA_CERT")),
    Options.optional,
    Options.map(Option.filter((file) => file !== ""))
  )
} as const

/**
 * The parsed global options.
 *
 * @since 0.1.0
 * @category models
 */
export interface GlobalOptions {
  readonly json: boolean
  readonly configDir: Option.Option<string>
  readonly verbose: boolean
  readonly color: "auto" | "always" | "never"
  readonly noColor: boolean
  readonly allowInsecure: boolean
  readonly caCert: Option.Option<string>
}

/**
 * The root command, without its subcommands: leaf commands read the options given before the
 * command name by yielding its tag. `Cli.ts` adds the subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const root = Command.make("mbauth", options)

/**
 * The effective global options of the running command.
 *
 * @since 0.1.0
 * @category tags
 */
export class Globals extends Context.Tag("@mbauth/cli/Globals")<Globals, GlobalOptions>() {}

/**
 * The global options when none is given (and when a command runs outside the root, in tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaults: GlobalOptions = {
  json: false,
  configDir: Option.none(),
  verbose: false,
  color: "auto",
  noColor: false,
  allowInsecure: false,
  caCert: Option.none()
}

const flags = new Set(["--json", "--verbose", "--no-color", "--allow-insecure"])
const valued = new Set(["--config-dir", "--color", "--cacert"])

/**
 * Moves global options found after the command name to the front of the arguments (argv without
 * runtime and script), where the root command parses them. Stops at `--`; the value of
 * `--config-dir DIR` (and of every valued option) moves with it.
 *
 * @since 0.1.0
 * @category combinators
 */
export const hoist = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const globals: Array<string> = []
  const rest: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") {
      rest.push(...args.slice(i))
      break
    }
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (flags.has(name)) {
      globals.push(arg)
    } else if (valued.has(name) && arg.includes("=")) {
      // Two words, so that an empty value (`--config-dir=`) reaches the parser as one.
      globals.push(name, arg.slice(name.length + 1))
    } else if (valued.has(arg) && i + 1 < args.length) {
      globals.push(arg, args[i + 1]!)
      i++
    } else {
      rest.push(arg)
    }
  }
  return [...globals, ...rest]
}

/**
 * The global options, when running under the root command.
 *
 * @since 0.1.0
 * @category accessors
 */
export const fromRoot: Effect.Effect<Option.Option<GlobalOptions>> = Effect.serviceOption(root.tag)
