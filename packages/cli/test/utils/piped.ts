// Runs the built executable with its stdout on a real pipe that the test reads the way a consumer
// would: slowly (starting late), or closing it early as `head -N` does.
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { bin } from "./bin.js"

const reportPeakRss = fileURLToPath(new URL("../fixtures/reportPeakRss.mjs", import.meta.url))

export interface PipedResult {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** The child's peak resident memory, in kilobytes. */
  readonly peakRssKb: number
}

export interface PipedOptions {
  /** Written to the child's stdin through a pipe, then closed. */
  readonly input?: string
  readonly env?: Record<string, string>
  readonly cwd?: string
  /**
   * When the test starts reading stdout: after this many ms, or as soon as the child has taken all
   * of its input, whichever comes first (a consumer that is busy while the producer works).
   */
  readonly readAfterMs?: number
  /** Close the read end after this many lines (0: right after the child starts), as `head -N`. */
  readonly closeAfterLines?: number
  /** `"devnull"`: stdout goes to /dev/null instead of a pipe (the fastest reader there is). */
  readonly stdout?: "pipe" | "devnull"
}

export const runPiped = (args: ReadonlyArray<string>, options: PipedOptions = {}): Promise<PipedResult> =>
  new Promise((resolve, reject) => {
    const devnull = options.stdout === "devnull" ? openSync("/dev/null", "w") : undefined
    const child = spawn(process.execPath, ["--import", pathToFileURL(reportPeakRss).href, bin, ...args], {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      stdio: ["pipe", devnull ?? "pipe", "pipe", "pipe"]
    })
    if (devnull !== undefined) closeSync(devnull)
    let stdout = ""
    let stderr = ""
    let peak = ""
    child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text))
    child.stdio[3]!.on("data", (chunk: Buffer) => (peak += String(chunk)))
    child.stdin!.on("error", () => {}) // the child may stop reading early
    child.on("error", reject)

    child.stdin!.end(options.input ?? "")
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr, peakRssKb: Number(peak) }))
    if (child.stdout === null) return

    const out = child.stdout.setEncoding("utf8")
    const closeAfter = options.closeAfterLines
    if (closeAfter === 0) out.destroy()
    else {
      out.on("data", (text: string) => {
        stdout += text
        if (closeAfter !== undefined && stdout.split("\n").length > closeAfter) out.destroy()
      })
    }
    if (options.readAfterMs !== undefined) {
      out.pause()
      const timer = setTimeout(() => out.resume(), options.readAfterMs)
      child.stdin!.on("finish", () => {
        clearTimeout(timer)
        out.resume()
      })
    }
  })
