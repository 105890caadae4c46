// Builds dist/bench.mjs (run from packages/bench by `npm run build`). Our code (the generated
// module, core, Effect) is bundled exactly as the CLI bundles it. The peers stay external: they
// are loaded from node_modules as a user of them would load them, so esbuild's CommonJS wrapper
// or its transforms can neither help nor hurt them.
import { build } from "esbuild"

await build({
  entryPoints: ["src/bin.ts"],
  outfile: "dist/bench.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  conditions: ["@mbauth/source"],
  external: ["auth-header", "@jellyfin/sdk", "@parcel/watcher", "esbuild"],
  banner: { js: "import { createRequire as __mbauthCreateRequire } from \"node:module\"; const require = __mbauthCreateRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none"
})
