/**
 * Usage errors without secrets. A usage error quotes what the user typed (`unexpected argument
 * 'Token="abc",'`, @effect/cli's `'abc' is not a integer`), and an unquoted header on the command
 * line is split into such arguments: every quoted argument that may be a token is masked here,
 * the one place usage errors are masked (`Cli.ts` prints them all, @effect/cli's own printing is
 * dropped).
 *
 * @internal
 */
import * as Redaction from "@mbauth/core/Redaction"

// An option name (`--json`, `-h`), possibly with a value (`--mode=x`), or a command word: shown.
const optionName = /^(--?[A-Za-z][\w-]*)(=.*)?$/s
const commandWord = /^[a-z][a-z-]*$/

/**
 * An argument as a usage error quotes it: option names and command words as typed, anything else
 * as a header fragment whose secret parameters (or the whole of a bare value) are masked.
 *
 * @internal
 */
export const maskArgument = (argument: string): string => {
  const option = optionName.exec(argument)
  if (option !== null) return option[1]! + (option[2] ?? "").replace(/[^=\s]/g, "*")
  return commandWord.test(argument) ? argument : Redaction.maskParameters(argument)
}

/**
 * A usage message with every quoted argument that may be a token masked with `*`: option names and
 * command words stay, a header fragment keeps its parameter names and client identity, and the
 * `shown` values (what was given to a path option: a file name, not a secret) stay as typed.
 *
 * @internal
 */
export const mask = (text: string, shown: ReadonlySet<string> = new Set()): string =>
  text.replace(/'([^'\n]*)'/g, (_, argument: string) => `'${shown.has(argument) ? argument : maskArgument(argument)}'`)

