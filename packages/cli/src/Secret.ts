/**
 * Getting secrets (passwords, tokens) into the CLI without putting them on the command line,
 * where they would land in shell history and in `ps` output. There is deliberately no `--token`
 * or `--password` flag. A secret comes, in this order, from:
 *
 * 1. standard input, when the command's `--…-stdin` flag is given (one trailing newline dropped);
 * 2. an environment variable (`MBAUTH_TOKEN`, `MBAUTH_PASSWORD`, …);
 * 3. a hidden prompt on stderr, only when stdin and stdout are both terminals ({@link isInteractive});
 *
 * and otherwise, when it is required, a `NotInteractive` error naming the flag and the variable.
 * Secrets stay `Redacted` until the code that writes them to the wire.
 *
 * Printing secrets follows one convention: hidden unless the command has {@link showSecrets} and
 * the user passed it.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import type * as Terminal from "@effect/platform/Terminal"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CliError from "./CliError.js"
import { Stdio } from "./Stdio.js"

/**
 * `--show-secrets`: print tokens and keys instead of masking them. Only for commands that exist
 * to show a secret or echo one back.
 *
 * @since 0.1.0
 * @category options
 */
export const showSecrets = Options.boolean("show-secrets").pipe(
  Options.withDescription("Print secrets (tokens, API keys) as they are instead of masking them.")
)

/**
 * A `--<name>-stdin` flag.
 *
 * @since 0.1.0
 * @category options
 */
export const stdinFlag = (name: string, env: string) =>
  Options.boolean(`${name}-stdin`).pipe(
    Options.withDescription(`Read the ${name} from standard input (or set ${env}). There is no --${name} flag on purpose.`)
  )

/**
 * Prompts are allowed only when both stdin and stdout are terminals: with stdin redirected a
 * prompt would read the wrong data or wait forever, and with stdout redirected nobody sees it.
 *
 * @since 0.1.0
 * @category tty
 */
export const isInteractive: Effect.Effect<boolean, never, Stdio> = Effect.map(
  Stdio,
  (stdio) => stdio.isTTY.stdin && stdio.isTTY.stdout
)

/**
 * Fails with `NotInteractive` unless a prompt may be shown.
 *
 * @since 0.1.0
 * @category tty
 */
export const requireInteractive = (
  what: string,
  alternatives: ReadonlyArray<string>
): Effect.Effect<void, CliError.NotInteractive, Stdio> =>
  Effect.flatMap(isInteractive, (ok) => ok ? Effect.void : Effect.fail(new CliError.NotInteractive({ what, alternatives })))

/**
 * Where one secret may come from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Source {
  /** How the secret is named in messages: "the token", "the password". */
  readonly what: string
  /** The flag that reads it from stdin, e.g. "--token-stdin" … */
  readonly stdinFlag: string
  /** … and whether the user gave it. */
  readonly fromStdin: boolean
  /** The environment variable, e.g. "MBAUTH_TOKEN". */
  readonly env: string
  /** The prompt message, when a hidden prompt may ask for it; without one, there is no prompt. */
  readonly prompt?: string
}

const alternativesOf = (source: Source) => [source.stdinFlag, source.env]

const fromStdin = (source: Source): Effect.Effect<Redacted.Redacted, CliError.CliError, Stdio> =>
  Effect.gen(function*() {
    const stdio = yield* Stdio
    if (stdio.isTTY.stdin) {
      return yield* new CliError.UsageError({
        message: `${source.stdinFlag} reads ${source.what} from a pipe, but stdin is a terminal`,
        hint: `pipe it in (printf '%s' "$SECRET" | mbauth … ${source.stdinFlag}), or set ${source.env}`
      })
    }
    const text = yield* stdio.readAll.pipe(
      Effect.mapError((error) => new CliError.CommandFailed({ code: "StdinError", message: error.message }))
    )
    // `echo "$TOKEN" |` adds one newline; anything else is kept, a secret may end in spaces.
    const value = text.replace(/\r?\n$/, "")
    if (value === "") {
      return yield* new CliError.UsageError({ message: `${source.stdinFlag} was given but stdin is empty` })
    }
    return Redacted.make(value)
  })

/**
 * Reads a secret from its {@link Source}; `None` when none of the sources has it and there is no
 * prompt (the secret is optional for the command).
 *
 * @since 0.1.0
 * @category reading
 */
export const read = (
  source: Source
): Effect.Effect<Option.Option<Redacted.Redacted>, CliError.CliError | Terminal.QuitException, Stdio | Prompt.Prompt.Environment> =>
  Effect.gen(function*() {
    if (source.fromStdin) return Option.some(yield* fromStdin(source))
    const fromEnv = yield* Config.string(source.env).pipe(Config.option, Effect.orElseSucceed(() => Option.none()))
    if (Option.isSome(fromEnv) && fromEnv.value !== "") return Option.some(Redacted.make(fromEnv.value))
    if (source.prompt === undefined) return Option.none()
    yield* requireInteractive(source.what, alternativesOf(source))
    const answer = yield* Prompt.run(Prompt.hidden({
      message: source.prompt,
      validate: (value) => value === "" ? Effect.fail(`${source.what} cannot be empty`) : Effect.succeed(value)
    }))
    return Option.some(answer)
  })

/**
 * Reads a secret that the command cannot do without.
 *
 * @since 0.1.0
 * @category reading
 */
export const required = (
  source: Source
): Effect.Effect<Redacted.Redacted, CliError.CliError | Terminal.QuitException, Stdio | Prompt.Prompt.Environment> =>
  Effect.flatMap(read(source), (secret) =>
    Option.match(secret, {
      onSome: Effect.succeed,
      // Only reached without a prompt: `read` already failed with NotInteractive when one was allowed.
      onNone: () =>
        Effect.fail(
          new CliError.UsageError({
            message: `${source.what} is needed`,
            hint: `use ${alternativesOf(source).join(" or ")}`
          })
        )
    }))

const isWhitespaceOnly = (value: string): boolean => value.trim() === ""

/**
 * How a secret value is printed for humans: JSON-quoted when shown, else `<redacted, N chars>`.
 * Empty and whitespace-only values are always shown: they hide nothing, and "the token is a single
 * space" is exactly what a user debugging a 401 needs to see.
 *
 * @since 0.1.0
 * @category printing
 */
export const describe = (value: string, show: boolean): string =>
  show || isWhitespaceOnly(value) ? JSON.stringify(value) : `<redacted, ${value.length} chars>`

/**
 * How a secret value is printed in `--json`: the value when shown (or blank), else
 * `{ redacted: true, length }`.
 *
 * @since 0.1.0
 * @category printing
 */
export const toJson = (value: string, show: boolean): unknown =>
  show || isWhitespaceOnly(value) ? value : { redacted: true, length: value.length }
