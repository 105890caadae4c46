// Builds the `mbauth` executable (run from packages/cli by `npm run build`):
//
//   dist/mbauth.cjs        the whole CLI, one CommonJS bundle (workspace packages from source)
//   dist/bin.mjs           the executable: runs mbauth.cjs through V8's code cache
//   dist/mbauth.cjs.cache  that cache, warmed here by one `--help` run
//
// Why not ../../scripts/bundle.mjs (one ESM file)? Start-up time. Measured on Node 20 (see the
// README), compiling the 1 MB bundle is about a third of `mbauth --help`, and Node 20 has no
// compile cache for ES modules (`module.enableCompileCache` is Node 22). A CommonJS bundle
// compiled with `vm.Script` can use V8's code cache, which removes most of that compile time.
import { build } from "esbuild"
import { spawnSync } from "node:child_process"
import { chmod, copyFile, mkdir, rm } from "node:fs/promises"

await mkdir("dist", { recursive: true })
await rm("dist/mbauth.cjs.cache", { force: true })
await build({
  entryPoints: ["src/bin.ts"],
  outfile: "dist/mbauth.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  conditions: ["@mbauth/source"],
  external: ["@parcel/watcher"],
  // Bundled ES modules that locate files next to themselves (the codegen template) keep working:
  // import.meta.url becomes the bundle's own URL.
  define: { "import.meta.url": "__mbauthImportMetaUrl" },
  banner: { js: "var __mbauthImportMetaUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  logLevel: "warning",
  legalComments: "none"
})
await copyFile("scripts/loader.mjs", "dist/bin.mjs")
await chmod("dist/bin.mjs", 0o755)

// The first run writes the cache (the loader does that whenever the cache is missing or stale).
const warm = spawnSync(process.execPath, ["dist/bin.mjs", "--help"], { stdio: ["ignore", "ignore", "inherit"] })
if (warm.status !== 0) {
  console.error(`build: dist/bin.mjs --help exited ${warm.status}`)
  process.exit(1)
}
