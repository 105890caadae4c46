/**
 * The `mbauth` executable, bundled on its own to dist/bin.mjs (an ES module; the build adds the
 * shebang). It stays small because every start pays for it:
 *
 * - a command line that only asks for help (`mbauth --help`, `mbauth header parse -h`, a bare
 *   group, …) is answered from dist/commands.json, the command tree the build read off the
 *   program, laid out by `internal/helpPage.ts` as the program would lay it out;
 * - anything else runs the program, dist/mbauth.cjs (`main.ts`), through V8's code cache, so a
 *   start does not recompile the bundle (scripts/build.mjs says why). When the cache is missing or
 *   was made by another V8 (V8 checks and rejects it), it is rewritten on exit; if that fails (a
 *   read-only install) the program simply compiles as usual.
 *
 * @since 0.1.0
 */
import { colorEnabled, colorModeOf, strip } from "./internal/ansi.js"
import type * as Spec from "./internal/commandSpec.js"
import * as Complete from "./internal/complete.js"
import * as HelpPage from "./internal/helpPage.js"

// Built-in modules are taken with process.getBuiltinModule rather than imported: importing one
// into an ES module builds a facade of all its exports (for node:fs, that loads the fs streams).
const { readFileSync, renameSync, writeFileSync } = process.getBuiltinModule("node:fs")
const { createRequire } = process.getBuiltinModule("node:module")
const { dirname, join } = process.getBuiltinModule("node:path")
const { isatty } = process.getBuiltinModule("node:tty")
const { fileURLToPath } = process.getBuiltinModule("node:url")
const { constants, Script } = process.getBuiltinModule("node:vm")

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
  const bundle = join(dist, "mbauth.cjs")
  const cacheFile = `${bundle}.cache`
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  // The CommonJS module wrapper, as Node writes it. The build checks that the bundle is ASCII, so
  // reading it as Latin-1 gives the same text, without UTF-8 decoding.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, "latin1")}\n});`
  const script = new Script(source, {
    filename: bundle,
    ...(cachedData !== undefined ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // On exit the cache also holds the functions this run compiled lazily, not just the top level.
    process.once("exit", () => {
      try {
        const temporary = `${cacheFile}.${process.pid}`
        writeFileSync(temporary, script.createCachedData())
        renameSync(temporary, cacheFile)
      } catch {
        // Not writable: start-up stays correct, only slower.
      }
    })
  }
  const module = { exports: {} as { main?: () => void } }
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist)
  module.exports.main!()
}

const page = completion() ?? helpPage()
if (page === undefined) {
  runProgram()
} else {
  // The reader may be gone (`mbauth --help | head -1`): the program ignores that too.
  process.stdout.on("error", () => {})
  process.stdout.write(page)
}
