/**
 * Usage errors without secrets. @effect/cli prints a usage error itself, quoting what the user
 * typed (`Received unknown argument: 'Token="abc",'`, `'abc' is not a integer`), and an unquoted
 * header on the command line is split into such arguments. While the command line is parsed the
 * Console hides every quoted argument that may be a token; the command itself runs with the
 * Console it was given.
 *
 * @internal
 */
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redaction from "@mbauth/core/Redaction"
import { format } from "node:util"

// An option name (`--json`, `-h`), possibly with a value (`--mode=x`), or a command word: shown.
const optionName = /^(--?[A-Za-z][\w-]*)(=.*)?$/s
const commandWord = /^[a-z][a-z-]*$/

const maskArgument = (argument: string): string => {
  const option = optionName.exec(argument)
  if (option !== null) return option[1]! + (option[2] ?? "").replace(/[^=\s]/g, "*")
  return commandWord.test(argument) ? argument : Redaction.maskParameters(argument)
}

/**
 * A usage message with every quoted argument that may be a token masked with `*`: option names and
 * command words stay, a header fragment keeps its parameter names and client identity.
 *
 * @internal
 */
export const mask = (text: string): string => text.replace(/'([^'\n]*)'/g, (_, argument: string) => `'${maskArgument(argument)}'`)

const Unmasked = Symbol.for("mbauth/cli/usage/Unmasked")

const text = (args: ReadonlyArray<unknown>) =>
  args.length === 1 && typeof args[0] === "string" ? args[0] : format(...args)

/**
 * `console` with what it prints to stderr through {@link mask}.
 *
 * @internal
 */
export const maskingConsole = (console: Console.Console): Console.Console => {
  const error = (...args: ReadonlyArray<unknown>) => console.error(mask(text(args)))
  return Object.assign(Object.create(console) as Console.Console, {
    error,
    unsafe: Object.assign(Object.create(console.unsafe) as Console.UnsafeConsole, {
      error: (...args: ReadonlyArray<unknown>) => console.unsafe.error(mask(text(args)))
    }),
    [Unmasked]: console
  })
}

/**
 * Runs a command's body with the Console the program was given (the one {@link maskingConsole}
 * wraps), so its own output is printed as it wrote it.
 *
 * @internal
 */
export const unmasked = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) => {
    const original = (console as Console.Console & { readonly [Unmasked]?: Console.Console })[Unmasked]
    return original === undefined ? effect : Effect.withConsole(effect, original)
  })
