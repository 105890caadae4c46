// A Console that records what commands write: `log` (stdout) and `error` (stderr) separately.
// Adapted from @effect/cli's test/services/MockConsole.ts (MIT), which records `log` only.
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { format } from "node:util"

export interface MockConsole extends Console.Console {
  readonly stdout: ReadonlyArray<string>
  readonly stderr: ReadonlyArray<string>
}

const text = (args: ReadonlyArray<unknown>) =>
  args.length === 1 && typeof args[0] === "string" ? args[0] : format(...args)

export const make = (): MockConsole => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  const out = (...args: ReadonlyArray<unknown>) => {
    stdout.push(text(args))
  }
  const err = (...args: ReadonlyArray<unknown>) => {
    stderr.push(text(args))
  }
  const noop = () => {}
  const unsafe: Console.UnsafeConsole = {
    assert: noop,
    clear: noop,
    count: noop,
    countReset: noop,
    debug: err,
    dir: err,
    dirxml: err,
    error: err,
    group: noop,
    groupCollapsed: noop,
    groupEnd: noop,
    info: err,
    log: out,
    table: out,
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    trace: err,
    warn: err
  }
  const lift = (f: (...args: ReadonlyArray<unknown>) => void) => (...args: ReadonlyArray<unknown>) => Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    stdout,
    stderr,
    assert: () => Effect.void,
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: lift(err),
    dir: lift(err),
    dirxml: lift(err),
    error: lift(err),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(err),
    log: lift(out),
    table: lift(out),
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: lift(err),
    warn: lift(err),
    unsafe
  }
}
