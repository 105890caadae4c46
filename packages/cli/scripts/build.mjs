// Builds the `mbauth` executable (run from packages/cli by `npm run build`):
//
//   dist/mbauth.cjs        the program (src/main.ts), one CommonJS bundle (workspace packages from source)
//   dist/bin.mjs           the executable (src/bin.ts): serves help pages, else runs mbauth.cjs
//   dist/commands.json     the command tree as data (help, completion), read off the program itself
//   dist/runtime.ts        the header runtime's source (@mbauth/runtime), which `codegen generate --standalone` copies
//   dist/runtimes/         the other languages' runtimes (@mbauth/codegen's runtimes folder), copied by their targets
//
// Everything the program uses is bundled, so the package has no run-time dependencies. Loading the
// program at all was most of what `mbauth --help` cost, hence dist/commands.json: `bin.mjs` lays out
// help pages (and answers completion) from it without loading the program. Nothing tied to the
// build machine's Node is written: Node 22+ caches compiled code itself (see src/bin.ts).
import { build } from "esbuild"
import { chmod, copyFile, cp, mkdir, rename, rm, writeFile } from "node:fs/promises"
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
await rm("dist/mbauth.cjs.cache", { force: true }) // written by earlier builds
await rm("dist/help.json", { force: true }) // written by earlier builds
await rm("dist/commands.json", { force: true })
await build({
  ...common,
  entryPoints: ["src/main.ts"],
  outfile: "dist/mbauth.cjs",
  format: "cjs",
  external: ["@parcel/watcher"],
  // Bundled ES modules that locate files next to themselves (the runtime source, for
  // --standalone) keep working:
  // import.meta.url becomes the bundle's own URL.
  define: { "import.meta.url": "__mbauthImportMetaUrl" },
  banner: { js: "var __mbauthImportMetaUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  // Without comments and blank space the bundle is a third smaller, so reading it is faster.
  // Identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true
})
// `codegen generate --standalone` copies the runtime's source; the generator looks for it beside
// the bundle first (@mbauth/codegen's internal/runtimeSource.ts).
await rm("dist/template", { recursive: true, force: true }) // written by earlier builds
await copyFile("../runtime/src/index.ts", "dist/runtime.ts")
await rm("dist/runtimes", { recursive: true, force: true })
await cp("../codegen/runtimes", "dist/runtimes", { recursive: true })
await build({
  ...common,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/bin.mjs",
  format: "esm",
  banner: { js: "#!/usr/bin/env node" }
})
await chmod("dist/bin.mjs", 0o755)

// The command tree, from the bundle just built (test/HelpPage.e2e.test.ts checks it against the source).
const spec = createRequire(import.meta.url)("../dist/mbauth.cjs").commandSpec()
await writeFile("dist/commands.json.tmp", JSON.stringify(spec))
await rename("dist/commands.json.tmp", "dist/commands.json")
