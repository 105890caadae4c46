// Finds and reads the runtime's source (src/runtime.ts, shipped in the package), which
// `--standalone` copies next to the generated modules. Candidates, in order: beside a bundle that
// carries a copy (the mbauth CLI's dist/runtime.ts), the source tree (running from src/internal or
// from the package's dist/internal), and through the package's own name.
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { TemplateError } from "../TemplateError.js"

const RELATIVE = "runtime.ts"

const candidates = (): ReadonlyArray<string> => {
  const out = [
    fileURLToPath(new URL(RELATIVE, import.meta.url)),
    fileURLToPath(new URL(`../${RELATIVE}`, import.meta.url)),
    fileURLToPath(new URL(`../../src/${RELATIVE}`, import.meta.url))
  ]
  try {
    const pkg = createRequire(import.meta.url).resolve("@mbauth/codegen/package.json")
    out.push(fileURLToPath(new URL(`src/${RELATIVE}`, pathToFileURL(pkg))))
  } catch {
    // not installed as a package: the candidates above are all there is
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
