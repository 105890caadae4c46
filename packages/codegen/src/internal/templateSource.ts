// Finds and reads the runtime template (a .ts file, shipped in the package's src folder). The
// template is read as text at generation time rather than inlined, so that it stays one real,
// typechecked module. Candidates, in order: next to this module (running from source), beside a
// bundle in the package's dist folder, and through the package's own name (bundled elsewhere,
// such as in the mbauth CLI).
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { TemplateError } from "../TemplateError.js"

const RELATIVE = "internal/template/runtime.ts"

const candidates = (): ReadonlyArray<string> => {
  const out = [
    fileURLToPath(new URL("./template/runtime.ts", import.meta.url)),
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

/** The template's text. */
export const loadTemplate: Effect.Effect<string, TemplateError, FileSystem.FileSystem> = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const tried = candidates()
  for (const file of tried) {
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    if (exists) {
      return yield* fs.readFileString(file).pipe(
        Effect.mapError((e) => new TemplateError({ reason: `the runtime template at ${file} cannot be read: ${e.message}` }))
      )
    }
  }
  return yield* new TemplateError({ reason: `the runtime template was not found (looked at ${tried.join(", ")})` })
}).pipe(Effect.withSpan("Generate.loadTemplate"))
