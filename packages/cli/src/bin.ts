/**
 * The `mbauth` executable, bundled on its own to dist/bin.mjs (an ES module; the build adds the
 * shebang). It stays small because every start pays for it:
 *
 * - a command line that only asks for help (`mbauth --help`, `mbauth header parse -h`, …) is
 *   answered from dist/help.json, written by the build from the program itself
 *   (`internal/helpText.ts` says why that is byte for byte what the program would print);
 * - anything else runs the program, dist/mbauth.cjs (`main.ts`), with Node's compile cache on
 *   where Node has one (22 and later).
 *
 * @since 0.1.0
 */
import { colorEnabled } from "./internal/ansi.js"
import * as HelpText from "./internal/helpText.js"

// Built-in modules are taken with process.getBuiltinModule rather than imported: importing one
// into an ES module builds a facade of all its exports (for node:fs, that loads the fs streams).
const { readFileSync } = process.getBuiltinModule("node:fs")
const Module = process.getBuiltinModule("node:module")
const { dirname, join } = process.getBuiltinModule("node:path")
const { isatty } = process.getBuiltinModule("node:tty")
const { fileURLToPath } = process.getBuiltinModule("node:url")

const dist = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)

// The stored help page for this command line, with colour as the program would decide it.
const helpPage = (): string | undefined => {
  if (!HelpText.isHelpShaped(args) || HelpText.key(args) === undefined) return undefined
  let pages: HelpText.Pages
  try {
    pages = JSON.parse(readFileSync(join(dist, "help.json"), "utf8"))
  } catch {
    return undefined // not built (or unreadable): the program prints the page itself
  }
  return HelpText.lookup(
    pages,
    args,
    colorEnabled({ isTTY: isatty(1), env: process.env, noColorFlag: args.includes("--no-color") })
  )
}

const runProgram = () => {
  // Node 22+ keeps compiled code in its own cache directory (tied to that Node, made on first run);
  // Node 20 has no such cache and compiles the bundle each start.
  const { enableCompileCache } = Module as { enableCompileCache?: () => unknown }
  enableCompileCache?.()
  const program = Module.createRequire(import.meta.url)("./mbauth.cjs") as { main: () => void }
  program.main()
}

const page = helpPage()
if (page === undefined) {
  runProgram()
} else {
  // The reader may be gone (`mbauth --help | head -1`): the program ignores that too.
  process.stdout.on("error", () => {})
  process.stdout.write(page)
}
