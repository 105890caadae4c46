/**
 * Argument rewriting done before @effect/cli sees the command line.
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"

// Root options that take a value, so the value is not mistaken for a command name.
const rootValueOptions = new Set(["--config-dir"])

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
 * The command tree by name, for {@link rewriteHelp}.
 *
 * @internal
 */
export interface Tree {
  readonly [name: string]: Tree
}

/**
 * The command tree of some command groups. Two levels are enough: `mbauth <group> <command>` or
 * `mbauth <command>`. getSubcommands lists a group's children, or, for a command without
 * subcommands, the command itself.
 *
 * @internal
 */
export const treeOf = (groups: ReadonlyArray<Command.Command<any, any, any, any>>): Tree =>
  Object.fromEntries(groups.map((group) => {
    const name = Array.from(HashSet.values(Command.getNames(group)))[0]!
    const children = Array.from(HashMap.keys(Command.getSubcommands(group))).filter((child) => child !== name)
    return [name, Object.fromEntries(children.map((child) => [child, {}]))]
  }))

/**
 * `mbauth header lint --help` should show `$ mbauth header lint …`, but @effect/cli prefixes
 * only the parent's name when help is asked below the first level (the usage reads `$ lint …`).
 * Asking for help at every level of the path, `--help header --help lint --help`, makes each level
 * prefix its own name. Only the command path is kept: help ignores everything else. A group named
 * without one of its commands gets the same treatment. At the root, `--help` and `--version` drop
 * the other options (`mbauth --no-color --help`): they change nothing there, and @effect/cli would
 * refuse the mix.
 *
 * `args` excludes the runtime and script, and has the global options in front ({@link Global.hoist}).
 *
 * @internal
 */
export const rewriteHelp = (args: ReadonlyArray<string>, tree: Tree): ReadonlyArray<string> => {
  const end = args.indexOf("--")
  const options = end < 0 ? args : args.slice(0, end)
  const path: Array<string> = []
  let node = tree
  let rest = false
  for (let i = 0; i < options.length; i++) {
    const arg = options[i]!
    if (arg.startsWith("-")) {
      if (rootValueOptions.has(arg)) i++
      continue
    }
    const next = Object.hasOwn(node, arg) ? node[arg] : undefined
    if (next === undefined) {
      rest = true
      break
    }
    path.push(arg)
    node = next
  }
  const helpAsked = options.includes("--help") || options.includes("-h")
  if (path.length === 0) {
    // @effect/cli refuses a built-in option next to another option (`mbauth --no-color --help`
    // is "Invalid subcommand"), so at the root they are asked alone.
    if (rest) return args
    return helpAsked ? ["--help"] : options.includes("--version") ? ["--version"] : args
  }
  // A group named without one of its commands (`mbauth header`) shows its help, the same way.
  const bareGroup = !rest && Object.keys(node).length > 0
  return helpAsked || bareGroup ? ["--help", ...path.flatMap((name) => [name, "--help"])] : args
}
