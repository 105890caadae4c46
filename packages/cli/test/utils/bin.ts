// Runs the built executable (packages/cli/dist/bin.mjs) as a user does, in a child process with a
// clean environment; builds it first when it is missing (`npm test` builds it before the tests).
import { beforeAll } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))
export const bin = fileURLToPath(new URL("../../dist/bin.mjs", import.meta.url))

export interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export const mbauth = (args: ReadonlyArray<string>, options: { input?: string; env?: Record<string, string> } = {}): Result => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input: options.input ?? "",
    encoding: "utf8",
    // A clean environment: no NO_COLOR or MBAUTH_* from the developer's shell.
    env: { PATH: process.env.PATH ?? "", ...options.env },
    timeout: 30_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Registers a `beforeAll` that builds the executable when it is missing. */
export const buildOnce = () =>
  beforeAll(() => {
    if (existsSync(bin)) return
    const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" })
    if (built.status !== 0) throw new Error(`building the CLI failed:\n${built.stderr}`)
  }, 120_000)

/**
 * Runs the built executable without blocking the event loop, so that servers of the test process
 * (on 127.0.0.1) can answer it.
 */
export const mbauthAsync = (
  args: ReadonlyArray<string>,
  options: { input?: string; env?: Record<string, string> } = {}
): Promise<Result> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? "", ...options.env } })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.on("error", reject)
    child.on("close", (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
    child.stdin.end(options.input ?? "")
  })
