/**
 * The pipeline: load → decode → normalise → emit → write or check. `generate` returns the files
 * as an Effect and touches nothing; `write` writes only the files whose bytes changed, each one
 * atomically (temporary file, then rename); `check` reports which files are missing or stale.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Ir from "./Ir.js"
import { loadRuntime, loadRuntimeFile } from "./internal/runtimeSource.js"
import * as Load from "./Load.js"
import type { Spec, SpecEncoded } from "./Spec.js"
import type { SpecError } from "./SpecError.js"
import * as Target from "./Target.js"
import type { TemplateError } from "./TemplateError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  /** The name the headers give the spec (default "spec.json"); `Load.load` passes the file name. */
  readonly source?: string
  /** Default: `Target.defaults` (TypeScript, Effect Schema, markdown, vectors). */
  readonly targets?: ReadonlyArray<Target.Target>
  /**
   * Write a copy of the runtime (`runtime.ts`) with the TypeScript module and import it from
   * there, so the output needs no dependency. Default false: import `@mbauth/runtime`.
   */
  readonly standalone?: boolean
}

/**
 * Generates the files for a spec, given as JSON data (decoded and checked here) or as an already
 * decoded `Spec`. Nothing is written.
 *
 * @since 0.1.0
 * @category generating
 */
export const generate: (
  spec: SpecEncoded | Spec | unknown,
  options?: GenerateOptions
) => Effect.Effect<ReadonlyArray<Target.GeneratedFile>, SpecError | TemplateError, FileSystem.FileSystem> = Effect.fn(
  "Generate.generate"
)(function*(spec: unknown, options?: GenerateOptions) {
  const source = options?.source ?? "spec.json"
  const decoded = yield* Load.decode(spec, source)
  const ir = Ir.fromSpec(decoded, source)
  const targets = options?.targets ?? Target.defaults
  const standalone = options?.standalone === true
  const selected = Target.all.filter((t) => targets.includes(t))
  const files = selected.map((t) => Target.emit(ir, t, { standalone }))
  const copies: Array<Target.GeneratedFile> = []
  for (const copy of selected.flatMap((t) => Target.runtimeCopies(ir, t, { standalone }))) {
    const source = copy.source._tag === "TypeScript"
      ? yield* loadRuntime
      : copy.source._tag === "File"
      ? yield* loadRuntimeFile(copy.source.path)
      : ""
    copies.push({ target: copy.target, path: copy.path, content: copy.render(source) })
  }
  return [...files, ...copies]
})

/**
 * Loads a spec file and generates its files.
 *
 * @since 0.1.0
 * @category generating
 */
export const generateFile = (
  specFile: string,
  options?: Omit<GenerateOptions, "source">
): Effect.Effect<
  ReadonlyArray<Target.GeneratedFile>,
  SpecError | TemplateError,
  FileSystem.FileSystem | Path.Path
> =>
  Effect.flatMap(Load.load(specFile), ({ source, spec }) => generate(spec, { ...options, source }))

/**
 * A file that `check` found out of date.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stale {
  readonly path: string
  readonly reason: "missing" | "changed"
}

const readIfExists = (fs: FileSystem.FileSystem, file: string) =>
  fs.exists(file).pipe(
    Effect.flatMap((exists) => (exists ? Effect.map(fs.readFileString(file), (s): string | undefined => s) : Effect.succeed(undefined)))
  )

/**
 * Compares generated files with what is on disk under `outDir`, byte for byte.
 *
 * @since 0.1.0
 * @category checking
 */
export const check = Effect.fn("Generate.check")(function*(files: ReadonlyArray<Target.GeneratedFile>, outDir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const stale: Array<Stale> = []
  for (const file of files) {
    const target = path.join(outDir, file.path)
    const current = yield* readIfExists(fs, target)
    if (current === undefined) stale.push({ path: target, reason: "missing" })
    else if (current !== file.content) stale.push({ path: target, reason: "changed" })
  }
  return stale as ReadonlyArray<Stale>
})

/**
 * Writes the files under `outDir`, skipping those whose bytes are unchanged. Each write goes to a
 * temporary file in the same directory first and is renamed into place, so a reader never sees a
 * half-written file. Returns the paths written.
 *
 * @since 0.1.0
 * @category writing
 */
export const write = Effect.fn("Generate.write")(function*(files: ReadonlyArray<Target.GeneratedFile>, outDir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const written: Array<string> = []
  for (const file of files) {
    const target = path.join(outDir, file.path)
    const current = yield* readIfExists(fs, target)
    if (current === file.content) continue
    yield* fs.makeDirectory(path.dirname(target), { recursive: true })
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`)
    yield* fs.writeFileString(temp, file.content)
    yield* fs.rename(temp, target).pipe(Effect.tapError(() => Effect.ignore(fs.remove(temp))))
    written.push(target)
  }
  return written as ReadonlyArray<string>
})
