// Finds and reads the runtimes that generated modules are written next to: the TypeScript one
// (@mbauth/runtime's src/index.ts, shipped in that package), which `--standalone` copies, and the
// other languages' (this package's `runtimes` folder). Candidates, in order: beside a bundle that
// carries a copy (the mbauth CLI's dist/runtime.ts and dist/runtimes), then the package's own files.
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

// src/internal and dist/internal are both two levels below the package root; a bundle sits one.
const runtimeFileCandidates = (file: string): ReadonlyArray<string> => [
  fileURLToPath(new URL(`runtimes/${file}`, import.meta.url)),
  fileURLToPath(new URL(`../../runtimes/${file}`, import.meta.url))
]

/** A language runtime's source text: `file` is relative to the package's `runtimes` folder. */
export const loadRuntimeFile = (file: string): Effect.Effect<string, TemplateError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const tried = runtimeFileCandidates(file)
    for (const candidate of tried) {
      const exists = yield* fs.exists(candidate).pipe(Effect.orElseSucceed(() => false))
      if (exists) {
        return yield* fs.readFileString(candidate).pipe(
          Effect.mapError((e) => new TemplateError({ reason: `the runtime file ${candidate} cannot be read: ${e.message}` }))
        )
      }
    }
    return yield* new TemplateError({ reason: `the runtime file ${file} was not found (looked at ${tried.join(", ")})` })
  }).pipe(Effect.withSpan("Generate.loadRuntimeFile", { attributes: { file } }))
