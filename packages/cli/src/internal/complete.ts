/**
 * Shell completion. The scripts (`mbauth --completions bash|zsh|fish`, {@link script}) hand the
 * words typed so far to `mbauth __complete SHELL WORD…` (the last word is the one being completed,
 * possibly empty), which prints one candidate a line, `value<TAB>description`, or `__files__` /
 * `__dirs__` when the shell should offer paths. The candidates come from the
 * {@link Spec.ProgramSpec}, so every depth, option and option value is covered; saved server names
 * are read from the credential file by the program (`completeServers.ts`), never over the network.
 *
 * This module imports nothing heavy: the launcher answers what needs no server names itself.
 *
 * @internal
 */
import * as Spec from "./commandSpec.js"

/** @internal */
export type Shell = "bash" | "zsh" | "fish"

/** @internal */
export const shells: ReadonlyArray<Shell> = ["bash", "zsh", "fish"]

/** @internal */
export interface Candidate {
  readonly value: string
  readonly description: string
}

/** What to offer for the word being completed. @internal */
export interface Completion {
  readonly candidates: ReadonlyArray<Candidate>
  /** The word is a saved server: its names are to be added (by the program). */
  readonly servers: boolean
  readonly paths?: "files" | "dirs"
  /** The word as typed, without the quote it may start with. */
  readonly prefix: string
}

// A word as the shell passes it: bash and zsh give it as typed, quotes included.
const unquote = (word: string): string =>
  word.replace(/'([^']*)'?|"((?:[^"\\]|\\.)*)"?|\\(.)|([^'"\\]+)/g, (_m, single, double, escaped, plain) =>
    single ?? (double !== undefined ? double.replace(/\\(.)/g, "$1") : escaped ?? plain)
  )

/**
 * The candidates for the last of `words` (the words after `mbauth`).
 *
 * @internal
 */
export const complete = (program: Spec.ProgramSpec, words: ReadonlyArray<string>): Completion => {
  const typed = words.map(unquote)
  const current = typed.length === 0 ? "" : typed[typed.length - 1]!
  let command = program.root
  let positionals = 0
  let pending: Spec.OptionSpec | undefined
  let afterDashes = false
  for (const word of typed.slice(0, -1)) {
    if (pending !== undefined) {
      pending = undefined
      continue
    }
    if (word === "--") {
      afterDashes = true
      continue
    }
    if (!afterDashes && word.startsWith("-") && word !== "-") {
      const option = Spec.option(program, command, word.includes("=") ? word.slice(0, word.indexOf("=")) : word)
      if (option !== undefined && option.kind !== "flag" && !word.includes("=")) pending = option
      continue
    }
    const next = command.subcommands.length > 0 ? Spec.child(command, word) : undefined
    if (next !== undefined) command = next
    else positionals++
  }
  const none: Completion = { candidates: [], servers: false, prefix: current }
  const valuesOf = (option: Spec.OptionSpec, prefix: string, typedValue: string): Completion => {
    if (option.choices !== undefined) {
      return {
        ...none,
        candidates: option.choices.filter((c) => c.startsWith(typedValue)).map((c) => ({ value: `${prefix}${c}`, description: option.description }))
      }
    }
    if (option.kind === "file" || option.kind === "path") return { ...none, paths: "files" }
    if (option.kind === "directory") return { ...none, paths: "dirs" }
    return none
  }
  if (pending !== undefined) return valuesOf(pending, "", current)
  if (!afterDashes && current.startsWith("-")) {
    const equals = current.indexOf("=")
    if (equals > 0) {
      const option = Spec.option(program, command, current.slice(0, equals))
      return option === undefined ? none : valuesOf(option, current.slice(0, equals + 1), current.slice(equals + 1))
    }
    const options = [...command.options, ...(command === program.root ? [] : program.root.options)]
    return {
      ...none,
      candidates: options.flatMap((o) => [o.name, ...o.aliases].filter((n) => n.startsWith(current)).map((n) => ({ value: n, description: o.description })))
    }
  }
  if (command.subcommands.length > 0) {
    return {
      ...none,
      candidates: command.subcommands.filter((c) => c.name.startsWith(current)).map((c) => ({ value: c.name, description: c.description }))
    }
  }
  const arg = command.args[positionals] ?? command.args.find((a) => a.repeated)
  return { ...none, servers: arg?.server === true }
}

const escapeForBash = (value: string, current: string): string => {
  if (current.startsWith("'")) return `'${value.replace(/'/g, `'\\''`)}'`
  if (current.startsWith("\"")) return `"${value.replace(/(["\\$`])/g, "\\$1")}"`
  return value.replace(/([^\w@%+=:,./-])/g, "\\$1")
}

/**
 * The lines `__complete` prints for a shell: bash gets each value quoted as the word was begun and
 * only the part after `=` (bash splits words at `=`); zsh and fish quote for themselves.
 *
 * @internal
 */
export const lines = (shell: Shell, words: ReadonlyArray<string>, completion: Completion, servers: ReadonlyArray<string>): string => {
  const raw = words.length === 0 ? "" : words[words.length - 1]!
  const all = [
    ...completion.candidates,
    ...servers.filter((s) => s.startsWith(completion.prefix)).map((s) => ({ value: s, description: "saved server" }))
  ]
  const out = all.map(({ description, value }) => {
    if (shell !== "bash") return `${value}\t${description.replace(/\s+/g, " ")}`
    const equals = raw.startsWith("-") ? value.indexOf("=") : -1
    return escapeForBash(equals >= 0 ? value.slice(equals + 1) : value, raw)
  })
  if (completion.paths !== undefined) out.push(`__${completion.paths}__`)
  return out.length === 0 ? "" : `${out.join("\n")}\n`
}

/**
 * The words of a `__complete` request as the shell sent them. bash splits `--mode=st` into
 * `--mode`, `=`, `st`; they are joined back.
 *
 * @internal
 */
export const request = (args: ReadonlyArray<string>): { readonly shell: Shell; readonly words: ReadonlyArray<string> } | undefined => {
  if (args[0] !== "__complete" || !shells.includes(args[1] as Shell)) return undefined
  const shell = args[1] as Shell
  const words: Array<string> = []
  for (const word of args.slice(2)) {
    const last = words.length - 1
    if (shell === "bash" && last >= 0 && (word === "=" || words[last]!.endsWith("=")) && words[last]!.startsWith("-")) {
      words[last] += word
    } else {
      words.push(word)
    }
  }
  return { shell, words }
}

/** The completion script for a shell. @internal */
export const script = (shell: Shell): string => scripts[shell]

const scripts: Record<Shell, string> = {
  bash: `# mbauth completion for bash: source <(mbauth --completions bash)
_mbauth() {
  local IFS=$'\\n' line
  local out
  out=$(mbauth __complete bash "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  COMPREPLY=()
  for line in $out; do
    case $line in
      __files__) COMPREPLY+=($(compgen -f -- "\${COMP_WORDS[COMP_CWORD]}")) ;;
      __dirs__) COMPREPLY+=($(compgen -d -- "\${COMP_WORDS[COMP_CWORD]}")) ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done
}
complete -F _mbauth mbauth
`,
  zsh: `#compdef mbauth
# mbauth completion for zsh: source <(mbauth --completions zsh), or save it as _mbauth in $fpath
_mbauth() {
  local -a lines values descriptions
  local line
  lines=("\${(@f)$(mbauth __complete zsh "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    case $line in
      __files__) _files ;;
      __dirs__) _files -/ ;;
      '') ;;
      *)
        values+=("\${line%%$'\\t'*}")
        descriptions+=("\${line%%$'\\t'*}  -- \${line#*$'\\t'}")
        ;;
    esac
  done
  (( \${#values} )) && compadd -l -d descriptions -a values
  return 0
}
if [[ "\${funcstack[1]}" == _mbauth ]]; then
  _mbauth "$@"
else
  compdef _mbauth mbauth
fi
`,
  fish: `# mbauth completion for fish: mbauth --completions fish | source
function __mbauth_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -a words (commandline -ct)
    for line in (mbauth __complete fish $words 2>/dev/null)
        switch $line
            case __files__
                __fish_complete_path (commandline -ct)
            case __dirs__
                __fish_complete_directories (commandline -ct)
            case '*'
                echo $line
        end
    end
end
complete -c mbauth -f -a '(__mbauth_complete)'
`
}
