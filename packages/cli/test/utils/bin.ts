// Runs the built executable (packages/cli/dist/bin.mjs) as a user does, in a child process with a
// clean environment; builds it first when it is missing (`npm test` builds it before the tests).
import { beforeAll } from "@effect/vitest"
import { spawnSync } from "node:child_process"
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
