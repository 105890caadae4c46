// Finds and reads the runtime's source (src/runtime.ts, shipped in the package), which
// `--standalone` copies next to the generated modules. Candidates, in order: beside this module
// (running from source), beside a bundle in the package's dist folder, and through the package's
// own name (bundled elsewhere, such as in the mbauth CLI).
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { TemplateError } from "../TemplateError.js"

const RELATIVE = "runtime.ts"

const candidates = (): ReadonlyArray<string> => {
  const out = [
    fileURLToPath(new URL("../runtime.ts", import.meta.url)),
    fileURLToPath(new URL(`../src/${RELATIVE}`, import.meta.url))
  ]
  try {
    const pkg = createRequire(import.meta.url).resolve("@mbauth/codegen/package.json")
    out.push(fileURLToPath(new URL(`src/${RELATIVE}`, pathToFileURL(pkg))))
  } catch {
    // not installed as a package: the first two candidates are all there is
  }
  return out
}

/** The runtime's source text. */
export const loadRuntime: Effect.Effect<string, TemplateError, FileSystem.FileSystem> = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const tried = candidates()
  for (const file of tried) {
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    if (exists) {
      return yield* fs.readFileString(file).pipe(
        Effect.mapError((e) => new TemplateError({ reason: `the runtime source at ${file} cannot be read: ${e.message}` }))
      )
    }
  }
  return yield* new TemplateError({ reason: `the runtime source was not found (looked at ${tried.join(", ")})` })
}).pipe(Effect.withSpan("Generate.loadRuntime"))
