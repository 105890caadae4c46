/**
 * The command tree as plain data: every command's name, description, options, arguments and
 * examples. It is what help pages, usage errors and shell completion are made from.
 *
 * `describe.ts` reads it off the @effect/cli commands (the one definition of each command); the
 * build stores it in dist/commands.json so that the launcher (`bin.ts`) can answer help and
 * completion requests without loading the program. This module is loaded by the launcher, so it
 * imports nothing.
 *
 * @internal
 */

/** What an option's value is, for validation and completion. @internal */
export type ValueKind = "flag" | "text" | "number" | "integer" | "choice" | "file" | "directory" | "path"

/** @internal */
export interface OptionSpec {
  /** `--config-dir`. */
  readonly name: string
  /** `-H`. */
  readonly aliases: ReadonlyArray<string>
  readonly kind: ValueKind
  /** What the value is called in help (`DIR`); absent for flags. */
  readonly placeholder?: string
  readonly choices?: ReadonlyArray<string>
  readonly default?: string
  /** The environment variable read when the option is not given. */
  readonly env?: string
  /** May be left out (it has a default, a fallback, or is an optional value or a flag). */
  readonly optional: boolean
  /** May be given several times. */
  readonly repeated: boolean
  readonly description: string
}

/** @internal */
export interface ArgSpec {
  /** `SERVER`. */
  readonly name: string
  readonly optional: boolean
  readonly repeated: boolean
  readonly description: string
  /** Completed with the saved servers' names. */
  readonly server?: boolean
}

/** A command line a user would copy, and what it does. @internal */
export interface Example {
  readonly command: string
  readonly description: string
}

/** @internal */
export interface CommandSpec {
  readonly name: string
  /** Other names the command answers to (`ls`). */
  readonly aliases: ReadonlyArray<string>
  readonly description: string
  readonly options: ReadonlyArray<OptionSpec>
  readonly args: ReadonlyArray<ArgSpec>
  readonly subcommands: ReadonlyArray<CommandSpec>
  /** A command with subcommands that also runs without one (`mbauth sandbox`); else it shows its help. */
  readonly runs?: boolean
  readonly examples: ReadonlyArray<Example>
}

/** The program: its version and root command (whose options are the global ones). @internal */
export interface ProgramSpec {
  readonly version: string
  readonly root: CommandSpec
}

/** The subcommand of `command` called `word` (by name or alias). @internal */
export const child = (command: CommandSpec, word: string): CommandSpec | undefined =>
  command.subcommands.find((c) => c.name === word || c.aliases.includes(word))

/** The option of `command` (or a global one) spelled `word` (`--user`, `-H`). @internal */
export const option = (program: ProgramSpec, command: CommandSpec, word: string): OptionSpec | undefined => {
  const find = (c: CommandSpec) => c.options.find((o) => o.name === word || o.aliases.includes(word))
  return find(command) ?? (command === program.root ? undefined : find(program.root))
}

/** The command at the end of `path` (names or aliases), or undefined. @internal */
export const at = (program: ProgramSpec, path: ReadonlyArray<string>): CommandSpec | undefined => {
  let command: CommandSpec | undefined = program.root
  for (const word of path) command = command === undefined ? undefined : child(command, word)
  return command
}

/** Where the parts of a command line are. @internal */
export interface Scan {
  /** The canonical names of the command path. */
  readonly path: ReadonlyArray<string>
  /** The command the path ends at. */
  readonly command: CommandSpec
  /** The indices of the words naming the commands of the path. */
  readonly commandWords: ReadonlyArray<number>
  /** The indices of the positional arguments (after the path, or after `--`). */
  readonly positionals: ReadonlyArray<number>
}

/**
 * Reads a command line (argv without runtime and script) against the spec: which words name
 * commands and which are arguments, skipping options and their values. Words the spec does not
 * know are taken as arguments; the usage check reports them.
 *
 * @internal
 */
export const scan = (program: ProgramSpec, args: ReadonlyArray<string>): Scan => {
  const path: Array<string> = []
  const commandWords: Array<number> = []
  const positionals: Array<number> = []
  let command = program.root
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") {
      for (let j = i + 1; j < args.length; j++) positionals.push(j)
      break
    }
    if (arg.startsWith("-") && arg !== "-") {
      const o = option(program, command, arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg)
      if (o !== undefined && o.kind !== "flag" && !arg.includes("=")) i++
      continue
    }
    const next = command.subcommands.length > 0 ? child(command, arg) : undefined
    if (next === undefined) {
      positionals.push(i)
      continue
    }
    path.push(next.name)
    commandWords.push(i)
    command = next
  }
  return { path, command, commandWords, positionals }
}

/** Levenshtein distance, for "did you mean". @internal */
export const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The candidate nearest to `word`, when it is near enough to be a typo (a third of its length, at
 * least 1), or a candidate that starts with it.
 *
 * @internal
 */
export const nearest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3))) return best
  return candidates.find((c) => word.length >= 2 && c.startsWith(word))
}
