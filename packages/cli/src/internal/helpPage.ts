/**
 * Lays out a command's help page from its {@link Spec.CommandSpec}, wrapped to a width. The
 * launcher (`bin.ts`) and the program both print help with it, at the terminal's width (or
 * `COLUMNS`; 80 when stdout is not a terminal). Imports nothing heavy: the launcher loads it.
 *
 * @internal
 */
import * as Spec from "./commandSpec.js"

/** @internal */
export interface Layout {
  readonly width: number
  readonly color: boolean
}

/** The width help is laid out at: `COLUMNS`, else the terminal's, else 80; at least 40. @internal */
export const widthFor = (env: Readonly<Record<string, string | undefined>>, columns: number | undefined): number => {
  const fromEnv = Number.parseInt(env["COLUMNS"] ?? "", 10)
  const width = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : columns !== undefined && columns > 0 ? columns : 80
  return Math.max(40, width)
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). @internal */
export const wrap = (text: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/)) {
    if (word === "") continue
    if (line === "") line = word
    else if (line.length + 1 + word.length <= width) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line !== "") lines.push(line)
  return lines.length === 0 ? [""] : lines
}

const indent = "  "

// Two columns: `left` padded to `column`, the wrapped description beside it; when `left` is wider
// than the column, or the terminal is narrow, the description goes under it, indented.
const twoColumns = (rows: ReadonlyArray<readonly [string, string]>, width: number, bold: (s: string) => string) => {
  const widest = Math.max(0, ...rows.map(([left]) => left.length))
  const column = Math.min(widest, Math.floor(width * 0.4)) + indent.length * 2
  const lines: Array<string> = []
  for (const [left, right] of rows) {
    const room = width - column
    const side = room >= 30
    const below = indent.repeat(3)
    const wrapped = wrap(right, side ? room : width - below.length)
    if (side && indent.length + left.length + 2 <= column) {
      lines.push(`${indent}${bold(left)}${" ".repeat(column - indent.length - left.length)}${wrapped[0]}`)
      for (const more of wrapped.slice(1)) lines.push(`${" ".repeat(column)}${more}`)
    } else {
      lines.push(`${indent}${bold(left)}`)
      const pad = side ? " ".repeat(column) : below
      if (right !== "") for (const more of side ? wrap(right, room) : wrapped) lines.push(`${pad}${more}`)
    }
  }
  return lines
}

/** How an option is spelled in help: `-H, --header NAME: VALUE`. @internal */
export const optionLeft = (option: Spec.OptionSpec): string =>
  [...option.aliases, option.name].join(", ") + (option.placeholder !== undefined ? ` ${option.placeholder}` : "")

const optionRight = (option: Spec.OptionSpec): string => {
  const facts = [
    ...(option.choices !== undefined && option.placeholder !== option.choices.join("|") &&
        !option.choices.every((c) => option.description.includes(c))
      ? [`one of: ${option.choices.join(", ")}`]
      : []),
    ...(option.repeated ? ["repeatable"] : []),
    ...(option.default !== undefined ? [`default: ${option.default}`] : []),
    ...(option.env !== undefined ? [`env: ${option.env}`] : [])
  ]
  return facts.length === 0 ? option.description : `${option.description} [${facts.join("; ")}]`
}

// An option that must be given: it takes a value and has no default, fallback or repetition.
const required = (option: Spec.OptionSpec) => option.kind !== "flag" && !option.optional && !option.repeated

/**
 * The usage line of a command: its path, required options, arguments, and `[options]`.
 *
 * @internal
 */
export const usage = (program: Spec.ProgramSpec, path: ReadonlyArray<string>, command: Spec.CommandSpec): string => {
  const words = ["mbauth", ...path]
  if (command.subcommands.length > 0) return [...words, command.runs === true ? "[<command>]" : "<command>", "[options]"].join(" ")
  const needed = command.options.filter(required)
  for (const o of needed) words.push(`${o.name} ${o.placeholder ?? ""}`.trim())
  for (const arg of command.args) {
    const name = arg.repeated ? `${arg.name}...` : arg.name
    words.push(arg.optional ? `[${name}]` : name)
  }
  if (command.options.length > needed.length || program.root.options.length > 0) words.push("[options]")
  return words.join(" ")
}

/**
 * The help page of the command at `path` (canonical names), ending with a newline.
 *
 * @internal
 */
export const render = (program: Spec.ProgramSpec, path: ReadonlyArray<string>, layout: Layout): string => {
  const command = Spec.at(program, path)
  if (command === undefined) throw new Error(`no command mbauth ${path.join(" ")}`)
  const { width } = layout
  const bold = layout.color ? (s: string) => `\u001B[1m${s}\u001B[22m` : (s: string) => s
  const dim = layout.color ? (s: string) => `\u001B[2m${s}\u001B[22m` : (s: string) => s
  const out: Array<string> = []
  const section = (title: string, lines: ReadonlyArray<string>) => {
    if (lines.length === 0) return
    out.push("", bold(title), ...lines)
  }
  out.push(...wrap(command.description, width))
  section("USAGE", wrap(usage(program, path, command), width - 2 * indent.length).map((l, i) =>
    `${indent}${i === 0 ? "" : indent}${l}`
  ))
  if (command.aliases.length > 0) section("ALIASES", [`${indent}${command.aliases.join(", ")}`])
  section(
    "COMMANDS",
    twoColumns(command.subcommands.map((c) => [c.name, c.description] as const), width, bold)
  )
  section("ARGUMENTS", twoColumns(command.args.map((a) => [a.name, a.description] as const), width, bold))
  section("OPTIONS", twoColumns(command.options.map((o) => [optionLeft(o), optionRight(o)] as const), width, bold))
  if (command !== program.root) {
    // Named only: they are described on the program's page.
    const names = `${program.root.options.map(optionLeft).join(", ")} (see 'mbauth --help')`
    section("GLOBAL OPTIONS", wrap(names, width - indent.length).map((l) => `${indent}${l}`))
  }
  section(
    "EXAMPLES",
    command.examples.flatMap((example, i) => [
      ...(i === 0 ? [] : [""]),
      ...wrap(example.description, width - 4).map((l) => `${indent}${dim(`# ${l}`)}`),
      ...wrapCommand(example.command, width - indent.length - 2).map((l, j) => `${indent}${j === 0 ? "$ " : "  "}${l}`)
    ])
  )
  const more = command.subcommands.length > 0
    ? `Run 'mbauth ${[...path, "<command>"].join(" ")} --help' for a command's options.`
    : undefined
  const footer = [
    ...(more !== undefined ? [more] : []),
    ...(command === program.root ? ["Exit codes: 0 success, 1 the operation failed, 2 usage error, 130 interrupted."] : [])
  ]
  section("LEARN MORE", footer.flatMap((l) => wrap(l, width - indent.length).map((w) => `${indent}${w}`)))
  return `${out.join("\n")}\n`
}

// A command line is wrapped between shell words (never inside quotes) with a trailing backslash,
// so that it can still be pasted.
const wrapCommand = (command: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of command.match(/(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])+/g) ?? []) {
    if (line === "") line = word
    else if (line.length + 1 + word.length <= width - 2) line += ` ${word}`
    else {
      lines.push(`${line} \\`)
      line = word
    }
  }
  lines.push(line)
  return lines
}

/**
 * The command whose help `args` (argv without runtime and script) asks for: any command line with
 * `-h`/`--help` before `--`, or a command group named without one of its commands (`mbauth`,
 * `mbauth server`). Undefined when it is not a help request, or names a command that does not
 * exist (the program reports that).
 *
 * @internal
 */
export const request = (program: Spec.ProgramSpec, args: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const end = args.indexOf("--")
  const words = end < 0 ? args : args.slice(0, end)
  const asked = words.includes("--help") || words.includes("-h")
  const path: Array<string> = []
  let command = program.root
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    if (word === "--help" || word === "-h") continue
    if (word.startsWith("-") && word !== "-") {
      const option = Spec.option(program, command, word.includes("=") ? word.slice(0, word.indexOf("=")) : word)
      if (option === undefined) {
        if (!asked) return undefined
        continue
      }
      if (!asked) {
        // A root option that acts (`--version`, `--completions bash`) makes it no help request,
        // and so does a wrong value (the program reports it).
        if (option.name === "--version" || option.name === "--completions") return undefined
        const value = word.includes("=") ? word.slice(word.indexOf("=") + 1) : words[i + 1]
        if (option.kind !== "flag" && value === undefined) return undefined
        if (option.choices !== undefined && !option.choices.includes(value!)) return undefined
      }
      if (option.kind !== "flag" && !word.includes("=")) i++
      continue
    }
    if (command.subcommands.length === 0) {
      if (asked) break
      return undefined
    }
    const next = Spec.child(command, word)
    if (next === undefined) return undefined
    path.push(next.name)
    command = next
  }
  return asked || (command.subcommands.length > 0 && command.runs !== true) ? path : undefined
}
