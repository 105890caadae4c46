/**
 * Argument rewriting done before @effect/cli sees the command line.
 *
 * @internal
 */
import * as Spec from "./commandSpec.js"

/**
 * `header format` takes the client's `Version` as `--client-version`, because @effect/cli
 * reserves `--version` for the program's own version on every command. The issue and the
 * MediaBrowser parameter name make `--version 1.2.3` the natural spelling, so after
 * `header format`, `--version VALUE` and `--version=VALUE` are rewritten to `--client-version`;
 * a bare `--version` (no value) still prints mbauth's version.
 *
 * `args` excludes the runtime and script (argv[2..]).
 *
 * @internal
 */
export const normalize = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const { commandWords, path } = Spec.scan(program, args)
  if (path[0] !== "header" || path[1] !== "format") return args
  const end = commandWords[commandWords.length - 1]! + 1
  const out = args.slice(0, end)
  for (let i = end; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") {
      out.push(...args.slice(i))
      break
    }
    if (arg.startsWith("--version=")) {
      out.push(`--client-version=${arg.slice("--version=".length)}`)
    } else if (arg === "--version" && i + 1 < args.length && !args[i + 1]!.startsWith("-")) {
      out.push("--client-version", args[i + 1]!)
      i++
    } else {
      out.push(arg)
    }
  }
  return out
}

/**
 * Whether the command line asks for @effect/cli's built-in `--wizard` (before any `--`). mbauth
 * refuses it: the built-in wizard waits forever without a terminal, writes control codes into
 * redirected output, defaults every yes/no question to yes (`--show-secrets` included), shows
 * internal values as defaults and prints command lines that do not parse.
 *
 * @internal
 */
export const asksForWizard = (args: ReadonlyArray<string>): boolean => {
  const end = args.indexOf("--")
  return (end === -1 ? args : args.slice(0, end)).includes("--wizard")
}

/**
 * Replaces the other names of commands on the command path (`server ls`) with their names
 * (`server list`), which is what @effect/cli knows them by.
 *
 * @internal
 */
export const canonical = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const { commandWords, path } = Spec.scan(program, args)
  const out = [...args]
  commandWords.forEach((index, n) => (out[index] = path[n]!))
  return out
}

/**
 * `mbauth get PATH` leaves out the optional SERVER before the required PATH, but @effect/cli
 * fills arguments in order, so PATH would be taken for SERVER. When a command is given fewer
 * arguments than it has and its leading ones are optional, an empty argument is put in for each
 * leading optional one left out (the commands read an empty SERVER as "not given").
 *
 * `args` are canonical ({@link canonical}), global options in front.
 *
 * @internal
 */
export const fillOptionalArgs = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const { command, positionals } = Spec.scan(program, args)
  const leadingOptional = command.args.findIndex((a) => !a.optional)
  const missing = command.args.length - positionals.length
  if (leadingOptional <= 0 || missing <= 0 || command.args.some((a) => a.repeated)) return args
  const fill = Math.min(missing, leadingOptional)
  const at = positionals[0] ?? args.length
  return [...args.slice(0, at), ...Array.from({ length: fill }, () => ""), ...args.slice(at)]
}
