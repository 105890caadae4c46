// A Console that records what commands write: `log` (stdout) and `error` (stderr) separately,
// in place of @effect/cli's test/services/MockConsole.ts (MIT), which records `log` only.
import type * as Console from "effect/Console"
import { fromWriters, syncWriter } from "../../src/internal/console.js"

export interface MockConsole extends Console.Console {
  readonly stdout: ReadonlyArray<string>
  readonly stderr: ReadonlyArray<string>
}

export const make = (): MockConsole => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  return { ...fromWriters(syncWriter((line) => stdout.push(line)), syncWriter((line) => stderr.push(line))), stdout, stderr }
}
