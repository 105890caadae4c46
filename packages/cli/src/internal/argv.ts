/**
 * Argument rewriting done before @effect/cli sees the command line.
 *
 * @internal
 */
import * as Spec from "./commandSpec.js"

// Root options that take a value, so the value is not mistaken for a command name.
const rootValueOptions = new Set(["--config-dir", "--color"])

/**
 * The command path (the leading words that are not options), skipping root options.
 *
 * @internal
 */
export const commandPath = (args: ReadonlyArray<string>): { readonly words: Array<string>; readonly end: number } => {
  const words: Array<string> = []
  let i = 0
  for (; i < args.length && words.length < 2; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (arg.startsWith("-")) {
      if (rootValueOptions.has(arg)) i++
      continue
    }
    words.push(arg)
  }
  return { words, end: i }
}

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
export const normalize = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const path = commandPath(args)
  if (path.words[0] !== "header" || path.words[1] !== "format") return args
  const out = args.slice(0, path.end)
  for (let i = path.end; i < args.length; i++) {
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
 * Replaces the other names of commands on the command path (`server ls`) with their names
 * (`server list`), which is what @effect/cli knows them by.
 *
 * @internal
 */
export const canonical = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const out = [...args]
  let command = program.root
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]!
    if (arg === "--") break
    if (arg.startsWith("-")) {
      const option = Spec.option(program, command, arg)
      if (option !== undefined && option.kind !== "flag" && !arg.includes("=")) i++
      continue
    }
    const next = Spec.child(command, arg)
    if (next === undefined) break
    out[i] = next.name
    command = next
  }
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
  let command = program.root
  const positions: Array<number> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") {
      for (let j = i + 1; j < args.length; j++) positions.push(j)
      break
    }
    if (arg.startsWith("-") && arg !== "-") {
      const option = Spec.option(program, command, arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg)
      if (option !== undefined && option.kind !== "flag" && !arg.includes("=")) i++
      continue
    }
    const next = command.subcommands.length > 0 ? Spec.child(command, arg) : undefined
    if (next !== undefined) command = next
    else positions.push(i)
  }
  const leadingOptional = command.args.findIndex((a) => !a.optional)
  const missing = command.args.length - positions.length
  if (leadingOptional <= 0 || missing <= 0 || command.args.some((a) => a.repeated)) return args
  const fill = Math.min(missing, leadingOptional)
  const at = positions[0] ?? args.length
  return [...args.slice(0, at), ...Array.from({ length: fill }, () => ""), ...args.slice(at)]
}
