// Runs the python target's checks with the machine's python3: a virtual environment under the
// repository's .cache/ holds the pinned test dependencies (requirements.txt), made on first use
// and reused while the requirements are unchanged, so a fresh clone needs python3 and pip only.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import * as Generate from "../../../src/Generate.js"

const run = promisify(execFile)

const root = new URL("../../../../../", import.meta.url).pathname
const requirements = new URL("../requirements.txt", import.meta.url).pathname

/** The folder of the Python helper programs. */
export const programs = new URL("../", import.meta.url).pathname

/** How long installing the requirements may take (a slow index, a cold pip cache). */
export const INSTALL_TIMEOUT = 10 * 60 * 1000

export interface Output {
  readonly stdout: string
  readonly stderr: string
}

/**
 * The virtual environment's python, made if missing. The folder is named after the requirements'
 * hash and made under a temporary name first, then renamed: parallel test files never see a
 * half-installed environment, and a changed requirements file gets a new one.
 */
export const venvPython = async (): Promise<string> => {
  const hash = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 12)
  const venv = join(root, ".cache", "python", `venv-${hash}`)
  const python = join(venv, "bin", "python")
  if (existsSync(join(venv, ".ready"))) return python
  mkdirSync(join(root, ".cache", "python"), { recursive: true })
  const temp = `${venv}.${process.pid}.tmp`
  rmSync(temp, { recursive: true, force: true })
  const options = { timeout: INSTALL_TIMEOUT, maxBuffer: 16 * 1024 * 1024 }
  await run("python3", ["-m", "venv", temp], options)
  await run(join(temp, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements], options)
  writeFileSync(join(temp, ".ready"), "")
  try {
    renameSync(temp, venv)
  } catch (e) {
    // Another test file finished first: use its environment.
    rmSync(temp, { recursive: true, force: true })
    if (!existsSync(join(venv, ".ready"))) throw e
  }
  return python
}

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
