// Bundles a package's bin into one ESM file (run from the package folder): workspace packages are
// read from source through the "@mbauth/source" condition, so a test can run a worker process without a
// build. The banner gives bundled CommonJS code a `require`.
import { build } from "esbuild"
import { chmod } from "node:fs/promises"

const [entry, outfile] = process.argv.slice(2)
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  conditions: ["@mbauth/source"],
  external: ["@parcel/watcher"],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __mbauthCreateRequire } from \"node:module\"; const require = __mbauthCreateRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none"
})
await chmod(outfile, 0o755)
