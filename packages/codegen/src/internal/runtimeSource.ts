// Finds and reads the runtime's source (@mbauth/runtime's src/index.ts, shipped in that package),
// which `--standalone` copies next to the generated modules. Candidates, in order: beside a bundle
// that carries a copy (the mbauth CLI's dist/runtime.ts), then through the package's own name.
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { TemplateError } from "../TemplateError.js"

const candidates = (): ReadonlyArray<string> => {
  const out = [fileURLToPath(new URL("runtime.ts", import.meta.url))]
  try {
    const pkg = createRequire(import.meta.url).resolve("@mbauth/runtime/package.json")
    out.push(fileURLToPath(new URL("src/index.ts", pathToFileURL(pkg))))
  } catch {
    // @mbauth/runtime is not installed: only a bundle's copy can be found
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
