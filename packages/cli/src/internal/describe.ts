/**
 * Reads a {@link CommandSpec.ProgramSpec} off @effect/cli commands: the commands are defined once,
 * with @effect/cli, and help, usage errors and completion all come from what this reads.
 *
 * @effect/cli keeps a command's options and arguments as trees of instructions (`Single`,
 * `WithDefault`, `Both`, …; see its internal/options.ts and args.ts). This walks them as data;
 * its own help renderer cannot be reused because it lays out a fixed 80-column page with a
 * sentence for each value type ("A user-defined piece of text.").
 *
 * @internal
 */
import type * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import { strip } from "./ansi.js"
import type * as Spec from "./commandSpec.js"

/**
 * What a command definition cannot say itself: its examples and other names, by command path
 * (`"server list"`; `""` for the program).
 *
 * @internal
 */
export type Extras = Readonly<
  Record<string, {
    readonly examples: ReadonlyArray<Spec.Example>
    readonly aliases?: ReadonlyArray<string>
    /** It has subcommands, and runs without one too. */
    readonly runs?: boolean
  }>
>

// The instructions are @effect/cli's internal shapes; only the fields read here are declared.
interface Node {
  readonly _tag: string
  readonly [field: string]: any
}

const text = (doc: HelpDoc.HelpDoc): string =>
  strip(HelpDoc.toAnsiText(doc)).replace(/\s+/g, " ").trim()

const isNone = (u: unknown) => typeof u === "object" && u !== null && (u as Node)._tag === "None"

const kindOf = (primitive: Node): Spec.ValueKind => {
  switch (primitive._tag) {
    case "Bool":
      return "flag"
    case "Choice":
      return "choice"
    case "Float":
      return "number"
    case "Integer":
      return "integer"
    case "Path":
      return primitive.pathType === "file" ? "file" : primitive.pathType === "directory" ? "directory" : "path"
    default:
      return "text"
  }
}

// The environment variable behind `Options.withFallbackConfig(Config.string(NAME))`.
const envOf = (config: Node): string | undefined =>
  config._tag === "Nested" && typeof config.name === "string" ? config.name : undefined

// Without a pseudo name: what the value is (`FILE`), the choices when they are short, else the name.
const placeholderOf = (kind: Spec.ValueKind, name: string, choices: ReadonlyArray<string> | undefined): string => {
  if (kind === "file") return "FILE"
  if (kind === "directory") return "DIR"
  if (kind === "path") return "PATH"
  if (choices !== undefined && choices.join("|").length <= 24) return choices.join("|")
  return name.toUpperCase()
}

interface Modifiers {
  readonly optional: boolean
  readonly repeated: boolean
  readonly default?: string
  readonly env?: string
}

const options = (node: Node, modifiers: Modifiers, into: Array<Spec.OptionSpec>): void => {
  switch (node._tag) {
    case "Empty":
      return
    case "Both":
    case "OrElse":
      options(node.left, modifiers, into)
      options(node.right, modifiers, into)
      return
    case "Map":
      return options(node.options, modifiers, into)
    case "WithFallback": {
      const env = envOf(node.effect)
      return options(node.options, { ...modifiers, ...(env !== undefined ? { env } : {}) }, into)
    }
    case "WithDefault": {
      const fallback = node.fallback
      const shown = isNone(fallback) || typeof fallback === "boolean" ? undefined : String(fallback)
      return options(node.options, { ...modifiers, optional: true, ...(shown !== undefined ? { default: shown } : {}) }, into)
    }
    case "Variadic":
    case "KeyValueMap":
      return options(node.argumentOption, { ...modifiers, repeated: true }, into)
    case "Single": {
      const kind = kindOf(node.primitiveType)
      const choices = kind === "choice"
        ? (node.primitiveType.alternatives as ReadonlyArray<[string, unknown]>).map(([name]) => name)
        : undefined
      const pseudo = node.pseudoName as Node
      const placeholder = kind === "flag"
        ? undefined
        : pseudo._tag === "Some"
        ? String(pseudo.value)
        : placeholderOf(kind, node.name, choices)
      into.push({
        name: `--${node.name}`,
        aliases: (node.aliases as ReadonlyArray<string>).map((a) => (a.length === 1 ? `-${a}` : `--${a}`)),
        kind,
        ...(placeholder !== undefined ? { placeholder } : {}),
        ...(choices !== undefined ? { choices } : {}),
        ...(modifiers.default !== undefined ? { default: modifiers.default } : {}),
        ...(modifiers.env !== undefined ? { env: modifiers.env } : {}),
        optional: modifiers.optional || kind === "flag" || modifiers.env !== undefined,
        repeated: modifiers.repeated,
        description: text(node.description)
      })
      return
    }
    default:
      throw new Error(`describe: unknown option instruction ${node._tag}`)
  }
}

const args = (node: Node, modifiers: Modifiers, into: Array<Spec.ArgSpec>): void => {
  switch (node._tag) {
    case "Empty":
      return
    case "Both":
      args(node.left, modifiers, into)
      args(node.right, modifiers, into)
      return
    case "Map":
    case "WithFallbackConfig":
      return args(node.args, modifiers, into)
    case "WithDefault":
      return args(node.args, { ...modifiers, optional: true }, into)
    case "Variadic":
      return args(node.args, { ...modifiers, repeated: true }, into)
    case "Single": {
      const pseudo = node.pseudoName as Node
      const name = pseudo._tag === "Some" ? String(pseudo.value) : String(node.name).toUpperCase()
      into.push({
        name,
        optional: modifiers.optional,
        repeated: modifiers.repeated,
        description: text(node.description),
        ...(name === "SERVER" ? { server: true } : {})
      })
      return
    }
    default:
      throw new Error(`describe: unknown argument instruction ${node._tag}`)
  }
}

const none: Modifiers = { optional: false, repeated: false }

const command = (descriptor: Node, path: ReadonlyArray<string>, extras: Extras): Spec.CommandSpec => {
  switch (descriptor._tag) {
    case "Map":
      return command(descriptor.command, path, extras)
    case "Subcommands": {
      const parent = command(descriptor.parent, path, extras)
      const subcommands = (descriptor.children as ReadonlyArray<Node>).map((child) =>
        command(child, [...path, nameOf(child)], extras)
      )
      return { ...parent, subcommands }
    }
    case "Standard": {
      const key = path.join(" ")
      const extra = extras[key]
      const optionSpecs: Array<Spec.OptionSpec> = []
      options(descriptor.options, none, optionSpecs)
      const argSpecs: Array<Spec.ArgSpec> = []
      args(descriptor.args, none, argSpecs)
      return {
        name: descriptor.name,
        aliases: extra?.aliases ?? [],
        description: text(descriptor.description),
        options: optionSpecs,
        args: argSpecs,
        subcommands: [],
        ...(extra?.runs === true ? { runs: true } : {}),
        examples: extra?.examples ?? []
      }
    }
    default:
      throw new Error(`describe: unknown command instruction ${descriptor._tag}`)
  }
}

const nameOf = (descriptor: Node): string =>
  descriptor._tag === "Standard" || descriptor._tag === "GetUserInput"
    ? descriptor.name
    : descriptor._tag === "Map"
    ? nameOf(descriptor.command)
    : nameOf(descriptor.parent)

/**
 * The spec of a program whose root command is `root` (its options are the global options).
 *
 * @internal
 */
export const describe = (
  root: Command.Command<any, any, any, any>,
  version: string,
  extras: Extras
): Spec.ProgramSpec => {
  const descriptor = (root as unknown as { readonly descriptor: Node }).descriptor
  return { version, root: command(descriptor, [], extras) }
}
