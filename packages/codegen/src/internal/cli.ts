// The command handlers of Cli.ts, loaded when a command runs: they pull in the whole generator
// (spec schema, emitters), which mounting the commands should not.
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Generate from "../Generate.js"
import * as JsonSchema from "../JsonSchema.js"
import * as Load from "../Load.js"
import type * as Target from "../Target.js"
import { renderError } from "./renderError.js"
import { StaleFilesError } from "./staleFilesError.js"

export interface GenerateArgs {
  readonly spec: string
  readonly out: string
  readonly targets: ReadonlyArray<Target.Target>
  readonly standalone: boolean
}

const optionsOf = (args: Pick<GenerateArgs, "targets" | "standalone">): Generate.GenerateOptions => ({
  ...(args.targets.length === 0 ? {} : { targets: args.targets }),
  standalone: args.standalone
})

// Prints what the spec could leave out (a spec v1's fixed grammar fields) on stderr.
const printNotes = (specFile: string) =>
  Effect.flatMap(Load.load(specFile), ({ notes, source }) =>
    Effect.forEach(notes, (n) => Console.error(`note: ${source} at ${n.path}: ${n.message}`), { discard: true }))

/** Regenerates and checks, without writing: fails with `StaleFilesError` when anything differs. */
export const runCheck = Effect.fn("Cli.runCheck")(function*(args: GenerateArgs) {
  yield* printNotes(args.spec)
  const files = yield* Generate.generateFile(args.spec, optionsOf(args))
  const stale = yield* Generate.check(files, args.out)
  if (stale.length === 0) return yield* Console.log(`${files.length} generated files are up to date`)
  for (const s of stale) yield* Console.error(`${s.reason === "missing" ? "missing" : "stale  "}  ${s.path}`)
  return yield* new StaleFilesError({ paths: stale.map((s) => s.path), hint: "regenerate them (npm run codegen)" })
})

/** Regenerates and writes what changed, printing the paths written. */
export const runGenerate = Effect.fn("Cli.runGenerate")(function*(args: GenerateArgs) {
  yield* printNotes(args.spec)
  const files = yield* Generate.generateFile(args.spec, optionsOf(args))
  const written = yield* Generate.write(files, args.out)
  for (const path of written) yield* Console.log(`wrote ${path}`)
  if (written.length === 0) yield* Console.log(`${files.length} generated files are up to date`)
})

// Regenerates on every change of the spec (its directory is watched, so editors that replace the
// file are seen too); errors are printed and the watch goes on.
const watch = (args: GenerateArgs) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.resolve(args.spec)
    const once = runGenerate(args).pipe(Effect.catchAll((error) => Console.error(renderError(error))))
    yield* once
    yield* Console.error(`watching ${args.spec}`)
    yield* fs.watch(path.dirname(target)).pipe(
      // Node reports names relative to the watched directory, other backends absolute paths.
      Stream.filter((event) => path.resolve(path.dirname(target), event.path) === target),
      Stream.debounce("100 millis"),
      Stream.runForEach(() => once)
    )
  })

/** `generate`. */
export const generate = (args: GenerateArgs & { readonly check: boolean; readonly watch: boolean; readonly stdout: boolean }) => {
  if (args.check) return runCheck(args)
  if (args.watch) return watch(args)
  if (args.stdout) {
    return Generate.generateFile(args.spec, optionsOf(args)).pipe(
      Effect.flatMap((files) => Effect.forEach(files, (f) => Console.log(f.content), { discard: true }))
    )
  }
  return runGenerate(args)
}

/** `json-schema`. */
export const jsonSchema = (args: { readonly out: Option.Option<string>; readonly check: boolean }) =>
  Effect.gen(function*() {
    const text = JsonSchema.text()
    if (Option.isNone(args.out)) return yield* Console.log(text.trimEnd())
    const file = args.out.value
    const path = yield* Path.Path
    const files = [{ target: "typescript" as const, path: path.basename(file), content: text }]
    if (args.check) {
      const stale = yield* Generate.check(files, path.dirname(file))
      if (stale.length > 0) {
        return yield* new StaleFilesError({ paths: [file], hint: "regenerate it (mbauth-codegen json-schema --out …)" })
      }
      return
    }
    const written = yield* Generate.write(files, path.dirname(file))
    for (const w of written) yield* Console.log(`wrote ${w}`)
  })
