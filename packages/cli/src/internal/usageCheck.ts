/**
 * Checks a command line against the {@link Spec.ProgramSpec} before @effect/cli parses it, so that
 * every usage error names the option or argument at fault, lists the valid values, suggests the
 * nearest command or option, and points at the right help page. @effect/cli's own messages
 * ("Invalid subcommand for mbauth - use one of …" for any mistake) remain only for what this does
 * not know (a file that does not exist, …).
 *
 * @internal
 */
import * as Spec from "./commandSpec.js"
import { maskArgument } from "./usage.js"

/** @internal */
export interface Problem {
  readonly message: string
  /** "did you mean …?", when something is near. */
  readonly hint?: string
  /** The command whose help page explains it (canonical names). */
  readonly path: ReadonlyArray<string>
}

// What was typed, as usage.ts masks it (an unquoted header puts a token in an argument).
const shown = (word: string) => `'${maskArgument(word)}'`

const quoteList = (values: ReadonlyArray<string>) => values.join(", ")

const valueProblem = (option: Spec.OptionSpec, value: string, path: ReadonlyArray<string>): Problem | undefined => {
  switch (option.kind) {
    case "choice": {
      if (option.choices!.includes(value)) return undefined
      const near = Spec.nearest(value, option.choices!)
      return {
        message: `invalid value ${shown(value)} for ${option.name}: expected one of ${quoteList(option.choices!)}`,
        ...(near !== undefined ? { hint: `did you mean '${option.name} ${near}'?` } : {}),
        path
      }
    }
    case "number":
      return value.trim() !== "" && Number.isFinite(Number(value))
        ? undefined
        : { message: `invalid value ${shown(value)} for ${option.name}: expected a number`, path }
    case "integer":
      return /^-?\d+$/.test(value)
        ? undefined
        : { message: `invalid value ${shown(value)} for ${option.name}: expected a whole number`, path }
    default:
      return undefined
  }
}

const unknownOption = (program: Spec.ProgramSpec, command: Spec.CommandSpec, word: string, path: ReadonlyArray<string>): Problem => {
  const names = [...command.options, ...(command === program.root ? [] : program.root.options)].flatMap((o) => [o.name, ...o.aliases])
  const near = Spec.nearest(word, names.filter((n) => n.startsWith("--")))
  const where = path.length === 0 ? "mbauth" : `mbauth ${path.join(" ")}`
  return {
    message: `unknown option ${shown(word)} for '${where}'`,
    ...(near !== undefined ? { hint: `did you mean '${near}'?` } : {}),
    path
  }
}

const unknownCommand = (command: Spec.CommandSpec, word: string, path: ReadonlyArray<string>): Problem => {
  const names = command.subcommands.flatMap((c) => [c.name, ...c.aliases])
  const near = Spec.nearest(word, names)
  const where = ["mbauth", ...path].join(" ")
  const canonical = near === undefined ? undefined : Spec.child(command, near)!.name
  return {
    message: `unknown command ${shown(word)} for '${where}': expected one of ${quoteList(command.subcommands.map((c) => c.name))}`,
    ...(canonical !== undefined ? { hint: `did you mean '${where} ${canonical}'?` } : {}),
    path
  }
}

/**
 * The first usage problem of `args` (argv without runtime and script), or undefined when the
 * command line is well formed as far as the spec can tell.
 *
 * @internal
 */
export const check = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): Problem | undefined => {
  let command = program.root
  const path: Array<string> = []
  let positionals = 0
  const given = new Set<Spec.OptionSpec>()
  const positional = (word: string): Problem | undefined => {
    if (command.subcommands.length > 0) {
      const next = Spec.child(command, word)
      if (next === undefined) return unknownCommand(command, word, path)
      command = next
      path.push(next.name)
      return undefined
    }
    const repeated = command.args.some((a) => a.repeated)
    if (positionals >= command.args.length && !repeated) {
      const expected = command.args.length === 0 ? "it takes no arguments" : `it takes ${command.args.map((a) => a.name).join(" ")}`
      return { message: `unexpected argument ${shown(word)} for 'mbauth ${path.join(" ")}': ${expected}`, path }
    }
    positionals++
    return undefined
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") {
      for (const rest of args.slice(i + 1)) {
        const problem = positional(rest)
        if (problem !== undefined) return problem
      }
      break
    }
    if (arg.startsWith("-") && arg !== "-") {
      const equals = arg.startsWith("--") ? arg.indexOf("=") : -1
      const name = equals < 0 ? arg : arg.slice(0, equals)
      const option = Spec.option(program, command, name)
      if (option === undefined) {
        // A negative number is a value, not an option.
        if (/^-\d/.test(arg) && command.subcommands.length === 0) {
          const problem = positional(arg)
          if (problem !== undefined) return problem
          continue
        }
        return unknownOption(program, command, name, path)
      }
      given.add(option)
      if (option.kind === "flag") {
        if (equals >= 0 && !["true", "false", "yes", "no", "1", "0", "on", "off", "y", "n"].includes(arg.slice(equals + 1))) {
          return { message: `${option.name} is a flag and takes no value (got ${shown(arg.slice(equals + 1))})`, path }
        }
        continue
      }
      let value: string
      if (equals >= 0) {
        value = arg.slice(equals + 1)
      } else {
        const next = args[i + 1]
        if (next === undefined || (next.startsWith("-") && next !== "-" && !/^-\d/.test(next))) {
          const valid = option.choices !== undefined ? `: one of ${quoteList(option.choices)}` : ""
          return { message: `option ${option.name} needs a value (${option.placeholder})${valid}`, path }
        }
        value = next
        i++
      }
      const problem = valueProblem(option, value, path)
      if (problem !== undefined) return problem
      continue
    }
    const problem = positional(arg)
    if (problem !== undefined) return problem
  }
  if (command.subcommands.length > 0 && command.runs !== true) return undefined // a bare group shows its help
  const missingArg = command.args.filter((a) => !a.optional)[positionals]
  if (missingArg !== undefined) return { message: `missing argument ${missingArg.name}: ${missingArg.description}`, path }
  const missingOption = command.options.find((o) => o.kind !== "flag" && !o.optional && !o.repeated && !given.has(o))
  if (missingOption !== undefined) {
    return { message: `missing option ${missingOption.name} ${missingOption.placeholder}: ${missingOption.description}`, path }
  }
  return undefined
}

/** The line that ends every usage error. @internal */
export const seeHelp = (path: ReadonlyArray<string>): string => `see '${["mbauth", ...path, "--help"].join(" ")}'`
