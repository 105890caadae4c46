// Builds the `mbauth` executable (run from packages/cli by `npm run build`):
//
//   dist/mbauth.cjs        the program (src/main.ts), one CommonJS bundle (workspace packages from source)
//   dist/bin.mjs           the executable (src/bin.ts): serves help pages, else runs mbauth.cjs
//                          through V8's code cache
//   dist/commands.json     the command tree as data (help, completion), read off the program itself
//   dist/mbauth.cjs.cache  that cache, warmed here by one run
//
// Why not ../../scripts/bundle.mjs (one ESM file)? Start-up time. Measured on Node 20 (see the
// README), compiling the 1 MB bundle is about a third of `mbauth --help`, and Node 20 has no
// compile cache for ES modules (`module.enableCompileCache` is Node 22). A CommonJS bundle
// compiled with `vm.Script` can use V8's code cache, which removes most of that compile time.
// Loading the program at all is most of what remained, hence dist/commands.json: `bin.mjs` lays
// out help pages from it without loading the program.
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  conditions: ["@mbauth/source"],
  logLevel: "warning",
  legalComments: "none"
}

await mkdir("dist", { recursive: true })
await rm("dist/mbauth.cjs.cache", { force: true })
await rm("dist/help.json", { force: true })
await rm("dist/commands.json", { force: true })
await build({
  ...common,
  entryPoints: ["src/main.ts"],
  outfile: "dist/mbauth.cjs",
  format: "cjs",
  external: ["@parcel/watcher"],
  // Bundled ES modules that locate files next to themselves (the codegen template) keep working:
  // import.meta.url becomes the bundle's own URL.
  define: { "import.meta.url": "__mbauthImportMetaUrl" },
  banner: { js: "var __mbauthImportMetaUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  // Without comments and blank space the bundle is a third smaller, so reading it is faster, and
  // it is ASCII (esbuild escapes non-ASCII in code; comments may hold any character): bin.mjs
  // reads it as Latin-1, and V8 keeps a one-byte string, half the size of a two-byte one.
  // Identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true
})
if (/[^\x00-\x7f]/.test(await readFile("dist/mbauth.cjs", "latin1"))) {
  console.error("build: dist/mbauth.cjs is not ASCII; bin.mjs reads it as Latin-1")
  process.exit(1)
}
await build({
  ...common,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/bin.mjs",
  format: "esm",
  banner: { js: "#!/usr/bin/env node" }
})
await chmod("dist/bin.mjs", 0o755)

// The command tree, from the bundle just built (test/HelpPage.test.ts checks it against the source).
const spec = createRequire(import.meta.url)("../dist/mbauth.cjs").commandSpec()
await writeFile("dist/commands.json.tmp", JSON.stringify(spec))
await rename("dist/commands.json.tmp", "dist/commands.json")

// The first run of the program writes the code cache (bin.mjs does that whenever the cache is
// missing or stale). `--version` runs the program (help would be answered by bin.mjs).
const warm = spawnSync(process.execPath, ["dist/bin.mjs", "--version"], { stdio: ["ignore", "ignore", "inherit"] })
if (warm.status !== 0) {
  console.error(`build: dist/bin.mjs --version exited ${warm.status}`)
  process.exit(1)
}
