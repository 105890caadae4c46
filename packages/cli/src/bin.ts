/**
 * The `mbauth` executable, bundled on its own to dist/bin.mjs (an ES module; the build adds the
 * shebang). It stays small because every start pays for it:
 *
 * - a command line that only asks for help (`mbauth --help`, `mbauth header parse -h`, a bare
 *   group, …) is answered from dist/commands.json, the command tree the build read off the
 *   program, laid out by `internal/helpPage.ts` as the program would lay it out;
 * - a completion request (`mbauth __complete …`) that needs no saved server's name is answered
 *   from the same file;
 * - anything else runs the program, dist/mbauth.cjs (`main.ts`), with Node's compile cache on
 *   where Node has one (22 and later).
 *
 * @since 0.1.0
 */
import { colorEnabled, colorModeOf, strip } from "./internal/ansi.js"
import type * as Spec from "./internal/commandSpec.js"
import * as Complete from "./internal/complete.js"
import * as HelpPage from "./internal/helpPage.js"

// Built-in modules are taken with process.getBuiltinModule rather than imported: importing one
// into an ES module builds a facade of all its exports (for node:fs, that loads the fs streams).
const { readFileSync } = process.getBuiltinModule("node:fs")
const Module = process.getBuiltinModule("node:module")
const { dirname, join } = process.getBuiltinModule("node:path")
const { isatty } = process.getBuiltinModule("node:tty")
const { fileURLToPath } = process.getBuiltinModule("node:url")

const dist = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)

// The command tree the build stored, or undefined when it is missing (the program then answers).
const readSpec = (): Spec.ProgramSpec | undefined => {
  try {
    return JSON.parse(readFileSync(join(dist, "commands.json"), "utf8"))
  } catch {
    return undefined
  }
}

// The help page for this command line, with colour and width as the program would decide them.
const helpPage = (): string | undefined => {
  // Cheap tests first: most command lines are not help requests and need not read the spec.
  if (args.length > 2 && !args.includes("--help") && !args.includes("-h")) return undefined
  const program = readSpec()
  const path = program === undefined ? undefined : HelpPage.request(program, args)
  if (path === undefined) return undefined
  const tty = isatty(1)
  const page = HelpPage.render(program!, path, {
    width: HelpPage.widthFor(process.env, tty ? process.stdout.columns : undefined),
    color: true
  })
  return colorEnabled({ isTTY: tty, env: process.env, mode: colorModeOf(args) }) ? page : strip(page)
}

// A completion request that needs no saved server's name, answered from the spec.
const completion = (): string | undefined => {
  const request = Complete.request(args)
  const program = request === undefined ? undefined : readSpec()
  if (program === undefined) return undefined
  const result = Complete.complete(program, request!.words)
  return result.servers ? undefined : Complete.lines(request!.shell, request!.words, result, [])
}

const runProgram = () => {
  // Node 22+ keeps compiled code in its own cache directory (tied to that Node, made on first run);
  // Node 20 has no such cache and compiles the bundle each start.
  const { enableCompileCache } = Module as { enableCompileCache?: () => unknown }
  enableCompileCache?.()
  const program = Module.createRequire(import.meta.url)("./mbauth.cjs") as { main: () => void }
  program.main()
}

const page = completion() ?? helpPage()
if (page === undefined) {
  runProgram()
} else {
  // The reader may be gone (`mbauth --help | head -1`): the program ignores that too.
  process.stdout.on("error", () => {})
  process.stdout.write(page)
}
