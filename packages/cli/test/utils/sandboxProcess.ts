// `mbauth sandbox --json` as a child process, for end-to-end tests.
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { bin } from "./bin.js"

export interface Service {
  readonly name: string
  readonly kind: string
  readonly url: string
  readonly apiUrl: string
  readonly serverId?: string
  readonly users: ReadonlyArray<{ readonly name: string; readonly password: string }>
}

export interface RunningSandbox {
  readonly child: ChildProcess
  readonly services: Array<Service>
  readonly stderr: () => string
}

/** Starts `mbauth sandbox --json`; resolves with its JSON lines once every service listens. */
export const startSandbox = (): Promise<RunningSandbox> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "sandbox", "--json"], { env: { PATH: process.env.PATH ?? "" } })
    let stderr = ""
    child.stderr.on("data", (chunk) => (stderr += String(chunk)))
    const services: Array<Service> = []
    createInterface({ input: child.stdout }).on("line", (line) => {
      services.push(JSON.parse(line) as Service)
      if (services.length === 6) resolve({ child, services, stderr: () => stderr })
    })
    child.on("exit", (code) => reject(new Error(`sandbox exited early (${code}): ${stderr}`)))
  })

/** Ctrl-C; resolves with the exit code. */
export const stopSandbox = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners("exit")
    child.on("exit", (code) => resolve(code))
    child.kill("SIGINT")
  })
