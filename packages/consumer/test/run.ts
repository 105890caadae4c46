import { spawn, type SpawnOptions } from "node:child_process"

export interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/**
 * Runs a program to the end (no shell), with its output as text and its wall time. Asynchronous, so
 * the test worker keeps answering vitest while a long program runs.
 */
export const run = (command: string, args: ReadonlyArray<string>, options: SpawnOptions = {}): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options })
    let stdout = ""
    let stderr = ""
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr, ms: Math.round(performance.now() - start) }))
  })

/** The output of a failed run, for an assertion message. */
export const explain = (ran: Ran): string => `exit ${ran.status}\nstdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`

/** Text without ANSI colour codes. */
export const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "")
