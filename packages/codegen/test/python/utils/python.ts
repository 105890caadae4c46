// Runs the python target's checks with the machine's python3 and the pinned test dependencies
// (venv.mjs makes their virtual environment on first use), so a fresh clone needs python3 and pip only.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import * as Generate from "../../../src/Generate.js"

const run = promisify(execFile)

/** The folder of the Python helper programs. */
export const programs = new URL("../", import.meta.url).pathname

/** How long installing the requirements may take (a slow index, a cold pip cache). */
export const INSTALL_TIMEOUT = 10 * 60 * 1000

export interface Output {
  readonly stdout: string
  readonly stderr: string
}

/** The python of the virtual environment with the pinned test dependencies (venv.mjs), made if missing. */
export const venvPython = (): Promise<string> => {
  made ??= run(process.execPath, [join(programs, "venv.mjs")], { timeout: INSTALL_TIMEOUT }).then((r) => r.stdout)
  return made
}
let made: Promise<string> | undefined

/** Runs python with `args`, `cwd` on the import path; rejects with its output when it fails. */
export const python = async (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly timeout?: number; readonly env?: Record<string, string> }
): Promise<Output> => {
  const exe = await venvPython()
  try {
    return await run(exe, [...args], {
      cwd: options.cwd,
      timeout: options.timeout ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PYTHONPATH: options.cwd, PYTHONDONTWRITEBYTECODE: "1", ...options.env }
    })
  } catch (e) {
    const failure = e as { stdout?: string; stderr?: string; message: string }
    throw new Error(`python ${args.join(" ")} failed: ${failure.message}\n${failure.stdout ?? ""}\n${failure.stderr ?? ""}`)
  }
}

/**
 * Generates the python (and vectors) targets of each spec into `dir`, with the generator's own
 * pipeline, and returns the files written.
 */
export const generate = (specs: ReadonlyArray<string>, dir: string): Promise<ReadonlyArray<string>> =>
  Effect.runPromise(
    Effect.forEach(specs, (spec) =>
      Generate.generateFile(spec, { targets: ["python", "vectors"] }).pipe(Effect.flatMap((files) => Generate.write(files, dir)))
    ).pipe(Effect.map((written) => written.flat()), Effect.provide(NodeContext.layer))
  )

/** The specs the python target is proven on. */
export const specs = {
  mediabrowser: new URL("../../../../core/spec/mediabrowser.json", import.meta.url).pathname,
  acme: new URL("../../../examples/acme.json", import.meta.url).pathname,
  tiny: new URL("../../../examples/tiny.json", import.meta.url).pathname
} as const
